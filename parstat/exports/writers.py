"""Write a :class:`ReportTable` as JSON, CSV or XLSX.

JSON and CSV are for machines: plain numbers, blanks as null / empty, no presentation.
XLSX is for people: laid out like the official table (Phụ lục, Bảng, two-row header, sections),
printable on landscape A4 in Times New Roman as Decree 30/2020/NĐ-CP asks of documents.

Every writer reads only the table, so the three formats always say the same thing.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, BinaryIO, TextIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from parstat.exports.table import ReportTable, TableRow, TableSection
from parstat.jsonexact import decimal_literal, dumps
from parstat.rules.findings import Finding

# --------------------------------------------------------------------------- shared helpers

# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def period_label(code: str) -> str:
    """Vietnamese name of a period code: "2023Q1" → "Quý I/2023", "2023" → "Năm 2023".

    Unknown codes come back unchanged: a readable code beats a crash in a people-facing title.
    """
    match = re.fullmatch(r"(\d{4})(?:([QS])([1-4]))?", code.strip())
    if not match:
        return code
    year, kind, number = match.groups()
    if kind is None:
        return f"Năm {year}"
    if kind == "Q":
        return f"Quý {_ROMAN[number]}/{year}"
    if number in ("1", "2"):
        half = "đầu" if number == "1" else "cuối"
        return f"6 tháng {half} năm {year}"
    return code


def vn_date(value: date | None) -> str:
    """dd/mm/yyyy, the form Vietnamese readers expect; "" when unknown."""
    return value.strftime("%d/%m/%Y") if value else ""


def number(value: Decimal) -> int | Decimal:
    """A Decimal as a JSON/Excel number: integral values as int so 1327 never prints 1327.0;
    others stay Decimal, so no digit is lost on the way (see parstat.jsonexact)."""
    literal = decimal_literal(value)
    return int(literal) if "." not in literal else Decimal(literal)


def plain_number(value: Decimal) -> str:
    """"." decimal point, no grouping, no exponent, no trailing zeros: 1327, 32.5, -5, 0."""
    result = number(value)
    if isinstance(result, int):
        return str(result)
    return format(value.normalize(), "f")


def escape_text(text: str) -> str:
    """Prefix formula-looking text with "'" so a spreadsheet shows it instead of running it."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


# --------------------------------------------------------------------------- JSON


def _json_value(value: Decimal | str | None) -> int | Decimal | str | None:
    if isinstance(value, Decimal):
        return number(value)
    return value  # text stays text; None (blank) becomes null, never 0


def _indicator_dict(row: TableRow) -> dict[str, Any]:
    return {
        "code": row.code, "stt": row.stt, "section": row.section, "label": row.label,
        "unit": row.unit, "kind": row.kind, "value": _json_value(row.value),
        "derived": row.derived, "note": row.note,
    }


def _document_dict(table: ReportTable) -> dict[str, Any] | None:
    doc = table.document
    if doc is None:
        return None
    return {"number": doc.number, "date": doc.date.isoformat() if doc.date else None,
            "issuer": doc.issuer}


def _consolidated_value(row: TableRow) -> Any:
    if not row.units and row.aggregation in ("choice_counts", "list"):
        return None  # nobody answered: blank, not a row of zero counts or an empty list
    if row.aggregation == "choice_counts":
        return {value: units for value, _label, units in row.counts}
    if row.aggregation == "list":
        return [{"unit": unit, "text": text} for unit, text in row.listed]
    return _json_value(row.value)


def _consolidated_indicator_dict(table: ReportTable, row: TableRow) -> dict[str, Any]:
    # "value" is the total, "units" how many units' values it covers (blank total: null),
    # "not_applicable" how many reporting units the row does not apply to (neither counted).
    out = {**_indicator_dict(row), "aggregation": row.aggregation,
           "value": _consolidated_value(row), "units": row.units,
           "not_applicable": row.not_applicable}
    del out["note"]  # notes belong to one unit's report, not to a total
    if row.spread is not None:
        # A rate that is not added up: no total ("value" stays null), its spread instead.
        mean, low, high = row.spread
        out["spread"] = {"mean": number(mean), "minimum": number(low), "maximum": number(high)}
    if row.aggregation == "choice_counts":
        out["choices"] = [{"value": v, "label": label} for v, label, _units in row.counts]
    if table.unit_columns:
        out["by_unit"] = {column.code: _json_value(value)
                          for column, value in zip(table.unit_columns, row.by_unit, strict=True)}
    return out


