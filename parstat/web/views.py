"""Pages: home (what is due), report lists, the entry form and its saves, workflow, history.

Views only read requests and render; every change goes through a do_… function, and every
report is reached through :func:`parstat.web.access.report_for` (the permission choke point).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from parstat.accounts.permissions import (
    Action,
    allowed_actions,
    can_start_report,
    reports_for_user,
    require_in_some_state,
)
from parstat.catalog.editions import template_for
from parstat.catalog.models import Indicator
from parstat.errors import ParstatError
from parstat.http_status import status_for
from parstat.province.national_views import national_periods
from parstat.province.snapshot import approvals_counting
from parstat.province.status import province_reports_for
from parstat.reporting.actions import (
    CellInput,
    CellUpdate,
    do_set_values_in,
    get_or_create_report,
    parse_cells,
)
from parstat.reporting.checks import evaluate_report
from parstat.reporting.history import history_count, report_history
from parstat.reporting.models import Period, Report, ReportEvent, ReportState, ValueChange
from parstat.reporting.periods import find_period
from parstat.reporting.workflow import Step, do_transition
from parstat.rules.evaluate import compile_template
from parstat.units.models import OrgUnit
from parstat.web.access import report_for, report_not_found, web_actor
from parstat.web.due import closed_units, due_for, workflow_notes
from parstat.web.entry import (
    RowChrome,
    entry_rows_html,
    entry_sections,
    formula_cell,
    formula_cell_html,
    input_text,
)
from parstat.web.queue import receives_reports, work_queue


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Reporters see what is due; those who receive reports see their work queue too."""
    return render(request, "web/home.html", {
        "due": due_for(request.user), "closed": closed_units(request.user),
        "queue": work_queue(request.user) if receives_reports(request.user) else None,
        "province_reports": province_reports_for(request.user),
        "national": national_periods(request.user)})


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    visible = reports_for_user(request.user)
    reports = (visible.select_related("unit", "period", "template")
               .annotate(value_count=Count("values"))
               .order_by("unit__synthetic", "-period__year", "-period__end", "unit__code"))
    state = request.GET.get("state", "")
    if state in ReportState.values:
        reports = reports.filter(state=state)
    if period := request.GET.get("period", "").strip():
        reports = reports.filter(period__code=period)
    if unit := request.GET.get("unit", "").strip():
        reports = reports.filter(unit__code=unit)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "web/report_list.html", {
        "page": page, "reports": page.object_list, "states": ReportState.choices,
        "filters": {"state": state, "period": period, "unit": unit},
        # The filters offer what the user's reports have, in words: periods by name, units by
        # name (the page's search box narrows the list as one types).
        "periods": Period.objects.filter(reports__in=visible).distinct().order_by("-end", "kind"),
        "units": OrgUnit.objects.filter(reports__in=visible).distinct().order_by("name")})


def _page(request: HttpRequest, report: Report, *, typed: dict | None = None,
          errors: dict | None = None, status: int = 200) -> HttpResponse:
    evaluation = evaluate_report(report)
    actions = allowed_actions(request.user, report)
    can_edit = Action.EDIT in actions
    # The table's rows are built in Python (web/entry.py): as template nodes they were most of
    # the form's time.
    chrome = RowChrome.for_page(can_edit=can_edit,
                                save_url=reverse("web:save_cell", args=[report.pk]))
    # The report's events once: the history's count and what the page says of the workflow.
    events = list(ReportEvent.objects.filter(report=report).order_by("id"))
    notes = workflow_notes(report, events)
    return render(request, "web/report_detail.html", {
        "report": report, "evaluation": evaluation,
        "table_rows": entry_rows_html(entry_sections(report, evaluation, typed, errors), chrome),
        "can_edit": can_edit, "actions": {a.value for a in actions},
        # The history loads when it is opened (report_history_page): rendering its 200 rows
        # inline was a third of the form's time; the counts are two cheap queries.
        "history_count": history_count(report, events),
        "sent_back": notes.sent_back, "explanation": notes.explanation,
        # Beside the warnings it explains; apart when none of them is a finding now (an
        # explanation given without warnings, or rules changed since).
        "explanation_apart": notes.explanation is not None and not any(
            f.rule in notes.explanation.rules for f in evaluation.warnings),
        # Approved province reports that counted this report at another version or state.
        "stale_approvals": approvals_counting(report),
    }, status=status)


