"""The consolidated page in Chromium: the scope is shown and switched in words, drafts are marked,
and the table stays usable on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


def consolidator(browser, base: str, width: int, height: int) -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/dang-nhap/")
    page.fill("input[name=username]", "demo-consolidator")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    return page


@pytest.mark.parametrize(("width", "height"), [(1366, 900), (390, 844)])
def test_it_switches_the_scope_and_marks_drafts(browser, live_server_url, screenshots,
                                                width, height):
    page = consolidator(browser, live_server_url, width, height)
    page.goto(live_server_url + "/analytics/?unit=DEMO&period=2024Q3")
    expect(page.locator("#scope")).to_contain_text("Báo cáo đã gửi và đã tiếp nhận")
    expect(page.locator("#coverage")).to_contain_text("Số đơn vị có báo cáo: 9/12")
    expect(page.locator("#provisional")).to_have_count(0)
    page.select_option("select[name=scope]", label="Tất cả báo cáo, kể cả đang soạn (tạm tính)")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#provisional")).to_contain_text("SỐ LIỆU TẠM TÍNH")
    expect(page.locator("#left-out")).to_contain_text("để ngoài 0 báo cáo")
    expect(page.locator("#coverage")).to_contain_text("9/12")  # received does not change
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # the table scrolls
    page.screenshot(path=str(screenshots / f"consolidated-provisional-{width}.png"))
    page.select_option("select[name=scope]", label="Chỉ báo cáo đã tiếp nhận")
    page.get_by_role("button", name="Xem").click()
    expect(page.locator("#left-out")).to_contain_text("để ngoài 3 báo cáo vì trạng thái")
    rate = page.locator("tr", has_text="Tỷ lệ hài lòng trong kỳ báo cáo")
    expect(rate).to_contain_text("Trung bình")
    expect(rate).to_contain_text("thấp nhất")
    page.context.close()
