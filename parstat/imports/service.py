"""Importing one file into one report: read, match, parse values, store, check.

A dry run goes through exactly the same steps inside a transaction that is rolled back, so what
it reports (counts, findings) is what a real import would do. Every edge passes an
:class:`ImportRequest` to :func:`run_import`: the web preview its report's target with
``dry_run=True``, then again with the rows the person confirmed (``confirm={row: code}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from parstat.catalog.layout import template_layout
from parstat.catalog.models import Indicator, Kind, Template
from parstat.errors import ParstatError
from parstat.imports.cells import NumberConvention, cell_text, expected_kind, file_convention
from parstat.imports.choose import Choice, choose_table, choose_value_column
from parstat.imports.matcher import Match, MatchResult, match_rows
from parstat.imports.propose import UnitGuess, issuer_names_unit, propose_period, propose_unit
from parstat.imports.readers import read_upload
from parstat.imports.rows import DocumentFacts, FileRow, FileTable
from parstat.imports.safety import MAX_FILE_BYTES, check_size
from parstat.imports.target import ImportTarget, resolve_target
from parstat.reporting.actions import (
    Actor,
    CellInput,
    CellUpdate,
    SetValuesResult,
    do_create_report_with_values,
    do_set_document,
    do_set_values,
    find_report,
    parse_cells,
)
from parstat.reporting.checks import Evaluation, evaluate_report
from parstat.reporting.models import Report, Source, Value
from parstat.reporting.values import BLANK, CellValue, display
from parstat.rules.evaluate import compile_template, derive
from parstat.units.models import OrgUnit, UnitKind

__all__ = ["MAX_FILE_BYTES", "ImportChoices", "ImportReport", "ImportRequest", "ImportTarget",
           "expected_kind", "import_file", "import_table", "import_upload", "read_table",
           "resolve_target", "run_import"]


@dataclass(frozen=True)
class ImportChoices:
    """A person's answers to the import's questions: which table (1-based, as listed in
    ``table.candidates``) and which value column (as a person counts the table's columns)."""

    table: int | None = None
    value_column: int | None = None


@dataclass
class Proposed:
    """What the file itself suggested, and where the unit and period finally came from."""

    unit: UnitGuess | None = None
    period: str | None = None
    unit_from: str = "option"  # "option", "document" or "file name"
    period_from: str = "option"  # "option" or "document"
    given: OrgUnit | None = None  # the unit given by its code, when it was looked up (once)

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
    table: dict[str, Any] = field(default_factory=dict)  # which table was read, and why
    value_column: dict[str, Any] = field(default_factory=dict)  # which column, and why
    questions: list[dict[str, Any]] = field(default_factory=list)  # to answer before applying
    warnings: list[dict[str, Any]] = field(default_factory=list)  # the file's period differs …
    notes: list[dict[str, Any]] = field(default_factory=list)  # a convention assumed …
    changes: list[dict[str, Any]] = field(default_factory=list)  # old → new of every change
    apply_refused: dict[str, Any] | None = None  # a dry run on a locked report: why applying fails
    stored: Report | None = None  # the report as the import left it (none on a dry run)

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
            "table": self.table, "value_column": self.value_column,
            "questions": self.questions, "warnings": self.warnings, "notes": self.notes,
            "changes": self.changes, "apply_refused": self.apply_refused,
            "summary": {**self.counts.as_dict(), "matched": len(self.matched),
                        "questions": len(self.questions), "changes": len(self.changes),
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


@dataclass(frozen=True)
class ImportRequest:
    """One file to import and everything a person said about it: what every edge (the upload
    page, the API, ``parstat import``) passes to :func:`run_import`.

    ``target`` is the report's unit, period and template, already resolved (the page has the
    report, the API resolves the form's codes with :func:`resolve_target`). Without it, the
    codes given (the command line) or else those the document proposes are resolved once,
    inside the import's transaction (a dry run may try a file on a unit not registered yet).
    """

    name: str
    data: bytes
    acting_user: Actor
    target: ImportTarget | None = None
    unit_code: str | None = None
    period_code: str | None = None
    template_code: str | None = None
    dry_run: bool = False
    strict: bool = False
    confirm: Mapping[int, str] = field(default_factory=dict)  # file row → indicator code
    choices: ImportChoices = ImportChoices()
    refuse_other_period: bool = False  # a batch refuses a file stating another period

    @classmethod
    def from_path(cls, path: Path, *, name: str | None = None, **fields: Any) -> ImportRequest:
        """The file at ``path``; ``name``: the file's name as its sender gave it, when it is
        stored under another (the name every message and audit row shows)."""
        name = name or path.name
        check_size(path.stat().st_size, name)  # before reading it into memory
        return cls(name=name, data=path.read_bytes(), **fields)


def run_import(request: ImportRequest, table: FileTable | None = None) -> ImportReport:
    """Import the request's file (``table``: the file already read, as a batch has it): the
    table of the file whose rows match the template best, its value column of the report's
    period. A question (two tables alike, no column that is clearly the period's) stores
    nothing: a dry run lists it with the choices, a real import refuses with it. A title
    stating another period than the report's is a warning, or a refusal with
    ``refuse_other_period``."""
    table = table if table is not None else read_upload(request.data, request.name)
    name, target = request.name, request.target
    unit_code = target.unit.code if target else request.unit_code
    period_code = target.period.code if target else request.period_code
    proposed = propose(table, unit_code, period_code, target.unit if target else None)
    unit_code = unit_code or _proposed_unit(proposed, name)
    period_code = (period_code or _proposed_period(proposed, name)).strip()
    # Whoever runs it, values that come from a file are audited as imported, naming the file.
    actor = request.acting_user
    origin = f"{actor.origin} · {name}" if actor.origin else name
    actor = replace(actor, source=Source.IMPORT, origin=origin)
    try:
        with transaction.atomic():
            target = target or _resolve(unit_code, period_code, request.template_code,
                                        request.dry_run, proposed.given)
            result = _import_table(table, request, target, actor)
            result.proposed = proposed
            if request.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return result


def import_file(path: Path, **fields: Any) -> ImportReport:
    """:func:`run_import` of the file at ``path`` (fields as :class:`ImportRequest`'s)."""
    return run_import(ImportRequest.from_path(path, **fields))


def import_upload(data: bytes, name: str, **fields: Any) -> ImportReport:
    """:func:`run_import` of a file given as bytes and its name (fields as
    :class:`ImportRequest`'s)."""
    return run_import(ImportRequest(name=name, data=data, **fields))


def import_table(table: FileTable, name: str, **fields: Any) -> ImportReport:
    """:func:`run_import` of a table already read from file ``name`` (a batch's)."""
    return run_import(ImportRequest(name=name, data=b"", **fields), table)


def file_document(table: FileTable) -> DocumentFacts:
    """The document facts of a file: from the first of its tables whose title lines state a
    report number (a table of contents may stand above the heading's appendix line)."""
    return next((t.document for t in table.candidates if t.document.number), table.document)


def propose(table: FileTable, unit_code: str | None, period_code: str | None,
            unit: OrgUnit | None = None) -> Proposed:
    """The unit the heading's issuer names; the period the title states ("quý III năm 2024"),
    else the one whose window closed last before the document's date. ``unit``: the unit of
    ``unit_code`` when the caller has it."""
    facts = file_document(table)
    stated = next((t.period_words for t in table.candidates or [table] if t.period_words), None)
    # The issuer is matched against every registered unit only when no unit was given (with
    # thousands of units that cost more than the rest of the import, issue #16); a given unit
    # is only checked against the issuer, so the result still says the document names it.
    guess = given = None
    if facts.issuer and not unit_code:
        guess = propose_unit(facts.issuer, facts.issued_on)
    elif facts.issuer and unit_code:
        given = unit or OrgUnit.objects.select_related("parent").filter(
            code=unit_code.strip()).first()
        guess = issuer_names_unit(facts.issuer, given) if given is not None else None
    return Proposed(unit=guess, given=given,
                    period=stated.code if stated else propose_period(facts.issued_on),
                    unit_from="option" if unit_code else "document",
                    period_from="option" if period_code else "document")


def _proposed_unit(proposed: Proposed, name: str) -> str:
    if proposed.unit is None:
        raise ParstatError("import.unit_unknown", name=name,
                           reason="unit.no_issuer")
    return proposed.unit.code


def _proposed_period(proposed: Proposed, name: str) -> str:
    if proposed.period is None:
        raise ParstatError("import.period_unknown", name=name)
    return proposed.period


def _resolve(unit_code: str, period_code: str, template_code: str | None,
             dry_run: bool, known: OrgUnit | None = None) -> ImportTarget:
    """The target of the codes; ``known``: the unit already looked up (by propose), used when
    its code is the one given."""
    unit = known if known is not None and known.code == unit_code else \
        OrgUnit.objects.filter(code=unit_code).first()
    if unit is None and dry_run:
        # A dry run may try a file before its unit is registered: a throw-away department.
        unit = OrgUnit.objects.create(code=unit_code, name=unit_code, kind=UnitKind.DEPARTMENT)
    return resolve_target(unit or unit_code, period_code, template_code)


def _import_table(table: FileTable, request: ImportRequest, target: ImportTarget,
                  actor: Actor) -> ImportReport:
    name, dry_run, choices = request.name, request.dry_run, request.choices
    unit, period, template = target.unit, target.period, target.template
    indicators = list(template_layout(template).indicators)  # read once per template
    document = file_document(table)
    out = ImportReport(file=name, unit=unit.code, period=period.code, template=template.code,
                       dry_run=dry_run, document=document)
    chosen = _chosen_table(table, indicators, name, choices, period.code, out)
    rows = _rows_of_period(chosen, period.code, name, choices, out) if chosen else []
    _check_stated_period(chosen[0] if chosen else table, name, period.code, out)
    if out.warnings and request.refuse_other_period:
        raise ParstatError("import.period_mismatch", **out.warnings[0]["params"])
    if out.questions and not dry_run:
        raise ParstatError(out.questions[0]["code"], **out.questions[0]["params"])
    matches = match_rows(rows, indicators, request.confirm)
    convention = file_convention(m.row.value for m in matches.matched)
    updates = _without_printed_derivations(
        template, _parse_matches(template, matches.matched, out, convention), out)
    updates = _refuse_rows_not_applying(updates, unit, out)
    _list_unplaced(matches, out)
    # A row for other unit kinds is not missing from this unit's file ("không áp dụng").
    applying = {i.code for i in indicators if i.applies_to(unit.kind)}
    out.missing = [m for m in out.missing if m["code"] in applying]
    if request.strict and out.conflicts:
        raise ParstatError("import.conflicts", count=len(out.conflicts))
    found = find_report(unit, template, period)
    if found is None:
        # A first import: the report created with the document's facts (as do_set_document
        # would set them next) and its values in one step, neither locked nor its values read
        # (it holds none: nothing is read to list what the import changes either).
        # Facts without a report number are no facts.
        stated = bool(document.number)
        out.changes = _changes(None, updates, out, stored={})
        out.counts = do_create_report_with_values(
            unit, template, period, updates, acting_user=actor, number=document.number,
            issued_on=document.issued_on if stated else None,
            issuer=document.issuer if stated else "")
        assert out.counts.report is not None
        out.stored = None if dry_run else out.counts.report
        out.findings = [f.as_dict(english=True) for f in out.counts.evaluation_now().findings]
        return out
    report = found
    out.changes = _changes(report, updates, out)
    evaluation: Evaluation | None = None
    if dry_run and not report.is_editable:
        # The whole preview still shows; applying it would be refused, and it says why.
        out.apply_refused = ParstatError(
            "import.apply_locked", unit=unit.name, period=period.code,
            state=report.state).as_dict()
        out.counts = _counts_of(updates, out.changes)
    elif not report.is_editable:
        # Refused even when the file changes nothing, as its preview said: applying a file
        # also sets the document's number and date, which a locked report keeps.
        raise ParstatError("report.locked", unit=unit.name, period=period.code,
                           state=report.state)
    else:
        if document.number:
            do_set_document(report, number=document.number, issued_on=document.issued_on,
                            issuer=document.issuer, acting_user=actor)
        out.counts = do_set_values(report, updates, acting_user=actor)
        # A save that wrote evaluated the report as it left it; one that wrote nothing read the
        # report's rows under its lock, which are its rows now: evaluated without reading again.
        evaluation = out.counts.evaluation_now()
        if not dry_run:  # a dry run's changes are rolled back: it leaves no report behind
            if out.counts.evaluation is None:
                # Nothing written: the report as it is now. A save that wrote left ``report``
                # as its row is (every column, as written under its lock): not read again.
                report.refresh_from_db()
            # Its unit, template and period never change: not read again by the evaluation.
            report.unit, report.template, report.period = unit, template, period
            out.stored = report
    if evaluation is None:  # the preview of a locked report: nothing was saved
        evaluation = evaluate_report(report)
    out.findings = [f.as_dict(english=True) for f in evaluation.findings]
    return out


def _chosen_table(table: FileTable, indicators: list[Indicator], name: str,
                  choices: ImportChoices, period_code: str,
                  out: ImportReport) -> list[FileTable]:
    """The table read (with its parts elsewhere in the file), or none when it is a question."""
    tables = table.candidates or [table]
    choice = choose_table(tables, indicators, name, choices.table, period_code)
    out.table = {"table": None if choice.index is None else choice.index + 1,
                 "parts": [i + 1 for i in choice.parts],
                 "where": " + ".join(tables[i].where for i in choice.parts),
                 "reason": choice.reason, "reason_en": choice.reason_en,
                 "candidates": choice.candidates}
    if choice.question is not None:
        out.questions.append(_question(choice, "table", "--table"))
        return []
    return [tables[i] for i in choice.parts]


def _rows_of_period(tables: list[FileTable], period_code: str, name: str,
                    choices: ImportChoices, out: ImportReport) -> list[FileRow]:
    """Each table's rows with its value column of the period; a part's rows are numbered on
    from the previous part's (each part numbers its rows from 1)."""
    rows: list[FileRow] = []
    for table in tables:
        choice = choose_value_column(table.value_columns, period_code, name,
                                     choices.value_column)
        column = table.value_columns[choice.index] if choice.index is not None else None
        if not out.value_column:  # the first part's choice is the one shown
            out.value_column = {"column": column.number if column else None,
                                "header": column.header if column else "",
                                "reason": choice.reason, "reason_en": choice.reason_en,
                                "candidates": choice.candidates}
        if choice.question is not None:
            out.questions.append(_question(choice, "value_column", "--value-column"))
            return []
        assert choice.index is not None
        offset = max((r.row for r in rows), default=0)
        rows.extend(replace(row.reading(choice.index), row=row.row + offset)
                    if offset else row.reading(choice.index) for row in table.rows)
    return rows


def _question(choice: Choice, field_name: str, option: str) -> dict[str, Any]:
    error = choice.question
    assert error is not None
    return {**error.as_dict(), "params": error.params, "field": field_name, "option": option,
            "choices": choice.candidates}


def _check_stated_period(table: FileTable, name: str, period_code: str,
                         out: ImportReport) -> None:
    stated = table.period_words
    if stated is None or stated.code == period_code:
        return
    error = ParstatError("import.period_mismatch", name=name, stated=stated.text,
                         stated_code=stated.code, period=period_code)
    out.warnings.append({**error.as_dict(), "stated": stated.code, "params": error.params})


def _changes(report: Report | None, updates: list[CellUpdate], out: ImportReport, *,
             stored: dict[int, CellValue] | None = None) -> list[dict]:
    """Old → new of every value the import would change (a note alone is not listed);
    ``stored``: the report's cells by indicator id when known (none: a new report)."""
    # The stored cells as plain (number, text) pairs: no Value object per stored value.
    if stored is None:
        assert report is not None
        stored = {pk: CellValue(number, text) for pk, number, text in Value.objects.filter(
            report=report).values_list("indicator_id", "number", "text")}
    rows = {m["code"]: m["row"] for m in out.matched}
    changes = []
    for update in updates:
        old = stored.get(update.indicator.pk, BLANK)
        new = update.value if update.value is not None else old  # a note alone keeps the value
        same_number = old.number is not None and new.number is not None \
            and old.number == new.number
        if same_number or (old.number is None and new.number is None and old.text == new.text):
            continue
        changes.append({"row": rows.get(update.indicator.code), "code": update.indicator.code,
                        "label": update.indicator.label,
                        "old": display(update.indicator, old.content),
                        "new": display(update.indicator, new.content)})
    return changes


def _counts_of(updates: list[CellUpdate], changes: list[dict]) -> SetValuesResult:
    """What do_set_values would count, for a preview it cannot run (a locked report)."""
    changed = {c["code"]: c for c in changes}
    result = SetValuesResult()
    for update in updates:
        change = changed.get(update.indicator.code)
        if change is None:
            result.unchanged += 1
        elif change["old"] == "":
            result.imported += 1
        else:
            result.updated += 1
    return result


def _without_printed_derivations(template: Template, updates: list[CellUpdate],
                                 out: ImportReport) -> list[CellUpdate]:
    """A rate whose file value is exactly what its formula gives from the file's own values is
    a printout of the computed rate (our own exports print them): it stays derived instead of
    becoming a reported value that would go stale when its inputs change, and exporting then
    importing back changes nothing. Totals (sums) reported by a unit are kept as reported."""
    numbers = {u.indicator.code: u.value.number for u in updates
               if u.value is not None and u.value.number is not None}
    with_formula = {u.indicator.code for u in updates if u.indicator.formula}
    derived = derive(compile_template(template),
                     {c: v for c, v in numbers.items() if c not in with_formula})
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


def _refuse_rows_not_applying(updates: list[CellUpdate], unit: OrgUnit,
                              out: ImportReport) -> list[CellUpdate]:
    """A value in a row that does not apply to the unit's kind is a conflict of its row (the
    rest of the file still lands), never stored."""
    kept = []
    rows = {m["code"]: m["row"] for m in out.matched}
    for update in updates:
        value = update.value
        if update.indicator.applies_to(unit.kind) or value is None or value.is_blank:
            kept.append(update)
            continue
        error = ParstatError("value.not_applicable", row=rows.get(update.indicator.code),
                             indicator=update.indicator.code, code=update.indicator.code,
                             label=update.indicator.label, kind=unit.kind)
        out.conflicts.append({"file": out.file, "row": rows.get(update.indicator.code),
                              "code": update.indicator.code, "text": display(
                                  update.indicator, value.content),
                              "expected": "", "error": error.code, "message": error.message,
                              "message_en": error.message_en})
    return kept


def _list_unplaced(matches: MatchResult, out: ImportReport) -> None:
    # Every row not applied is listed with its text and value; some also carry a proposal.
    out.unmatched = [{"row": r.row, "section": s, "file_label": r.label, "value": r.value,
                      "note": r.note} for r, s in matches.unmatched]
    out.proposals = [{"row": p.row.row, "section": p.section, "file_label": p.row.label,
                      "value": p.row.value, "code": p.indicator.code,
                      "label": p.indicator.label, "score": p.score} for p in matches.proposals]
    out.missing = [{"code": i.code, "label": i.label} for i in matches.missing]


def _parse_matches(template: Template, matches: list[Match], out: ImportReport,
                   convention: NumberConvention) -> list[CellUpdate]:
    updates = []
    assumed = False
    for match in matches:
        row, indicator = match.row, match.indicator
        entry: dict[str, Any] = {"row": row.row, "code": indicator.code,
                                 "label": indicator.label, "file_label": row.label,
                                 "text": row.value, "value": None, "score": match.score,
                                 "method": match.method}
        out.matched.append(entry)
        try:
            if row.value_unknown:
                raise ParstatError("import.column_unmapped", name=out.file,
                                   column=out.value_column.get("header", ""))
            text = cell_text(indicator, row, convention)
            parsed = parse_cells(template, [CellInput(indicator.code, text, row.note, row=row.row)],
                                 indicators={indicator.code: indicator})
            if parsed.refusals:
                raise parsed.refusals[0].error
            update = parsed.updates[0]
            assert update.value is not None  # keep_value is never asked of a file's row
            value = update.value
        except ParstatError as error:
            located = error.located(row=row.row, indicator=indicator.code)
            out.conflicts.append({"file": out.file, "row": row.row, "code": indicator.code,
                                  "text": row.value, "expected": expected_kind(indicator),
                                  "error": located.code, "message": located.message,
                                  "message_en": located.message_en})
            continue
        if text != row.value.strip():
            entry["read_as"] = text
            assumed = assumed or convention.name == "en"
        entry["value"] = _json_value(value.content)
        updates.append(update)
    if assumed:
        note = ParstatError("import.convention_assumed", name=out.file,
                            evidence=convention.evidence)
        out.notes.append({**note.as_dict(), **convention.as_dict()})
    return updates


def _json_value(value: Decimal | str | None) -> int | float | str | None:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value
