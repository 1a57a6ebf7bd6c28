"""A consolidation laid out as a :class:`ReportTable`, so every writer prints it like a unit's table.

The totals come from :func:`parstat.analytics.consolidation.consolidate`; here they only take the
official table's shape (sections, printed STT, unit of measure) with the consolidated extras:
``units`` per row, the choice counts, the listed texts and, on request, one column per unit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from parstat.analytics.consolidation import Consolidation, Total, consolidate
from parstat.analytics.states import StateScope
from parstat.catalog.models import Section, Template
from parstat.errors import ParstatError
from parstat.exports.table import LeftOutReport, ReportTable, TableRow, TableSection, UnitColumn
from parstat.reporting.periods import find_period
from parstat.units.models import OrgUnit

CONSOLIDATED_STATE = "consolidated"


def find_unit(code: str, allowed: Iterable[int] | None = None) -> OrgUnit:
    unit = OrgUnit.objects.filter(code=code).first()
    # A unit the user may not see is reported as unknown, so its existence does not leak.
    if unit is None or (allowed is not None and unit.pk not in set(allowed)):
        raise ParstatError("unit.not_found", code=code)
    return unit


def consolidated_table(result: Consolidation, *, listed: int | None = None) -> ReportTable:
    """``listed``: how many units' texts each list row carries, and how many left-out reports
    the table names (a page's first few; None: all, as every document and download prints
    them). ``TableRow.units`` and ``ReportTable.left_out_count`` say how many there are."""
    columns = tuple(UnitColumn(code=u.code, name=u.name,
                               today_code=result.successors[u.pk].code
                               if u.pk in result.successors else "")
                    for u in result.reporting_units) if result.by_unit is not None else ()
    own = result.by_unit or {}
    sections = list(Section.objects.filter(template=result.template).order_by("position"))
    numerals = {s.pk: s.numeral for s in sections}
    rows: dict[int, list[TableRow]] = {}
    for total in result.totals:
        indicator = total.indicator
        by_unit: tuple[Decimal | str | None, ...] = ()
        if result.by_unit is not None:
            by_unit = tuple(own.get(u.pk, {}).get(indicator.code)
                            for u in result.reporting_units)
        rows.setdefault(indicator.section_id, []).append(TableRow(
            code=indicator.code, stt=indicator.stt, section=numerals[indicator.section_id],
            label=indicator.label, unit=indicator.unit, kind=indicator.kind, level=indicator.level,
            value=total.value, derived=indicator.aggregation == "formula" and total.value is not None,
            aggregation=indicator.aggregation, units=total.units,
            not_applicable=total.not_applicable,
            counts=tuple((c.value, c.label, c.units) for c in total.counts),
            listed=tuple((t.unit_code, t.text) for t in (
                total.listed if listed is None else total.first_listed(listed))),
            by_unit=by_unit,
            spread=_spread(total)))
    template = result.template
    return ReportTable(
        template_code=template.code, template_name=template.name, appendix=template.appendix,
        title=template.title, unit_code=result.root.code, unit_name=result.root.name,
        unit_kind=result.root.kind, period_code=result.period.code,
        period_start=result.period.start, period_end=result.period.end,
        deadline=result.period.deadline, state=CONSOLIDATED_STATE, document=None,
        sections=[TableSection(numeral=s.numeral, label=s.label, rows=rows.get(s.pk, []))
                  for s in sections],
        synthetic=result.root.synthetic or result.synthetic_units,
        consolidated=True, today_structure=result.today, units_in_scope=result.scope_size,
        units_reporting=result.reporting, unit_columns=columns,
        scope=result.states.value, scope_label=result.states.label_vi,
        provisional=result.states.provisional,
        left_out=tuple(LeftOutReport(o.unit.code, o.unit.name, o.state) for o in (
            result.left_out if listed is None else result.first_left_out(listed))),
        left_out_count=result.left_out_count,
        units_expected=result.expected, units_received=result.received,
        findings=[replace(f, message=f"{u.code}: {f.message}", where=u.code)
                  for u in (result.reporting_units if result.formula_mismatches else ())
                  for f in result.formula_mismatches.get(u.pk, [])])


def _spread(total: Total) -> tuple[Decimal, Decimal, Decimal] | None:
    spread = total.spread
    return None if spread is None else (spread.mean, spread.minimum, spread.maximum)


def build_consolidated(unit_code: str, period_code: str, *, states: StateScope,
                       template_code: str | None = None, today: bool = False,
                       by_unit: bool = False, allowed: Iterable[int] | None = None
                       ) -> ReportTable:
    """The consolidated table the CLI, the pages and the API all export."""
    allowed = set(allowed) if allowed is not None else None
    root = find_unit(unit_code, allowed)
    period = find_period(period_code)
    template = None
    if template_code:
        template = Template.objects.filter(code=template_code).first()
        if template is None:
            raise ParstatError("template.not_found", code=template_code)
    return consolidated_table(consolidate(root, period, states=states, template=template,
                                          today=today, by_unit=by_unit, allowed=allowed))
