"""Spreadsheets for people, from the printed layout (:mod:`parstat.exports.layout`): a unit's
table, a consolidated table and a pivot all go through :func:`write_grid`.

Laid out like the official table (Phụ lục, Bảng, the appendix's reference to its report, the
two-row header repeated on every printed page, sections), Times New Roman, numbers as numbers
with thousands grouped, blanks as empty cells (never 0), text that looks like a formula kept
inert, A4 landscape with Decree 30/2020/NĐ-CP margins. A unit's table also says which values
were computed (a comment) and lists the findings of its rules below the table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parstat.analytics.states import StateScope
from parstat.exports.cells import FORMULA_TRIGGERS, number
from parstat.exports.layout import (
    PROVISIONAL_BANNER,
    SYNTHETIC_BANNER,
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
from parstat.rules.findings import Finding

FONT_NAME = "Times New Roman"
DERIVED_COMMENT = "Giá trị tính từ công thức"
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo"}
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_MM = 1 / 25.4  # openpyxl margins are in inches; Decree 30 gives millimetres
VALUE_COLUMN = 4  # "Kết quả thống kê" / "Tổng hợp": where a derived value is marked


def _font(size: int = 12, **kwargs: Any) -> Font:
    return Font(name=FONT_NAME, size=size, **kwargs)


def set_text(ws: Worksheet, row: int, column: int, text: str) -> Any:
    """Put text in a cell as text, whatever it starts with; "" leaves the cell empty.

    openpyxl turns any string beginning with "=" into a formula; forcing the string type and
    Excel's own quote-prefix flag (what typing a leading ' does) keeps it inert even after a
    user edits the cell, while still showing the text exactly as reported.
    """
    cell = ws.cell(row=row, column=column)
    if text:
        cell.value = text
        cell.data_type = "s"
        cell.quotePrefix = text.startswith(FORMULA_TRIGGERS)
    return cell


def number_format(value: Decimal) -> str:
    """#,##0 for integers, #,##0.0 for one decimal, and so on (capped at 6 places)."""
    exponent = value.normalize().as_tuple().exponent
    places = min(-exponent, 6) if isinstance(exponent, int) and exponent < 0 else 0
    return "#,##0" + ("." + "0" * places if places else "")


def sheet_title(title: str) -> str:
    """"BẢNG 1" → "Bảng 1"; Excel forbids []:*?/\\ and more than 31 characters."""
    words = [w.capitalize() if w.isalpha() else w for w in title.split()]
    name = re.sub(r"[\[\]:*?/\\]", "-", " ".join(words)).strip("'")
    return name[:31] or "Bảng"


def page_setup(ws: Worksheet, header_top: int) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as needed
    ws.print_title_rows = f"{header_top}:{header_top + 1}"
    # Decree 30/2020 margins: top/bottom 20 mm, left 30 mm, right 15 mm.
    margins = ws.page_margins
    margins.top, margins.bottom = 20 * _MM, 20 * _MM
    margins.left, margins.right = 30 * _MM, 15 * _MM
    # Page numbers centred at the top, not on the first page (Decree 30).
    ws.HeaderFooter.differentFirst = True
    ws.oddHeader.center.text = "&P"
    ws.evenHeader.center.text = "&P"


def _put(ws: Worksheet, row: int, column: int, value: Cell) -> Any:
    if isinstance(value, Decimal):
        cell = ws.cell(row=row, column=column, value=number(value))
        cell.number_format = number_format(value)
        return cell
    if isinstance(value, int):
        return ws.cell(row=row, column=column, value=value)
    return set_text(ws, row, column, value or "")


def _line(ws: Worksheet, line: int, last: int, text: str, font: Font) -> int:
    """A centred line merged across the table's width; returns the next free row."""
    cell = set_text(ws, line, 1, text)
    cell.font = font
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=line, start_column=1, end_row=line, end_column=last)
    return line + 1


