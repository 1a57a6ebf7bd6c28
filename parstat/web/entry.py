"""The entry form's rows: what each cell of the official table shows and accepts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from parstat.catalog.models import Indicator, Kind, Section
from parstat.numbers import format_vn_number
from parstat.reporting.checks import Evaluation
from parstat.reporting.models import Report
from parstat.rules.findings import Finding


@dataclass
class EntryRow:
    indicator: Indicator
    text: str  # what the input shows: "1.327", "32,5", "1" for a flag, "" for blank
    note: str
    derived: str = ""  # the computed value, shown beside a blank formula row
    formula: dict[str, str] | None = None  # formula rows: see formula_cell
    findings: list[Finding] = field(default_factory=list)
    error: str = ""  # the refusal of what was typed, when a save failed
    applies: bool = True  # False: a row for other unit kinds, shown "không áp dụng"

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def widget(self) -> str:
        if self.indicator.kind in (Kind.FLAG, Kind.CHOICE):
            return "select"
        return "textarea" if self.indicator.kind == Kind.TEXT else "input"

    @property
    def is_blank(self) -> bool:
        return self.text == ""


@dataclass
class EntrySection:
    section: Section
    rows: list[EntryRow]


def input_text(indicator: Indicator, value: Decimal | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if indicator.kind in (Kind.FLAG, Kind.CHOICE):
        return str(int(value))
    return format_vn_number(value)


def formula_cell(indicator: Indicator, evaluation: Evaluation) -> dict[str, str]:
    """What the form shows beside a formula row: the value derived for a blank cell, or, for a
    typed one, what the formula gives and whether they disagree (then "Dùng giá trị tính")."""
    code = indicator.code
    derived, computed = evaluation.derived.get(code), evaluation.computed.get(code)
    mismatch = any(f.rule == f"formula:{code}" for f in evaluation.findings)
    return {"code": code, "formula": indicator.formula,
            "derived": format_vn_number(derived) if derived is not None else "",
            "computed": format_vn_number(computed) if computed is not None else "",
            "mismatch": "1" if mismatch else ""}


def entry_sections(report: Report, evaluation: Evaluation,
                   typed: Mapping[str, tuple[str, str]] | None = None,
                   errors: Mapping[str, str] | None = None) -> list[EntrySection]:
    """Rows by section; ``typed`` (code → (value text, note)) re-shows a refused form as typed."""
    typed, errors = typed or {}, errors or {}
    by_code: dict[str, list[Finding]] = {}
    for finding in evaluation.findings:
        for code in finding.codes:
            by_code.setdefault(code, []).append(finding)
    sections: dict[int, EntrySection] = {}
    indicators = (Indicator.objects.filter(template=report.template)
                  .select_related("section").order_by("position"))
    for indicator in indicators:
        stored = evaluation.stored.get(indicator.code)
        text = input_text(indicator, stored.content if stored else None)
        note = stored.note if stored else ""
        if indicator.code in typed:
            text, note = typed[indicator.code]
        derived = evaluation.derived.get(indicator.code)
        row = EntryRow(indicator=indicator, text=text, note=note,
                       derived=format_vn_number(derived) if derived is not None else "",
                       formula=formula_cell(indicator, evaluation) if indicator.formula else None,
                       findings=by_code.get(indicator.code, []),
                       error=errors.get(indicator.code, ""),
                       applies=indicator.applies_to(report.unit.kind))
        sections.setdefault(indicator.section_id, EntrySection(indicator.section, [])).rows.append(row)
    return list(sections.values())
