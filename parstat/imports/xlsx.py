"""Reader of Excel (.xlsx): every sheet whose first rows hold the table's header.

Cells are read as openpyxl reads them in read-only mode with cached values (``data_only``), by
:mod:`parstat.imports.sheetxml`, or by openpyxl itself for a file that reader does not read the
same way. A formula gives the value Excel last computed, never the formula; a formula never
calculated (a file written by a program and not opened in Excel since) reads blank. Merged cells
keep their text in the top-left cell only, which is how the printed table reads. Numbers stored
as numbers are written back the Vietnamese way ("32,5"), so the same parsing applies as to text;
a cell formatted as a percentage stores a fraction (0,325) and is read as the percentage shown
(32,5).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time
from decimal import Decimal
from itertools import islice
from typing import Any

import openpyxl

from parstat.errors import ParstatError
from parstat.imports import sheetxml
from parstat.imports.grid import (
    HEADER_SCAN_ROWS,
    MAX_ROWS,
    BareNumber,
    GridRow,
    check_row_count,
    check_row_width,
    locate_header,
    table_from_grid,
)
from parstat.imports.rows import FileTable


def read_xlsx_table(data: bytes, name: str) -> FileTable:
    """Every sheet whose first rows hold the header; the first carries all in ``candidates``.

    The cells are read by :mod:`parstat.imports.sheetxml`, or by openpyxl when that reader
    meets something it does not read the way openpyxl does; the two give the same rows."""
    try:
        grids = _grids_from_xml(data, name)
    except sheetxml.Unsupported:
        grids = _grids_from_openpyxl(data, name)
    tables = [table_from_grid(grid, name, where=f"trang tính «{title}»") for title, grid in grids]
    if not tables:
        raise ParstatError("import.no_table", name=name)
    tables[0].candidates = tables
    return tables[0]


def _grids_from_xml(data: bytes, name: str) -> list[tuple[str, list[GridRow]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise sheetxml.Unsupported(str(error)) from None
    with archive:
        book = sheetxml.open_book(archive)
        grids = [(title, _sheet_grid(sheetxml.sheet_rows(book, part, value_text), name))
                 for title, part in book.sheets]
    return [(title, grid) for title, grid in grids if grid is not None]


def _grids_from_openpyxl(data: bytes, name: str) -> list[tuple[str, list[GridRow]]]:
    book = _open(data, name)
    grids: list[tuple[str, list[GridRow]]] = []
    try:
        for sheet in book.worksheets:
            if not hasattr(sheet, "reset_dimensions"):
                continue  # a chart sheet
            sheet.reset_dimensions()  # some writers declare a wrong size; read what is there
            rows = ([cell_text(c) for c in cells] for cells in sheet.iter_rows(min_row=1))
            grid = _sheet_grid(rows, name)
            if grid is not None:
                grids.append((sheet.title, grid))
    except ParstatError:
        raise
    except Exception as error:  # a damaged sheet part: openpyxl raises many kinds
        raise ParstatError("import.corrupt", name=name, reason=_reason(error)) from None
    finally:
        book.close()
    return grids


def _open(data: bytes, name: str) -> Any:
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                      keep_links=False)
    except Exception as error:
        raise ParstatError("import.corrupt", name=name, reason=_reason(error)) from None


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:200]


def _sheet_grid(rows: Iterator[list[str]], name: str) -> list[GridRow] | None:
    """The sheet's rows, or None when its first rows hold no header (read no further then).
    Each row ends at its last cell that holds anything (an empty cell says nothing, and a
    formatted one may stand far to the right), and is at most MAX_COLUMNS wide."""
    numbered = ((number, _checked(without_trailing_blanks(cells), number, name))
                for number, cells in enumerate(rows, start=1))
    grid = list(islice(numbered, HEADER_SCAN_ROWS))
    if locate_header(grid) is None:
        return None
    grid.extend(islice(numbered, MAX_ROWS + 1 - len(grid)))
    check_row_count(len(grid), name)
    return grid


def without_trailing_blanks(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells if end == len(cells) else cells[:end]


def _checked(cells: list[str], number: int, name: str) -> list[str]:
    check_row_width(cells, number, name)
    return cells


def cell_text(cell: Any) -> str:
    """The cell as it reads; a number without a % format comes as a :class:`BareNumber`."""
    value = cell.value
    if value is None:
        return ""
    return value_text(value, cell.number_format if isinstance(value, int | float) else None)


def value_text(value: Any, number_format: str | None) -> str:
    """A value as openpyxl gives it, as it reads; ``number_format`` matters for numbers only."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return _number_text(value, number_format or "")
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _number_text(value: int | float, number_format: str) -> str:
    """Exact whatever the number's length: no step rounds at Decimal's 28 digits (a huge number
    is then written out in full, and the value's check refuses it by its size)."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        return BareNumber(repr(value))  # 1E+999 is a float's infinity: refused as no number
    percent = "%" in number_format
    if percent:
        sign, digits, exponent = number.as_tuple()
        number = Decimal((sign, digits, int(exponent) + 2))
    if number == number.to_integral_value():
        text = format(number.to_integral_value(), "f")
    else:
        text = format(number, "f").rstrip("0").replace(".", ",")
    return text if percent else BareNumber(text)
