"""Reader of the tab-separated text a Word table becomes when copied out (the seed's format)."""

from __future__ import annotations

from parstat.errors import ParstatError
from parstat.imports.rows import ROMAN, FileRow, FileTable, clean_cell, read_document_facts


def is_header(cells: list[str]) -> bool:
    folded = [c.casefold() for c in cells]
    return bool(folded) and folded[0] == "stt" and any("chỉ tiêu" in c for c in folded)


def read_text_table(data: bytes, name: str) -> FileTable:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ParstatError("import.unreadable", name=name,
                           reason=f"không phải văn bản UTF-8 (byte {error.start})") from None
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines)
                      if is_header([clean_cell(c) for c in line.split("\t")])), None)
    if header_at is None:
        raise ParstatError("import.no_table", name=name)
    table = FileTable(document=read_document_facts("\n".join(lines[:header_at])))
    for number, line in enumerate(lines[header_at + 1:], start=header_at + 2):
        row = _row(number, line.split("\t"))
        if row is not None:
            table.rows.append(row)
    return table


def _row(number: int, raw_cells: list[str]) -> FileRow | None:
    cells = [clean_cell(c) for c in raw_cells] + [""] * 5
    stt, label, unit, value, note = cells[:5]
    if not label:
        return None  # blank lines and the "Số lượng/tỷ lệ" second header line
    return FileRow(row=number, stt=stt, label=label, unit=unit, value=value, note=note,
                   is_section=bool(ROMAN.match(stt)))
