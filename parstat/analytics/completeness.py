"""Completeness and timeliness of a period's reports.

- **Expected**: units below the asked unit that existed at some point of the period's data window
  (``valid_from`` ≤ window end and ``valid_to`` ≥ window start, blanks meaning open) and whose kind
  has a template (``Template.unit_kinds``). A unit closed before the window or opened after it is
  not expected; one that closed during it still owes its report.
- **Received**: an expected unit's report that was submitted (state submitted or accepted).
- **On time / late**: as recorded at the (latest) submission against the period's deadline.
- **Missing**: expected and not received; a draft in progress is still missing, shown as such.

Counts are given in total, per unit kind and per parent unit, with the missing units' contacts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from parstat.catalog.models import Template
from parstat.reporting.models import Period, Report, ReportState
from parstat.units.models import OrgUnit

from .scope import units_in_scope

RECEIVED_STATES = (ReportState.SUBMITTED, ReportState.ACCEPTED)


@dataclass
class Tally:
    expected: int = 0
    received: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0

    @property
    def rate(self) -> float | None:
        """Share received, in percent; None when nothing was expected (not 0 %)."""
        return round(100 * self.received / self.expected, 1) if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return round(100 * self.on_time / self.expected, 1) if self.expected else None


@dataclass(frozen=True)
class MissingReport:
    unit: OrgUnit
    parent: OrgUnit | None
    draft: Report | None  # a report begun but not submitted


@dataclass
class Completeness:
    root: OrgUnit
    period: Period
    total: Tally
    by_kind: dict[str, Tally]
    by_parent: dict[str, Tally]  # parent unit code → tally
    missing: list[MissingReport]
    late: list[Report]
    parents: dict[str, OrgUnit] = field(default_factory=dict)

    def overdue(self, today: date) -> bool:
        return today > self.period.deadline


def kinds_with_template() -> set[str]:
    return {kind for kinds in Template.objects.values_list("unit_kinds", flat=True) for kind in kinds}


def expected_units(root: OrgUnit, period: Period, *, allowed: Iterable[int] | None = None
                   ) -> list[OrgUnit]:
    scope = units_in_scope(root, allowed=allowed)
    alive = (Q(valid_from__isnull=True) | Q(valid_from__lte=period.end)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
    return list(OrgUnit.objects.filter(alive, id__in=scope, kind__in=kinds_with_template())
                .select_related("parent").order_by("code"))


def completeness(root: OrgUnit, period: Period, *, allowed: Iterable[int] | None = None
                 ) -> Completeness:
    units = expected_units(root, period, allowed=allowed)
    reports: dict[int, Report] = {}
    for filed in (Report.objects.filter(period=period, unit__in=units)
                  .select_related("unit", "template").order_by("template__edition")):
        reports[filed.unit_id] = filed  # the newest edition wins when a unit has two
    result = Completeness(root=root, period=period, total=Tally(), by_kind={}, by_parent={},
                          missing=[], late=[])
    for unit in units:
        parent_code = unit.parent.code if unit.parent else ""
        if unit.parent:
            result.parents[parent_code] = unit.parent
        tallies = (result.total, result.by_kind.setdefault(unit.kind, Tally()),
                   result.by_parent.setdefault(parent_code, Tally()))
        report = reports.get(unit.pk)
        received = report is not None and report.state in RECEIVED_STATES
        for tally in tallies:
            tally.expected += 1
            if not received:
                tally.missing += 1
            elif report is not None and report.submitted_late:
                tally.late += 1
            else:
                tally.on_time += 1
            tally.received += received
        if not received:
            result.missing.append(MissingReport(unit, unit.parent, report))
        elif report is not None and report.submitted_late:
            result.late.append(report)
    return result
