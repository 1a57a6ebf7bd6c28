"""The life of a report: draft → submitted → accepted, or returned (back to draft) with a reason.

Each transition is one ``do_…`` function: it checks the state and the report's findings, changes
the state atomically and writes a ReportEvent, which it returns. Who may call which is decided by
:mod:`parstat.accounts.permissions`; the edges (pages, API, CLI) ask there first. :class:`Step`
is the one list of the steps, with the verb messages use and the label the pages show.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from parstat.errors import ParstatError
from parstat.reporting.actions import Actor, bump_version, lock_report, record_event
from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import EventAction, Report, ReportEvent, ReportState


class Step(StrEnum):
    """A workflow step, by the name the URLs, the API and the permission table use."""

    SUBMIT = "submit"
    ACCEPT = "accept"
    RETURN = "return"
    REOPEN = "reopen"

    @property
    def label(self) -> str:
        """The verb in the reader's language (pages)."""
        return gettext(STEP_VERBS[self])

    @property
    def done(self) -> str:
        """What the pages say once the step is taken, in the reader's language."""
        return str(STEP_DONE[self])

    @property
    def event(self) -> EventAction:
        return STEP_EVENTS[self]


STEP_VERBS = {Step.SUBMIT: gettext_noop("gửi"), Step.ACCEPT: gettext_noop("tiếp nhận"),
              Step.RETURN: gettext_noop("trả lại"), Step.REOPEN: gettext_noop("mở lại")}
STEP_DONE = {Step.SUBMIT: gettext_lazy("Đã gửi báo cáo."),
             Step.ACCEPT: gettext_lazy("Đã tiếp nhận báo cáo."),
             Step.RETURN: gettext_lazy("Đã trả lại báo cáo."),
             Step.REOPEN: gettext_lazy("Đã mở lại báo cáo.")}
STEP_EVENTS = {Step.SUBMIT: EventAction.SUBMITTED, Step.ACCEPT: EventAction.ACCEPTED,
               Step.RETURN: EventAction.RETURNED, Step.REOPEN: EventAction.REOPENED}


def lock_for_step(report: Report, step: Step, allowed: ReportState, *,
                  expected_version: int | None = None) -> Report:
    """The report's row locked (``lock_report``), refused with ``workflow.bad_state`` unless it
    is in the state ``step`` starts from: the one lock-and-check of every workflow step."""
    locked = lock_report(report, expected_version=expected_version)
    if locked.state != allowed:
        raise ParstatError("workflow.bad_state", action=step.value,
                           state=locked.state)
    return locked


def _move(report: Report, locked: Report, step: Step, new_state: ReportState, actor: Actor,
          detail: dict[str, Any], **fields: Any) -> ReportEvent:
    old_state = locked.state
    bump_version(report, locked, state=new_state, **fields)
    event = record_event(report, step.event, actor, old_state=old_state, new_state=new_state,
                         detail=detail)
    _keep_totals_current(report, old_state, new_state)
    return event


def _keep_totals_current(report: Report, old_state: str, new_state: str) -> None:
    """The live totals move the report's values from one state's parts to the other's."""
    from parstat.analytics.totals import after_state_changed  # analytics reads reporting

    after_state_changed(report, old_state, new_state)


def is_late(report: Report, when: datetime) -> bool:
    """Late when sent after the end of the deadline day, in the server's time zone."""
    return timezone.localdate(when) > report.period.deadline


@transaction.atomic
def do_submit_report(report: Report, *, acting_user: Actor, explanation: str = "",
                     at: datetime | None = None) -> ReportEvent:
    """Submit a draft. ``at`` records a past submission when history is loaded (default: now)."""
    locked = lock_for_step(report, Step.SUBMIT, ReportState.DRAFT)
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
    return _move(report, locked, Step.SUBMIT, ReportState.SUBMITTED, acting_user, detail,
                 submitted_at=now, submitted_late=late)


@transaction.atomic
def do_accept_report(report: Report, *, acting_user: Actor,
                     at: datetime | None = None) -> ReportEvent:
    locked = lock_for_step(report, Step.ACCEPT, ReportState.SUBMITTED)
    return _move(report, locked, Step.ACCEPT, ReportState.ACCEPTED, acting_user, {},
                 accepted_at=at or timezone.now())


def _reason(reason: str, step: Step) -> str:
    if not reason.strip():
        raise ParstatError("workflow.reason_required", action=step.value)
    return reason.strip()


@transaction.atomic
def do_return_report(report: Report, *, reason: str, acting_user: Actor) -> ReportEvent:
    reason = _reason(reason, Step.RETURN)
    locked = lock_for_step(report, Step.RETURN, ReportState.SUBMITTED)
    return _move(report, locked, Step.RETURN, ReportState.DRAFT, acting_user, {"reason": reason})


@transaction.atomic
def do_reopen_report(report: Report, *, reason: str, acting_user: Actor) -> ReportEvent:
    reason = _reason(reason, Step.REOPEN)
    locked = lock_for_step(report, Step.REOPEN, ReportState.ACCEPTED)
    return _move(report, locked, Step.REOPEN, ReportState.DRAFT, acting_user, {"reason": reason},
                 accepted_at=None)


STEPS: dict[Step, Callable[[Report, Actor, str], ReportEvent]] = {
    Step.SUBMIT: lambda report, actor, text: do_submit_report(report, acting_user=actor,
                                                              explanation=text),
    Step.ACCEPT: lambda report, actor, text: do_accept_report(report, acting_user=actor),
    Step.RETURN: lambda report, actor, text: do_return_report(report, reason=text,
                                                              acting_user=actor),
    Step.REOPEN: lambda report, actor, text: do_reopen_report(report, reason=text,
                                                              acting_user=actor),
}


@transaction.atomic
def do_transition(report: Report, step: Step | str, *, acting_user: Actor, text: str = "",
                  expected_version: int | None = None) -> ReportEvent:
    """One workflow step by name (the pages' and the API's single way in). ``text`` is the
    explanation of a submission or the reason to return or reopen; with ``expected_version``,
    a report that moved on since is refused (``report.stale``) instead of changed. The event's
    ``report`` is ``report``, as it now is."""
    step = Step(step)  # ValueError for a name that is not a step
    lock_report(report, expected_version=expected_version)
    return STEPS[step](report, acting_user, text)
