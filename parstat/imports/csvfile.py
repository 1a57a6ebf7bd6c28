"""Reader of CSV: UTF-8 with or without BOM, comma or semicolon (Excel in a Vietnamese locale,
where the comma is the decimal mark, writes semicolons)."""

from __future__ import annotations

import csv
import io

from parstat.errors import ParstatError
from parstat.imports.grid import GridRow, locate_header, table_from_grid
from parstat.imports.rows import FileTable
from parstat.imports.text import decode_text

DELIMITERS = (";", ",", "\t")


def read_csv_table(data: bytes, name: str) -> FileTable:
    return csv_table(decode_text(data, name), name)


def csv_table(text: str, name: str) -> FileTable:
    # The delimiter is whichever makes a header appear: counting characters would be fooled by
    # the commas of Vietnamese decimals ("32,5") and of labels.
    for delimiter in DELIMITERS:
        grid = _grid(text, delimiter, name)
        if locate_header(grid) is not None:
            return table_from_grid(grid, name, where="bảng CSV")
    raise ParstatError("import.no_table", name=name)


def _grid(text: str, delimiter: str, name: str) -> list[GridRow]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [(reader.line_num, cells) for cells in reader]
    except csv.Error as error:
        raise ParstatError("import.corrupt", name=name, reason=f"CSV: {error}") from None