def _consolidated_dict(table: ReportTable) -> dict[str, Any]:
    return {
        "consolidated": True,
        "scope": {"code": table.scope, "label": table.scope_label},
        "provisional": table.provisional,
        "left_out": {"count": len(table.left_out),
                     "reports": [{"unit": o.unit_code, "name": o.unit_name, "state": o.state}
                                 for o in table.left_out]},
        "units_expected": table.units_expected,
        "units_received": table.units_received,
        "today_structure": table.today_structure,
        "units_in_scope": table.units_in_scope,
        "units_reporting": table.units_reporting,
        **({"units": [{"code": c.code, "name": c.name, "today": c.today_code or c.code}
                      for c in table.unit_columns]} if table.unit_columns else {}),
    }


def table_dict(table: ReportTable) -> dict[str, Any]:
    """The JSON shape other code depends on; change it only together with its consumers."""
    if table.consolidated:
        return {**_table_dict(table), **_consolidated_dict(table), "indicators": [
            _consolidated_indicator_dict(table, row) for row in table.rows()]}
    return _table_dict(table)


def _table_dict(table: ReportTable) -> dict[str, Any]:
    return {
        "template": {"code": table.template_code, "name": table.template_name,
                     "appendix": table.appendix, "title": table.title},
        "unit": {"code": table.unit_code, "name": table.unit_name, "kind": table.unit_kind},
        "period": {"code": table.period_code, "start": table.period_start.isoformat(),
                   "end": table.period_end.isoformat(),
                   "deadline": table.deadline.isoformat() if table.deadline else None},
        "state": table.state,
        "synthetic": table.synthetic,
        "document": _document_dict(table),
        "indicators": [_indicator_dict(row) for row in table.rows()],
        "findings": [finding.as_dict() for finding in table.findings],
    }


def write_json(table: ReportTable, fp: TextIO) -> None:
    fp.write(dumps(table_dict(table), indent=2))
    fp.write("\n")


# --------------------------------------------------------------------------- CSV

CSV_HEADER = ("code", "stt", "section", "label", "unit", "kind", "value", "derived", "note")


def csv_value(value: Decimal | str | None) -> str:
    if value is None:
        return ""  # blank stays blank: distinct from "0"
    if isinstance(value, Decimal):
        return plain_number(value)  # numbers are never escaped: -5 must stay a number
    return escape_text(value)


def _csv_row(row: TableRow) -> list[str]:
    texts = (row.code, row.stt, row.section, row.label, row.unit, row.kind)
    return [*(escape_text(text) for text in texts), csv_value(row.value),
            "true" if row.derived else "false", escape_text(row.note)]


def _consolidated_csv_total(row: TableRow) -> str:
    if not row.units and row.aggregation in ("choice_counts", "list"):
        return ""
    if row.aggregation == "choice_counts":
        return ";".join(f"{value}={units}" for value, _label, units in row.counts)
    if row.aggregation == "list":
        return escape_text(" | ".join(f"{unit}: {text}" for unit, text in row.listed))
    return csv_value(row.value)


CONSOLIDATED_CSV_HEADER = ("code", "stt", "section", "label", "unit", "kind", "aggregation",
                           "value", "units", "mean", "minimum", "maximum", "scope", "left_out")


def _write_consolidated_csv(table: ReportTable, writer: Any) -> None:
    # The scope and the number of reports it left out ride on every line, as SDMX attributes
    # do: a CSV has no header block, and a line read alone must still say what it counts.
    writer.writerow([*CONSOLIDATED_CSV_HEADER, *(escape_text(c.code) for c in table.unit_columns)])
    for row in table.rows():
        texts = (row.code, row.stt, row.section, row.label, row.unit, row.kind, row.aggregation)
        spread = [csv_value(v) for v in row.spread] if row.spread else ["", "", ""]
        writer.writerow([*(escape_text(text) for text in texts), _consolidated_csv_total(row),
                         "" if row.units is None else str(row.units), *spread,
                         table.scope, str(len(table.left_out)),
                         *(csv_value(value) for value in row.by_unit)])