# A refused "Lưu tất cả" is kept in the session and shown by the GET that follows (POST, then
# redirect, then GET: a refresh never posts the form again), for as long as the report stays at
# the version it was refused at, so a refresh does not lose what was typed either.
REFUSED_FORM = "parstat_refused_form"


HISTORY_LIMIT = 200


@login_required
def report_history_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's latest changes: the rows alone for the form's "Lịch sử thay đổi" (htmx),
    a page of its own when opened without JavaScript."""
    report = report_for(request, pk)
    fragment = request.headers.get("HX-Request") == "true"
    return render(request, "web/_history_rows.html" if fragment else "web/report_history.html",
                  {"report": report, "history": report_history(report, limit=HISTORY_LIMIT),
                   "limit": HISTORY_LIMIT})


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request, pk)
    refused = request.session.get(REFUSED_FORM, {}).get(str(report.pk))
    if refused and refused["version"] == report.version:
        return _page(request, report, typed={c: tuple(t) for c, t in refused["typed"].items()},
                     errors=refused["errors"])
    return _page(request, report)


def _keep_refused_form(request: HttpRequest, report: Report, typed: dict, errors: dict) -> None:
    kept = request.session.get(REFUSED_FORM, {})
    kept[str(report.pk)] = {"version": report.version, "typed": typed, "errors": errors}
    request.session[REFUSED_FORM] = kept


def _forget_refused_form(request: HttpRequest, report: Report) -> None:
    kept = request.session.get(REFUSED_FORM, {})
    if kept.pop(str(report.pk), None) is not None:
        request.session[REFUSED_FORM] = kept


def posted_cells(request: HttpRequest) -> dict[str, tuple[str, str | None]]:
    """code → (value text, note text or None) from fields named v:CODE and n:CODE."""
    cells: dict[str, tuple[str, str | None]] = {}
    for name in request.POST:
        raw = request.POST.get(name, "")
        kind, _, code = name.partition(":")
        if kind not in ("v", "n") or not code:
            continue
        value, note = cells.get(code, ("", None))
        cells[code] = (raw, note) if kind == "v" else (value, raw)
    return cells


def parse_posted(report: Report, cells: dict[str, tuple[str, str | None]],
                 keep_value: set[str]) -> tuple[list[CellUpdate], dict[str, str]]:
    """The posted cells read by :func:`parse_cells`; code → the refusal's message."""
    parsed = parse_cells(report.template, [
        CellInput(code, text, note, keep_value=code in keep_value)
        for code, (text, note) in cells.items()])
    return parsed.updates, {r.code: r.error.localized for r in parsed.refusals}


