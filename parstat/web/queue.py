"""The work queue of those who receive reports: the consolidator's and the administrator's home.

What waits for them, in the domain's own words: reports submitted and not yet accepted or
returned (``Action.ACCEPT`` is what a consolidator may take on them), the units expected for a
recent period whose report is not received (:mod:`parstat.analytics.expected`), and the reports
not yet accepted whose checks find an error (a submitted one cannot have any, since an error
blocks submission, so these are drafts to chase or reports a template change put in doubt).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from parstat.accounts.models import Role
from parstat.accounts.permissions import Action, can, is_administrator, roles_by_unit
from parstat.analytics.expected import expected_units, is_received, reports_that_count
from parstat.ids import id_list
from parstat.reporting.checks import finding_counts
from parstat.reporting.models import Period, Report, ReportState
from parstat.units.models import OrgUnit

OPEN_STATES = (ReportState.DRAFT, ReportState.SUBMITTED)


@dataclass(frozen=True)
class Missing:
    """A unit expected for a period whose report is not received (none yet, or a draft)."""

    unit: OrgUnit
    period: Period
    report: Report | None
    today: date

    @property
    def is_late(self) -> bool:
        return self.today > self.period.deadline


@dataclass(frozen=True)
class Flagged:
    report: Report
    errors: int


@dataclass(frozen=True)
class WorkQueue:
    waiting: list[Report]  # submitted, to be accepted or returned
    missing: list[Missing]
    flagged: list[Flagged]  # reports not yet accepted whose checks find errors
    decides: frozenset[int] = frozenset()  # the waiting reports the user may accept or return

    @property
    def may_decide(self) -> bool:
        """The user may accept or return some of what waits (an administrator only watches)."""
        return bool(self.decides)

    @property
    def late(self) -> list[Missing]:
        return [m for m in self.missing if m.is_late]


# Who watches the units below them: the office that consolidates, and viewers (a province's
# leaders, who read what their office receives without deciding on it).
WATCHING_ROLES = {Role.CONSOLIDATOR, Role.VIEWER}


def receives_reports(user: Any) -> bool:
    """Consolidators, viewers and administrators: their home is this queue rather than what is
    due."""
    if is_administrator(user):
        return True
    return any(WATCHING_ROLES & roles for roles in roles_by_unit(user).values())


def _covered_unit_ids(user: Any) -> set[int]:
    if is_administrator(user):
        return set(OrgUnit.objects.values_list("id", flat=True))
    return {unit_id for unit_id, roles in roles_by_unit(user).items() if WATCHING_ROLES & roles}


def queue_periods(today: date) -> list[Period]:
    """The periods whose missing reports matter now: the last one past its deadline (its
    missing units are late) and the next deadline among the periods whose window began."""
    begun = Period.objects.filter(start__lte=today)
    past = begun.filter(deadline__lt=today).order_by("-deadline", "-end").first()
    coming = begun.filter(deadline__gte=today).order_by("deadline", "end").first()
    return [p for p in (past, coming) if p is not None]


def work_queue(user: Any, *, today: date | None = None) -> WorkQueue:
    today = today or timezone.localdate()
    covered = _covered_unit_ids(user)
    waiting = list(Report.objects.filter(unit_id__in=id_list(covered), state=ReportState.SUBMITTED)
                   .select_related("unit", "period", "template")
                   .order_by("period__deadline", "submitted_at", "unit__code"))
    # Everyone watching sees what waits; the link offers the decision to those who may take it.
    decides = frozenset(() if is_administrator(user) else
                        (r.pk for r in waiting if can(user, Action.ACCEPT, r)))
    flagged = []
    # Counts stored with each report's last change: only a report with errors, or one filed
    # before counts were stored, is read (the queue does not grow with the clean reports).
    for report in (Report.objects.filter(unit_id__in=id_list(covered), state__in=OPEN_STATES)
                   .filter(Q(error_count__gt=0) | Q(error_count__isnull=True)
                           | Q(warning_count__isnull=True))
                   .select_related("unit", "period", "template")
                   .order_by("-period__end", "unit__code")):
        errors = finding_counts(report).errors
        if errors:
            flagged.append(Flagged(report, errors))
    missing: list[Missing] = []
    for period in queue_periods(today):
        units = expected_units(covered, period)
        counted = reports_that_count(units, period)
        missing.extend(Missing(unit, period, counted.get(unit.pk), today) for unit in units
                       if not is_received(counted.get(unit.pk)))
    return WorkQueue(waiting=waiting, missing=missing, flagged=flagged, decides=decides)
