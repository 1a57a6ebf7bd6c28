"""Spreadsheets for people from a printed layout: consolidated tables and pivots.

Same conventions as the unit's .xlsx (parstat.exports.writers): Times New Roman, merged two-row
header repeated on every printed page, numbers as numbers with thousands grouped, blanks as empty
cells (never 0), text that looks like a formula kept inert, A4 landscape with Decree 30 margins.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parstat.analytics.states import StateScope
from parstat.exports.layout import (
    Cell,
    Column,
    PrintRow,
    banners,
    body_rows,
    columns,
    coverage_line,
    document_line,
    header_rows,
    scope_line,
    subtitle,
)
from parstat.exports.table import ReportTable
from parstat.exports.writers import (
    BORDER,
    FONT_NAME,
    PROVISIONAL_BANNER,
    SYNTHETIC_BANNER,
    number,
    number_format,
    page_setup,
    set_text,
    sheet_title,
)


def _font(size: int = 12, **kwargs: Any) -> Font:
    return Font(name=FONT_NAME, size=size, **kwargs)


def _put(ws: Worksheet, row: int, column: int, value: Cell) -> Any:
    if isinstance(value, Decimal):
        cell = ws.cell(row=row, column=column, value=number(value))
        cell.number_format = number_format(value)
        return cell
    if isinstance(value, int):
        return ws.cell(row=row, column=column, value=value)
    return set_text(ws, row, column, value or "")


def write_grid(ws: Worksheet, titles: Sequence[str], cols: Sequence[Column],
               rows: Sequence[PrintRow], *, banner: Sequence[str] = ()) -> None:
    last = len(cols)
    line = 1
    for index, text in enumerate(t for t in titles if t):
        cell = set_text(ws, line, 1, text)
        cell.font = _font(13, bold=index < 2, italic=index >= 2)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=last)
        line += 1
    for text in banner:
        cell = set_text(ws, line, 1, text)
        cell.font = _font(13, bold=True, color="FFC00000")
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=last)
        line += 1
    header = line + 1
    top, second = header_rows(tuple(cols))
    start = 1
    for text, span in top:
        set_text(ws, header, start, text)
        if span > 1:
            ws.merge_cells(start_row=header, start_column=start, end_row=header,
                           end_column=start + span - 1)
        elif not second[start - 1]:
            ws.merge_cells(start_row=header, start_column=start, end_row=header + 1,
                           end_column=start)
        start += span
    for index, title in enumerate(second, start=1):
        if title:
            set_text(ws, header + 1, index, title)
    for r in (header, header + 1):
        for c in range(1, last + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = _font(12, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = BORDER
    line = header + 2
    for printed in rows:
        if printed.section:
            for c, value in enumerate(printed.cells, start=1):
                _put(ws, line, c, value).font = _font(bold=True)
            ws.merge_cells(start_row=line, start_column=2, end_row=line, end_column=last)
        else:
            for c, (col, value) in enumerate(zip(cols, printed.cells, strict=True), start=1):
                cell = _put(ws, line, c, value)
                cell.font = _font(italic=printed.derived and c == 4)
                numeric = isinstance(value, Decimal | int) and c > 1
                cell.alignment = Alignment(
                    horizontal="right" if numeric else col.align, vertical="top",
                    wrap_text=True, indent=max(printed.level - 1, 0) if c == 2 else 0)
        for c in range(1, last + 1):
            ws.cell(row=line, column=c).border = BORDER
        line += 1
    for c, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(6.0, col.width_mm * 0.55)
    ws.freeze_panes = f"C{header + 2}"
    page_setup(ws, header)


def write_layout_xlsx(table: ReportTable, fp: BinaryIO) -> None:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_title(table.title)
    titles = [table.appendix, table.title, document_line(table), subtitle(table),
              scope_line(table), coverage_line(table)]
    write_grid(ws, titles, columns(table), body_rows(table), banner=banners(table))
    workbook.save(fp)


def pivot_layout(pivot: Any) -> tuple[list[Column], list[PrintRow]]:
    """Columns and rows of a :class:`parstat.analytics.pivot.Pivot`, sections as headings."""
    cols = [Column("STT", 12, align="center"), Column("Chỉ tiêu thống kê", 70),
            Column("Đơn vị tính", 22, align="center"),
            *(Column(code, 22, group="Giá trị", align="right") for code in pivot.columns)]
    rows: list[PrintRow] = []
    section = None
    for indicator in pivot.indicators:
        if indicator.section_id != section:
            section = indicator.section_id
            rows.append(PrintRow(section=True, cells=(indicator.section.numeral,
                                                      indicator.section.label)))
        stt: Cell = int(indicator.stt) if indicator.stt.isdigit() else indicator.stt
        rows.append(PrintRow(section=False, level=indicator.level,
                             cells=(stt, indicator.label, indicator.unit, *pivot.row(indicator))))
    return cols, rows


def write_pivot_xlsx(pivot: Any, fp: BinaryIO, *, states: StateScope,
                     synthetic: bool = False) -> None:
    workbook = Workbook()
    ws = workbook.active
    ws.title = "Bảng tổng hợp"
    cols, rows = pivot_layout(pivot)
    marks = ([PROVISIONAL_BANNER] if states.provisional else []) + (
        [SYNTHETIC_BANNER] if synthetic else [])
    write_grid(ws, ["BẢNG TỔNG HỢP CHỈ TIÊU", pivot.title,
                    f"Phạm vi số liệu: {states.label_vi}"], cols, rows, banner=marks)
    workbook.save(fp)


def write_pivot_csv(pivot: Any, fp: Any) -> None:
    """Machine CSV of a pivot: code, label, unit, then one column per unit or period."""
    import csv

    from parstat.exports.writers import csv_value, escape_text

    writer = csv.writer(fp)
    writer.writerow(["code", "label", "unit", *(escape_text(c) for c in pivot.columns)])
    for indicator in pivot.indicators:
        writer.writerow([indicator.code, escape_text(indicator.label), escape_text(indicator.unit),
                         *(csv_value(value) for value in pivot.row(indicator))])
