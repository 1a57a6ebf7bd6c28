"""A report laid out as the official table: the one shape every exporter writes from.

Built by :func:`parstat.exports.build.report_table` from the database; writers (json, csv, xlsx,
and later docx/pdf) only read it, so every format says the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from parstat.analytics.consolidation import nobody_answered
from parstat.rules.findings import Finding


@dataclass(frozen=True)
class TableRow:
    code: str  # stable code, e.g. "VII.5.b.2"
    stt: str  # printed row number of the official table ("1", "" for sub-items)
    section: str  # roman numeral of its section, e.g. "VII"
    label: str
    unit: str  # printed unit of measure, as the official table has it
    kind: str  # count | decimal | percent | flag | choice | text | group
    level: int  # 1 numbered item, 2 sub-item, 3 "- " sub-sub-item
    value: Decimal | str | None  # None is blank (not reported), never zero
    derived: bool = False  # True when the value was computed from a formula
    note: str = ""
    # Consolidated tables only (parstat.exports.consolidated); a unit's own table leaves them be.
    aggregation: str = ""  # sum | count_ones | choice_counts | formula | list | none
    units: int | None = None  # how many units' values the total covers
    not_applicable: int = 0  # reporting units whose kind the row does not apply to
    counts: tuple[tuple[str, str, int], ...] = ()  # choice_counts: (value, label, units)
    listed: tuple[tuple[str, str], ...] = ()  # list: (unit code, text)
    by_unit: tuple[Decimal | str | None, ...] = ()  # one per ReportTable.unit_columns
    # A percentage that is not added up (aggregation none): mean, minimum, maximum over the
    # units that answered; None when no unit did or the row is not such a rate.
    spread: tuple[Decimal, Decimal, Decimal] | None = None

    @property
    def blank_total(self) -> bool:
        """Nobody answered this row of choices or listed texts: blank (the one rule,
        :func:`parstat.analytics.consolidation.nobody_answered`)."""
        return nobody_answered(self.aggregation, self.units)


@dataclass(frozen=True)
class TableSection:
    numeral: str
    label: str
    rows: list[TableRow]


@dataclass(frozen=True)
class DocumentRef:
    number: str = ""  # "81/BC-SKHĐT"
    date: date | None = None
    issuer: str = ""


@dataclass(frozen=True)
class UnitColumn:
    """One unit's column in a consolidated table shown unit by unit."""

    code: str
    name: str
    today_code: str = ""  # the unit holding its place today, when it merged since


@dataclass(frozen=True)
class LeftOutReport:
    """A report a consolidated table did not count because of its state."""

    unit_code: str
    unit_name: str
    state: str  # draft | submitted | accepted


@dataclass(frozen=True)
class ReportTable:
    template_code: str
    template_name: str
    appendix: str  # "PHỤ LỤC 2"
    title: str  # "BẢNG 1"
    unit_code: str
    unit_name: str
    unit_kind: str
    period_code: str
    period_start: date
    period_end: date
    deadline: date | None
    state: str
    document: DocumentRef | None
    sections: list[TableSection]
    findings: list[Finding] = field(default_factory=list)
    synthetic: bool = False  # generated demo data: every export says so
    # Consolidated tables only: the units below ``unit_code`` added up (see docs/analytics.md).
    consolidated: bool = False
    today_structure: bool = False  # merged units counted under their current successor
    units_in_scope: int = 0  # units below the root, whatever their kind or life
    units_reporting: int = 0  # reports the totals count (in the scope of states)
    unit_columns: tuple[UnitColumn, ...] = ()
    scope: str = ""  # parstat.analytics.states.StateScope value: accepted | submitted | all
    scope_label: str = ""  # its Vietnamese label, as documents print it
    provisional: bool = False  # drafts counted: every people's format marks "SỐ LIỆU TẠM TÍNH"
    left_out: tuple[LeftOutReport, ...] = ()  # all of them, or a page's first few
    left_out_count: int = 0  # how many there are
    units_expected: int = 0  # units that owe a report (parstat.analytics.expected)
    units_received: int = 0  # of those, units whose report was received

    def rows(self) -> list[TableRow]:
        return [row for section in self.sections for row in section.rows]
