"""The administrator sets a province up in a real browser: a unit list, then a new edition of a
table from its authoring workbook, each previewed before it is applied."""

from __future__ import annotations

import copy
from datetime import date
from functools import cache

import pytest
import yaml
from playwright.sync_api import Page, expect

from parstat.catalog.loader import DATA_DIR
from parstat.catalog.workbook import write_workbook

pytestmark = pytest.mark.browser

UNITS = ("Mã đơn vị;Tên đơn vị;Loại;Đơn vị cấp trên;Hiệu lực từ\n"
         "XB;Tỉnh Thử Nghiệm (minh họa);tỉnh;;\n"
         "XB-X01;Xã Một (minh họa);xã;XB;01/07/2025\n"
         "XB-X02;Xã Hai (minh họa);xã;XB;01/07/2025\n")


@cache
def new_edition() -> bytes:
    data = copy.deepcopy(yaml.safe_load((DATA_DIR / "B1-SN-2023.yaml").read_text("utf-8")))
    data.update(code="B1-SN-2029", edition=2029, applies_from=date(2029, 1, 1),
                previous="B1-SN-2023", name=data["name"] + " — ấn bản thử (minh họa)")
    data["sections"][0]["indicators"][3]["label"] = "Số văn bản chỉ đạo, điều hành CCHC"
    return write_workbook(data)


def signed_in(browser, base: str, width: int) -> Page:  # type: ignore[no-untyped-def]
    page = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900}).new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/dang-nhap/")
    page.fill("input[name=username]", "demo-admin")
    page.fill("input[name=password]", "demo")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    return page


def test_the_administrator_loads_units_then_a_new_edition(browser, live_server_url,
                                                          screenshots):
    page = signed_in(browser, live_server_url, 1366)
    page.goto(live_server_url + "/tai-khoan/")
    page.get_by_role("link", name="Nhập danh sách đơn vị").click()
    page.set_input_files("input[name=file]", files=[
        {"name": "don-vi.csv", "mimeType": "text/csv", "buffer": UNITS.encode()}])
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#registry-counts")).to_contain_text("Mới: 3")
    expect(page.get_by_text("Xem trước (chưa lưu gì)")).to_be_visible()
    page.screenshot(path=str(screenshots / "registry-units-preview-1366.png"), full_page=True)
    page.get_by_role("button", name="Áp dụng tệp này").click()
    expect(page.get_by_text("Đã áp dụng tệp don-vi.csv.")).to_be_visible()

    page.goto(live_server_url + "/tai-khoan/")
    page.get_by_role("link", name="Nạp biểu mẫu (ấn bản mới)").click()
    page.set_input_files("input[name=file]", files=[
        {"name": "b1-2029.xlsx", "buffer": new_edition(),
         "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    page.get_by_role("button", name="Xem trước").click()
    expect(page.locator("#template-summary")).to_contain_text("178 chỉ tiêu")
    expect(page.locator("#template-summary")).to_contain_text("renamed: 1")
    page.get_by_role("button", name="Công bố ấn bản này").click()
    expect(page.get_by_text("Đã áp dụng tệp b1-2029.xlsx.")).to_be_visible()
    page.context.close()


def test_the_upload_page_fits_a_phone(browser, live_server_url, screenshots):
    page = signed_in(browser, live_server_url, 390)
    page.goto(live_server_url + "/quan-tri/nhap/users/")
    expect(page.get_by_role("heading", name="Nhập danh sách người dùng")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(screenshots / "registry-users-390.png"), full_page=True)
    page.context.close()
