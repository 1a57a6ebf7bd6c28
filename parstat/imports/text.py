"""Reader of the tab-separated text a Word table becomes when copied out (the seed's format).

Cells are split on tabs only, without quoting: a Word copy never quotes, and labels carry
quotation marks of their own (``<a href="…">``).
"""

from __future__ import annotations

from parstat.errors import ParstatError
from parstat.imports.grid import GridRow, table_from_grid
from parstat.imports.rows import FileTable


def decode_text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParstatError("import.encoding", name=name, position=error.start + 1) from None


def tab_table(text: str, name: str) -> FileTable:
    grid: list[GridRow] = [(n, line.split("\t")) for n, line in enumerate(text.splitlines(), 1)]
    return table_from_grid(grid, name, where="bảng văn bản tách bằng tab")


def read_text_table(data: bytes, name: str) -> FileTable:
    return tab_table(decode_text(data, name), name)
