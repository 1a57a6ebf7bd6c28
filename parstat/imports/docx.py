"""Reader of Word (.docx): the indicator table among the document's tables.

The package is opened with python-docx, but rows are walked on its XML directly: python-docx's
``row.cells`` repeats a merged cell's text in every grid column it spans, which would copy a
section's title into the unit and value columns. Here a cell spanning columns (``gridSpan``)
gives its text once and blanks after it, and a vertically merged continuation (``vMerge``) is
blank, as a person reading the printed table sees it.

A table that Word split (a page break, a pasted continuation) is read on: a following table with
as many grid columns continues it, its repeated header skipped; one with another column count
continues it when it repeats the header (its columns mapped by its own header) or when nothing
is written between the two (its columns mapped by the first table's layout placed on its label
column). Rows are numbered from 1 at the first row of the table holding the header, across the
continuations. Every table with the header is a candidate; the content decides which is read.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn

from parstat.errors import ParstatError
from parstat.imports.grid import (
    Columns,
    GridRow,
    Segment,
    check_row_count,
    continuation_layout,
    file_rows,
    locate_header,
    table_at,
)
from parstat.imports.rows import FileTable

W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_VAL = qn("w:val")
TEXT_NODES = (W_T, W_TAB, W_BR, W_CR)


def read_docx_table(data: bytes, name: str) -> FileTable:
    """Every table of the document that has an indicator table's header, with its
    continuations; the first found carries them all in ``candidates``."""
    body = _open(data, name).element.body
    title_lines: list[str] = []
    builders: list[_Candidate] = []
    current: _Candidate | None = None
    text_since_table = False
    table_number = 0
    for child in body.iterchildren():
        if child.tag == W_P:
            text = paragraph_text(child)
            title_lines.append(text)
            text_since_table = text_since_table or bool(text)
            continue
        if child.tag != W_TBL:
            continue
        table_number += 1
        rows = list(_numbered_rows(child, start=1))
        check_row_count(len(rows), name)
        found = locate_header(rows)
        width = _grid_width(child)
        if current is not None and current.continued_by(found, width, text_since_table):
            current.add(rows, width)
        elif found is not None:
            current = _Candidate(rows, found, [line for line in title_lines if line],
                                 f"bảng {table_number} của tài liệu")
            builders.append(current)
        else:
            current = None  # a layout table (issuer | national motto) or signatures
            title_lines.extend(text for _n, cells in rows for text in cells if text)
        text_since_table = False
    if not builders:
        raise ParstatError("import.no_table", name=name)
    tables = [b.table(name) for b in builders]
    tables[0].candidates = tables
    return tables[0]


class _Candidate:
    """A table with the header, and the tables continuing it after a page break."""

    def __init__(self, rows: list[GridRow], found: tuple[int, Columns], title: list[str],
                 where: str) -> None:
        self.rows, self.found, self.title, self.where = rows, found, title, where
        self.columns = found[1]
        self.segments: list[Segment] = []
        self.numbered = len(rows)  # rows so far, header rows of continuations included

    def continued_by(self, found: tuple[int, Columns] | None, width: int,
                     text_between: bool) -> bool:
        if found is not None:
            # A header at the top of a table right after this one (nothing written between,
            # only a page break): the table repeated its header on the next page, in the same
            # words or in others ("Nội dung" for "Chỉ tiêu thống kê") with a unit column like
            # this one's — a table of contents or a task table has none.
            own = found[1]
            same_label = own.header[own.label] == self.columns.header[self.columns.label]
            both_units = own.unit is not None and self.columns.unit is not None
            return not text_between and found[0] == 0 and (same_label or both_units)
        if width == self.columns.width:
            return True
        return width >= 3 and not text_between

    def add(self, rows: list[GridRow], width: int) -> None:
        numbered = [(self.numbered + n, cells) for n, cells in rows]
        self.numbered += len(rows)
        if width == self.columns.width and locate_header(numbered[:1]) is None:
            self.segments.append(Segment(numbered, self.columns,
                                         tuple(c.index for c in self.columns.value_columns)))
            return
        self.segments.append(continuation_layout(self.columns, numbered, width))

    def table(self, name: str) -> FileTable:
        table = table_at(self.rows, self.found, name, self.title, self.where)
        for segment in self.segments:
            table.rows.extend(file_rows(segment.rows, segment.columns, segment.value_map))
        check_row_count(len(table.rows), name)
        return table


def _open(data: bytes, name: str) -> Any:
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises KeyError, ValueError, lxml errors, …
        raise ParstatError("import.corrupt", name=name, reason=_reason(error)) from None


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:200]


def paragraph_text(paragraph: Any) -> str:
    return "".join(node.text or "" if node.tag == W_T else " "
                   for node in paragraph.iter(*TEXT_NODES)).strip()


def _grid_width(table: Any) -> int:
    return len(table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}"))


def _numbered_rows(table: Any, start: int) -> Iterator[GridRow]:
    for number, row in enumerate(_children(table, W_TR), start=start):
        yield number, _row_cells(row)


def _children(parent: Any, tag: str) -> Iterator[Any]:
    """Direct children with ``tag``, looking through content controls (``w:sdt``)."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _children(content, tag)


def _row_cells(row: Any) -> list[str]:
    cells = [""] * _int_property(row.find(qn("w:trPr")), "w:gridBefore", 0)
    for cell in _children(row, W_TC):
        properties = cell.find(qn("w:tcPr"))
        continued = _is_merge_continuation(properties)
        cells.append("" if continued else _cell_text(cell))
        cells.extend([""] * (_int_property(properties, "w:gridSpan", 1) - 1))
    return cells


def _int_property(properties: Any, tag: str, default: int) -> int:
    node = properties.find(qn(tag)) if properties is not None else None
    try:
        return max(int(node.get(W_VAL)), 0) if node is not None else default
    except (TypeError, ValueError):
        return default


def _is_merge_continuation(properties: Any) -> bool:
    node = properties.find(qn("w:vMerge")) if properties is not None else None
    return node is not None and node.get(W_VAL, "continue") == "continue"


def _cell_text(cell: Any) -> str:
    return " ".join(text for p in cell.iter(W_P) if (text := paragraph_text(p)))
