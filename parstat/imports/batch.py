"""Importing a folder or a .zip of report files, one report per file, for one period.

Each file is imported on its own, in its own transaction (all of it or none of it), and one bad
file never stops the others: its refusal is recorded against it and the batch goes on. A .zip is
read in memory, member by member, after :func:`parstat.imports.safety.open_zip` has checked its
sizes and names; nothing is ever extracted to disk. Each file's unit comes from its header (the
issuer) or else its file name. Importing the same batch twice changes nothing, because each file
import does not.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from parstat.errors import ParstatError
from parstat.imports.propose import UnitGuess, propose_period, propose_unit, unit_from_file_name
from parstat.imports.readers import read_upload
from parstat.imports.rows import FileTable
from parstat.imports.safety import BATCH, MAX_FILE_BYTES, check_size, is_zip, open_zip, read_member
from parstat.imports.service import ImportReport, file_document, import_table
from parstat.reporting.actions import Actor

REPORT_SUFFIXES = (".docx", ".xlsx", ".xlsm", ".docm", ".doc", ".xls", ".csv", ".txt", ".tsv")


@dataclass
class FileOutcome:
    file: str
    unit: str = ""
    report: ImportReport | None = None
    error: ParstatError | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return self.error is not None

    def as_dict(self) -> dict[str, Any]:
        summary = self.report.as_dict()["summary"] if self.report else {}
        return {"file": self.file, "unit": self.unit, "failed": self.failed,
                "imported": summary.get("imported", 0), "updated": summary.get("updated", 0),
                "unmatched": summary.get("unmatched", 0),
                "proposals": summary.get("proposals", 0),
                "conflicts": summary.get("conflicts", 0), "errors": summary.get("errors", 0),
                "error": self.error.as_dict() if self.error else None, "notes": self.notes}


@dataclass
class BatchReport:
    source: str
    period: str
    dry_run: bool
    files: list[FileOutcome] = field(default_factory=list)

    @property
    def failed(self) -> list[FileOutcome]:
        return [f for f in self.files if f.failed]

    def totals(self) -> dict[str, int]:
        rows = [f.as_dict() for f in self.files]
        keys = ("imported", "updated", "unmatched", "proposals", "conflicts", "errors")
        return {"files": len(rows), "failed": len(self.failed),
                **{key: sum(r[key] for r in rows) for key in keys}}

    def as_dict(self) -> dict[str, Any]:
        return {"source": self.source, "period": self.period, "dry_run": self.dry_run,
                "files": [f.as_dict() for f in self.files], "totals": self.totals()}


def batch_files(path: Path) -> Iterator[tuple[str, Callable[[], bytes]]]:
    """(name, read) for every report file of a folder or a .zip, in name order."""
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if _is_report_file(p.name) and p.is_file()):
            yield str(file.relative_to(path)), _file_reader(file)
        return
    check_size(path.stat().st_size, path.name, BATCH.file_bytes)
    data = path.read_bytes()
    if not is_zip(data):
        raise ParstatError("import.unknown_format", name=path.name)
    archive = open_zip(data, path.name, BATCH)
    for member in sorted(archive.infolist(), key=lambda m: m.filename):
        if not member.is_dir() and _is_report_file(member.filename):
            yield member.filename, _member_reader(archive, member, path.name)


def _is_report_file(name: str) -> bool:
    base = PurePosixPath(name.replace("\\", "/")).name
    # Office's lock files ("~$bao cao.docx") and macOS resource forks are not reports.
    return (base.lower().endswith(REPORT_SUFFIXES) and not base.startswith(("~$", "._", "."))
            and "__MACOSX/" not in name)


def _file_reader(file: Path) -> Callable[[], bytes]:
    def read() -> bytes:
        check_size(file.stat().st_size, file.name, MAX_FILE_BYTES)
        return file.read_bytes()
    return read


def _member_reader(archive: zipfile.ZipFile, member: zipfile.ZipInfo,
                   name: str) -> Callable[[], bytes]:
    def read() -> bytes:
        check_size(member.file_size, member.filename, MAX_FILE_BYTES)
        return read_member(archive, member, name)
    return read


@dataclass(frozen=True)
class PeriodOverrides:
    """Per file: a period forced for it (``--file-period NAME=PERIOD``), or its own stated
    period accepted as differing from the batch's (``--accept-period NAME``). Names are the
    file's name as the batch lists it, or its base name."""

    forced: Mapping[str, str] = field(default_factory=dict)
    accepted: frozenset[str] = frozenset()

    def period_for(self, name: str, default: str) -> str:
        return self.forced.get(name) or self.forced.get(PurePosixPath(name).name) or default

    def refuses_mismatch(self, name: str) -> bool:
        base = PurePosixPath(name).name
        return not ({name, base} & self.accepted) and name not in self.forced \
            and base not in self.forced


