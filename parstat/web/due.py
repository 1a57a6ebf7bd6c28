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
from parstat.catalog.editions import template_for
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
    return {pk: SentBack(action=e.action, reason=str((e.detail or {}).get("reason", "")),
                         actor=e.actor, at=e.happened_at)
            for pk, e in latest.items() if e.action in SENT_BACK}


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


def due_for(user: Any, *, today: date | None = None, periods: int = 4) -> list[DueItem]:
    """For each unit the user reports for, the latest periods of its life whose window began."""
    today = today or timezone.localdate()
    own = [unit_id for unit_id, roles in roles_by_unit(user).items() if roles & OWN_ROLES]
    units = OrgUnit.objects.filter(id__in=own).order_by("code")
    begun = list(Period.objects.filter(start__lte=today).order_by("-end"))
    reports = {(r.unit_id, r.period_id): r for r in Report.objects.filter(unit__in=units)}
    why = sent_back(reports.values())
    items = []
    for unit in units:
        # A unit that closed (merged in 2025) still owes the periods it lived in.
        lived = [p for p in begun if unit.is_valid_on(p.start) or unit.is_valid_on(p.end)]
        for period in lived[:periods]:
            report = reports.get((unit.pk, period.pk))
            if report is None and template_for(unit, period) is None:
                continue  # no table for this unit in this period: nothing is owed
            items.append(DueItem(unit, period, report, today,
                                 why.get(report.pk) if report else None))
    return sorted(items, key=lambda i: (i.is_done, i.period.deadline, i.unit.code))
