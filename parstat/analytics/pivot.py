"""A pivot of indicators against units (one period) or against periods (one unit's subtree).

- **× units**: each unit's own value (stored, or derived for a blank formula row), the units of the
  chosen kind below the asked unit that filed a report for the period.
- **× periods**: the consolidated total of the asked unit's subtree in each period, in the
  edition each period uses: a row kept or renamed across editions continues; a split, merged, new
  or dropped row shows the break (``Pivot.breaks``) instead of joining unlike numbers.

Both can be cut to one section and one unit kind. Blank cells stay blank.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from parstat.catalog.editions import Lineage, break_label, edition_for, row_in
from parstat.catalog.models import Indicator, Template
from parstat.reporting.models import Period, Report
from parstat.units.models import OrgUnit

from .consolidation import Total, consolidate, scope_values, spread_said, units_own_values
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
    # (indicator code, period) → why the row does not continue into that period's edition
    breaks: dict[tuple[str, str], str] = field(default_factory=dict)

    def row(self, indicator: Indicator) -> list[Cell]:
        """The row's cells; a break of the series is a blank here (machines), see ``shown``."""
        return [self.cells.get((indicator.code, column)) for column in self.columns]

    def shown(self, indicator: Indicator) -> list[Cell]:
        """The row's cells for people: a break of the series says so, in words."""
        return [self.cells.get((indicator.code, column))
                if (indicator.code, column) not in self.breaks
                else "‖ " + break_label(self.breaks[(indicator.code, column)])
                for column in self.columns]


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
        return spread_said(spread.mean, spread.minimum, spread.maximum)
    if total.listed:
        return "; ".join(f"{t.unit_code}: {t.text}" for t in total.listed)
    return total.value


def pivot_by_period(root: OrgUnit, periods: list[Period], template: Template, *,
                    states: StateScope, section: str | None = None,
                    allowed: Iterable[int] | None = None) -> Pivot:
    """``template``'s rows (of the chosen edition) in each period, followed through the editions'
    mapping into the edition each period uses."""
    indicators = _indicators(template, section)
    cells: dict[tuple[str, str], Cell] = {}
    breaks: dict[tuple[str, str], str] = {}
    lineage = Lineage(template.family)
    for period in periods:
        edition = edition_for(template.family, period.end) or template
        result = consolidate(root, period, states=states, template=edition, allowed=allowed)
        totals = {total.indicator.pk: total for total in result.totals}
        for indicator in indicators:
            row = row_in(indicator, edition, lineage)
            if row.indicator is None:
                breaks[(indicator.code, period.code)] = row.reason
            elif row.indicator.pk in totals:
                cells[(indicator.code, period.code)] = _shown_total(totals[row.indicator.pk])
    return Pivot(title=root.name, columns=[p.code for p in periods],
                 column_names=[p.code for p in periods], indicators=indicators, cells=cells,
                 breaks=breaks)
