"""The national view of the received province packages: each province in force for a period,
and its totals side by side with the national sum where a row adds up.

A row adds up when its total is a count of things or of units (aggregation ``sum`` of a count,
or ``count_ones``): the national sum is the sum of the provinces that gave a number, and covers
their units only. A province that left the row blank shows blank and is counted neither in the
sum nor in the units covered; when every province left it blank the national cell is blank,
never 0. A choice row (aggregation ``choice_counts``) adds up option by option: each option's
units summed over the provinces that answered the row (a province's total covering at least one
unit), with how many provinces answered; a province that did not answer it, or whose package has
no such row, is not counted as zero, and a row no province answered is blank. Rates, formulas and
texts are not added (each province's value is shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from parstat.catalog.models import Aggregation, Indicator, Kind, Template

from .models import ReceivedPackage

ADDS_UP = {Aggregation.SUM, Aggregation.COUNT_ONES}


def in_force_queryset(period_code: str) -> QuerySet[ReceivedPackage]:
    """The packages in force for a period (the newest version of each province's report)."""
    return (ReceivedPackage.objects.filter(period_code=period_code, superseded_at__isnull=True)
            .select_related("template").order_by("template__code", "province_code"))


def received_in_force(period_code: str) -> list[ReceivedPackage]:
    return list(in_force_queryset(period_code))


def adds_up(indicator: Indicator) -> bool:
    return indicator.aggregation in ADDS_UP and indicator.kind in (Kind.COUNT, Kind.FLAG)


def counts_choices(indicator: Indicator) -> bool:
    return indicator.aggregation == Aggregation.CHOICE_COUNTS


@dataclass(frozen=True)
class OptionCount:
    """One printed option of a choice row and how many units picked it."""

    value: str  # the stored code, as the package's ``counts`` keys it
    label: str
    units: int


@dataclass(frozen=True)
class Cell:
    value: Decimal | None  # None: blank
    units: int
    options: tuple[OptionCount, ...] = ()  # a choice row the province answered, option by option

    @property
    def answered(self) -> bool:
        return bool(self.options) or self.value is not None


def options_of(indicator: Indicator, counts: dict[str, int]) -> tuple[OptionCount, ...]:
    """Every printed option with its count (an option nobody picked is a real 0)."""
    return tuple(OptionCount(str(c["value"]), str(c["label"]), int(counts.get(str(c["value"]), 0)))
                 for c in indicator.choices)


def received_cell(indicator: Indicator, number: Decimal | None, units: int,
                  counts: dict[str, int]) -> Cell:
    if counts_choices(indicator):
        # Answered when its total covers a unit; otherwise blank, not a row of zeros.
        return Cell(None, units, options_of(indicator, counts) if units else ())
    return Cell(number, units)


@dataclass(frozen=True)
class NationalRow:
    indicator: Indicator
    cells: list[Cell | None]  # one per province; None: the package has no such row
    total: Cell | None  # the national sum (None when the row does not add up)
    answered: int  # provinces that gave a number (a choice row: that answered it)


@dataclass(frozen=True)
class NationalTable:
    template: Template
    packages: list[ReceivedPackage]
    rows: list[NationalRow]


def national_tables(period_code: str) -> list[NationalTable]:
    packages = received_in_force(period_code)
    tables = []
    for template in dict.fromkeys(p.template for p in packages):
        mine = [p for p in packages if p.template == template]
        indicators = list(template.indicators.order_by("position"))
        by_pk = {i.pk: i for i in indicators}
        values: dict[tuple[int, int], Cell] = {
            (t.package_id, t.indicator_id): received_cell(by_pk[t.indicator_id], t.number,
                                                          t.units, t.counts or {})
            for p in mine for t in p.totals.all() if t.indicator_id in by_pk}
        rows = []
        for indicator in indicators:
            cells = [values.get((p.pk, indicator.pk)) for p in mine]
            given = [c for c in cells if c is not None and c.answered]
            total = None
            if adds_up(indicator):
                total = Cell(sum((c.value for c in given if c.value is not None), Decimal(0))
                             if given else None, sum(c.units for c in given))
            elif counts_choices(indicator):
                summed = [OptionCount(o.value, o.label, sum(c.options[at].units for c in given))
                          for at, o in enumerate(options_of(indicator, {}))]
                total = Cell(None, sum(c.units for c in given), tuple(summed) if given else ())
            rows.append(NationalRow(indicator, cells, total, len(given)))
        tables.append(NationalTable(template, mine, rows))
    return tables