class _FormRefused(Exception):
    """Cells of "Lưu tất cả" cannot be read: nothing is written (code → the refusal)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


@login_required
@require_POST
def save_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole form at once: every cell parsed first; one refusal and nothing is stored.

    Always answers with a redirect to the form (303), refused or not: the refusal and what was
    typed are kept for the GET (see REFUSED_FORM)."""
    cells = posted_cells(request)
    keep = {code for code in cells if f"v:{code}" not in request.POST}
    typed = {code: (text, note or "") for code, (text, note) in cells.items()}
    seen: list[Report] = []  # the report as read under its lock, once

    def read(report: Report) -> list[CellUpdate]:
        seen.append(report)
        # The roles are asked here; the report's state is do_set_values' to judge
        # (report.locked, 409), and re-sending what is stored to a submitted report stays
        # harmless, as in the API.
        require_in_some_state(request.user, Action.EDIT, report.unit)
        updates, errors = parse_posted(report, cells, keep)
        if errors:
            raise _FormRefused(errors)
        return updates

    try:
        result = do_set_values_in(reports_for_user(request.user), pk, read,
                                  acting_user=web_actor(request),
                                  expected_version=_version(request))
    except Report.DoesNotExist:
        raise report_not_found() from None
    except _FormRefused as refused:
        count = len(refused.errors)
        messages.error(request, ngettext("%(count)d ô chưa hợp lệ; chưa lưu gì. Hãy sửa các ô tô đỏ.",
                                         "%(count)d ô chưa hợp lệ; chưa lưu gì. Hãy sửa các ô tô đỏ.",
                                         count) % {"count": count})
        _keep_refused_form(request, seen[0], typed, refused.errors)
        return redirect_after_post(seen[0])
    except ParstatError as error:
        if error.code == "permission.denied":
            raise  # the roles' refusal is the error page (403), not a message on the form
        report = seen[0]
        messages.error(request, error.localized)
        kept, errors = _typed_over_changes(report, typed, _version(request), error)
        _keep_refused_form(request, report, kept, errors)
        return redirect_after_post(report)
    assert result.report is not None  # do_set_values_in's result always names it
    _forget_refused_form(request, result.report)
    messages.success(request, _("Đã lưu: %(imported)d giá trị mới, %(updated)d thay đổi.")
                     % result.as_dict())
    return redirect_after_post(result.report)


def _typed_over_changes(report: Report, typed: dict, seen: int | None,
                        error: ParstatError) -> tuple[dict, dict]:
    """What a stale "Lưu tất cả" re-shows: the cells changed meanwhile show the stored value,
    each marked with what was typed over it (so a second click cannot silently undo the other
    person's change); every other cell keeps what was typed."""
    if error.code != "report.stale" or seen is None:
        return typed, {}
    changed = set(ValueChange.objects.filter(report=report, version__gt=seen)
                  .values_list("indicator__code", flat=True))
    kept = {code: text for code, text in typed.items() if code not in changed}
    errors = {code: _("Đã được người khác thay đổi trong lúc anh/chị sửa; anh/chị đã nhập "
                      "«%(typed)s».") % {"typed": typed[code][0]}
              for code in changed if code in typed}
    return kept, errors


def redirect_after_post(report: Report) -> HttpResponse:
    # 303: the browser follows with a GET, and a refresh of that page posts nothing.
    response = redirect("web:report_detail", pk=report.pk)
    response.status_code = 303
    return response


def _version(request: HttpRequest) -> int | None:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() else None


