"""The life of a report: draft → submitted → accepted, or returned (back to draft) with a reason.

Each transition is one ``do_…`` function: it checks the state and the report's findings, changes
the state atomically and writes a ReportEvent. Who may call which is decided by
:mod:`parstat.accounts.permissions`; the edges (pages, API, CLI) ask there first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from parstat.errors import ParstatError
from parstat.reporting.actions import Actor, record_event
from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import Report, ReportState

ACTION_WORDS = {  # the verb in Vietnamese, as messages use it
    "submit": "gửi", "accept": "tiếp nhận", "return": "trả lại", "reopen": "mở lại",
}


def _lock(report: Report, action: str, allowed: ReportState) -> Report:
    locked = Report.objects.select_for_update().select_related("unit", "period").get(pk=report.pk)
    if locked.state != allowed:
        raise ParstatError("workflow.bad_state", action=ACTION_WORDS[action],
                           state=locked.get_state_display())
    return locked


def _move(report: Report, locked: Report, action: str, new_state: ReportState, actor: Actor,
          detail: dict[str, Any], **fields: Any) -> Report:
    old_state = locked.state
    Report.objects.filter(pk=locked.pk).update(state=new_state, version=locked.version + 1,
                                               updated_at=timezone.now(), **fields)
    report.refresh_from_db()
    record_event(report, action, actor, old_state=old_state, new_state=new_state, detail=detail)
    _keep_totals_current(report, old_state, new_state)
    return report


def _keep_totals_current(report: Report, old_state: str, new_state: str) -> None:
    """The live totals move the report's values from one state's parts to the other's."""
    from parstat.analytics.totals import after_state_changed  # analytics reads reporting

    after_state_changed(report, old_state, new_state)


def is_late(report: Report, when: datetime) -> bool:
    """Late when sent after the end of the deadline day, in the server's time zone."""
    return timezone.localdate(when) > report.period.deadline


@transaction.atomic
def do_submit_report(report: Report, *, acting_user: Actor, explanation: str = "",
                     at: datetime | None = None) -> Report:
    """Submit a draft. ``at`` records a past submission when history is loaded (default: now)."""
    locked = _lock(report, "submit", ReportState.DRAFT)
    evaluation = evaluate_report(locked)
    if evaluation.errors:
        raise ParstatError("workflow.has_errors", count=len(evaluation.errors),
                           rules=", ".join(f.rule for f in evaluation.errors))
    if evaluation.warnings and not explanation.strip():
        raise ParstatError("workflow.explain_warnings", count=len(evaluation.warnings),
                           rules=", ".join(f.rule for f in evaluation.warnings))
    now = at or timezone.now()
    late = is_late(locked, now)
    detail = {"late": late, "deadline": locked.period.deadline.isoformat(),
              "warnings": [f.rule for f in evaluation.warnings],
              "explanation": explanation.strip()}
    return _move(report, locked, "submitted", ReportState.SUBMITTED, acting_user, detail,
                 submitted_at=now, submitted_late=late)


@transaction.atomic
def do_accept_report(report: Report, *, acting_user: Actor, at: datetime | None = None) -> Report:
    locked = _lock(report, "accept", ReportState.SUBMITTED)
    return _move(report, locked, "accepted", ReportState.ACCEPTED, acting_user, {},
                 accepted_at=at or timezone.now())


def _reason(reason: str, action: str) -> str:
    if not reason.strip():
        raise ParstatError("workflow.reason_required", action=ACTION_WORDS[action])
    return reason.strip()


@transaction.atomic
def do_return_report(report: Report, *, reason: str, acting_user: Actor) -> Report:
    reason = _reason(reason, "return")
    locked = _lock(report, "return", ReportState.SUBMITTED)
    return _move(report, locked, "returned", ReportState.DRAFT, acting_user, {"reason": reason})


@transaction.atomic
def do_reopen_report(report: Report, *, reason: str, acting_user: Actor) -> Report:
    reason = _reason(reason, "reopen")
    locked = _lock(report, "reopen", ReportState.ACCEPTED)
    return _move(report, locked, "reopened", ReportState.DRAFT, acting_user, {"reason": reason},
                 accepted_at=None)


STEPS = {
    "submit": lambda report, actor, text: do_submit_report(report, acting_user=actor,
                                                           explanation=text),
    "accept": lambda report, actor, text: do_accept_report(report, acting_user=actor),
    "return": lambda report, actor, text: do_return_report(report, reason=text, acting_user=actor),
    "reopen": lambda report, actor, text: do_reopen_report(report, reason=text, acting_user=actor),
}


@transaction.atomic
def do_transition(report: Report, step: str, *, acting_user: Actor, text: str = "",
                  expected_version: int | None = None) -> Report:
    """One workflow step by name (the pages' and the API's single way in). ``text`` is the
    explanation of a submission or the reason to return or reopen; with ``expected_version``,
    a report that moved on since is refused (``report.stale``) instead of changed."""
    from parstat.reporting.actions import stale_error

    if step not in STEPS:
        raise ValueError(step)
    locked = Report.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and locked.version != expected_version:
        raise stale_error(locked, expected_version)
    return STEPS[step](locked, acting_user, text)
