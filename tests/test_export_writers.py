"""The JSON, CSV and XLSX writers, on a small fake table built here (no database)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from parstat.exports.cells import number, plain_number
from parstat.exports.formats import FORMATS, get_format
from parstat.exports.layout import SYNTHETIC_BANNER
from parstat.exports.machine import write_csv, write_json
from parstat.exports.service import ExportRequest, filename
from parstat.exports.table import DocumentRef, ReportTable, TableRow, TableSection
from parstat.exports.xlsx import DERIVED_COMMENT, write_xlsx
from parstat.rules.findings import Finding
from parstat.vnformat import period_label, period_label_en

FORMULA_TEXT = "=cmd|' /C calc'!A0"
LEVEL3_LABEL = "- Số TTHC áp dụng tại cơ quan, đơn vị:"


def row(code: str, stt: str, label: str, unit: str, kind: str, value: Decimal | str | None,
        level: int = 1, derived: bool = False, note: str = "") -> TableRow:
    return TableRow(code=code, stt=stt, section=code.split(".")[0], label=label, unit=unit,
                    kind=kind, level=level, value=value, derived=derived, note=note)


SECTION_I = TableSection("I", "Công tác chỉ đạo điều hành CCHC", [
    row("I.1", "1", "Tỷ lệ hoàn thành Kế hoạch CCHC năm", "%", "percent", Decimal("32.5"),
        derived=True),
    row("I.1.a", "", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ", "count", Decimal("40"),
        level=2, note="Kế hoạch số 06/KH-SKHĐT ngày 16/01/2023"),
    row("I.2", "2", "Kiểm tra CCHC", "", "group", None, note="@SUM(A1:A9)"),
    row("I.2.a", "", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề", "count", Decimal("0"),
        level=2),
    row("I.3", "3", "Có sáng kiến, giải pháp mới về CCHC", "Không = 0; Có = 1", "flag",
        Decimal("1")),
    row("I.4", "4", "Hình thức khảo sát", "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2",
        "choice", Decimal("2")),
])
SECTION_III = TableSection("III", "Cải cách thủ tục hành chính", [
    row("III.1", "1", "Tổng số hồ sơ TTHC đã tiếp nhận", "Hồ sơ", "count", Decimal("1327")),
    row("III.1.a", "", LEVEL3_LABEL, "Thủ tục", "count", Decimal("-5"), level=3),
    row("III.2", "2", "Địa chỉ tiếp nhận phản ánh", "", "text", FORMULA_TEXT),
    row("III.3", "3", "Số hồ sơ bình quân mỗi ngày", "Hồ sơ", "decimal", Decimal("1.25")),
    row("III.4", "4", "Số TTHC liên thông cùng cấp", "Thủ tục", "count", None),
])
FINDINGS = [
    Finding("R07", "error", "Số TTHC có nghĩa vụ tài chính (310) lớn hơn tổng số (111)",
            ("III.4", "III.1")),
    Finding("R12", "warning", "Hồ sơ tiếp nhận lệch giữa mục III và VII", ("III.1",)),
]
TABLE = ReportTable(
    template_code="B1-SN-2023", template_name="Thống kê kết quả CCHC của sở, ngành",
    appendix="PHỤ LỤC 2", title="BẢNG 1",
    unit_code="SKHĐT", unit_name="Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng", unit_kind="department",
    period_code="2023Q1", period_start=date(2022, 12, 15), period_end=date(2023, 3, 14),
    deadline=date(2023, 3, 16), state="draft",
    document=DocumentRef("81/BC-SKHĐT", date(2023, 3, 17), "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng"),
    sections=[SECTION_I, SECTION_III], findings=FINDINGS,
)


def as_json(table: ReportTable = TABLE) -> dict:
    buffer = io.StringIO()
    write_json(table, buffer)
    return json.loads(buffer.getvalue())


def as_csv(table: ReportTable = TABLE) -> list[dict[str, str]]:
    buffer = io.StringIO(newline="")
    write_csv(table, buffer)
    return list(csv.DictReader(io.StringIO(buffer.getvalue(), newline="")))


def as_sheet(table: ReportTable = TABLE) -> Worksheet:
    buffer = io.BytesIO()
    write_xlsx(table, buffer)
    return load_workbook(io.BytesIO(buffer.getvalue())).active


def indicator(items: list[dict], code: str) -> dict:
    return next(item for item in items if item["code"] == code)


def find_row(ws: Worksheet, label: str) -> int:
    """The sheet row whose column B (or A) holds ``label``."""
    for cells in ws.iter_rows():
        if label in (cells[0].value, cells[1].value):
            return cells[0].row
    raise AssertionError(f"{label!r} not in sheet")


def all_text(ws: Worksheet) -> list[str]:
    return [str(c.value) for cells in ws.iter_rows() for c in cells if c.value is not None]


# --------------------------------------------------------------------------- period_label


@pytest.mark.parametrize(("code", "label"), [
    ("2023Q1", "Quý I/2023"), ("2023S1", "6 tháng đầu năm 2023"), ("2023Q3", "Quý III/2023"),
    ("2023", "Năm 2023"), ("2024Q4", "Quý IV/2024"), ("weird", "weird"),
])
def test_it_names_periods_in_vietnamese(code: str, label: str) -> None:
    assert period_label(code) == label


@pytest.mark.parametrize(("code", "label"), [
    ("2023Q1", "Q1 2023"), ("2023S1", "First half of 2023"), ("2023Q3", "Q3 2023"),
    ("2023", "Year 2023"), ("weird", "weird"),
])
def test_it_names_periods_in_english_on_english_pages(code: str, label: str) -> None:
    from django.utils import translation

    from parstat.web.templatetags.parstat_format import period_name

    assert period_label_en(code) == label
    with translation.override("en"):
        assert period_name(code) == label
    with translation.override("vi"):
        assert period_name(code) == period_label(code)


# --------------------------------------------------------------------------- numbers


@given(st.decimals(min_value=-10**12, max_value=10**12, places=4, allow_nan=False))
def test_it_exports_decimals_without_losing_value(value: Decimal) -> None:
    assert Decimal(str(number(value))) == value
    assert Decimal(plain_number(value)) == value
    assert "e" not in plain_number(value).lower() and "," not in plain_number(value)


def test_it_writes_integral_decimals_as_ints() -> None:
    assert plain_number(Decimal("1E+3")) == "1000" and plain_number(Decimal("100.00")) == "100"
    assert type(number(Decimal("1327.0"))) is int


# --------------------------------------------------------------------------- JSON


def test_it_writes_the_json_shape() -> None:
    data = as_json()
    assert list(data) == ["template", "unit", "period", "state", "synthetic", "document",
                          "indicators", "findings"]
    assert data["template"] == {"code": "B1-SN-2023", "name": TABLE.template_name,
                                "appendix": "PHỤ LỤC 2", "title": "BẢNG 1"}
    assert data["unit"] == {"code": "SKHĐT", "name": TABLE.unit_name, "kind": "department"}
    assert data["period"] == {"code": "2023Q1", "start": "2022-12-15", "end": "2023-03-14",
                              "deadline": "2023-03-16"}
    assert data["state"] == "draft" and data["synthetic"] is False
    assert data["document"] == {"number": "81/BC-SKHĐT", "date": "2023-03-17",
                                "issuer": "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng"}
    assert [item["code"] for item in data["indicators"]] == [r.code for r in TABLE.rows()]
    assert set(data["indicators"][0]) == {"code", "stt", "section", "label", "unit", "kind",
                                          "value", "derived", "note"}


def test_it_writes_utf8_text_unescaped_in_json() -> None:
    buffer = io.StringIO()
    write_json(TABLE, buffer)
    assert "Sở Kế hoạch" in buffer.getvalue() and "\\u" not in buffer.getvalue()


def test_it_keeps_blank_zero_and_numbers_apart_in_json() -> None:
    items = as_json()["indicators"]
    assert indicator(items, "III.4")["value"] is None
    assert indicator(items, "I.2.a")["value"] == 0
    assert type(indicator(items, "III.1")["value"]) is int
    assert indicator(items, "III.1")["value"] == 1327
    assert indicator(items, "I.1")["value"] == 32.5
    assert indicator(items, "III.3")["value"] == 1.25
    assert indicator(items, "III.2")["value"] == FORMULA_TEXT  # JSON needs no escaping


def test_it_flags_derived_values_in_json() -> None:
    items = as_json()["indicators"]
    assert indicator(items, "I.1")["derived"] is True
    assert indicator(items, "III.1")["derived"] is False


def test_it_lists_findings_in_json() -> None:
    assert as_json()["findings"] == [
        {"rule": "R07", "severity": "error", "message": FINDINGS[0].message,
         "codes": ["III.4", "III.1"]},
        {"rule": "R12", "severity": "warning", "message": FINDINGS[1].message,
         "codes": ["III.1"]},
    ]


def test_it_writes_null_document_and_deadline_in_json() -> None:
    data = as_json(replace(TABLE, document=None, deadline=None))
    assert data["document"] is None and data["period"]["deadline"] is None


# --------------------------------------------------------------------------- CSV


def test_it_writes_the_csv_header_and_every_row() -> None:
    buffer = io.StringIO(newline="")
    write_csv(TABLE, buffer)
    text = buffer.getvalue()
    assert text.startswith("code,stt,section,label,unit,kind,value,derived,note\r\n")
    assert not text.startswith("\ufeff")
    assert [r["code"] for r in as_csv()] == [r.code for r in TABLE.rows()]


def test_it_writes_plain_numbers_and_blanks_in_csv() -> None:
    rows = {r["code"]: r for r in as_csv()}
    assert rows["III.1"]["value"] == "1327"
    assert rows["I.1"]["value"] == "32.5"
    assert rows["III.3"]["value"] == "1.25"
    assert rows["I.2.a"]["value"] == "0"
    assert rows["III.4"]["value"] == ""
    assert rows["I.1"]["derived"] == "true" and rows["III.1"]["derived"] == "false"


def test_it_escapes_formula_looking_text_in_csv() -> None:
    rows = {r["code"]: r for r in as_csv()}
    assert rows["III.2"]["value"] == "'" + FORMULA_TEXT
    assert rows["III.1.a"]["label"] == "'" + LEVEL3_LABEL
    assert rows["I.2"]["note"] == "'@SUM(A1:A9)"
    assert rows["I.1.a"]["note"] == "Kế hoạch số 06/KH-SKHĐT ngày 16/01/2023"


def test_it_does_not_escape_negative_numbers_in_csv() -> None:
    assert {r["code"]: r for r in as_csv()}["III.1.a"]["value"] == "-5"


# --------------------------------------------------------------------------- XLSX


def test_it_names_the_sheet_after_the_table_and_sets_up_printing() -> None:
    ws = as_sheet()
    header = find_row(ws, "STT")
    assert ws.title == "Bảng 1"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == f"${header}:${header + 1}"
    assert ws.freeze_panes == f"C{header + 2}"  # STT and the label stay in view
    assert ws.column_dimensions["B"].width >= 40


def test_it_writes_the_title_block() -> None:
    ws = as_sheet()
    assert ws["A1"].value == "PHỤ LỤC 2" and ws["A1"].font.b
    assert ws["A2"].value == "BẢNG 1" and ws["A2"].font.b
    # Worded as the .docx and .pdf word it (parstat.exports.layout): one layout, one wording.
    assert ws["A3"].value == ("(Ban hành kèm theo Báo cáo số 81/BC-SKHĐT ngày 17/03/2023 "
                              "của Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng)")
    assert ws["A3"].font.i
    assert ws["A4"].value == ("Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng — Kỳ báo cáo: "
                              "Quý I/2023 (số liệu từ 15/12/2022 – 14/03/2023)")
    assert ws["A1"].font.name == "Times New Roman"


def test_it_shows_the_synthetic_banner_only_for_synthetic_data() -> None:
    assert SYNTHETIC_BANNER not in all_text(as_sheet())
    ws = as_sheet(replace(TABLE, synthetic=True))
    banner = ws.cell(row=find_row(ws, SYNTHETIC_BANNER), column=1)
    assert banner.font.color.rgb == "FFC00000"


def test_it_dots_the_document_line_when_no_document_is_known() -> None:
    assert "(Ban hành kèm theo Báo cáo số ………… ngày ………… của …………)" in all_text(
        as_sheet(replace(TABLE, document=None)))


def test_it_merges_the_two_header_rows_like_the_official_table() -> None:
    ws = as_sheet()
    top = find_row(ws, "STT")
    merged = {str(r) for r in ws.merged_cells.ranges}
    for column in "ABCE":
        assert f"{column}{top}:{column}{top + 1}" in merged
    assert ws[f"D{top}"].value == "Kết quả thống kê"
    assert ws[f"D{top + 1}"].value == "Số lượng/tỷ lệ"
    assert ws[f"B{top}"].value == "Chỉ tiêu thống kê" and ws[f"B{top}"].font.b
    assert ws[f"A{top}"].border.left.style == "thin"


def test_it_merges_and_bolds_section_rows() -> None:
    ws = as_sheet()
    line = find_row(ws, "Cải cách thủ tục hành chính")
    assert ws[f"A{line}"].value == "III"
    assert f"B{line}:E{line}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws[f"A{line}"].font.b and ws[f"B{line}"].font.b


def test_it_writes_numbers_as_numeric_cells() -> None:
    ws = as_sheet()
    total = ws.cell(row=find_row(ws, "Tổng số hồ sơ TTHC đã tiếp nhận"), column=4)
    rate = ws.cell(row=find_row(ws, "Tỷ lệ hoàn thành Kế hoạch CCHC năm"), column=4)
    zero = ws.cell(row=find_row(ws, "Số vấn đề phát hiện qua kiểm tra"), column=4)
    negative = ws.cell(row=find_row(ws, LEVEL3_LABEL), column=4)
    assert (total.data_type, total.value, total.number_format) == ("n", 1327, "#,##0")
    assert (rate.data_type, rate.value, rate.number_format) == ("n", 32.5, "#,##0.0")
    assert (zero.data_type, zero.value) == ("n", 0)
    assert (negative.data_type, negative.value) == ("n", -5)


def test_it_leaves_blank_cells_empty() -> None:
    ws = as_sheet()
    assert ws.cell(row=find_row(ws, "Số TTHC liên thông cùng cấp"), column=4).value is None


def test_it_marks_derived_values_italic_with_a_comment() -> None:
    ws = as_sheet()
    line = find_row(ws, "Tỷ lệ hoàn thành Kế hoạch CCHC năm")
    cell = ws.cell(row=line, column=4)
    assert cell.font.i and DERIVED_COMMENT in cell.comment.text
    assert ws.cell(row=line, column=5).value is None  # the note column is left alone
    plain = ws.cell(row=find_row(ws, "Tổng số hồ sơ TTHC đã tiếp nhận"), column=4)
    assert not plain.font.i and plain.comment is None


def test_it_never_writes_formula_looking_text_as_a_formula() -> None:
    ws = as_sheet()
    text = ws.cell(row=find_row(ws, "Địa chỉ tiếp nhận phản ánh"), column=4)
    note = ws.cell(row=find_row(ws, "Kiểm tra CCHC"), column=5)
    for cell in (text, note):
        assert cell.data_type == "s" and cell.data_type != "f"
        assert cell.quotePrefix  # Excel's own text marker: shown as typed, never evaluated
    assert text.value == FORMULA_TEXT


def test_it_indents_labels_by_level() -> None:
    ws = as_sheet()
    indents = [ws.cell(row=find_row(ws, label), column=2).alignment.indent
               for label in ("Kiểm tra CCHC", "Số vấn đề phát hiện qua kiểm tra", LEVEL3_LABEL)]
    assert indents == [0, 1, 2]


def test_it_lists_findings_below_the_table() -> None:
    ws = as_sheet()
    start = find_row(ws, "Kết quả kiểm tra")
    assert start > find_row(ws, "Số TTHC liên thông cùng cấp")
    error = find_row(ws, FINDINGS[0].message)
    warning = find_row(ws, FINDINGS[1].message)
    assert ws.cell(row=error, column=3).value == "Lỗi"
    assert ws.cell(row=warning, column=3).value == "Cảnh báo"
    assert ws.cell(row=error, column=5).value == "III.4, III.1"


def test_it_says_when_there_are_no_findings() -> None:
    ws = as_sheet(replace(TABLE, findings=[]))
    assert ws.cell(row=find_row(ws, "Kết quả kiểm tra") + 1, column=1).value == (
        "Không có phát hiện nào.")


def test_it_round_trips_every_value_through_xlsx() -> None:
    ws = as_sheet()
    first = find_row(ws, "STT") + 2
    for section in TABLE.sections:
        assert ws.cell(row=first, column=1).value == section.numeral
        assert ws.cell(row=first, column=2).value == section.label
        first += 1
        for item in section.rows:
            cells = [ws.cell(row=first, column=c).value for c in range(1, 6)]
            stt, label, unit, value, note = cells
            assert ("" if stt is None else str(stt)) == item.stt
            assert (label, unit or "", note or "") == (item.label, item.unit, item.note)
            if isinstance(item.value, Decimal):
                assert Decimal(str(value)) == item.value
            else:
                assert value == item.value
            first += 1


# --------------------------------------------------------------------------- registry


def test_it_registers_every_format_once_with_its_type_extension_and_writer() -> None:
    assert list(FORMATS) == ["json", "csv", "xlsx", "docx", "pdf", "adx", "sdmx"]
    assert {code for code, f in FORMATS.items() if f.binary} == {"xlsx", "docx", "pdf"}
    assert {code for code, f in FORMATS.items() if f.write_exchange} == {"adx", "sdmx"}
    assert all((f.write_table is None) != (f.write_exchange is None) for f in FORMATS.values())
    assert FORMATS["xlsx"].content_type.endswith("spreadsheetml.sheet")
    assert FORMATS["sdmx"].extension == ".sdmx.csv"
    request = ExportRequest("ST-SKHĐT", "2023Q1", "xlsx", consolidated=True)
    assert filename(request) == "ST-SKHDT_2023Q1_tong-hop.xlsx"
    with pytest.raises(ValueError, match="unknown export format"):
        get_format("odt")
