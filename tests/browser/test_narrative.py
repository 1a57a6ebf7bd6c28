"""A unit writes its narrative in a real browser: types a section (saved as typed), inserts
figures of its table (rendered from the values), the approver sends it with its number and date,
and the whole report is downloaded as Word and PDF and rendered to PNG in test-output/."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pypdfium2
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import OUTPUT
from tests.browser.test_entry_form import cell, open_report, signed_in, status

pytestmark = pytest.mark.browser
# A period of the seed's unit no other browser test opens (they use 2023–2025, and the home
# page's "Lập báo cáo" rows): the third quarter of the year `parstat init` makes periods for.
YEAR = date.today().year
PERIOD = f"{YEAR}Q3"


def _type_value(page, code: str, text: str) -> None:  # type: ignore[no-untyped-def]
    cell(page, code).fill(text)
    cell(page, code).press("Tab")
    expect(status(page, code)).to_contain_text("đã lưu", timeout=20_000)


def _insert(page, code: str) -> None:  # type: ignore[no-untyped-def]
    page.select_option("#figure-code", code)
    page.click("#figure-insert")


def test_it_writes_the_narrative_with_figures_and_prints_the_whole_report(browser,
                                                                          live_server_url):
    base = live_server_url
    reporter = signed_in(browser, base, "demo-reporter")
    table_url = open_report(reporter, PERIOD)
    _type_value(reporter, "I.1.a", "48")
    _type_value(reporter, "I.1.b", "12")
    reporter.click("#narrative-link")
    expect(reporter.get_by_text("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH")).to_be_visible()

    area = reporter.locator("#text-I")
    area.click()
    area.press_sequentially("Đơn vị hoàn thành ")
    _insert(reporter, "I.1.b")
    area.press("End")
    area.press_sequentially("/")
    _insert(reporter, "I.1.a")
    area.press("End")
    area.press_sequentially(" nhiệm vụ, đạt ")
    _insert(reporter, "I.1")
    area.press("End")
    area.press_sequentially(" %.")
    area.press("Tab")
    expect(area).to_have_value("Đơn vị hoàn thành {{I.1.b}}/{{I.1.a}} nhiệm vụ, đạt {{I.1}} %.")
    expect(reporter.locator("#preview-I")).to_have_text(
        "Đơn vị hoàn thành 12/48 nhiệm vụ, đạt 25 %.")
    for key, text in (("place", "Sóc Trăng"), ("signer_title", "Giám đốc"),
                      ("signer_name", "Trần Văn Minh Họa")):
        reporter.fill(f"#text-{key}", text)
        reporter.locator(f"#text-{key}").press("Tab")
        expect(reporter.locator(f"#part-{key} .part-status")).to_contain_text("đã lưu",
                                                                              timeout=20_000)
    reporter.fill("#text-recipients", "Sở Nội vụ;\nLưu: VT.")
    reporter.locator("#text-recipients").press("Tab")
    expect(reporter.locator("#part-recipients .part-status")).to_contain_text("đã lưu",
                                                                              timeout=20_000)

    # The figure follows the table: a value changed there reads anew here.
    reporter.goto(table_url)
    _type_value(reporter, "I.1.b", "24")
    reporter.click("#narrative-link")
    expect(reporter.locator("#preview-I")).to_have_text(
        "Đơn vị hoàn thành 24/48 nhiệm vụ, đạt 50 %.")
    reporter.screenshot(path=str(OUTPUT / "narrative-page.png"), full_page=True)

    approver = signed_in(browser, base, "demo-approver")
    approver.goto(reporter.url)
    approver.fill("#submit-form input[name=number]", "15/BC-SKHĐT")
    approver.fill("#submit-form input[name=date]", f"{YEAR}-09-16")
    approver.fill("#submit-form input[name=text]", "Kiểm thử")
    approver.get_by_role("button", name="Gửi báo cáo").click()
    expect(approver.locator("#report-state")).to_have_text("Đã gửi")
    expect(approver.locator("#text-I")).to_have_attribute("readonly", "")

    with approver.expect_download() as word:
        approver.get_by_role("link", name="Tải báo cáo Word (.docx)").click()
    docx = OUTPUT / "narrative-report.docx"
    word.value.save_as(docx)
    with approver.expect_download() as printed:
        approver.get_by_role("link", name="Tải báo cáo PDF").click()
    pdf_path = OUTPUT / "narrative-report.pdf"
    printed.value.save_as(pdf_path)
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    first = " ".join(pdf[0].get_textpage().get_text_range().split())
    assert "Số: 15/BC-SKHĐT" in first and f"Sóc Trăng, ngày 16 tháng 9 năm {YEAR}" in first
    assert "hoàn thành 24/48 nhiệm vụ, đạt 50 %" in first and "DỰ THẢO" in first
    pdf[0].render(scale=1.5).to_pil().save(OUTPUT / "narrative-browser-pdf-page1.png")
    pdf.close()
    _word_to_png(docx)


def _word_to_png(docx) -> None:  # type: ignore[no-untyped-def]
    """The .docx as Word would print it (LibreOffice), to look at: heading, signature, appendix."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed: the .docx was checked by its paragraphs only")
    out = OUTPUT / "docx-pdf"
    out.mkdir(exist_ok=True)
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    str(docx)], check=True, capture_output=True, timeout=180)
    pdf = pypdfium2.PdfDocument(str(out / "narrative-report.pdf"))
    # LibreOffice's PDF splits Vietnamese letters from their marks in its text layer: look for
    # what has none (the number, figures, dates); the PNGs are for the eye.
    texts = [" ".join(page.get_textpage().get_text_range().split()) for page in pdf]
    assert "15/BC-SKHĐT" in texts[0] and "24/48" in texts[0]
    signed = next(i for i, text in enumerate(texts) if "Văn Minh" in text)
    appendix = next(i for i, text in enumerate(texts) if f"15/BC-SKHĐT ngày 16/09/{YEAR}" in text)
    assert signed < appendix
    for name, index in (("page1", 0), ("signature", signed), ("appendix", appendix)):
        pdf[index].render(scale=1.5).to_pil().save(OUTPUT / f"narrative-docx-{name}.png")
    pdf.close()
