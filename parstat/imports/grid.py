"""From a grid of cell texts (any reader's) to indicator tables: header, columns, rows.

Every reader (text, CSV, Word, Excel) turns its file into numbered rows of cell texts; this module
finds the header row by its words (STT, Chỉ tiêu, Đơn vị tính, Kết quả, Ghi chú), maps columns by
those words rather than by position (offices add, drop or reorder columns), and makes FileRows.

A header may take two lines ("Kết quả thực hiện" merged over "Năm 2023 | Năm 2024"): each
column's header is its own words after the words of the merged cell above it. Every column that
may hold the values is kept as a *value column*, with the words that tell whether it is the
report's period or a plan / previous-year / comparison column; which one is read is decided
later, when the report's period is known (:mod:`parstat.imports.choose`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from parstat.errors import ParstatError
from parstat.imports.rows import (
    ROMAN,
    ROMAN_LABEL,
    FileRow,
    FileTable,
    clean_cell,
    document_facts_from_lines,
    period_words_from_lines,
)

HEADER_SCAN_ROWS = 60  # the header stands near the top: title lines, then the table
SUB_HEADER_ROWS = 2  # lines under the header that still name columns ("Năm 2023 | Năm 2024")
# The template has 178 rows; a file of more than this is not a report table (a 259,502-row CSV
# took 80 s and 676 MB before this limit). Checked before the rows are walked.
MAX_ROWS = 5_000
# A report table has 5 to 10 columns, a few more with plan and comparison columns. A sheet row
# with a value in column XFD (16,384, the last) made every row of the sheet that wide to walk:
# a 60 KB file took seconds and a gigabyte. Refused, saying where, rather than read.
MAX_COLUMNS = 500
GridRow = tuple[int, list[str]]  # (row number as a person finds it, cell texts)

# Words of each column's header; the first column whose header contains one of them wins.
COLUMN_WORDS: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "số tt", "số thứ tự", "tt"),
    "label": ("chỉ tiêu", "nội dung"),
    "unit": ("đơn vị tính", "đvt", "đơn vị"),
    "value": ("kết quả", "số liệu", "số lượng", "giá trị", "thực hiện", "kỳ báo cáo",
              "kỳ này", "tỷ lệ"),
    "note": ("ghi chú",),
}
# A value column with one of these words holds another period's or a derived figure.
OTHER_FIGURE_WORDS = ("kế hoạch", "cùng kỳ", "năm trước", "kỳ trước", "so sánh", "so với",
                      "tăng", "giảm", "dự kiến", "ước", "chỉ tiêu giao", "mục tiêu")


class BareNumber(str):
    """A cell text written from a number a spreadsheet stored without a % format: 0.99907 in a
    percent row is then a fraction, not "0,99907 %". Readers mark such cells; text stays str."""

    __slots__ = ()


@dataclass(frozen=True)
class ValueColumn:
    index: int  # 0-based grid column
    header: str  # the header's words as printed, both lines ("Kết quả thực hiện Năm 2024")
    other_figure: str = ""  # the word marking a plan / previous / comparison column, if any

    @property
    def number(self) -> int:
        return self.index + 1  # as a person counts columns (--value-column)

    def as_dict(self) -> dict[str, object]:
        return {"column": self.number, "header": self.header, "other_figure": self.other_figure}


@dataclass(frozen=True)
class Columns:
    stt: int
    label: int
    unit: int | None
    value: int
    note: int | None
    header: tuple[str, ...]  # the header row's folded cells, to skip it when a table repeats it
    value_columns: tuple[ValueColumn, ...] = ()
    header_rows: int = 1  # the header and its sub-header lines

    def cell(self, cells: list[str], index: int | None) -> str:
        return cells[index] if index is not None and index < len(cells) else ""

    @property
    def width(self) -> int:
        return len(self.header)


def fold_header(text: str) -> str:
    return " ".join(clean_cell(text).casefold().split())


_fold = fold_header


def find_columns(cells: list[str], below: list[list[str]] | None = None) -> Columns | None:
    """The column layout if ``cells`` is the table's header row; ``below`` are the rows under
    it, whose leading label-less lines complete a two-line header."""
    folded = [_fold(c) for c in cells]
    stt = next((i for i, c in enumerate(folded) if c in COLUMN_WORDS["stt"]), None)
    label = _column(folded, "label")
    if stt is None or label is None:
        return None
    unit = _column(folded, "unit", exclude={label})
    subs = _sub_header_rows(below or [], label, stt)
    combined = _combined_headers(cells, subs)
    taken = {stt, label, unit}
    note = _column(folded, "note", exclude=taken)
    value_columns = _value_columns(combined, taken | {note})
    if value_columns:
        value = next((c.index for c in value_columns if not c.other_figure),
                     value_columns[0].index)
    else:
        # Header "Số lượng/tỷ lệ" only on the second line: the value follows the unit column.
        value = max(i for i in (stt, label, unit) if i is not None) + 1
        value_columns = (ValueColumn(value, combined[value] if value < len(combined) else ""),)
    if note is None:
        note = _column(folded, "note", exclude=taken | {value})
    return Columns(stt, label, unit, value, note, tuple(folded), value_columns, 1 + len(subs))


def _column(folded: list[str], role: str, exclude: Iterable[int | None] = ()) -> int | None:
    skip = set(exclude)
    for index, text in enumerate(folded):
        if index not in skip and any(word in text for word in COLUMN_WORDS[role]):
            return index
    return None


def _sub_header_rows(below: list[list[str]], label: int, stt: int) -> list[list[str]]:
    subs = []
    for cells in below[:SUB_HEADER_ROWS]:
        texts = [clean_cell(c) for c in cells]
        label_text = texts[label] if label < len(texts) else ""
        stt_text = texts[stt] if stt < len(texts) else ""
        words = [t for t in texts if t]
        # A numbering line under the header ("(1) (2) (3)" or "1 2 3 4") names nothing.
        if label_text or stt_text or not words or all(_is_column_number(t) for t in words):
            break
        subs.append(texts)
    return subs


COLUMN_NUMBER = re.compile(r"^\(?\s*[0-9A-Za-z]{1,2}\s*\)?$")


def _is_column_number(text: str) -> bool:
    return bool(COLUMN_NUMBER.match(text))


def _combined_headers(cells: list[str], subs: list[list[str]]) -> list[str]:
    """Each column's header words, the merged cell above it carried over the columns it spans:
    a merged cell keeps its text in its first column only, so a blank top cell with words below
    belongs to the merged header on its left."""
    width = max([len(cells), *(len(s) for s in subs)])
    top = [clean_cell(c) for c in cells] + [""] * (width - len(cells))
    for sub in subs:
        for index in range(1, width):
            below = sub[index] if index < len(sub) else ""
            if not top[index] and below and top[index - 1]:
                top[index] = top[index - 1]
    combined = []
    for index in range(width):
        words = [top[index], *(s[index] for s in subs if index < len(s))]
        combined.append(" ".join(w for w in words if w))
    return combined


def _value_columns(combined: list[str], taken: set[int | None]) -> tuple[ValueColumn, ...]:
    found = []
    for index, text in enumerate(combined):
        folded = _fold(text)
        other = next((w for w in OTHER_FIGURE_WORDS if w in folded), "")
        if index in taken or not (any(word in folded for word in COLUMN_WORDS["value"])
                                  or PERIOD_HEADER.search(folded) or other):
            continue
        found.append(ValueColumn(index, text, other))
    return tuple(found)


PERIOD_HEADER = re.compile(r"\b(?:năm|quý|tháng)\s+\S*\d|\b20\d\d\b")


def is_header(cells: list[str]) -> bool:
    return find_columns(cells) is not None


def locate_header(rows: list[GridRow]) -> tuple[int, Columns] | None:
    for index, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        if find_columns(cells) is not None:
            below = [c for _n, c in rows[index + 1:index + 1 + SUB_HEADER_ROWS]]
            columns = find_columns(cells, below)
            assert columns is not None
            return index, columns
    return None


def check_row_count(count: int, name: str) -> None:
    if count > MAX_ROWS:
        raise ParstatError("import.too_many_rows", name=name, count=count, limit=MAX_ROWS)


def check_row_width(cells: list[str], row: int, name: str) -> None:
    if len(cells) > MAX_COLUMNS:
        raise ParstatError("import.too_many_columns", name=name, row=row, count=len(cells),
                           limit=MAX_COLUMNS)


def table_from_grid(rows: list[GridRow], name: str, title_lines: list[str] | None = None,
                    where: str = "") -> FileTable:
    """The indicator table of a grid whose header stands within its first rows.

    ``title_lines`` are text above the grid (a Word document's paragraphs); the grid's own rows
    above the header (a sheet's title rows) are added to them for the document facts.
    """
    found = locate_header(rows)
    if found is None:
        raise ParstatError("import.no_table", name=name)
    return table_at(rows, found, name, title_lines, where)


def table_at(rows: list[GridRow], found: tuple[int, Columns], name: str,
             title_lines: list[str] | None = None, where: str = "") -> FileTable:
    check_row_count(len(rows), name)
    at, columns = found
    above = [" ".join(c for c in cells if c) for _n, cells in rows[:at]]
    lines = [*(title_lines or []), *above]
    table = FileTable(document=document_facts_from_lines(lines),
                      period_words=period_words_from_lines(lines), where=where,
                      value_columns=list(columns.value_columns))
    table.rows.extend(file_rows(rows[at + columns.header_rows:], columns))
    return table


def file_rows(rows: Iterable[GridRow], columns: Columns,
              value_map: tuple[int | None, ...] | None = None) -> Iterator[FileRow]:
    """FileRows of ``rows`` laid out as ``columns``. ``value_map`` gives, for each value column
    of the table the rows continue, the index of its column here (None: this table has none)."""
    if value_map is None:
        value_map = tuple(c.index for c in columns.value_columns)
    for number, raw in rows:
        row = _file_row(number, raw, columns, value_map)
        if row is not None:
            yield row


def _file_row(number: int, raw: list[str], columns: Columns,
              value_map: tuple[int | None, ...]) -> FileRow | None:
    cells = [clean_cell(c) for c in raw]
    stt, label = columns.cell(cells, columns.stt), columns.cell(cells, columns.label)
    unit, note = columns.cell(cells, columns.unit), columns.cell(cells, columns.note)
    values = tuple((columns.cell(cells, i), isinstance(columns.cell(raw, i), BareNumber))
                   if i is not None else ("", False) for i in value_map)
    value, bare = values[0] if values else ("", False)
    if label and _fold(label) == columns.header[columns.label]:
        return None  # the header repeated where a table continues on the next page
    words = [c for c in cells if c]
    if len(words) >= 3 and all(_is_column_number(c) for c in words):
        return None  # the columns' numbering line under the header: "(1) (2) (3) (4) (5)"
    stt = stt.rstrip(".")
    any_value = any(text for text, _b in values)
    if not label:
        merged = ROMAN_LABEL.match(stt) if not (unit or any_value) else None
        if merged is None and any(ch.isdigit() for text, _b in values for ch in text):
            # A number with no label (a label cell merged down over it): listed as a row that
            # matches nothing, never dropped without a word.
            return FileRow(row=number, stt=stt, label="", unit=unit, value=value, note=note,
                           bare_number=bare, values=values,
                           unmapped=frozenset(i for i, index in enumerate(value_map)
                                              if index is None))
        if merged is None:
            return None  # empty rows and the "Số lượng/tỷ lệ" second header line
        stt, label = merged["numeral"], merged["label"]
    elif not stt and not (unit or any_value):
        merged = ROMAN_LABEL.match(label)
        if merged is not None:
            stt, label = merged["numeral"], merged["label"]
    return FileRow(row=number, stt=stt, label=label, unit=unit, value=value, note=note,
                   is_section=bool(ROMAN.match(stt)), bare_number=bare, values=values,
                   unmapped=frozenset(i for i, index in enumerate(value_map) if index is None))


@dataclass
class Segment:
    """One Word table of a split indicator table: its rows and how its columns map."""

    rows: list[GridRow]
    columns: Columns
    value_map: tuple[int | None, ...] = field(default_factory=tuple)


def continuation_layout(first: Columns, rows: list[GridRow], width: int) -> Segment:
    """How a continuation table's columns map onto the first table's: by its own header when
    it repeats one, else by the first table's layout placed on its label column (the column
    holding the longest texts), whatever its column count."""
    found = locate_header(rows[:SUB_HEADER_ROWS + 1])
    if found is not None:
        at, own = found
        return Segment(rows[at + own.header_rows:], own, _map_values(first, own))
    label = _label_column_by_content(rows, width)
    shift = label - first.label

    def moved(index: int | None) -> int | None:
        if index is None or not 0 <= index + shift < width:
            return None
        return index + shift

    stt = moved(first.stt)
    columns = replace(first, stt=stt if stt is not None else -1, label=label,
                      unit=moved(first.unit), value=moved(first.value) or 0,
                      note=moved(first.note))
    return Segment(rows, columns, tuple(moved(c.index) for c in first.value_columns))


def _map_values(first: Columns, own: Columns) -> tuple[int | None, ...]:
    """Each of the first table's value columns found again in a continuation's own header: by
    the same header words (a repeated header may leave out the merged line above: "Năm 2024"
    continues "Kết quả thực hiện Năm 2024"), else in the same order among the columns of the
    same sort (values, or plan / previous / comparison)."""
    mapped: list[int | None] = []
    taken: set[int] = set()
    for column in first.value_columns:
        same = _same_header(column, own.value_columns, taken)
        if same is not None:
            taken.add(same)
        mapped.append(same)
    for sort in (True, False):  # other figures, then values
        left = [i for i, c in enumerate(first.value_columns)
                if mapped[i] is None and bool(c.other_figure) == sort]
        free = [c.index for c in own.value_columns
                if c.index not in taken and bool(c.other_figure) == sort]
        if left and len(left) == len(free):
            for i, index in zip(left, free, strict=True):
                mapped[i] = index
    return tuple(mapped)


def _same_header(column: ValueColumn, others: tuple[ValueColumn, ...],
                 taken: set[int]) -> int | None:
    wanted = _fold(column.header)
    exact = [c.index for c in others if c.index not in taken and _fold(c.header) == wanted]
    if exact:
        return exact[0]
    tails = [c.index for c in others if c.index not in taken and _fold(c.header)
             and (wanted.endswith(_fold(c.header)) or _fold(c.header).endswith(wanted))]
    return tails[0] if len(tails) == 1 else None


def _label_column_by_content(rows: list[GridRow], width: int) -> int:
    lengths = [0] * max(width, 1)
    for _n, cells in rows:
        for index, text in enumerate(cells[:width]):
            if not text.strip().replace(",", "").replace(".", "").isdigit():
                lengths[index] += len(text)
    return max(range(len(lengths)), key=lambda i: lengths[i])