def import_batch(path: Path, *, period_code: str, dry_run: bool = False, acting_user: Actor,
                 progress: Callable[[list[tuple[str, Callable[[], bytes]]]], Any] | None = None,
                 overrides: PeriodOverrides | None = None) -> BatchReport:
    """Import every report file under ``path``. Refusals of the batch itself (a hostile zip,
    nothing to import) raise; refusals of one file are recorded and the batch goes on. A file
    whose title states another period than the batch's is refused unless ``overrides`` force
    its period or accept it."""
    files = list(batch_files(path))
    if not files:
        raise ParstatError("import.batch_empty", name=path.name)
    result = BatchReport(source=path.name, period=period_code, dry_run=dry_run)
    seen: dict[str, str] = {}
    overrides = overrides or PeriodOverrides()
    for name, read in (progress(files) if progress else files):
        result.files.append(_import_one(name, read, period_code, dry_run, acting_user, seen,
                                        overrides))
    return result


def _import_one(name: str, read: Callable[[], bytes], period_code: str, dry_run: bool,
                actor: Actor, seen: dict[str, str], overrides: PeriodOverrides) -> FileOutcome:
    outcome = FileOutcome(file=name)
    try:
        table = read_upload(read(), name)
        guess = _unit_of(table, name)
        outcome.unit = guess.code
        if guess.code in seen:
            raise ParstatError("import.batch_duplicate", name=name, unit=guess.code,
                               first=seen[guess.code])
        seen[guess.code] = name
        outcome.report = import_table(
            table, PurePosixPath(name).name, unit_code=guess.code,
            period_code=overrides.period_for(name, period_code), dry_run=dry_run,
            refuse_other_period=overrides.refuses_mismatch(name), acting_user=actor)
        outcome.notes.extend(_notes(outcome.report, guess, name))
        if outcome.report.questions:  # a dry run asks; the file cannot go through unanswered
            question = outcome.report.questions[0]
            raise ParstatError(question["code"], **question["params"])
    except ParstatError as error:
        outcome.error = error
    return outcome


def _unit_of(table: FileTable, name: str) -> UnitGuess:
    facts = file_document(table)
    guess = propose_unit(facts.issuer, facts.issued_on) if facts.issuer else None
    guess = guess or unit_from_file_name(name)
    if guess is None:
        raise ParstatError("import.unit_unknown", name=name,
                           reason="unit.no_match")
    return guess


def _notes(report: ImportReport, guess: UnitGuess, name: str) -> list[str]:
    source = "tiêu đề văn bản" if guess.source == "document" else "tên tệp"
    notes = [f"đơn vị theo {source} ({guess.score}/100)"]
    named = unit_from_file_name(name) if guess.source == "document" else None
    if named is not None and named.code != guess.code:
        notes.append(f"tên tệp chỉ đơn vị {named.code}, khác tiêu đề văn bản")
    notes.extend(w["message"] for w in report.warnings)  # accepted or forced, still said
    proposed = propose_period(report.document.issued_on)
    if proposed and proposed != report.period:
        notes.append(f"ngày văn bản gợi ý kỳ {proposed}, đã nhập vào kỳ {report.period}")
    return notes
