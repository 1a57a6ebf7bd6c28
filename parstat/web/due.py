"""What is due for a person: the DHIS2 users' wish, one view of what, by when, in what state."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from parstat.accounts.models import Role
from parstat.accounts.permissions import roles_by_unit
from parstat.analytics.expected import lived_during, owes
from parstat.reporting.models import EventAction, Period, Report, ReportEvent, ReportState
from parstat.units.models import OrgUnit

OWN_ROLES = {Role.REPORTER, Role.APPROVER}
WORKFLOW_ACTIONS = (EventAction.SUBMITTED, EventAction.ACCEPTED, EventAction.RETURNED,
                    EventAction.REOPENED)
SENT_BACK = (EventAction.RETURNED, EventAction.REOPENED)


@dataclass(frozen=True)
class SentBack:
    """Why a draft is a draft again: the consolidator's return (or reopening) and its reason."""

    action: str  # "returned" | "reopened"
    reason: str
    actor: str
    at: datetime


def sent_back(reports: Iterable[Report]) -> dict[int, SentBack]:
    """report id → why it was sent back, for each draft whose latest workflow step returned or
    reopened it (a report sent again since is not listed)."""
    drafts = [r.pk for r in reports if r.state == ReportState.DRAFT]
    latest: dict[int, ReportEvent] = {}
    for event in (ReportEvent.objects.filter(report_id__in=drafts, action__in=WORKFLOW_ACTIONS)
                  .order_by("id")):
        latest[event.report_id] = event
    return {pk: _sent_back(e) for pk, e in latest.items() if e.action in SENT_BACK}


def _sent_back(event: ReportEvent) -> SentBack:
    return SentBack(action=event.action, reason=str((event.detail or {}).get("reason", "")),
                    actor=event.actor, at=event.happened_at)


@dataclass(frozen=True)
class Explanation:
    """What the submitter wrote at the submission in force ("giải trình cảnh báo"), the warnings
    (rule codes) the report had when it was sent, who sent it and when."""

    text: str
    rules: tuple[str, ...]
    actor: str
    at: datetime


@dataclass(frozen=True)
class WorkflowNotes:
    """What a report's page says of its workflow beside the state: why a draft was sent back,
    or the explanation of the submission a sent or accepted report stands on."""

    sent_back: SentBack | None = None
    explanation: Explanation | None = None


def workflow_notes(report: Report, events: Iterable[ReportEvent] | None = None) -> WorkflowNotes:
    """The report's :class:`WorkflowNotes`, from its workflow events read in one query, or from
    ``events`` (the report's events, oldest first) when the caller read them already."""
    if events is None:
        events = ReportEvent.objects.filter(report=report, action__in=WORKFLOW_ACTIONS)
    events = sorted((e for e in events if e.action in WORKFLOW_ACTIONS), key=lambda e: e.pk)
    if not events:
        return WorkflowNotes()
    if report.state == ReportState.DRAFT:
        latest = events[-1]
        return WorkflowNotes(sent_back=_sent_back(latest) if latest.action in SENT_BACK else None)
    submitted = [e for e in events if e.action == EventAction.SUBMITTED]
    if not submitted:
        return WorkflowNotes()
    detail = submitted[-1].detail or {}
    text = str(detail.get("explanation") or "").strip()
    if not text:
        return WorkflowNotes()
    return WorkflowNotes(explanation=Explanation(
        text=text, rules=tuple(str(r) for r in detail.get("warnings") or ()),
        actor=submitted[-1].actor,
        # When it was sent (a submission loaded from history is recorded later than it was sent).
        at=report.submitted_at or submitted[-1].happened_at))


@dataclass(frozen=True)
class DueItem:
    unit: OrgUnit
    period: Period
    report: Report | None
    today: date
    sent_back: SentBack | None = None

    @property
    def state(self) -> str:
        return str(self.report.get_state_display()) if self.report else _("Chưa lập")

    @property
    def is_done(self) -> bool:
        return self.report is not None and self.report.state != ReportState.DRAFT

    @property
    def is_late(self) -> bool:
        if self.report is not None and self.report.submitted_at:
            return self.report.submitted_late
        return self.today > self.period.deadline

    @property
    def days_left(self) -> int:
        return (self.period.deadline - self.today).days


def due_for(user: Any, *, today: date | None = None, recent_done: int = 4) -> list[DueItem]:
    """For each unit the user reports for, every period of its life whose window began and whose
    report is not done (not yet made, or a draft), however old, and the ``recent_done`` latest
    done ones (submitted or accepted) for context. Undone first, by deadline."""
    today = today or timezone.localdate()
    own = [unit_id for unit_id, roles in roles_by_unit(user).items() if roles & OWN_ROLES]
    units = OrgUnit.objects.filter(id__in=own).order_by("code")
    begun = list(Period.objects.filter(start__lte=today).order_by("-end"))
    reports = {(r.unit_id, r.period_id): r for r in Report.objects.filter(unit__in=units)}
    why = sent_back(reports.values())
    # A unit owes a period when it owes a table and existed at some point of the period's window
    # (analytics/expected.py's rule): one that closed (merged in 2025) still owes the periods it
    # lived in, even partly. Whether it owes a table does not depend on the period: asked once,
    # so the page reads the same number of queries however many periods have begun. An expected
    # unit always has a table for the period (template_for: a family it owes has an edition, the
    # first one before any applies), so none is looked up here.
    with_table = set(units.filter(owes(None)).values_list("id", flat=True))
    items = []
    for unit in units:
        if unit.pk not in with_table:
            continue
        done_shown = 0
        for period in (p for p in begun if lived_during(unit, p)):  # newest first
            report = reports.get((unit.pk, period.pk))
            item = DueItem(unit, period, report, today, why.get(report.pk) if report else None)
            if item.is_done:
                if done_shown >= recent_done:
                    continue
                done_shown += 1
            items.append(item)
    return sorted(items, key=lambda i: (i.is_done, i.period.deadline, i.unit.code))


@dataclass(frozen=True)
class ClosedUnit:
    """A unit of the user's that no longer exists (merged), its successor and its last reports."""

    unit: OrgUnit
    successor: OrgUnit | None
    recent: list[Report]

    @property
    def successor_today(self) -> OrgUnit | None:
        """Where the successor chain ends, when the successor itself merged on (2025)."""
        today = self.unit.current_successor()
        return today if self.successor is not None and today.pk != self.successor.pk else None


def closed_units(user: Any, *, today: date | None = None, recent: int = 12) -> list[ClosedUnit]:
    """The units the user reports for that closed before ``today``, newest reports first.

    A closed unit's history is finite (it files nothing after its life), so ``recent`` is about
    three years of periods: enough to keep its older filed reports (the seed's 2023 report) in
    view beside the drafts opened since."""
    today = today or timezone.localdate()
    own = [unit_id for unit_id, roles in roles_by_unit(user).items() if roles & OWN_ROLES]
    closed = (OrgUnit.objects.filter(id__in=own, valid_to__lt=today)
              .select_related("successor").order_by("code"))
    return [ClosedUnit(unit, unit.successor,
                       list(Report.objects.filter(unit=unit).select_related("period", "template")
                            .order_by("-period__end", "-template__edition")[:recent]))
            for unit in closed]