def write_csv(table: ReportTable, fp: TextIO) -> None:
    """RFC 4180 CSV (CRLF line ends), UTF-8 without BOM; open ``fp`` with ``newline=""``."""
    writer = csv.writer(fp)
    if table.consolidated:
        _write_consolidated_csv(table, writer)
        return
    writer.writerow(CSV_HEADER)
    writer.writerows(_csv_row(row) for row in table.rows())


# --------------------------------------------------------------------------- XLSX

FONT_NAME = "Times New Roman"
COLUMN_WIDTHS = (7, 70, 18, 16, 34)  # STT, Chỉ tiêu, Đơn vị tính, Kết quả, Ghi chú
LAST_COLUMN = len(COLUMN_WIDTHS)
DERIVED_COMMENT = "Giá trị tính từ công thức"
SYNTHETIC_BANNER = "DỮ LIỆU MINH HỌA (tổng hợp, không phải số liệu thật)"
PROVISIONAL_BANNER = "SỐ LIỆU TẠM TÍNH (gồm cả báo cáo đang soạn, chưa gửi)"
SEVERITY_LABELS = {"error": "Lỗi", "warning": "Cảnh báo"}
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_MM = 1 / 25.4  # openpyxl margins are in inches; Decree 30 gives millimetres


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


def _banner(ws: Worksheet, row: int, text: str, font: Font) -> int:
    """A centred line merged across the table's width; returns the next free row."""
    cell = set_text(ws, row, 1, text)
    cell.font = font
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=LAST_COLUMN)
    return row + 1


def _document_line(table: ReportTable) -> str | None:
    doc = table.document
    if doc is None:
        return None
    parts = ["Ban hành kèm theo Báo cáo"]
    if doc.number:
        parts.append(f"số {doc.number}")
    if doc.date:
        parts.append(f"ngày {vn_date(doc.date)}")
    if doc.issuer:
        parts.append(f"của {doc.issuer}")
    return " ".join(parts)


def _unit_period_line(table: ReportTable) -> str:
    window = f"{vn_date(table.period_start)} – {vn_date(table.period_end)}"
    return f"Đơn vị: {table.unit_name} — Kỳ báo cáo: {period_label(table.period_code)} ({window})"


def _write_title_block(ws: Worksheet, table: ReportTable) -> int:
    row = 1
    for line in (table.appendix, table.title):
        if line:
            row = _banner(ws, row, line, _font(13, bold=True))
    doc_line = _document_line(table)
    if doc_line:
        row = _banner(ws, row, doc_line, _font(13, italic=True))
    row = _banner(ws, row, _unit_period_line(table), _font(13))
    if table.synthetic:
        row = _banner(ws, row, SYNTHETIC_BANNER, _font(13, bold=True, color="FFC00000"))
    return row + 1  # one empty line between the title block and the table


def _write_header(ws: Worksheet, top: int) -> int:
    """Two header rows as the official table; returns the first body row."""
    titles = ("STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kết quả thống kê", "Ghi chú")
    for column, title in enumerate(titles, start=1):
        set_text(ws, top, column, title)
    set_text(ws, top + 1, 4, "Số lượng/tỷ lệ")
    for column in range(1, LAST_COLUMN + 1):
        for row in (top, top + 1):
            cell = ws.cell(row=row, column=column)
            cell.font = _font(13, bold=True)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        if column != 4:  # only "Kết quả thống kê" has a sub-heading
            ws.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    return top + 2


def _write_section(ws: Worksheet, row: int, section: TableSection) -> None:
    for column, text in ((1, section.numeral), (2, section.label)):
        cell = set_text(ws, row, column, text)
        cell.font = _font(bold=True)
        cell.alignment = Alignment(horizontal="center" if column == 1 else "left",
                                   vertical="center", wrap_text=True)
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=LAST_COLUMN)


