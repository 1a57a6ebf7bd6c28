"""Importing one file into one report: read, match, parse values, store, check.

A dry run goes through exactly the same steps inside a transaction that is rolled back, so what
it reports (counts, findings) is what a real import would do. The web preview calls
:func:`import_upload` with the uploaded bytes, ``dry_run=True``, then again with the rows the
person confirmed (``confirm={row: indicator code}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from parstat.catalog.loader import template_for_unit_kind
from parstat.catalog.models import Indicator, Kind, Template
from parstat.errors import ParstatError
from parstat.imports.matcher import Match, MatchResult, match_rows
from parstat.imports.propose import UnitGuess, propose_period, propose_unit
from parstat.imports.readers import read_upload
from parstat.imports.rows import DocumentFacts, FileTable
from parstat.imports.safety import MAX_FILE_BYTES, check_size
from parstat.reporting.actions import (
    Actor,
    CellUpdate,
    SetValuesResult,
    do_set_document,
    do_set_values,
    get_or_create_report,
)
from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import Source
from parstat.reporting.periods import ensure_period
from parstat.reporting.values import BLANK, parse_cell
from parstat.rules.evaluate import compile_template, derive
from parstat.units.models import OrgUnit, UnitKind

__all__ = ["MAX_FILE_BYTES", "ImportReport", "import_file", "import_table", "import_upload",
           "read_table"]


@dataclass
class Proposed:
    """What the file itself suggested, and where the unit and period finally came from."""

    unit: UnitGuess | None = None
    period: str | None = None
    unit_from: str = "option"  # "option", "document" or "file name"
    period_from: str = "option"  # "option" or "document"

    def as_dict(self) -> dict[str, Any]:
        return {"unit": self.unit.as_dict() if self.unit else None, "period": self.period,
                "unit_from": self.unit_from, "period_from": self.period_from}


@dataclass
class ImportReport:
    file: str
    unit: str
    period: str
    template: str
    dry_run: bool
    document: DocumentFacts = field(default_factory=DocumentFacts)
    proposed: Proposed = field(default_factory=Proposed)
    matched: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    counts: SetValuesResult = field(default_factory=SetValuesResult)

    def as_dict(self) -> dict[str, Any]:
        errors = sum(1 for f in self.findings if f["severity"] == "error")
        return {
            "file": self.file, "unit": self.unit, "period": self.period,
            "template": self.template, "dry_run": self.dry_run,
            "document": {"number": self.document.number,
                         "date": self.document.issued_on.isoformat()
                         if self.document.issued_on else None,
                         "issuer": self.document.issuer},
            "proposed": self.proposed.as_dict(),
            "matched": self.matched, "unmatched": self.unmatched, "proposals": self.proposals,
            "missing": self.missing, "conflicts": self.conflicts, "findings": self.findings,
            "summary": {**self.counts.as_dict(), "matched": len(self.matched),
                        "fuzzy": sum(1 for m in self.matched if m["method"] != "exact"),
                        "unmatched": len(self.unmatched), "proposals": len(self.proposals),
                        "missing": len(self.missing), "conflicts": len(self.conflicts),
                        "errors": errors, "warnings": len(self.findings) - errors},
        }


class _DryRun(Exception):
    pass


def read_table(path: Path) -> FileTable:
    check_size(path.stat().st_size, path.name)
    return read_upload(path.read_bytes(), path.name)


def import_file(path: Path, *, unit_code: str | None = None, period_code: str | None = None,
                template_code: str | None = None, dry_run: bool = False, strict: bool = False,
                confirm: Mapping[int, str] | None = None, acting_user: Actor) -> ImportReport:
    check_size(path.stat().st_size, path.name)  # before reading it into memory
    return import_upload(path.read_bytes(), path.name, unit_code=unit_code,
                         period_code=period_code, template_code=template_code, dry_run=dry_run,
                         strict=strict, confirm=confirm, acting_user=acting_user)


def import_upload(data: bytes, name: str, *, unit_code: str | None = None,
                  period_code: str | None = None, template_code: str | None = None,
                  dry_run: bool = False, strict: bool = False,
                  confirm: Mapping[int, str] | None = None, acting_user: Actor) -> ImportReport:
    """Import a file given as bytes and its name (an upload). Without ``unit_code`` or
    ``period_code``, the ones the document proposes are used, or a ParstatError says why not."""
    return import_table(read_upload(data, name), name, unit_code=unit_code,
                        period_code=period_code, template_code=template_code, dry_run=dry_run,
                        strict=strict, confirm=confirm, acting_user=acting_user)


def import_table(table: FileTable, name: str, *, unit_code: str | None = None,
                 period_code: str | None = None, template_code: str | None = None,
                 dry_run: bool = False, strict: bool = False,
                 confirm: Mapping[int, str] | None = None, acting_user: Actor) -> ImportReport:
    """Import a table already read from file ``name``."""
    proposed = propose(table, unit_code, period_code)
    unit_code = unit_code or _proposed_unit(proposed, name)
    period_code = (period_code or _proposed_period(proposed, name)).strip()
    # Whoever runs it, values that come from a file are audited as imported, naming the file.
    origin = f"{acting_user.origin} · {name}" if acting_user.origin else name
    acting_user = replace(acting_user, source=Source.IMPORT, origin=origin)
    try:
        with transaction.atomic():
            result = _import_table(table, name, unit_code, period_code, template_code,
                                   dry_run, strict, confirm or {}, acting_user)
            result.proposed = proposed
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def propose(table: FileTable, unit_code: str | None, period_code: str | None) -> Proposed:
    facts = table.document
    return Proposed(unit=propose_unit(facts.issuer, facts.issued_on) if facts.issuer else None,
                    period=propose_period(facts.issued_on),
                    unit_from="option" if unit_code else "document",
                    period_from="option" if period_code else "document")


def _proposed_unit(proposed: Proposed, name: str) -> str:
    if proposed.unit is None:
        raise ParstatError("import.unit_unknown", name=name,
                           reason="văn bản không ghi rõ cơ quan ban hành trùng với một đơn vị "
                                  "đã đăng ký")
    return proposed.unit.code


def _proposed_period(proposed: Proposed, name: str) -> str:
    if proposed.period is None:
        raise ParstatError("import.period_unknown", name=name)
    return proposed.period


def _resolve(unit_code: str, template_code: str | None, dry_run: bool) -> tuple[OrgUnit, Template]:
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None and not dry_run:
        raise ParstatError("unit.not_found", code=unit_code)
    if unit is None:
        # A dry run may try a file before its unit is registered: a throw-away department.
        unit = OrgUnit.objects.create(code=unit_code, name=unit_code, kind=UnitKind.DEPARTMENT)
    if template_code:
        template = Template.objects.filter(code=template_code).first()
        if template is None:
            raise ParstatError("template.not_found", code=template_code)
        return unit, template
    template = template_for_unit_kind(unit.kind)
    if template is None:
        raise ParstatError("unit.no_template", code=unit.code, kind=unit.get_kind_display())
    return unit, template


def _import_table(table: FileTable, name: str, unit_code: str, period_code: str,
                  template_code: str | None, dry_run: bool, strict: bool,
                  confirm: Mapping[int, str], actor: Actor) -> ImportReport:
    unit, template = _resolve(unit_code, template_code, dry_run)
    period = ensure_period(period_code)
    indicators = list(Indicator.objects.filter(template=template).select_related("section"))
    matches = match_rows(table.rows, indicators, confirm)
    out = ImportReport(file=name, unit=unit.code, period=period.code, template=template.code,
                       dry_run=dry_run, document=table.document)
    updates = _without_printed_derivations(template, _parse_matches(matches.matched, out), out)
    _list_unplaced(matches, out)
    if strict and out.conflicts:
        raise ParstatError("import.conflicts", count=len(out.conflicts))
    report, _ = get_or_create_report(unit, template, period, acting_user=actor)
    if table.document.number:
        do_set_document(report, number=table.document.number, issued_on=table.document.issued_on,
                        issuer=table.document.issuer, acting_user=actor)
    out.counts = do_set_values(report, updates, acting_user=actor)
    out.findings = [f.as_dict() for f in evaluate_report(report).findings]
    return out


def _without_printed_derivations(template: Template, updates: list[CellUpdate],
                                 out: ImportReport) -> list[CellUpdate]:
    """A rate whose file value is exactly what its formula gives from the file's own values is
    a printout of the computed rate (our own exports print them): it stays derived instead of
    becoming a reported value that would go stale when its inputs change, and exporting then
    importing back changes nothing. Totals (sums) reported by a unit are kept as reported."""
    numbers = {u.indicator.code: u.value.number for u in updates
               if u.value is not None and u.value.number is not None}
    derived = derive(compile_template(template),
                     {c: v for c, v in numbers.items() if not _has_formula(updates, c)})
    kept = []
    for update in updates:
        code = update.indicator.code
        if (update.indicator.kind == Kind.PERCENT and update.indicator.formula
                and code in derived and numbers.get(code) == derived[code]):
            update = CellUpdate(update.indicator, BLANK, update.note)
            for entry in out.matched:
                if entry["code"] == code:
                    entry["derived"] = True
        kept.append(update)
    return kept


def _has_formula(updates: list[CellUpdate], code: str) -> bool:
    return any(u.indicator.code == code and u.indicator.formula for u in updates)


def _list_unplaced(matches: MatchResult, out: ImportReport) -> None:
    # Every row not applied is listed with its text and value; some also carry a proposal.
    out.unmatched = [{"row": r.row, "section": s, "file_label": r.label, "value": r.value,
                      "note": r.note} for r, s in matches.unmatched]
    out.proposals = [{"row": p.row.row, "section": p.section, "file_label": p.row.label,
                      "value": p.row.value, "code": p.indicator.code,
                      "label": p.indicator.label, "score": p.score} for p in matches.proposals]
    out.missing = [{"code": i.code, "label": i.label} for i in matches.missing]


def _parse_matches(matches: list[Match], out: ImportReport) -> list[CellUpdate]:
    updates = []
    for match in matches:
        row, indicator = match.row, match.indicator
        entry = {"row": row.row, "code": indicator.code, "label": indicator.label,
                 "file_label": row.label, "text": row.value, "value": None,
                 "score": match.score, "method": match.method}
        out.matched.append(entry)
        try:
            value = parse_cell(indicator, row.value, row=row.row)
        except ParstatError as error:
            out.conflicts.append({"row": row.row, "code": indicator.code, "text": row.value,
                                  "expected": expected_kind(indicator), "error": error.code,
                                  "message": error.message})
            continue
        entry["value"] = _json_value(value.content)
        updates.append(CellUpdate(indicator=indicator, value=value, note=row.note))
    return updates


def expected_kind(indicator: Indicator) -> str:
    """What the indicator takes, said to a person: "Có = 1; Không = 0", "Số đếm (Nhiệm vụ)"."""
    if indicator.choices:
        return "; ".join(f"{c['label']} = {c['value']}" for c in indicator.choices)
    kind = str(Kind(indicator.kind).label)
    if indicator.kind == Kind.PERCENT:
        return f"{kind}, từ 0 đến 100"
    return f"{kind} ({indicator.unit})" if indicator.unit else kind


def _json_value(value: Decimal | str | None) -> int | float | str | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
