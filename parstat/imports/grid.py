"""From a grid of cell texts (any reader's) to the indicator table: header, columns, rows.

Every reader (text, CSV, Word, Excel) turns its file into numbered rows of cell texts; this module
finds the header row by its words (STT, Chỉ tiêu, Đơn vị tính, Kết quả, Ghi chú), maps columns by
those words rather than by position (offices add, drop or reorder columns), and makes FileRows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from parstat.errors import ParstatError
from parstat.imports.rows import (
    ROMAN,
    ROMAN_LABEL,
    FileRow,
    FileTable,
    clean_cell,
    document_facts_from_lines,
)

HEADER_SCAN_ROWS = 60  # the header stands near the top: title lines, then the table
GridRow = tuple[int, list[str]]  # (row number as a person finds it, cell texts)

# Words of each column's header; the first column whose header contains one of them wins.
COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "số tt", "số thứ tự", "tt"),
    "label": ("chỉ tiêu", "nội dung"),
    "unit": ("đơn vị tính", "đvt", "đơn vị"),
    "value": ("kết quả", "số liệu", "số lượng", "giá trị"),
    "note": ("ghi chú",),
}


@dataclass(frozen=True)
class Columns:
    stt: int
    label: int
    unit: int | None
    value: int
    note: int | None
    header: tuple[str, ...]  # the header row's folded cells, to skip it when a table repeats it

    def cell(self, cells: list[str], index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""


def _fold(text: str) -> str:
    return " ".join(clean_cell(text).casefold().split())


def find_columns(cells: list[str]) -> Columns | None:
    """The column layout if ``cells`` is the table's header row."""
    folded = [_fold(c) for c in cells]
    stt = next((i for i, c in enumerate(folded) if c in COLUMN_WORDS["stt"]), None)
    label = _column(folded, "label")
    if stt is None or label is None:
        return None
    unit = _column(folded, "unit", exclude={label})
    value = _column(folded, "value", exclude={label, unit})
    if value is None:
        # Header "Số lượng/tỷ lệ" only on the second line: the value follows the unit column.
        value = max(i for i in (stt, label, unit) if i is not None) + 1
    note = _column(folded, "note", exclude={label, unit, value})
    return Columns(stt, label, unit, value, note, tuple(folded))


def _column(folded: list[str], role: str, exclude: Iterable[int | None] = ()) -> int | None:
    skip = set(exclude)
    for index, text in enumerate(folded):
        if index not in skip and any(word in text for word in COLUMN_WORDS[role]):
            return index
    return None


def is_header(cells: list[str]) -> bool:
    return find_columns(cells) is not None


def locate_header(rows: list[GridRow]) -> tuple[int, Columns] | None:
    for index, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = find_columns(cells)
        if columns is not None:
            return index, columns
    return None


def table_from_grid(rows: list[GridRow], name: str, title_lines: list[str] | None = None,
                    ) -> FileTable:
    """The indicator table of a grid whose header stands within its first rows.

    ``title_lines`` are text above the grid (a Word document's paragraphs); the grid's own rows
    above the header (a sheet's title rows) are added to them for the document facts.
    """
    found = locate_header(rows)
    if found is None:
        raise ParstatError("import.no_table", name=name)
    at, columns = found
    above = [" ".join(c for c in cells if c) for _n, cells in rows[:at]]
    table = FileTable(document=document_facts_from_lines([*(title_lines or []), *above]))
    table.rows.extend(file_rows(rows[at + 1:], columns))
    return table


def file_rows(rows: Iterable[GridRow], columns: Columns) -> Iterator[FileRow]:
    for number, raw in rows:
        row = _file_row(number, [clean_cell(c) for c in raw], columns)
        if row is not None:
            yield row


def _file_row(number: int, cells: list[str], columns: Columns) -> FileRow | None:
    stt, label = columns.cell(cells, columns.stt), columns.cell(cells, columns.label)
    unit, value = columns.cell(cells, columns.unit), columns.cell(cells, columns.value)
    note = columns.cell(cells, columns.note)
    if label and _fold(label) == columns.header[columns.label]:
        return None  # the header repeated where a table continues on the next page
    stt = stt.rstrip(".")
    if not label:
        merged = ROMAN_LABEL.match(stt) if not (unit or value) else None
        if merged is None:
            return None  # empty rows and the "Số lượng/tỷ lệ" second header line
        stt, label = merged["numeral"], merged["label"]
    elif not stt and not (unit or value):
        merged = ROMAN_LABEL.match(label)
        if merged is not None:
            stt, label = merged["numeral"], merged["label"]
    return FileRow(row=number, stt=stt, label=label, unit=unit, value=value, note=note,
                   is_section=bool(ROMAN.match(stt)))
