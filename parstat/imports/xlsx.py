"""Reader of Excel (.xlsx): every sheet whose first rows hold the table's header.

openpyxl reads in read-only mode with cached values (``data_only``): a formula gives the value
Excel last computed, never the formula; a formula never calculated (a file written by a program
and not opened in Excel since) reads blank. Merged cells keep their text in the top-left cell
only, which is how the printed table reads. Numbers stored as numbers are written back the
Vietnamese way ("32,5"), so the same parsing applies as to text; a cell formatted as a
percentage stores a fraction (0,325) and is read as the percentage shown (32,5).
"""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal
from itertools import islice
from typing import Any

import openpyxl

from parstat.errors import ParstatError
from parstat.imports.grid import (
    HEADER_SCAN_ROWS,
    MAX_ROWS,
    BareNumber,
    GridRow,
    check_row_count,
    locate_header,
    table_from_grid,
)
from parstat.imports.rows import FileTable


def read_xlsx_table(data: bytes, name: str) -> FileTable:
    """Every sheet whose first rows hold the header; the first carries all in ``candidates``."""
    book = _open(data, name)
    tables: list[FileTable] = []
    try:
        for sheet in book.worksheets:
            grid = _sheet_grid(sheet, name)
            if grid is not None:
                tables.append(table_from_grid(grid, name, where=f"trang tính «{sheet.title}»"))
    except ParstatError:
        raise
    except Exception as error:  # a damaged sheet part: openpyxl raises many kinds
        raise ParstatError("import.corrupt", name=name, reason=_reason(error)) from None
    finally:
        book.close()
    if not tables:
        raise ParstatError("import.no_table", name=name)
    tables[0].candidates = tables
    return tables[0]


def _open(data: bytes, name: str) -> Any:
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                      keep_links=False)
    except Exception as error:
        raise ParstatError("import.corrupt", name=name, reason=_reason(error)) from None


def _reason(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:200]


def _sheet_grid(sheet: Any, name: str) -> list[GridRow] | None:
    """The sheet's rows, or None when its first rows hold no header (read no further then)."""
    if not hasattr(sheet, "reset_dimensions"):
        return None  # a chart sheet
    sheet.reset_dimensions()  # some writers declare a wrong size; read what is there
    rows = enumerate(sheet.iter_rows(min_row=1), start=1)
    grid = [(number, [cell_text(c) for c in cells]) for number, cells in
            islice(rows, HEADER_SCAN_ROWS)]
    if locate_header(grid) is None:
        return None
    grid.extend((number, [cell_text(c) for c in cells]) for number, cells in
                islice(rows, MAX_ROWS + 1 - len(grid)))
    check_row_count(len(grid), name)
    return grid


def cell_text(cell: Any) -> str:
    """The cell as it reads; a number without a % format comes as a :class:`BareNumber`."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return _number_text(value, cell.number_format or "")
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.isoformat()
    return str(value)


def _number_text(value: int | float, number_format: str) -> str:
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    percent = "%" in number_format
    if percent:
        number *= 100
    if number == number.to_integral_value():
        text = str(number.quantize(Decimal(1)))
    else:
        text = format(number.normalize(), "f").replace(".", ",")
    return text if percent else BareNumber(text)
