"""Pages of consolidation, completeness, analysis, data quality and the pivot, with downloads.

Views only read the query string, ask :mod:`parstat.accounts.permissions` what the user may see
and hand over to the plain functions of this app and of :mod:`parstat.exports.service`, the same
ones the command line runs. A unit outside the user's subtree is "not found", never "forbidden",
so its existence does not leak.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parstat.accounts.permissions import visible_units
from parstat.catalog.models import Indicator, Section, Severity, Template
from parstat.errors import ParstatError
from parstat.exports.consolidated import consolidated_table
from parstat.exports.machine import write_pivot_csv
from parstat.exports.service import (
    FORMATS,
    ExportRequest,
    export_bytes,
    filename,
)
from parstat.exports.xlsx import write_pivot_xlsx
from parstat.ids import id_list
from parstat.reporting.models import Period, Report, Value
from parstat.units.models import OrgUnit, UnitKind
from parstat.vnformat import period_label

from . import completeness as completeness_mod
from .consolidation import consolidate, pick_template
from .outliers import MIN_HISTORY, MIN_PEERS, THRESHOLD, outliers
from .periods import offered_periods
from .pivot import pivot_by_period, pivot_by_unit
from .quality import FindingFilter, UnitName, findings_below, unit_names
from .scope import units_in_scope
from .series import ranking, same_kind_periods, series
from .states import StateScope, default_scope, scope_or_default

PAGES = (("analytics:consolidated", _("Tổng hợp")), ("analytics:completeness", _("Tình hình nộp")),
         ("analytics:series", _("Phân tích")), ("analytics:quality", _("Chất lượng số liệu")),
         ("analytics:pivot", _("Bảng xoay")))


# Above this many visible units the unit picker lists only those with units below them (and
# the one chosen): 4,000 departments would be a 200 KB list on every page. Any other unit is
# still asked by its code (``?unit=``), as the period page's links do.
PICKER_ALL = 200


# A list row (every unit's text) shows this many units' texts on the page, then how many more,
# and the page names this many reports left out because of their state; the downloads have
# them all (nationally 4,000 texts a row, most of a 480 KB page).
LISTED_ON_PAGE = 50


@dataclass(frozen=True)
class Choice:
    """What the query string asks for, checked against what the user may see."""

    allowed: set[int]
    unit: OrgUnit
    period: Period
    units: list[OrgUnit]  # units the user may pick: those with something below them first
    periods: list[Period]
    today: bool
    states: StateScope  # which report states the totals count ("scope" in the query string)
    scope_asked: bool  # the query string named the scope (downloads then keep it)

    @property
    def scopes(self) -> list[StateScope]:
        return list(StateScope)


def _flag(request: HttpRequest, name: str) -> bool:
    return request.GET.get(name, "") in ("1", "on", "true")


def choose(request: HttpRequest) -> Choice:
    allowed = set(visible_units(request.user).values_list("id", flat=True))
    if not allowed:
        raise Http404("no unit")
    visible = (OrgUnit.objects.filter(id__in=id_list(allowed)).annotate(n=Count("children"))
               .order_by("-n", "code"))
    many = len(allowed) > PICKER_ALL  # nationally: the units one consolidates, and the one chosen
    units = list(visible.filter(n__gt=0) if many else visible) or list(visible[:PICKER_ALL])
    periods, opened = offered_periods(request.user, timezone.localdate())
    if opened is None:
        raise Http404("no period")
    code = request.GET.get("unit") or units[0].code
    unit = next((u for u in units if u.code == code), None)
    if unit is None and many:
        unit = visible.filter(code=code).first()
        units += [unit] if unit is not None else []
    if unit is None:
        raise Http404("unit not visible")
    wanted = request.GET.get("period") or opened.code
    period = next((p for p in periods if p.code == wanted), None)
    if period is None:
        raise Http404("period")
    asked = request.GET.get("scope") in StateScope.values
    return Choice(allowed, unit, period, units, periods, _flag(request, "today"),
                  scope_or_default(request.GET.get("scope")), asked)


def _context(choice: Choice, page: str, **extra: Any) -> dict[str, Any]:
    return {"choice": choice, "page": page, "pages": PAGES, **extra}


@login_required
def consolidated(request: HttpRequest) -> HttpResponse:
    choice = choose(request)
    by_unit = _flag(request, "by_unit")
    try:
        result = consolidate(choice.unit, choice.period, states=choice.states, today=choice.today,
                             by_unit=by_unit, allowed=choice.allowed)
    except ParstatError as error:
        return render(request, "analytics/consolidated.html",
                      _context(choice, "analytics:consolidated", error=error.localized))
    table = consolidated_table(result, listed=LISTED_ON_PAGE)
    return render(request, "analytics/consolidated.html", _context(
        choice, "analytics:consolidated", table=table, by_unit=by_unit,
        listed_on_page=LISTED_ON_PAGE, listed_slice=f":{LISTED_ON_PAGE}",
        listed_minus=-LISTED_ON_PAGE, left_out_minus=-len(table.left_out),
        formats=[c for c, f in FORMATS.items() if f.write_table],
        exchange=[c for c, f in FORMATS.items() if f.write_exchange]))


@login_required
def completeness(request: HttpRequest) -> HttpResponse:
    choice = choose(request)
    result = completeness_mod.completeness(choice.unit, choice.period, allowed=choice.allowed)
    return render(request, "analytics/completeness.html",
                  _context(choice, "analytics:completeness", result=result))


def _template_for(choice: Choice) -> Template:
    scope = units_in_scope(choice.unit, allowed=choice.allowed)
    try:
        return pick_template(choice.unit, choice.period, scope)
    except ParstatError:
        template = Template.objects.order_by("-edition").first()
        if template is None:
            raise Http404("no template") from None
        return template


def _first_with_values(numeric: QuerySet[Indicator], choice: Choice,
                       periods: list[Period]) -> Indicator | None:
    """The first indicator (in the table's order) with a stored number in the asked period, or
    else in its series: the page opens on something to see, not on a row blank everywhere."""
    scope = units_in_scope(choice.unit, today=choice.today, allowed=choice.allowed)
    for wanted in ([choice.period], periods):
        found = (Value.objects.filter(indicator__in=numeric, report__period__in=wanted,
                                      report__unit_id__in=scope,
                                      report__state__in=choice.states.states,
                                      number__isnull=False)
                 .order_by("indicator__position").values_list("indicator_id", flat=True).first())
        if found is not None:
            return numeric.get(pk=found)
    return None


@login_required
def series_page(request: HttpRequest) -> HttpResponse:
    choice = choose(request)
    template = _template_for(choice)
    numeric = Indicator.objects.filter(template=template).exclude(aggregation__in=("none", "list"))
    periods = same_kind_periods(choice.period)
    indicator = (numeric.filter(code=request.GET.get("indicator", "")).first()
                 or _first_with_values(numeric, choice, periods)
                 or numeric.order_by("position").first())
    if indicator is None:
        raise Http404("no indicator")
    points = series(choice.unit, indicator, periods,
                    states=choice.states, allowed=choice.allowed, today=choice.today)
    ranked = ranking(choice.unit, indicator, choice.period, states=choice.states,
                     allowed=choice.allowed)
    chart = {"labels": [period_label(p.period.code) for p in points],
             "values": [float(p.total.value) if p.total and p.total.value is not None
                        else None for p in points],
             "ranking_labels": [r.unit.name for r in ranked if r.value is not None],
             "ranking_values": [float(r.value) for r in ranked if r.value is not None]}
    return render(request, "analytics/series.html", _context(
        choice, "analytics:series", indicator=indicator, indicators=numeric.order_by("position"),
        points=points, ranked=ranked, chart=chart,
        series_empty=all(p.total is None or p.total.value is None for p in points),
        ranking_empty=all(r.value is None for r in ranked)))


# How many outliers one page of the data-quality page lists.
OUTLIERS_PER_PAGE = 25
FINDINGS_PER_PAGE = 50


@login_required
def quality(request: HttpRequest) -> HttpResponse:
    """Findings and outliers below a unit, filtered by unit, section and severity, each list
    paged (the findings read a page at a time); each links to its row in the report
    (``#row-<code>`` of the form)."""
    choice = choose(request)
    wanted = {"unit": request.GET.get("of", ""), "section": request.GET.get("section", ""),
              "severity": request.GET.get("severity", "")}
    codes_in = None
    if wanted["section"]:
        # The rows of that section in the editions filed for the period (through a subquery:
        # a join through the reports gave one row per report and indicator).
        codes_in = frozenset(Indicator.objects.filter(
            template_id__in=Report.objects.filter(period=choice.period).values("template_id"),
            section__numeral=wanted["section"]).values_list("code", flat=True))
    found = findings_below(choice.unit, choice.period, allowed=choice.allowed, only=FindingFilter(
        unit=wanted["unit"], codes=codes_in, severity=wanted["severity"]), states=choice.states)
    odd = outliers(choice.unit, choice.period, states=choice.states, allowed=choice.allowed)
    # The unit picker: every unit with a finding or an outlier, whatever the filters.
    units = unit_names([UnitName(code, name) for code, name in found.units.items()]
                       + [o.unit for o in odd])
    template = _template_for(choice)
    sections = list(Section.objects.filter(template=template).order_by("position"))
    if wanted["unit"]:
        odd = [o for o in odd if o.unit.code == wanted["unit"]]
    if codes_in is not None:
        odd = [o for o in odd if o.indicator.code in codes_in]
    page = Paginator(odd, OUTLIERS_PER_PAGE).get_page(request.GET.get("page"))
    reports = {(r.unit_id, r.period_id): r.pk for r in Report.objects.filter(
        period=choice.period, unit_id__in={o.unit.pk for o in page.object_list})
        .order_by("template__edition")}
    finding_page = Paginator(found, FINDINGS_PER_PAGE).get_page(request.GET.get("fpage"))
    # Each list's pager keeps the filters and the other list's page.
    outlier_query, finding_query = request.GET.copy(), request.GET.copy()
    outlier_query.pop("page", None)
    finding_query.pop("fpage", None)
    return render(request, "analytics/quality.html", _context(
        choice, "analytics:quality", finding_page=finding_page, finding_count=len(found),
        outlier_page=page, outlier_count=len(odd),
        outliers=[(o, reports.get((o.unit.pk, o.period.pk))) for o in page.object_list],
        units=units, sections=sections,
        severities=Severity.choices, wanted=wanted, outlier_query=outlier_query.urlencode(),
        finding_query=finding_query.urlencode(),
        threshold=THRESHOLD, min_history=MIN_HISTORY, min_peers=MIN_PEERS))


@login_required
def pivot(request: HttpRequest) -> HttpResponse:
    choice = choose(request)
    template = _template_for(choice)
    section = request.GET.get("section") or None
    kind = request.GET.get("kind") or None
    by = "periods" if request.GET.get("by") == "periods" else "units"
    if by == "periods":
        periods = list(reversed(choice.periods))
        table = pivot_by_period(choice.unit, periods, template, states=choice.states,
                                section=section, allowed=choice.allowed)
    else:
        table = pivot_by_unit(choice.unit, choice.period, template, states=choice.states,
                              section=section, unit_kind=kind, allowed=choice.allowed)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "csv"):
        buffer: io.BytesIO | io.StringIO = io.BytesIO() if fmt == "xlsx" else io.StringIO(newline="")
        if fmt == "xlsx":
            write_pivot_xlsx(table, buffer, synthetic=choice.unit.synthetic,  # type: ignore[arg-type]
                             states=choice.states)
        else:
            write_pivot_csv(table, buffer)
        body = buffer.getvalue()
        response = HttpResponse(body if isinstance(body, bytes) else body.encode("utf-8"),
                                content_type=FORMATS[fmt].content_type)
        name = f"{choice.unit.code}_{choice.period.code if by == 'units' else 'cac-ky'}_bang-xoay"
        response["Content-Disposition"] = f'attachment; filename="{name}{FORMATS[fmt].extension}"'
        return response
    return render(request, "analytics/pivot.html", _context(
        choice, "analytics:pivot", table=table, rows=[(i, table.shown(i)) for i in table.indicators],
        by=by, section=section or "", kind=kind or "",
        sections=Section.objects.filter(template=template).order_by("position"),
        kinds=UnitKind.choices, query=request.GET.urlencode()))


@login_required
def download(request: HttpRequest) -> HttpResponse:
    """Every export format, consolidated or not, through the same code as ``parstat export``."""
    choice = choose(request)
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS:
        raise Http404("format")
    # Without a scope in the link, the format's default: accepted only for docx and pdf.
    export = ExportRequest(unit_code=choice.unit.code, period_code=choice.period.code, fmt=fmt,
                           consolidated=_flag(request, "consolidated"),
                           by_unit=_flag(request, "by_unit"), today=choice.today,
                           states=choice.states if choice.scope_asked else default_scope(fmt))
    try:
        body = export_bytes(export, allowed=choice.allowed)
    except ParstatError as error:
        raise Http404(error.message) from None
    response = HttpResponse(body, content_type=FORMATS[fmt].content_type)
    disposition = "attachment" if FORMATS[fmt].binary or fmt in ("csv", "adx", "sdmx") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename(export)}"'
    return response
