"""Reports: list, read (values, findings, history), set values, workflow transitions."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import P, PathEx, Query, Router

from parstat.accounts.permissions import Action, reports_for_user
from parstat.exports.build import report_table
from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import Report, ReportEvent, ValueChange
from parstat.reporting.periods import parse_period_code, period_code
from parstat.reporting.workflow import Step
from parstat.rules.findings import Finding

from .. import services
from ..access import (
    actor_of,
    allowed_actions,
    require_role,
    user_of,
    visible_report,
    visible_reports,
)
from ..pagination import paginate
from ..schemas import (
    Error,
    Page,
    PageQuery,
    ReasonIn,
    ReportDetail,
    ReportEventOut,
    ReportQuery,
    ReportSummary,
    SetValuesIn,
    SetValuesOut,
    SubmitIn,
    TransitionOut,
    ValueChangeOut,
    VersionIn,
)

router = Router(tags=["reports"])
ReportId = PathEx[int, P(ge=1, le=2**53, description="The report's id.")]
READ_ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: Error}
WRITE_ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error,
                                422: Error}


def summary(report: Report) -> dict[str, Any]:
    return {"id": report.pk, "unit": report.unit.code, "unit_name": report.unit.name,
            "period": report.period.code, "template": report.template.code,
            "state": report.state, "version": report.version, "synthetic": report.synthetic,
            "submitted_at": report.submitted_at, "submitted_late": report.submitted_late,
            "accepted_at": report.accepted_at, "updated_at": report.updated_at}


def finding(f: Finding) -> dict[str, Any]:
    return f.as_dict(english=True)


@router.get("", response={200: Page[ReportSummary], **READ_ERRORS},
            summary="List the reports the caller may see")
def list_reports(request: HttpRequest, filters: Query[ReportQuery],
                 page: Query[PageQuery]) -> dict[str, Any]:
    reports = reports_for_user(user_of(request)).select_related("unit", "period", "template")
    if filters.unit:
        reports = reports.filter(unit__code=filters.unit)
    if filters.period:
        reports = reports.filter(period__code=period_code(*parse_period_code(filters.period)))
    if filters.state:
        reports = reports.filter(state=filters.state)
    if filters.template:
        reports = reports.filter(template__code=filters.template)
    return paginate(reports.order_by("-period__year", "-period__end", "unit__code", "id"),
                    page, summary)


@router.get("/{report_id}", response={200: ReportDetail, **READ_ERRORS},
            summary="A report: every row with its value, derived values, findings")
def get_report(request: HttpRequest, report_id: ReportId) -> dict[str, Any]:
    report = visible_report(request, report_id)
    evaluation = evaluate_report(report)
    table = report_table(report, evaluation)
    document = table.document
    return {
        **summary(report),
        "allowed_actions": allowed_actions(user_of(request), report),
        "document": ({"number": document.number, "date": document.date,
                      "issuer": document.issuer} if document else None),
        "rows": [{"code": r.code, "stt": r.stt, "section": r.section, "label": r.label,
                  "unit": r.unit, "kind": r.kind, "level": r.level, "value": r.value,
                  "derived": r.derived, "note": r.note} for r in table.rows()],
        "findings": [finding(f) for f in evaluation.findings],
    }


def _change(c: ValueChange) -> dict[str, Any]:
    return {"indicator": c.indicator.code, "old_value": c.old_value,
            "new_value": c.new_value, "old_note": c.old_note,
            "new_note": c.new_note, "changed_at": c.changed_at, "actor": c.actor,
            "source": c.source, "origin": c.origin, "version": c.version}


def event(e: ReportEvent) -> dict[str, Any]:
    return {"action": e.action, "old_state": e.old_state, "new_state": e.new_state,
            "detail": e.detail or {}, "happened_at": e.happened_at, "actor": e.actor,
            "source": e.source, "origin": e.origin}


@router.get("/{report_id}/changes", response={200: Page[ValueChangeOut], **READ_ERRORS},
            summary="The audit of value and note changes, newest first")
def list_changes(request: HttpRequest, report_id: ReportId,
                 page: Query[PageQuery]) -> dict[str, Any]:
    report = visible_report(request, report_id)
    changes = (ValueChange.objects.filter(report=report).select_related("indicator")
               .order_by("-changed_at", "-id"))
    return paginate(changes, page, _change)


@router.get("/{report_id}/events", response={200: Page[ReportEventOut], **READ_ERRORS},
            summary="The report's life: creation, document, submissions, returns, newest first")
def list_events(request: HttpRequest, report_id: ReportId,
                page: Query[PageQuery]) -> dict[str, Any]:
    report = visible_report(request, report_id)
    return paginate(ReportEvent.objects.filter(report=report).order_by("-happened_at", "-id"),
                    page, event)


def _state(report: Report) -> dict[str, Any]:
    return {"id": report.pk, "state": report.state, "version": report.version}


@router.post("/{report_id}/values", response={200: SetValuesOut, **WRITE_ERRORS},
             summary="Set one or many values: all or none")
def set_values(request: HttpRequest, report_id: ReportId, payload: SetValuesIn) -> dict[str, Any]:
    """Every value is read as the form reads it ("1.327", "32,5", "Có", or a JSON number;
    null is blank). One unreadable value refuses the whole request with 422, listing every
    offending field; nothing is stored. A stale `version` answers 409 naming what changed."""
    user = user_of(request)
    result = services.set_values(
        visible_reports(request), report_id, payload.values, version=payload.version,
        actor=actor_of(request), require=lambda report: require_role(user, Action.EDIT,
                                                                     report.unit))
    # The report read once, under its lock, as the write left it; its findings as evaluated by
    # the write (or, when nothing changed, from the rows it read).
    report = result.report
    assert report is not None  # do_set_values_in's result always names it
    evaluation = result.evaluation_now()
    return {"report": _state(report), **result.as_dict(),
            "findings": [finding(f) for f in evaluation.findings]}


def _transition(request: HttpRequest, report_id: int, action: Action, version: int,
                text: str = "") -> dict[str, Any]:
    report = visible_report(request, report_id)
    require_role(user_of(request), action, report.unit)
    happened = services.transition(report, Step(action.value), version=version,
                                   actor=actor_of(request), text=text)
    return {"report": _state(happened.report), "event": event(happened)}


@router.post("/{report_id}/submit", response={200: TransitionOut, **WRITE_ERRORS},
             summary="Submit (approver of the unit); warnings need an explanation")
def submit(request: HttpRequest, report_id: ReportId, payload: SubmitIn) -> dict[str, Any]:
    return _transition(request, report_id, Action.SUBMIT, payload.version, payload.explanation)


@router.post("/{report_id}/accept", response={200: TransitionOut, **WRITE_ERRORS},
             summary="Accept a submitted report (consolidator)")
def accept(request: HttpRequest, report_id: ReportId, payload: VersionIn) -> dict[str, Any]:
    return _transition(request, report_id, Action.ACCEPT, payload.version)


@router.post("/{report_id}/return", response={200: TransitionOut, **WRITE_ERRORS},
             summary="Return a submitted report to its unit, with a reason (consolidator)")
def return_(request: HttpRequest, report_id: ReportId, payload: ReasonIn) -> dict[str, Any]:
    return _transition(request, report_id, Action.RETURN, payload.version, payload.reason)


@router.post("/{report_id}/reopen", response={200: TransitionOut, **WRITE_ERRORS},
             summary="Reopen an accepted report, with a reason (consolidator)")
def reopen(request: HttpRequest, report_id: ReportId, payload: ReasonIn) -> dict[str, Any]:
    return _transition(request, report_id, Action.REOPEN, payload.version, payload.reason)