def _header(ws: Worksheet, header: int, cols: Sequence[Column]) -> None:
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
        for c in range(1, len(cols) + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = _font(12, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = BORDER


def _body_row(ws: Worksheet, line: int, cols: Sequence[Column], printed: PrintRow,
              comment_derived: bool) -> None:
    for c, (col, value) in enumerate(zip(cols, printed.cells, strict=True), start=1):
        cell = _put(ws, line, c, value)
        derived = printed.derived and c == VALUE_COLUMN
        cell.font = _font(italic=derived)
        if derived and comment_derived and value is not None:
            # Say so where people look: the value was computed, not reported by the unit.
            cell.comment = Comment(DERIVED_COMMENT, "parstat")
        numeric = isinstance(value, Decimal | int) and c > 1
        cell.alignment = Alignment(
            horizontal="right" if numeric else col.align, vertical="top",
            wrap_text=True, indent=max(printed.level - 1, 0) if c == 2 else 0)


def write_grid(ws: Worksheet, titles: Sequence[str], cols: Sequence[Column],
               rows: Sequence[PrintRow], *, banner: Sequence[str] = (),
               comment_derived: bool = False) -> int:
    """Title lines (the first two bold), red banners, the two-row header and the body rows;
    returns the first row below the table."""
    last = len(cols)
    line = 1
    for index, text in enumerate(t for t in titles if t):
        line = _line(ws, line, last, text, _font(13, bold=index < 2, italic=index >= 2))
    for text in banner:
        line = _line(ws, line, last, text, _font(13, bold=True, color="FFC00000"))
    header = line + 1
    _header(ws, header, cols)
    line = header + 2
    for printed in rows:
        if printed.section:
            for c, value in enumerate(printed.cells, start=1):
                _put(ws, line, c, value).font = _font(bold=True)
            ws.merge_cells(start_row=line, start_column=2, end_row=line, end_column=last)
        else:
            _body_row(ws, line, cols, printed, comment_derived)
        for c in range(1, last + 1):
            ws.cell(row=line, column=c).border = BORDER
        line += 1
    for c, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(c)].width = max(6.0, col.width_mm * 0.55)
    ws.freeze_panes = f"C{header + 2}"
    page_setup(ws, header)
    return line


def _finding_row(finding: Finding, index: int) -> tuple[Any, ...]:
    severity = SEVERITY_LABELS.get(finding.severity, finding.severity)
    return (index, finding.message, severity, finding.rule, ", ".join(finding.codes))


def _write_findings(ws: Worksheet, findings: list[Finding], row: int) -> None:
    """The validation result below the table, so a printed report carries its own check."""
    set_text(ws, row, 1, "Kết quả kiểm tra").font = _font(13, bold=True)
    row += 1
    if not findings:
        set_text(ws, row, 1, "Không có phát hiện nào.").font = _font()
        return
    headers = ("TT", "Nội dung", "Mức độ", "Quy tắc", "Chỉ tiêu liên quan")
    rows = [headers, *(_finding_row(f, i) for i, f in enumerate(findings, start=1))]
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            cell = (set_text(ws, row + offset, column, value) if isinstance(value, str)
                    else ws.cell(row=row + offset, column=column, value=value))
            cell.font = _font(bold=offset == 0)
            cell.alignment = Alignment(vertical="top", wrap_text=True,
                                       horizontal="left" if column == 2 else "center")
            cell.border = BORDER


def build_workbook(table: ReportTable) -> Workbook:
    """A unit's or a consolidated table, as the .docx and .pdf print it."""
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_title(table.title)
    titles = [table.appendix, table.title, document_line(table), subtitle(table),
              scope_line(table), coverage_line(table)]
    end = write_grid(ws, titles, columns(table), body_rows(table), banner=banners(table),
                     comment_derived=not table.consolidated)
    if not table.consolidated:
        _write_findings(ws, table.findings, end + 1)
    return workbook


def write_xlsx(table: ReportTable, fp: BinaryIO) -> None:
    build_workbook(table).save(fp)


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
                             cells=(stt, indicator.label, indicator.unit, *pivot.shown(indicator))))
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
