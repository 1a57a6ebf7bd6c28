"""The whole report as one document per Decree 30/2020: heading block, number, place and date,
title, narrative with its figures, "Nơi nhận", signature, then the appendix on its own page;
"DỰ THẢO" on anything not accepted. Rendered to PNG in test-output/ to be looked at."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pypdfium2
import pytest
from django.core.management import call_command
from docx import Document

from parstat.exports.decree30 import DRAFT_MARK
from parstat.exports.docx import build_report_document
from parstat.exports.pdf import build_report_html
from parstat.narrative.actions import do_set_narrative
from parstat.narrative.document import report_document
from parstat.narrative.export import document_bytes
from parstat.narrative.outline import load_outline
from parstat.reporting.actions import CellUpdate, do_set_values
from parstat.reporting.values import CellValue
from parstat.reporting.workflow import do_accept_report, do_submit_report

pytestmark = pytest.mark.django_db
OUTPUT = Path(__file__).resolve().parent.parent / "test-output"

TEXTS = {
    "I": "Đơn vị ban hành Kế hoạch CCHC năm; hoàn thành {{I.1.b}}/{{I.1.a}} nhiệm vụ, đạt "
         "{{I.1}} %.\n- Kiểm tra CCHC: theo kế hoạch;\n- Tuyên truyền CCHC: đã thực hiện.",
    "II.2": "Tiếp nhận {{III.7.a}} hồ sơ TTHC.",
    "place": "Sóc Trăng",
    "recipients": "Sở Nội vụ;\nBan Giám đốc Sở;\nLưu: VT, VP.",
    "signer_title": "Giám đốc",
    "signer_name": "Nguyễn Văn Minh Họa",
}


@pytest.fixture
def written(seed_report, system):  # type: ignore[no-untyped-def]
    load_outline()
    for key, text in TEXTS.items():
        do_set_narrative(seed_report, key, text, acting_user=system)
    return seed_report


def _paragraphs(document) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in document.paragraphs if p.text]


def _docx(report) -> Document:  # type: ignore[no-untyped-def]
    return Document(io.BytesIO(document_bytes(report, "docx")))


def test_it_gathers_the_document_facts_of_the_report(written):
    doc = report_document(written)
    assert doc.governing_body == "UBND TỈNH SÓC TRĂNG"
    assert doc.issuer == "SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH SÓC TRĂNG"
    assert doc.number_line == "Số: 81/BC-SKHĐT"
    assert doc.place_date_line == "Sóc Trăng, ngày 17 tháng 3 năm 2023"
    assert doc.summary == "Kết quả thực hiện công tác cải cách hành chính quý I năm 2023"
    assert doc.recipients == ["Sở Nội vụ;", "Ban Giám đốc Sở;", "Lưu: VT, VP."]
    assert (doc.signer_title, doc.signer_name) == ("GIÁM ĐỐC", "Nguyễn Văn Minh Họa")
    assert doc.sections[0].blocks[0].text == ("Đơn vị ban hành Kế hoạch CCHC năm; hoàn thành "
                                              "13/40 nhiệm vụ, đạt 32,5 %.")
    assert [b.kind for b in doc.sections[0].blocks] == ["p", "li", "li"]
    assert doc.draft and doc.mark == DRAFT_MARK


def test_it_dots_what_is_not_given_yet_instead_of_guessing(written, system):
    written.document_number, written.document_date = "", None
    do_set_narrative(written, "place", "", acting_user=system)
    doc = report_document(written)
    assert doc.number_line == "Số: ……/BC-……"
    assert doc.place_date_line == "……, ngày …… tháng …… năm ……"


def test_it_writes_the_decree_30_heading_block_and_signature_in_the_docx(written):
    document = _docx(written)
    heading = document.tables[0].rows[0].cells
    assert [p.text for p in heading[0].paragraphs] == [
        "UBND TỈNH SÓC TRĂNG", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ\nTỈNH SÓC TRĂNG", "———", "Số: 81/BC-SKHĐT"]
    assert [p.text for p in heading[1].paragraphs] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "—" * 12,
        "Sóc Trăng, ngày 17 tháng 3 năm 2023"]
    lines = _paragraphs(document)
    title = lines.index("BÁO CÁO")
    assert lines[title + 1] == "Kết quả thực hiện công tác cải cách hành chính quý I năm 2023"
    assert lines[title + 2] == "—" * 10  # the rule under the summary line
    assert lines[title + 3] == "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH"
    assert "- Kiểm tra CCHC: theo kế hoạch;" in lines
    assert "Tiếp nhận 836 hồ sơ TTHC." in lines
    recipients, signature = document.tables[1].rows[0].cells
    assert [p.text for p in recipients.paragraphs] == [
        "Nơi nhận:", "- Sở Nội vụ;", "- Ban Giám đốc Sở;", "- Lưu: VT, VP."]
    signed = [p.text for p in signature.paragraphs if p.text]
    assert signed == ["GIÁM ĐỐC", "(Ký, ghi rõ họ tên, đóng dấu)", "Nguyễn Văn Minh Họa"]


def test_it_puts_the_appendix_on_its_own_page_after_the_signature(written):
    document = _docx(written)
    body = document.element.body
    page_break = body.xpath(".//w:br[@w:type='page']")
    assert len(page_break) == 1
    lines = _paragraphs(document)
    appendix = lines.index("PHỤ LỤC 2")
    children = list(body.iterchildren())
    signature_at = children.index(document.tables[1]._tbl)
    break_at = children.index(page_break[0].getparent().getparent())
    appendix_at = children.index(next(p for p in document.paragraphs if p.text == "PHỤ LỤC 2")._p)
    assert signature_at < break_at < appendix_at
    assert lines[appendix + 2] == ("(Ban hành kèm theo Báo cáo số 81/BC-SKHĐT ngày 17/03/2023 "
                                   "của Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng)")
    table = document.tables[2]
    assert table.rows[0].cells[1].text == "Chỉ tiêu thống kê"
    values = {r.cells[1].text: r.cells[3].text for r in table.rows}
    assert values["Số lượng hồ sơ TTHC do cơ quan, đơn vị tiếp nhận"] == "836"


def test_it_marks_a_report_not_accepted_as_draft_and_an_accepted_one_not(written, system):
    document = _docx(written)
    section = document.sections[0]
    assert section.first_page_header.paragraphs[0].text == DRAFT_MARK
    assert DRAFT_MARK in [p.text for p in section.header.paragraphs]
    _accept(written, system)
    accepted = _docx(written)
    assert DRAFT_MARK not in _paragraphs(accepted)
    assert accepted.sections[0].first_page_header.paragraphs[0].text == ""
    assert DRAFT_MARK not in build_report_html(report_document(written))


def _accept(report, system):  # type: ignore[no-untyped-def]
    for code, number in (("VII.5.f", 100), ("III.4.c.2", 0)):  # the seed's two errors
        indicator = report.template.indicators.get(code=code)
        do_set_values(report, [CellUpdate(indicator, CellValue(number=Decimal(number)))],
                      acting_user=system)
    do_submit_report(report, acting_user=system, explanation="Mục VII chỉ tính trực tuyến")
    do_accept_report(report, acting_user=system)


def test_it_renders_the_pdf_with_heading_signature_and_appendix_and_keeps_images(written):
    pdf = pypdfium2.PdfDocument(document_bytes(written, "pdf"))
    OUTPUT.mkdir(exist_ok=True)
    texts = [" ".join(page.get_textpage().get_text_range().split()) for page in pdf]  # unwrapped
    first = texts[0]
    for words in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                  "Số: 81/BC-SKHĐT", "Sóc Trăng, ngày 17 tháng 3 năm 2023", "BÁO CÁO",
                  DRAFT_MARK, "13/40 nhiệm vụ, đạt 32,5 %"):
        assert words in first, words
    appendix = next(i for i, text in enumerate(texts) if "PHỤ LỤC 2" in text)
    signed = next(i for i, text in enumerate(texts) if "Nguyễn Văn Minh Họa" in text)
    assert signed < appendix  # the signature ends the report; the table starts a later page
    assert "Nơi nhận:" in texts[signed] and "GIÁM ĐỐC" in texts[signed]
    assert "Nơi nhận:" not in texts[appendix] and DRAFT_MARK in texts[appendix]
    for name, index in (("heading", 0), ("signature", signed), ("appendix", appendix)):
        image = pdf[index].render(scale=1.5).to_pil()
        image.save(OUTPUT / f"narrative-report-{name}.png")
        assert image.size[0] < image.size[1]  # A4 portrait


def test_it_exports_the_whole_document_or_the_appendix_only_from_the_command_line(written,
                                                                                   tmp_path):
    whole, appendix = tmp_path / "bao-cao.docx", tmp_path / "phu-luc.docx"
    call_command("export_report", unit="ST-SKHDT", period="2023Q1", format="docx", output=whole)
    call_command("export_report", unit="ST-SKHDT", period="2023Q1", format="docx",
                 appendix_only=True, output=appendix)
    assert "BÁO CÁO" in _paragraphs(Document(str(whole)))
    assert _paragraphs(Document(str(appendix)))[0] == "PHỤ LỤC 2"
    assert "BÁO CÁO" not in _paragraphs(Document(str(appendix)))
    pdf = tmp_path / "bao-cao.pdf"
    call_command("export_report", unit="ST-SKHDT", period="2023Q1", format="pdf", output=pdf)
    assert pdf.read_bytes().startswith(b"%PDF")


def test_it_refuses_appendix_only_for_other_formats(written):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as refused:
        call_command("export_report", unit="ST-SKHDT", period="2023Q1", format="json",
                     appendix_only=True)
    assert "--appendix-only" in str(refused.value)


def test_it_builds_the_docx_in_memory_without_a_narrative(seed_report):
    # No outline loaded, nothing written: still the heading block, title and appendix.
    document = build_report_document(report_document(seed_report))
    lines = _paragraphs(document)
    assert lines[:2] == ["BÁO CÁO", "Kết quả thực hiện công tác cải cách hành chính quý I năm 2023"]
    assert "PHỤ LỤC 2" in lines


@pytest.mark.parametrize(("issuer", "lines"), [
    ("SỞ NỘI VỤ", ["SỞ NỘI VỤ"]),
    ("ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG", ["ỦY BAN NHÂN DÂN", "TỈNH SÓC TRĂNG"]),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"]),
    ("ỦY BAN NHÂN DÂN THỊ XÃ VĨNH CHÂU", ["ỦY BAN NHÂN DÂN", "THỊ XÃ VĨNH CHÂU"]),
    ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI TỈNH SÓC TRĂNG",
     ["SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "TỈNH SÓC TRĂNG"]),
    ("BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP", ["BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP"]),
])
def test_it_breaks_a_long_issuer_before_its_place_never_inside_it(issuer, lines):
    from parstat.exports.decree30 import issuer_lines

    assert issuer_lines(issuer) == lines
