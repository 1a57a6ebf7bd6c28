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

from parstat.ids import id_list
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
    """Counted from plain rows (each unit's kind and parent, its report's state); unit and report
    instances are read only for the units listed, the missing and the late ones."""
    rows = expected_mod.expected_rows(units_in_scope(root, allowed=allowed), period)
    states = expected_mod.counted_states((row.id for row in rows), period)
    parents = OrgUnit.objects.in_bulk({row.parent_id for row in rows if row.parent_id is not None})
    result = Completeness(root=root, period=period, total=Tally(), by_kind={}, by_parent={},
                          missing=[], late=[])
    missing: list[int] = []
    late: list[int] = []
    for unit_id, kind, parent_id, _ in rows:
        parent = parents.get(parent_id) if parent_id is not None else None
        parent_code = parent.code if parent else ""
        if parent:
            result.parents[parent_code] = parent
        tallies = (result.total, result.by_kind.setdefault(kind, Tally()),
                   result.by_parent.setdefault(parent_code, Tally()))
        report_id, state, submitted_late = states.get(unit_id, (None, "", False))
        received = expected_mod.state_is_received(state)
        is_late = expected_mod.state_is_late(state, submitted_late)
        for tally in tallies:
            tally.expected += 1
            if not received:
                tally.missing += 1
            elif is_late:
                tally.late += 1
            else:
                tally.on_time += 1
            tally.received += received
        if not received:
            missing.append(unit_id)
        elif is_late and report_id is not None:
            late.append(report_id)
    units = {u.pk: u for u in OrgUnit.objects.select_related("parent").filter(
        id__in=id_list(missing))}
    drafts = {r.unit_id: r for r in Report.objects.filter(pk__in=id_list(
        states[u][0] for u in missing if u in states)).defer("findings")}
    result.missing = [MissingReport(units[u], units[u].parent, drafts.get(u)) for u in missing]
    reports = {r.pk: r for r in Report.objects.select_related("unit").defer("findings").filter(
        pk__in=id_list(late))}
    result.late = [reports[pk] for pk in late]
    return result
