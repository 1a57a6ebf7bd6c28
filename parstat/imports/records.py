"""Lists of records from a spreadsheet: the unit registry and the people of a province.

A file is a header row and one record a row, as .xlsx (the first sheet) or .csv (UTF-8, with or
without BOM, ``;`` or ``,``). The same safety checks as for report files come first (size, zip
bomb, DTD/entities). Headers are matched after folding (case, accents, spaces) against each
column's accepted names, so "Mã đơn vị", "ma don vi" and "code" are one column. Cells are kept as
text exactly as written; what a column means is for its reader (units, users) to decide.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from parstat.errors import ParstatError
from parstat.imports.safety import check_package_xml, check_size, is_zip, open_zip
from parstat.imports.text import decode_text

MAX_RECORDS = 20_000  # a province has a few hundred units and people; more is not a registry


@dataclass(frozen=True)
class Record:
    row: int  # the file's own row number (the header is row 1 of a plain file)
    cells: Mapping[str, str]  # column name → text as written ("" for an empty cell)


@dataclass(frozen=True)
class Refusal:
    """A record refused, with its row and the key it names (a unit code, a username)."""

    row: int
    code: str
    error: ParstatError

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "code": self.code, "error": self.error.code,
                "message": self.error.message, "message_en": self.error.message_en}


def fold_header(text: str) -> str:
    """Compare-form of a header: no accents (đ → d), lower case, single spaces, no punctuation."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    kept = "".join(ch if ch.isalnum() else " " for ch in plain.casefold())
    return " ".join(kept.split())


def read_records(data: bytes, name: str, columns: Mapping[str, Sequence[str]],
                 required: Sequence[str]) -> list[Record]:
    """Records of a .xlsx or .csv file. ``columns``: column name → accepted header spellings
    (the name itself is always accepted). A missing required column, an unknown or repeated
    header, or a file with no record is refused, naming the file and the header."""
    check_size(len(data), name)
    grid = _xlsx_grid(data, name) if is_zip(data) else _csv_grid(data, name)
    header_at = next((i for i, (_, cells) in enumerate(grid) if any(c.strip() for c in cells)),
                     None)
    if header_at is None:
        raise ParstatError("records.empty", name=name)
    header_row, header = grid[header_at]
    accepted = {fold_header(spelling): column for column, spellings in columns.items()
                for spelling in (column, *spellings)}
    names: list[str | None] = []
    for text in header:
        folded = fold_header(text)
        if not folded:
            names.append(None)
            continue
        if folded not in accepted:
            raise ParstatError("records.unknown_column", name=name, line=header_row, header=text,
                               columns=", ".join(columns))
        if accepted[folded] in names:
            raise ParstatError("records.repeated_column", name=name, header=text)
        names.append(accepted[folded])
    missing = [c for c in required if c not in names]
    if missing:
        raise ParstatError("records.missing_column", name=name, columns=", ".join(missing))
    records = []
    for number, cells in grid[header_at + 1:]:
        values = {column: (cells[i].strip() if i < len(cells) else "")
                  for i, column in enumerate(names) if column is not None}
        if any(values.values()):
            records.append(Record(number, values))
    if not records:
        raise ParstatError("records.empty", name=name)
    if len(records) > MAX_RECORDS:
        raise ParstatError("records.too_many", name=name, count=len(records), limit=MAX_RECORDS)
    return records


def _csv_grid(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    text = unicodedata.normalize("NFC", decode_text(data, name))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [(number, row) for number, row in
            enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1)]


def _xlsx_grid(data: bytes, name: str) -> list[tuple[int, list[str]]]:
    import openpyxl

    with open_zip(data, name) as archive:
        check_package_xml(archive, name)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                      keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ParstatError("import.corrupt", name=name, reason=str(error)[:200]) from None
    try:
        sheet = book.worksheets[0]
        return [(number, [_cell_text(value) for value in row]) for number, row in
                enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed as a number (1001) is not "1001.0"
    return unicodedata.normalize("NFC", str(value))


def parse_day(text: str) -> date | None:
    """A date as registries write it: 01/07/2025, 1/7/2025, 2025-07-01; "" is no date."""
    text = text.strip()
    if not text:
        return None
    for layout in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise ParstatError("records.bad_date", text=text)
