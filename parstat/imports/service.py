"""Importing one file into one report: read, match, parse values, store, check.

A dry run goes through exactly the same steps inside a transaction that is rolled back, so what
it reports (counts, findings) is what a real import would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from parstat.catalog.loader import template_for_unit_kind
from parstat.catalog.models import Indicator, Template
from parstat.errors import ParstatError
from parstat.imports.matcher import match_rows
from parstat.imports.rows import DocumentFacts, FileTable
from parstat.imports.text import read_text_table
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
from parstat.reporting.values import parse_cell
from parstat.units.models import OrgUnit, UnitKind

MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass
class ImportReport:
    file: str
    unit: str
    period: str
    template: str
    dry_run: bool
    document: DocumentFacts = field(default_factory=DocumentFacts)
    matched: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)
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
            "matched": self.matched, "unmatched": self.unmatched, "missing": self.missing,
            "conflicts": self.conflicts, "findings": self.findings,
            "summary": {**self.counts.as_dict(), "matched": len(self.matched),
                        "unmatched": len(self.unmatched), "missing": len(self.missing),
                        "conflicts": len(self.conflicts), "errors": errors,
                        "warnings": len(self.findings) - errors},
        }


class _DryRun(Exception):
    pass


def read_table(path: Path) -> FileTable:
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ParstatError("import.unreadable", name=path.name,
                           reason=f"tệp lớn hơn {MAX_FILE_BYTES // (1024 * 1024)} MB")
    return read_text_table(path.read_bytes(), path.name)


def import_file(path: Path, *, unit_code: str, period_code: str, template_code: str | None = None,
                dry_run: bool = False, strict: bool = False, acting_user: Actor) -> ImportReport:
    table = read_table(path)
    period_code = period_code.strip()
    # Whoever runs it, values that come from a file are audited as imported, naming the file.
    origin = f"{acting_user.origin} · {path.name}" if acting_user.origin else path.name
    acting_user = replace(acting_user, source=Source.IMPORT, origin=origin)
    try:
        with transaction.atomic():
            result = _import_table(table, path.name, unit_code, period_code, template_code,
                                   dry_run, strict, acting_user)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


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
                  actor: Actor) -> ImportReport:
    unit, template = _resolve(unit_code, template_code, dry_run)
    period = ensure_period(period_code)
    indicators = list(Indicator.objects.filter(template=template).select_related("section"))
    matches = match_rows(table.rows, indicators)
    out = ImportReport(file=name, unit=unit.code, period=period.code, template=template.code,
                       dry_run=dry_run, document=table.document)
    updates = _parse_matches(matches.matched, out)
    out.unmatched = [{"row": r.row, "section": s, "file_label": r.label, "value": r.value,
                      "note": r.note} for r, s in matches.unmatched]
    out.missing = [{"code": i.code, "label": i.label} for i in matches.missing]
    if strict and out.conflicts:
        raise ParstatError("import.conflicts", count=len(out.conflicts))
    report, _ = get_or_create_report(unit, template, period, acting_user=actor)
    if table.document.number:
        do_set_document(report, number=table.document.number, issued_on=table.document.issued_on,
                        issuer=table.document.issuer, acting_user=actor)
    out.counts = do_set_values(report, updates, acting_user=actor)
    out.findings = [f.as_dict() for f in evaluate_report(report).findings]
    return out


def _parse_matches(matches: list, out: ImportReport) -> list[CellUpdate]:
    updates = []
    for match in matches:
        row, indicator = match.row, match.indicator
        entry = {"row": row.row, "code": indicator.code, "label": indicator.label,
                 "file_label": row.label, "text": row.value, "value": None}
        try:
            value = parse_cell(indicator, row.value, row=row.row)
        except ParstatError as error:
            out.conflicts.append({"row": row.row, "code": indicator.code, "text": row.value,
                                  "error": error.code, "message": error.message})
            out.matched.append(entry)
            continue
        entry["value"] = _json_value(value.content)
        out.matched.append(entry)
        updates.append(CellUpdate(indicator=indicator, value=value, note=row.note))
    return updates


def _json_value(value: Decimal | str | None) -> int | float | str | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
