"""A report's whole life in a real browser against a real server, as its people use it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.import_fixtures import seed_docx

pytestmark = pytest.mark.browser
DEMO_PASSWORD = "demo"


def signed_in(browser, base: str, username: str) -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    return page


def cell(page: Page, code: str):  # type: ignore[no-untyped-def]
    return page.locator(f"#v-{code.replace('.', '_')}")


def type_cell(page: Page, code: str, text: str) -> None:
    cell(page, code).fill(text)
    cell(page, code).press("Tab")
    expect(page.locator(f"#status-{code.replace('.', '_')}")).to_contain_text("✓ đã lưu")


def transition(page: Page, action: str, button: str, text: str | None = None) -> None:
    form = page.locator(f"form[action$='/do/{action}/']")
    if text is not None:
        form.locator("input[name=text]").fill(text)
    form.get_by_role("button", name=button).click()


def test_it_walks_a_report_from_entry_to_acceptance(browser, live_server_url, screenshots,
                                                    tmp_path):
    base = live_server_url
    reporter = signed_in(browser, base, "demo-reporter")
    reporter.locator("tr", has_text="Quý I/2025").get_by_role("button", name="Lập báo cáo").click()
    expect(reporter.get_by_role("heading", name="Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng")).to_be_visible()
    report_url = reporter.url

    # Part of the form by hand: the completion rate is computed as the inputs arrive.
    type_cell(reporter, "I.1.a", "40")
    type_cell(reporter, "I.1.b", "13")
    expect(reporter.locator("#derived-I_1")).to_have_text("= 32,5")
    cell(reporter, "I.1.c").fill("6")
    reporter.get_by_role("button", name="Lưu tất cả").click()
    expect(reporter.locator(".messages")).to_contain_text("Đã lưu")
    reporter.reload()  # nothing typed is lost on a refresh
    expect(cell(reporter, "I.1.c")).to_have_value("6")

    # The rest from the department's Word file: preview, then apply.
    reporter.get_by_role("link", name="Điền từ tệp…").click()
    word = tmp_path / "SKHDT-bang1.docx"
    word.write_bytes(seed_docx())
    reporter.set_input_files("input[name=file]", str(word))
    reporter.get_by_role("button", name="Xem trước").click()
    expect(reporter.locator(".summary")).to_contain_text("Giá trị mới")
    reporter.get_by_role("button", name="Áp dụng").click()
    expect(reporter.locator(".messages")).to_contain_text("Đã nhập từ tệp")
    expect(cell(reporter, "VII.3.a")).to_have_value("1.327")
    expect(reporter.locator("#findings h2")).to_contain_text("2 lỗi")
    expect(reporter.locator("#row-VII_5_f .row-findings")).to_contain_text("R27")

    # The checks caught two inconsistencies of the file: the reporter corrects them.
    type_cell(reporter, "VII.5.f", "100")
    expect(reporter.locator("#row-VII_5_f .row-findings")).to_have_text("")  # gone beside the row
    type_cell(reporter, "III.4.c.2", "0")
    expect(reporter.locator("#findings h2")).to_contain_text("0 lỗi, 1 cảnh báo")
    reporter.screenshot(path=str(screenshots / "entry-form.png"), full_page=True)

    approver = signed_in(browser, base, "demo-approver")
    approver.goto(report_url)
    transition(approver, "submit", "Gửi báo cáo", "Mục VII chỉ tính hồ sơ của TTHC trực tuyến")
    expect(approver.locator("#report-state")).to_have_text("Đã gửi")

    consolidator = signed_in(browser, base, "demo-consolidator")
    consolidator.goto(report_url)
    transition(consolidator, "return", "Trả lại", "Đề nghị ghi rõ số văn bản chỉ đạo")
    expect(consolidator.locator("#report-state")).to_have_text("Đang soạn")
    consolidator.locator("#history summary").click()  # the history loads when it is opened
    expect(consolidator.locator("#history-rows")).to_contain_text(
        "Đề nghị ghi rõ số văn bản chỉ đạo")

    approver.reload()
    transition(approver, "submit", "Gửi báo cáo", "Mục VII chỉ tính hồ sơ của TTHC trực tuyến")
    expect(approver.locator("#report-state")).to_have_text("Đã gửi")

    consolidator.reload()
    transition(consolidator, "accept", "Tiếp nhận")
    expect(consolidator.locator("#report-state")).to_have_text("Đã tiếp nhận")
    reporter.reload()
    expect(cell(reporter, "I.1.a")).to_have_attribute("readonly", "")  # accepted: locked

    consolidator.goto(base + "/periods/2025Q1/")
    row = consolidator.locator("#period-units tr", has_text="Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng")
    expect(row).to_contain_text("Đã tiếp nhận")
    expect(row).to_contain_text(re.compile(r"\d{2}/\d{2}/\d{4}"))
    consolidator.screenshot(path=str(screenshots / "consolidator-period.png"), full_page=True)


def test_it_keeps_blank_and_zero_apart_in_the_form(browser, live_server_url):
    reporter = signed_in(browser, live_server_url, "demo-reporter")
    reporter.locator("tr", has_text="Năm 2024").get_by_role("button", name="Lập báo cáo").click()
    type_cell(reporter, "I.2.a", "0")
    reporter.reload()
    expect(cell(reporter, "I.2.a")).to_have_value("0")
    expect(cell(reporter, "I.2.b")).to_have_value("")
    expect(cell(reporter, "I.2.b")).to_have_attribute("placeholder", "trống")
