"""A pivot of indicators against units (one period) or against periods (one unit's subtree).

- **× units**: each unit's own value (stored, or derived for a blank formula row), the units of the
  chosen kind below the asked unit that filed a report for the period.
- **× periods**: the consolidated total of the asked unit's subtree in each period.

Both can be cut to one section and one unit kind. Blank cells stay blank.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from parstat.catalog.models import Indicator, Template
from parstat.reporting.models import Period, Report
from parstat.units.models import OrgUnit

from .consolidation import Total, consolidate, scope_values, spread_text, units_own_values
from .scope import units_in_scope
from .states import StateScope

Cell = Decimal | str | None


@dataclass(frozen=True)
class Pivot:
    title: str
    columns: list[str]  # unit codes or period codes
    column_names: list[str]
    indicators: list[Indicator]
    cells: dict[tuple[str, str], Cell]  # (indicator code, column) → value

    def row(self, indicator: Indicator) -> list[Cell]:
        return [self.cells.get((indicator.code, column)) for column in self.columns]


def _indicators(template: Template, section: str | None) -> list[Indicator]:
    found = Indicator.objects.filter(template=template).select_related("section")
    if section:
        found = found.filter(section__numeral=section)
    return list(found.order_by("position"))


def pivot_by_unit(root: OrgUnit, period: Period, template: Template, *, states: StateScope,
                  section: str | None = None, unit_kind: str | None = None,
                  allowed: Iterable[int] | None = None) -> Pivot:
    scope = units_in_scope(root, allowed=allowed)
    reports = Report.objects.filter(period=period, template=template, unit_id__in=scope,
                                    state__in=states.states)
    if unit_kind:
        reports = reports.filter(unit__kind=unit_kind)
    units = sorted((r.unit for r in reports.select_related("unit")), key=lambda u: u.code)
    own, _mismatches = units_own_values(scope_values(period, template, {u.pk for u in units},
                                                     states), template)
    indicators = _indicators(template, section)
    cells = {(i.code, u.code): own.get(u.pk, {}).get(i.code) for i in indicators for u in units}
    return Pivot(title=f"{root.name} — {period.code}", columns=[u.code for u in units],
                 column_names=[u.name for u in units], indicators=indicators, cells=cells)


def _shown_total(total: Total) -> Cell:
    if total.blank:
        return None
    if total.counts:
        return "; ".join(f"{c.label}: {c.units}" for c in total.counts)
    if total.spread is not None:
        spread = total.spread
        return spread_text(spread.mean, spread.minimum, spread.maximum)
    if total.listed:
        return "; ".join(f"{t.unit_code}: {t.text}" for t in total.listed)
    return total.value


def pivot_by_period(root: OrgUnit, periods: list[Period], template: Template, *,
                    states: StateScope, section: str | None = None,
                    allowed: Iterable[int] | None = None) -> Pivot:
    indicators = _indicators(template, section)
    wanted = {i.code for i in indicators}
    cells: dict[tuple[str, str], Cell] = {}
    for period in periods:
        result = consolidate(root, period, states=states, template=template, allowed=allowed)
        for total in result.totals:
            if total.indicator.code in wanted:
                cells[(total.indicator.code, period.code)] = _shown_total(total)
    return Pivot(title=root.name, columns=[p.code for p in periods],
                 column_names=[p.code for p in periods], indicators=indicators, cells=cells)
