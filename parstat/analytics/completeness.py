"""Completeness and timeliness of a period's reports.

Who is expected, which report counts as received and which was on time is decided in one place,
:mod:`parstat.analytics.expected`; a draft in progress (or a returned report, back in draft) is
still missing, shown as such.

Counts are given in total, per unit kind and per parent unit, with the missing units' contacts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from parstat.reporting.models import Period, Report
from parstat.units.models import OrgUnit

from . import expected as expected_mod
from .scope import units_in_scope


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


def expected_units(root: OrgUnit, period: Period, *, allowed: Iterable[int] | None = None
                   ) -> list[OrgUnit]:
    return expected_mod.expected_units(units_in_scope(root, allowed=allowed), period)


def completeness(root: OrgUnit, period: Period, *, allowed: Iterable[int] | None = None
                 ) -> Completeness:
    units = expected_units(root, period, allowed=allowed)
    reports = expected_mod.reports_that_count(units, period)
    result = Completeness(root=root, period=period, total=Tally(), by_kind={}, by_parent={},
                          missing=[], late=[])
    for unit in units:
        parent_code = unit.parent.code if unit.parent else ""
        if unit.parent:
            result.parents[parent_code] = unit.parent
        tallies = (result.total, result.by_kind.setdefault(unit.kind, Tally()),
                   result.by_parent.setdefault(parent_code, Tally()))
        report = reports.get(unit.pk)
        received, late = expected_mod.is_received(report), expected_mod.is_late(report)
        for tally in tallies:
            tally.expected += 1
            if not received:
                tally.missing += 1
            elif late:
                tally.late += 1
            else:
                tally.on_time += 1
            tally.received += received
        if not received:
            result.missing.append(MissingReport(unit, unit.parent, report))
        elif late and report is not None:
            result.late.append(report)
    return result