def _write_value(ws: Worksheet, row: int, item: TableRow) -> None:
    if item.value is None:
        return  # a blank means "not reported": the cell stays truly empty, never 0
    if isinstance(item.value, Decimal):
        cell = ws.cell(row=row, column=4, value=number(item.value))
        cell.number_format = number_format(item.value)
        cell.alignment = Alignment(horizontal="right", vertical="top")
    else:
        cell = set_text(ws, row, 4, item.value)
        cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)
    cell.font = _font(italic=item.derived)
    if item.derived:
        # Say so where people look: the value was computed, not reported by the unit.
        cell.comment = Comment(DERIVED_COMMENT, "parstat")


def _write_indicator(ws: Worksheet, row: int, item: TableRow) -> None:
    if item.stt.isdigit():
        # A number, not text: avoids Excel's "number stored as text" warning triangles.
        ws.cell(row=row, column=1, value=int(item.stt))
    else:
        set_text(ws, row, 1, item.stt)
    set_text(ws, row, 2, item.label)
    set_text(ws, row, 3, item.unit)
    set_text(ws, row, 5, item.note)
    for column in (1, 2, 3, 5):
        cell = ws.cell(row=row, column=column)
        cell.font = _font()
        cell.alignment = Alignment(
            horizontal="center" if column in (1, 3) else "left", vertical="top",
            wrap_text=True, indent=max(item.level - 1, 0) if column == 2 else 0)
    _write_value(ws, row, item)


def _write_body(ws: Worksheet, table: ReportTable, row: int) -> int:
    for section in table.sections:
        _write_section(ws, row, section)
        row += 1
        for item in section.rows:
            _write_indicator(ws, row, item)
            row += 1
    return row


def _border(ws: Worksheet, first: int, last: int) -> None:
    # Every cell, merged ones included, so merged blocks keep their outer lines in Excel.
    for cells in ws.iter_rows(min_row=first, max_row=last, max_col=LAST_COLUMN):
        for cell in cells:
            cell.border = BORDER


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
    _border(ws, row, row + len(rows) - 1)


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


def _column_widths(ws: Worksheet) -> None:
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width


def build_workbook(table: ReportTable) -> Workbook:
    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet_title(table.title)
    header_top = _write_title_block(ws, table)
    body_top = _write_header(ws, header_top)
    end = _write_body(ws, table, body_top)
    _border(ws, header_top, end - 1)
    _write_findings(ws, table.findings, end + 1)
    _column_widths(ws)
    ws.freeze_panes = ws.cell(row=body_top, column=1)
    page_setup(ws, header_top)
    return workbook


def write_xlsx(table: ReportTable, fp: BinaryIO) -> None:
    if table.consolidated:
        from parstat.exports.sheet import write_layout_xlsx  # it builds on this module

        write_layout_xlsx(table, fp)
        return
    build_workbook(table).save(fp)


# --------------------------------------------------------------------------- registry

Writer = Callable[[ReportTable, Any], None]

# format → (writer, is_binary): binary writers get a bytes stream, the others a text stream.
WRITERS: dict[str, tuple[Writer, bool]] = {
    "json": (write_json, False),
    "csv": (write_csv, False),
    "xlsx": (write_xlsx, True),
}

CONTENT_TYPES: dict[str, str] = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

EXTENSIONS: dict[str, str] = {"json": ".json", "csv": ".csv", "xlsx": ".xlsx"}


def export_filename(table: ReportTable, fmt: str) -> str:
    """ASCII-safe download name, e.g. "B1-SN-2023_SKHDT_2023Q1.xlsx"."""
    stem = "_".join((table.template_code, table.unit_code, table.period_code))
    # Đ has no decomposition, so NFKD alone would drop it instead of giving D.
    stem = unicodedata.normalize("NFKD", stem.replace("Đ", "D").replace("đ", "d"))
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem.encode("ascii", "ignore").decode()) + EXTENSIONS[fmt]
