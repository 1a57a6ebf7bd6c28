"""The whole report up the chain in a real browser: a unit writes its narrative with a figure of
its table and its leader sends it; the provincial office accepts it, builds the province's
narrative from its units' texts and submits the province's report; the province's leader
approves it; the office sends it, and its package reaches a second installation (the
Ministry's, another server on its own database), whose national view shows it; the package
(checked against its SHA-256 manifest) downloads; the province's whole report (Decree 30 heading,
narrative, signature, consolidated appendix) is downloaded and rendered to PNG in test-output/.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import date

import pypdfium2
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MINISTRY_ACCOUNT, OUTPUT
from tests.browser.test_entry_form import cell, open_report, signed_in, status

pytestmark = pytest.mark.browser
# A period of the seed's unit no other browser test opens (test_narrative takes Q3): the six
# months of the year `parstat init` makes periods for.
YEAR = date.today().year
PERIOD = f"{YEAR}S1"


def _type_value(page, code: str, text: str) -> None:  # type: ignore[no-untyped-def]
    cell(page, code).fill(text)
    cell(page, code).press("Tab")
    expect(status(page, code)).to_contain_text("✓ đã lưu", timeout=20_000)


def _save_text(page, key: str, text: str) -> None:  # type: ignore[no-untyped-def]
    page.fill(f"#text-{key}", text)
    page.locator(f"#text-{key}").press("Tab")
    expect(page.locator(f"#part-{key} .part-status")).to_contain_text("đã lưu", timeout=20_000)


def test_it_carries_a_unit_report_up_to_the_province_leader_and_prints_the_province_report(
        browser, live_server_url, ministry_server):
    base = live_server_url
    reporter = signed_in(browser, base, "demo-reporter")
    table_url = open_report(reporter, PERIOD)
    _type_value(reporter, "I.1.a", "30")
    _type_value(reporter, "I.1.b", "27")
    reporter.click("#narrative-link")
    _save_text(reporter, "I", "Đơn vị hoàn thành {{I.1.b}}/{{I.1.a}} nhiệm vụ.")
    expect(reporter.locator("#preview-I")).to_have_text("Đơn vị hoàn thành 27/30 nhiệm vụ.")
    narrative_url = reporter.url

    approver = signed_in(browser, base, "demo-approver")
    approver.goto(narrative_url)
    approver.fill("#submit-form input[name=number]", "20/BC-SKHĐT")
    approver.fill("#submit-form input[name=date]", f"{YEAR}-06-18")
    approver.fill("#submit-form input[name=text]", "Kiểm thử cả chuỗi")
    approver.get_by_role("button", name="Gửi báo cáo").click()
    expect(approver.locator("#report-state")).to_have_text("Đã gửi")

    office = signed_in(browser, base, "demo-consolidator")
    office.goto(table_url)
    office.get_by_role("button", name="Tiếp nhận").click()
    expect(office.locator("#report-state")).to_have_text("Đã tiếp nhận")

    province_url = f"{base}/periods/{PERIOD}/bao-cao-tinh/ST/"
    office.goto(province_url)
    office.click("#start-draft")
    expect(office.locator("#text-I")).to_have_value(
        "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng: Đơn vị hoàn thành 27/30 nhiệm vụ.")
    _save_text(office, "I", "Các sở hoàn thành {{I.1.b}}/{{I.1.a}} nhiệm vụ.")
    expect(office.locator("#preview-I")).to_have_text("Các sở hoàn thành 27/30 nhiệm vụ.")
    for key, text in (("place", "Sóc Trăng"), ("signer_title", "Chủ tịch"),
                      ("signer_name", "Lê Văn Minh Họa")):
        _save_text(office, key, text)
    office.click("#step-submit button")
    expect(office.locator("#province-state")).to_have_text("Chờ lãnh đạo tỉnh duyệt")
    expect(office.locator("#text-I")).to_have_attribute("readonly", "")

    leader = signed_in(browser, base, "demo-leader")
    expect(leader.locator("#province-reports")).to_contain_text("Chờ lãnh đạo tỉnh duyệt")
    leader.goto(province_url)
    leader.click("#step-approve button")
    expect(leader.locator("#province-state")).to_have_text("Lãnh đạo tỉnh đã duyệt")
    expect(leader.locator("#province-matches")).to_be_visible()
    leader.screenshot(path=str(OUTPUT / "province-approved.png"), full_page=True)

    office.goto(province_url)
    office.fill("#step-send input[name=number]", "35/BC-UBND")
    office.fill("#step-send input[name=date]", f"{YEAR}-07-05")
    office.click("#step-send button")
    expect(office.locator("#province-state")).to_have_text("Đã gửi lên cấp trên")
    # Delivered to the Ministry's installation, whose national view shows the province's totals.
    expect(office.locator(".messages")).to_contain_text("Hệ thống cấp trên đã nhận")
    ministry_url, _token = ministry_server
    ministry = signed_in(browser, ministry_url, MINISTRY_ACCOUNT[0],
                         password=MINISTRY_ACCOUNT[1])
    ministry.goto(f"{ministry_url}/quoc-gia/{PERIOD}/")
    expect(ministry.locator("body")).to_contain_text("Tỉnh Sóc Trăng")
    expect(ministry.locator("body")).to_contain_text("35/BC-UBND")
    ministry.screenshot(path=str(OUTPUT / "ministry-national-view.png"), full_page=True)

    # The package it was sent as: every file listed in its manifest with its SHA-256.
    with office.expect_download() as zipped:
        office.click("#province-package")
    package_path = OUTPUT / "province-package.zip"
    zipped.value.save_as(package_path)
    with zipfile.ZipFile(package_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        listed = {f["name"]: f["sha256"] for f in manifest["files"]}
        assert {n: hashlib.sha256(archive.read(n)).hexdigest() for n in listed} == listed
        package = json.loads(archive.read("package.json"))
    totals = {t["code"]: t for t in package["totals"]}
    assert totals["I.1.a"]["value"] == 30 and totals["I.1.a"]["units"] == 1

    with office.expect_download() as printed:
        office.get_by_role("link", name="Tải PDF").click()
    pdf_path = OUTPUT / "province-report.pdf"
    printed.value.save_as(pdf_path)
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    texts = [" ".join(page.get_textpage().get_text_range().split()) for page in pdf]
    assert "ỦY BAN NHÂN DÂN TỈNH SÓC TRĂNG" in texts[0] and "Số: 35/BC-UBND" in texts[0]
    assert f"Sóc Trăng, ngày 05 tháng 7 năm {YEAR}" in texts[0]
    assert "Các sở hoàn thành 27/30 nhiệm vụ." in texts[0] and "DỰ THẢO" not in texts[0]
    signed = next(i for i, text in enumerate(texts) if "Lê Văn Minh Họa" in text)
    appendix = next(i for i, text in enumerate(texts) if "PHỤ LỤC" in text)
    assert f"Ban hành kèm theo Báo cáo số 35/BC-UBND ngày 05/07/{YEAR}" in texts[appendix]
    assert signed <= appendix
    for name, index in (("page1", 0), ("signature", signed), ("appendix", appendix)):
        pdf[index].render(scale=1.5).to_pil().save(OUTPUT / f"province-pdf-{name}.png")
    pdf.close()

    # A unit report reopened afterwards: its page and the province's say they no longer match.
    office.goto(table_url)
    office.fill("form[action$='/reopen/'] input[name=text]", "Sửa số nhiệm vụ")
    office.get_by_role("button", name="Mở lại").click()
    expect(office.locator("#province-no-longer-matches")).to_be_visible()
    office.goto(province_url)
    expect(office.locator("#province-drift")).to_contain_text("không còn được tính")