class _CellRefused(Exception):
    """The posted cell cannot be read (422): nothing is written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@login_required
@require_POST
def save_cell(request: HttpRequest, pk: int) -> HttpResponse:
    """One cell, saved as it is typed (htmx): answers its row's status and the page's live parts.

    200 saved (or unchanged), 422 the value is refused, 409 someone changed this cell (or the
    report) meanwhile, 403 not allowed; the status cell says why. The answer also carries the
    current values of the cells others changed since the version the page had (merged saves),
    so the page shows them instead of what it read.
    """
    cells = posted_cells(request)
    # The page posts only the changed field (and the version); its name is also in a header.
    trigger = request.headers.get("HX-Trigger-Name", "")
    if trigger:
        kind, _, code = trigger.partition(":")
        value, note = cells.get(code, ("", None))
        cells = {code: (value, note) if kind == "n" else (value, None)}
        keep = {code} if kind == "n" else set()
    elif len(cells) == 1:
        [code] = cells
        keep = {code} if f"v:{code}" not in request.POST else set()
    else:
        return HttpResponse(status=400)
    seen = _version(request)
    context: dict[str, Any] = {"code": code, "error": "", "saved": False}
    status = 200
    written = None

    def read(report: Report) -> list[CellUpdate]:
        # The report as read under its lock, once: the roles asked, the cell parsed.
        require_in_some_state(request.user, Action.EDIT, report.unit)
        updates, errors = parse_posted(report, cells, keep)
        if errors:
            raise _CellRefused(errors[code])
        return updates

    try:
        written = do_set_values_in(reports_for_user(request.user), pk, read,
                                   acting_user=web_actor(request), expected_version=seen)
        context["saved"] = bool(written.imported or written.updated)
        version = written.report.version if written.report else None
        if context["saved"] and seen is not None and version == seen + 1:
            seen = version  # only this save happened since: nothing to merge in
    except Report.DoesNotExist:
        raise report_not_found() from None
    except _CellRefused as refused:
        context["error"], status = refused.message, 422
    except ParstatError as error:
        context["error"] = error.localized
        status = status_for(error.code)
        context["conflict"] = error.code == "report.stale"
    if written and written.report:
        # A save that wrote evaluated the report as it left it; one that found the cell as
        # posted evaluates the rows it read under the lock (not read again).
        report = written.report
        evaluation = written.evaluation_now()
    else:
        # Refused, nothing written: the report as it is now.
        report = report_for(request, pk)
        evaluation = evaluate_report(report)
    context["report"] = report
    if context.get("conflict"):
        # The two ways on from a clash, offered in the cell: keep what was typed (saved again
        # against the version now known) or take what the other person stored.
        stored = evaluation.stored.get(code)
        indicator = Indicator.objects.get(template=report.template, code=code)
        context["field"] = trigger or (f"n:{code}" if keep else f"v:{code}")
        context["stored_text"] = (stored.note if stored else "") if keep else \
            input_text(indicator, stored.content if stored else None)
    context.update(evaluation=evaluation, derived=_derived_rows(report, evaluation),
                   merged=json.dumps(_changed_since(report, seen, evaluation, skip=set(cells)),
                                     ensure_ascii=False))
    return render(request, "web/_cell_saved.html", context, status=status)


def _changed_since(report: Report, version: int | None, evaluation: Any,
                   skip: set[str]) -> dict[str, str]:
    """code → input text now, for the cells changed after ``version`` (other than ``skip``)."""
    if version is None or version >= report.version:
        return {}
    changed = (ValueChange.objects.filter(report=report, version__gt=version)
               .select_related("indicator").order_by("id"))
    out: dict[str, str] = {}
    for change in changed:
        code = change.indicator.code
        if code not in skip:
            stored = evaluation.stored.get(code)
            out[code] = input_text(change.indicator, stored.content if stored else None)
    return out


def _derived_rows(report: Report, evaluation: Any) -> list[SafeString]:
    """Every formula row's span, swapped in out of band after a save."""
    formulas = compile_template(report.template).formulas  # compiled once per template
    return [formula_cell_html(formula_cell(indicator, evaluation), oob=True)
            for indicator, _ in formulas]


@login_required
@require_POST
def transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = report_for(request, pk)
    if action not in {step.value for step in Step}:  # a name that is no step: no such page
        return HttpResponse(status=404)
    step = Step(action)
    try:
        # The state is the step's to judge (workflow.bad_state), as in the API.
        require_in_some_state(request.user, step, report.unit)
        do_transition(report, step, acting_user=web_actor(request),
                      text=request.POST.get("text", ""))
    except ParstatError as error:
        messages.error(request, error.localized)
    else:
        messages.success(request, step.done)
    return redirect("web:report_detail", pk=report.pk)


@login_required
@require_POST
def start_report(request: HttpRequest, unit: str, period: str) -> HttpResponse:
    """Open a unit's report for a period (the home page's "Lập báo cáo")."""
    found = OrgUnit.objects.filter(code=unit).first()
    if found is None or not can_start_report(request.user, found):
        raise Http404("Không tìm thấy đơn vị")
    try:
        found_period = find_period(period)
    except ParstatError as error:
        messages.error(request, error.localized)
        return redirect("web:home")
    template = template_for(found, found_period)
    if template is None:
        raise Http404("Đơn vị này không có biểu mẫu")
    try:
        report, _ = get_or_create_report(found, template, found_period,
                                         acting_user=web_actor(request))
    except ParstatError as error:
        messages.error(request, error.localized)
        return redirect("web:home")
    return redirect("web:report_detail", pk=report.pk)
