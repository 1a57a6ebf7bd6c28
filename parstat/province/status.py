"""What the province's page shows of its report: state, the steps the user may take, what its
approval froze and whether that still matches, and its history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parstat.accounts.models import Role
from parstat.accounts.permissions import roles_by_unit
from parstat.catalog.models import Template
from parstat.reporting.models import Period
from parstat.units.models import OrgUnit

from .models import ProvinceReport, ProvinceReportEvent, ProvinceSnapshot, ProvinceState
from .snapshot import Drift, drift, in_force
from .upward import upward_configured
from .workflow import ProvinceStep, level_roles, may_write, state_label, step_label, steps_for


@dataclass(frozen=True)
class ProvinceStatus:
    report: ProvinceReport | None  # None until the office first takes a step
    steps: list[ProvinceStep]  # what the user may do now
    snapshot: ProvinceSnapshot | None  # the approval in force
    drift: Drift | None  # how it differs from now (None without an approval in force)
    events: list[ProvinceReportEvent]
    upward: bool = False  # may the user post the sent package to the installation above?

    @property
    def editable(self) -> bool:
        return self.report is None or self.report.is_editable

    @property
    def state_label(self) -> str:
        return state_label(self.report)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """Each step the user may take (its value) with what its button says."""
        return [(step.value, step_label(step, self.report)) for step in self.steps]


def province_status(user: Any, root: OrgUnit, period: Period, template: Template
                    ) -> ProvinceStatus:
    report = (ProvinceReport.objects.filter(unit=root, period=period, template=template)
              .select_related("unit", "period", "template").first())
    if report is None:
        # Submitting opens it: the office sees that step before the report exists.
        steps = [ProvinceStep.SUBMIT] if may_write(user, root) else []
        return ProvinceStatus(None, steps, None, None, [])
    snapshot = in_force(report)
    return ProvinceStatus(
        report=report, steps=steps_for(user, report), snapshot=snapshot,
        drift=drift(snapshot) if snapshot else None,
        events=list(report.events.order_by("-happened_at", "-id")[:20]),
        upward=upward_configured() and may_write(user, root))


def province_editable(root: OrgUnit, period: Period) -> bool:
    """Is every province report of the unit for the period still a draft (or none opened)?"""
    return not ProvinceReport.objects.filter(unit=root, period=period).exclude(
        state=ProvinceState.DRAFT).exists()


@dataclass(frozen=True)
class ProvinceItem:
    report: ProvinceReport
    steps: list[ProvinceStep]  # what the user may do to it now

    @property
    def state_label(self) -> str:
        return state_label(self.report)


def province_reports_for(user: Any, limit: int = 10) -> list[ProvinceItem]:
    """The province reports of the units where the user is the office or holds an approval
    level's role, latest period first: a leader's home lists what waits for their level."""
    units = {unit_id for unit_id, roles in roles_by_unit(user).items()
             if roles & ({Role.CONSOLIDATOR} | level_roles())}
    reports = (ProvinceReport.objects.filter(unit_id__in=units)
               .select_related("unit", "period", "template").order_by("-period__end", "unit__code"))
    return [ProvinceItem(r, steps_for(user, r)) for r in reports[:limit]]

