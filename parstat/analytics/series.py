"""An indicator over periods, units ranked on it, and the change from the previous period.

Periods of different kinds overlap (the six-month window contains quarter I's), so a series and
a "previous period" compare like with like: the same kind of period in earlier years
(2024Q1 against 2023Q1). Totals are the consolidated ones (each indicator's own aggregation),
so a series of a province is the series of its consolidated table; a blank stays a gap.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from decimal import Decimal

from parstat.catalog.editions import edition_for, row_in
from parstat.catalog.models import Indicator, Template
from parstat.reporting.models import Period, Value
from parstat.units.models import OrgUnit

from .consolidation import Total, indicator_total
from .scope import units_in_scope
from .states import StateScope


@dataclass(frozen=True)
class Point:
    period: Period
    total: Total | None  # None where the row does not continue into the period's edition
    indicator: Indicator | None = None  # the row of the period's edition the total is of
    broken: str = ""  # why the series stops here: "split", "merged", "new", "meaning", "dropped"


@dataclass(frozen=True)
class Ranked:
    rank: int | None  # None for a unit with no value: listed last, never ranked as 0
    unit: OrgUnit
    value: Decimal | None
    previous: Decimal | None
    # Why there is no previous value to compare with although one may be stored: the row was
    # split, merged, new, re-meant or dropped between the two periods' editions ("" if not).
    previous_break: str = ""

    @property
    def change(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_percent(self) -> Decimal | None:
        if self.change is None or not self.previous:
            return None  # from 0 or from blank a percentage says nothing
        return (100 * self.change / self.previous).quantize(Decimal("0.1"))


def same_kind_periods(period: Period) -> list[Period]:
    return list(Period.objects.filter(kind=period.kind).order_by("year"))


def previous_period(period: Period) -> Period | None:
    return Period.objects.filter(kind=period.kind, year=period.year - 1).first()


def series(root: OrgUnit, indicator: Indicator, periods: Iterable[Period], *,
           states: StateScope, allowed: Iterable[int] | None = None,
           today: bool = False) -> list[Point]:
    """The indicator's total in each period, in the edition each period uses: a row kept or
    renamed across editions continues the series; a split, merged, new or re-meant row breaks
    it there (``Point.broken``) instead of joining unlike numbers."""
    scope = units_in_scope(root, today=today, allowed=allowed)
    points = []
    for period in periods:
        edition = edition_for(indicator.template.family, period.end) or indicator.template
        row = row_in(indicator, edition)
        if row.indicator is None:
            points.append(Point(period, None, None, row.reason))
            continue
        points.append(Point(period, indicator_total(root, period, row.indicator, scope, states),
                            row.indicator))
    return points


def rows_filed(indicator: Indicator, period: Period) -> tuple[list[Indicator], str]:
    """``indicator``'s rows in the editions of its table filed for ``period`` (through the
    editions' mapping), and why there is none when the chain breaks ("" when found)."""
    editions = list(Template.objects.filter(family=indicator.template.family,
                                            reports__period=period).distinct())
    if not editions:
        found = edition_for(indicator.template.family, period.end)
        editions = [found] if found else []
    rows, reason = [], ""
    for edition in editions:
        row = row_in(indicator, edition)
        if row.indicator is not None:
            rows.append(row.indicator)
        else:
            reason = reason or row.reason
    return rows, "" if rows else reason


def _own_values(rows: list[Indicator], period: Period, scope: AbstractSet[int], states: StateScope
                ) -> dict[int, Decimal]:
    found = (Value.objects.filter(indicator__in=rows, report__period=period,
                                 report__unit_id__in=scope, report__state__in=states.states,
                                 number__isnull=False)
            .values_list("report__unit_id", "number"))
    return {unit_id: n for unit_id, n in found if n is not None}


def ranking(root: OrgUnit, indicator: Indicator, period: Period, *, states: StateScope,
            allowed: Iterable[int] | None = None) -> list[Ranked]:
    """Units below ``root`` whose report in ``states`` is filed for the period, highest value
    first; blanks last. The previous period's value is taken in the same scope, from the row
    the indicator continues in that period's edition; a broken chain gives no previous value
    and says why (``previous_break``) rather than compare unlike numbers."""
    scope = units_in_scope(root, allowed=allowed)
    rows, _reason = rows_filed(indicator, period)
    now = _own_values(rows, period, scope, states)
    before_period = previous_period(period)
    before: dict[int, Decimal] = {}
    broken = ""
    if before_period is not None:
        old_rows, broken = rows_filed(rows[0] if rows else indicator, before_period)
        before = _own_values(old_rows, before_period, scope, states)
    units = OrgUnit.objects.in_bulk(
        set(now) | set(Value.objects.filter(report__period=period, report__unit_id__in=scope,
                                            report__state__in=states.states)
                       .values_list("report__unit_id", flat=True).distinct()))
    valued = sorted(now, key=lambda pk: (-now[pk], units[pk].code))
    out = [Ranked(rank, units[pk], now[pk], before.get(pk), broken) for rank, pk in
           enumerate(valued, start=1)]
    blank = sorted((pk for pk in units if pk not in now), key=lambda pk: units[pk].code)
    out.extend(Ranked(None, units[pk], None, before.get(pk), broken) for pk in blank)
    return out
