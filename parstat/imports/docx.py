"""Reader of Word (.docx): the indicator table among the document's tables.

The package is opened with python-docx, but rows are walked on its XML directly: python-docx's
``row.cells`` repeats a merged cell's text in every grid column it spans, which would copy a
section's title into the unit and value columns. Here a cell spanning columns (``gridSpan``)
gives its text once and blanks after it, and a vertically merged continuation (``vMerge``) is
blank, as a person reading the printed table sees it.

A table that Word split (a page break, a pasted continuation) is read on: each following table
with as many grid columns as the header's continues it, its repeated header skipped. Rows are
numbered from 1 at the first row of the table holding the header, across the continuations.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml.ns import qn

from parstat.errors import ParstatError
from parstat.imports.grid import GridRow, locate_header, table_from_grid
from parstat.imports.rows import FileTable

W_P, W_TBL, W_TR, W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
W_T, W_TAB, W_BR, W_CR = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
W_VAL = qn("w:val")
TEXT_NODES = (W_T, W_TAB, W_BR, W_CR)


def read_docx_table(data: bytes, name: str) -> FileTable:
    body = _open(data, name).element.body
    title_lines: list[str] = []
    grid: list[GridRow] = []
    width = 0
    for child in body.iterchildren():
        if child.tag == W_P and not grid:
            title_lines.append(paragraph_text(child))
        elif child.tag == W_TBL and not grid:
            rows = list(_numbered_rows(child, start=1))
            if locate_header(rows) is not None:
                grid, width = rows, _grid_width(child)
            else:  # a layout table above (issuer | national motto) still holds title lines
                title_lines.extend(text for _n, cells in rows for text in cells if text)
        elif child.tag == W_TBL and _grid_width(child) == width:
            grid.extend(_numbered_rows(child, start=len(grid) + 1))
        elif child.tag == W_TBL:
            break  # another table (signatures, a second appendix): the indicator table is over
    if not grid:
        raise ParstatError("import.no_table", name=name)
    return table_from_grid(grid, name, [line for line in title_lines if line])


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
