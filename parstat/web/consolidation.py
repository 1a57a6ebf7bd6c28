"""The consolidator's view of a period: every unit below them, its state, when, findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from parstat.accounts.permissions import consolidated_roots, visible_units
from parstat.analytics.expected import (
    counted_states,
    expected_rows,
    is_late,
    is_received,
    reports_that_count,
    state_is_late,
    state_is_received,
)
from parstat.catalog.editions import editions_in_force
from parstat.ids import id_list
from parstat.reporting.checks import finding_counts
from parstat.reporting.models import Period, Report
from parstat.units.models import OrgUnit

PERIOD_PAGE_SIZE = 200  # units per page of the period page


@dataclass(frozen=True)
class UnitStatus:
    unit: OrgUnit
    report: Report | None
    errors: int = 0
    warnings: int = 0

    @property
    def received(self) -> bool:
        return is_received(self.report)

    @property
    def late(self) -> bool:
        return is_late(self.report)


@dataclass(frozen=True)
class PeriodStatus:
    counts: dict[str, int]  # of every unit: expected, received, late, missing
    page: Page  # of UnitStatus rows, PERIOD_PAGE_SIZE a page


def period_status(user: Any, period: Period, page_number: Any = 1) -> PeriodStatus:
    """The counts of every unit the user sees, from plain rows (its state), and the rows of one
    page of them, the only ones read as unit and report instances.

    Expected and received by the one definition (parstat.analytics.expected), so this page,
    completeness, the consolidated table and reminders count the same units. The units are the
    user's visible ones (the permission choke point), so their reports are too."""
    rows = expected_rows(visible_units(user).values_list("id", flat=True), period)
    states = counted_states((row.id for row in rows), period)
    parents = {pk: code for pk, code in OrgUnit.objects.filter(
        id__in={row.parent_id for row in rows if row.parent_id is not None})
        .values_list("id", "code")}
    # Real units first, then by parent and code (the rows come by code; the sort is stable).
    ordered = sorted(rows, key=lambda r: (r.synthetic, parents.get(r.parent_id or 0, "")))
    received = [state_is_received(states[r.id][1]) for r in ordered if r.id in states]
    counts = {"expected": len(ordered), "received": sum(received),
              "late": sum(1 for _, state, late in states.values() if state_is_late(state, late)),
              "missing": len(ordered) - sum(received)}
    paged = Paginator(ordered, PERIOD_PAGE_SIZE).get_page(page_number)
    shown = [row.id for row in paged.object_list]
    units = {u.pk: u for u in OrgUnit.objects.filter(id__in=id_list(shown)).select_related("parent")}
    reports = reports_that_count([units[pk] for pk in shown], period)
    rows_shown = [_unit_status(units[pk], reports.get(pk)) for pk in shown]
    return PeriodStatus(counts, Page(rows_shown, paged.number, paged.paginator))


def _unit_status(unit: OrgUnit, report: Report | None) -> UnitStatus:
    if report is None:
        return UnitStatus(unit, None)
    counts = finding_counts(report)  # stored, or evaluated for a report filed before they were
    return UnitStatus(unit, report, counts.errors, counts.warnings)


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    periods = Period.objects.order_by("-end")
    return render(request, "web/period_list.html", {"periods": periods})


@login_required
def period_detail(request: HttpRequest, code: str) -> HttpResponse:
    period = Period.objects.filter(code=code).first()
    if period is None:
        raise Http404("Không có kỳ báo cáo này")
    status = period_status(request.user, period, request.GET.get("page"))
    page = status.page
    return render(request, "web/period_detail.html",
                  {"period": period, "rows": page.object_list, "page": page, "counts": status.counts,
                   # Where the consolidated table and the province's report of this period are.
                   "roots": list(consolidated_roots(request.user)),
                   # Which edition of each table this period is filled on (issue: a period says
                   # which edition it uses; a report keeps the one it was filled in).
                   "editions": editions_in_force(period.end)})
