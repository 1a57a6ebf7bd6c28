"""The official document: .docx and .pdf per Decree 30/2020, and people's .xlsx of a consolidation."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pypdfium2
import pytest
from docx import Document
from docx.shared import Pt

from parstat.analytics.states import StateScope
from parstat.exports.build import report_table
from parstat.exports.consolidated import build_consolidated
from parstat.exports.docx import write_docx
from parstat.exports.pdf import build_html, write_pdf
from parstat.exports.xlsx import write_xlsx
from tests.consolidation_data import province_a

OUTPUT = Path(__file__).resolve().parent.parent / "test-output"


def _docx(table) -> Document:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    write_docx(table, buffer)
    return Document(io.BytesIO(buffer.getvalue()))


def _pdf(table) -> pypdfium2.PdfDocument:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    write_pdf(table, buffer)
    return pypdfium2.PdfDocument(buffer.getvalue())


def test_it_lays_the_docx_page_out_per_decree_30(seed_report):
    section = _docx(report_table(seed_report)).sections[0]
    mm = {name: round(getattr(section, name).mm) for name in (
        "page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin")}
    assert mm == {"page_width": 210, "page_height": 297, "top_margin": 20, "bottom_margin": 20,
                  "left_margin": 30, "right_margin": 15}


def test_it_numbers_docx_pages_at_the_top_centre_from_the_second(seed_report):
    section = _docx(report_table(seed_report)).sections[0]
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.alignment == 1  # centred
    assert "PAGE" in header._p.xml
    assert "PAGE" not in "".join(p._p.xml for p in section.first_page_header.paragraphs)


def test_it_writes_the_docx_in_times_new_roman_13(seed_report):
    document = _docx(report_table(seed_report))
    runs = [r for p in document.paragraphs for r in p.runs if r.text.strip()]
    runs += [r for cell in document.tables[0]._cells for p in cell.paragraphs for r in p.runs]
    assert {r.font.name for r in runs} == {"Times New Roman"}
    assert {r.font.size for r in runs} == {Pt(13)}


def test_it_heads_the_docx_as_the_appendix_of_its_report(seed_report):
    lines = [p.text for p in _docx(report_table(seed_report)).paragraphs if p.text]
    assert lines[:2] == ["PHỤ LỤC 2", "BẢNG 1"]
    assert lines[2].startswith("(Ban hành kèm theo Báo cáo số 81/BC-SKHĐT ngày 17/03/2023 của ")


def test_it_prints_the_merged_header_and_the_stt(seed_report):
    table = _docx(report_table(seed_report)).tables[0]
    top = [c.text for c in table.rows[0].cells]
    assert top == ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kết quả thống kê", "Ghi chú"]
    assert [c.text for c in table.rows[1].cells][3] == "Số lượng/tỷ lệ"
    assert table.rows[1].cells[0]._tc is table.rows[0].cells[0]._tc  # STT spans both rows
    assert "w:tblHeader" in table.rows[0]._tr.xml  # repeated on every page
    body = [(r.cells[0].text, r.cells[1].text) for r in table.rows[2:6]]
    assert body[0] == ("I", "Công tác chỉ đạo điều hành CCHC")
    assert body[1][0] == "1" and body[1][1].startswith("Tỷ lệ hoàn thành Kế hoạch CCHC năm")


def test_it_prints_blank_as_an_empty_cell_and_zero_as_0(seed_report):
    rows = {r.cells[1].text: r.cells[3].text for r in _docx(report_table(seed_report)).tables[0].rows}
    assert rows["Số nhiệm vụ đề ra trong kế hoạch"] == "40"
    assert rows["Số phòng ban đã kiểm tra"] == ""
    assert "0" in rows.values()


def test_it_renders_the_pdf_numbered_from_page_2_and_keeps_an_image(seed_report):
    document = _pdf(report_table(seed_report))
    OUTPUT.mkdir(exist_ok=True)
    for index in (0, 1):
        image = document[index].render(scale=1.5).to_pil()
        image.save(OUTPUT / f"official-table-page{index + 1}.png")
        assert image.size[0] < image.size[1]  # A4 portrait
    first = document[0].get_textpage().get_text_range()
    assert "PHỤ LỤC 2" in first and "Ban hành kèm theo Báo cáo số 81/BC-SKHĐT" in first
    tops = []
    for page in document:
        width, height = page.get_size()
        # The top margin only (20 mm = 56.7 pt): where Decree 30 puts the page number.
        tops.append(page.get_textpage().get_text_bounded(0, height - 56, width, height).strip())
    assert tops[0] == ""
    assert tops[1:3] == ["2", "3"]


def test_it_sets_the_pdf_page_per_decree_30(seed_report):
    html = build_html(report_table(seed_report))
    assert "size: A4 portrait" in html and "margin: 20mm 15mm 20mm 30mm" in html
    assert '"Times New Roman", "Liberation Serif"' in html and "font-size: 13pt" in html
    assert "@page :first { @top-center { content: none; } }" in html


@pytest.fixture
def consolidated(template):  # type: ignore[no-untyped-def]
    province_a(template)
    return build_consolidated("A", "2024Q1", states=StateScope.ALL, by_unit=True)


def test_it_merges_the_result_heading_over_total_coverage_and_units(consolidated):
    table = _docx(consolidated).tables[0]
    assert [c.text for c in table.rows[0].cells][3:] == ["Kết quả tổng hợp"] * 5
    assert [c.text for c in table.rows[1].cells][3:] == [
        "Tổng hợp", "Số đơn vị có số liệu", "A-S1", "A-S2", "A-S3"]
    assert round(_docx(consolidated).sections[0].page_width.mm) == 297  # wide table: landscape


def test_it_renders_a_consolidated_pdf_image(consolidated):
    document = _pdf(consolidated)
    OUTPUT.mkdir(exist_ok=True)
    image = document[0].render(scale=1.5).to_pil()
    image.save(OUTPUT / "consolidated-by-unit-page1.png")
    assert image.size[0] > image.size[1]  # landscape
    text = document[0].get_textpage().get_text_range()
    assert "Số đơn vị có báo cáo: 0/3" in text  # three departments owe it; none was sent
    assert "SỐ LIỆU TẠM TÍNH" in text


def test_it_writes_a_consolidated_xlsx_for_people(consolidated):
    buffer = io.BytesIO()
    write_xlsx(consolidated, buffer)
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    rows = {row[1].value: row for row in sheet.iter_rows() if row[1].value}
    plan = rows["Số nhiệm vụ đề ra trong kế hoạch"]
    assert [c.value for c in plan[3:8]] == [100, 3, 40, 10, 50]
    assert plan[3].number_format == "#,##0"
    assert rows["Số phòng ban đã kiểm tra"][3].value is None  # blank, not 0
    other = rows["Nhiệm vụ khác (nếu có)"]
    assert other[7].value == '=HYPERLINK("x")' and other[7].quotePrefix  # shown, never run
    assert other[7].data_type == "s"
    heading = next(c for row in sheet.iter_rows(max_row=10) for c in row
                   if c.value == "Kết quả tổng hợp")
    merged = next(r for r in sheet.merged_cells.ranges if heading.coordinate in r)
    assert (merged.min_col, merged.max_col) == (4, 8)


def test_it_marks_a_report_not_accepted_as_a_draft_in_every_people_format(seed_report):
    from parstat.exports.layout import DRAFT_BANNER
    from parstat.reporting.models import Report

    table = report_table(seed_report)
    assert DRAFT_BANNER in [p.text for p in _docx(table).paragraphs]
    assert DRAFT_BANNER in build_html(table)
    Report.objects.filter(pk=seed_report.pk).update(state="accepted")
    seed_report.refresh_from_db()
    accepted = report_table(seed_report)
    assert DRAFT_BANNER not in [p.text for p in _docx(accepted).paragraphs]
    assert DRAFT_BANNER not in build_html(accepted)
