"""The pages as each person sees them, on a laptop (1366 px) and a phone (390 px), and printed.

Screenshots go to test-output/ (pages-*.png) for a person to look at."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
DEMO_PASSWORD = "demo"
PHONE, LAPTOP = 390, 1366


def signed_in(browser, base: str, username: str, width: int) -> Page:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    return page


def page_width(page: Page) -> int:
    return int(page.evaluate("document.scrollingElement.scrollWidth"))


def seed_report_url(page: Page, base: str) -> str:
    page.goto(base + "/reports/?unit=ST-SKHDT&period=2023Q1")
    page.get_by_role("link", name="Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng").first.click()
    expect(page.get_by_role("heading", name="Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng")).to_be_visible()
    return page.url


@pytest.mark.parametrize("width", [LAPTOP, PHONE])
def test_it_opens_the_consolidator_on_the_work_queue(browser, live_server_url, screenshots, width):
    page = signed_in(browser, live_server_url, "demo-consolidator", width)
    waiting = int(page.locator("#count-waiting").inner_text())
    assert waiting >= 1  # the demo's departments left reports submitted
    expect(page.locator("#waiting + table tbody tr")).to_have_count(waiting)
    expect(page.locator("#flagged + ul")).to_contain_text("Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng")
    page.screenshot(path=screenshots / f"pages-home-consolidator-{width}.png", full_page=True)
    assert page_width(page) <= width
    page.locator("#waiting + table").get_by_role("link", name="Xem và quyết định").first.click()
    expect(page.get_by_role("button", name="Tiếp nhận")).to_be_visible()
    page.context.close()


def test_it_opens_the_administrator_on_the_same_queue(browser, live_server_url, screenshots):
    page = signed_in(browser, live_server_url, "demo-admin", LAPTOP)
    expect(page.locator("#work-queue")).to_contain_text("Quản trị viên chỉ theo dõi")
    assert int(page.locator("#count-waiting").inner_text()) >= 1
    page.screenshot(path=screenshots / "pages-home-admin-1366.png", full_page=True)
    page.context.close()


@pytest.mark.parametrize("width", [LAPTOP, PHONE])
def test_it_tells_the_merged_units_reporter_where_it_went(browser, live_server_url, screenshots,
                                                         width):
    page = signed_in(browser, live_server_url, "demo-reporter", width)
    expect(page.locator(".merged-into")).to_contain_text(
        "đã sáp nhập vào Sở Tài chính tỉnh Sóc Trăng (nay là Sở Tài chính thành phố Cần Thơ)")
    expect(page.locator(".recent-reports")).to_contain_text("Quý I/2023")
    expect(page.locator("#work-queue")).to_have_count(0)
    page.screenshot(path=screenshots / f"pages-home-reporter-{width}.png", full_page=True)
    assert page_width(page) <= width
    page.context.close()


def test_it_fits_the_form_and_wide_tables_on_a_phone(browser, live_server_url, screenshots):
    page = signed_in(browser, live_server_url, "demo-consolidator", PHONE)
    assert page.locator("header.top").bounding_box()["height"] <= 80  # type: ignore[index]
    seed_report_url(page, live_server_url)
    value = page.locator("#v-I_1_a")
    box = value.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    note = page.locator("textarea[name='n:I.1.a']")
    assert note.input_value() == "Kế hoạch số 06/KH-SKHĐT ngày 16/01/2023"
    assert note.evaluate("t => t.scrollHeight <= t.clientHeight + 1")  # the note is not cut off
    page.screenshot(path=screenshots / "pages-form-390.png")
    assert page_width(page) <= PHONE

    for name, path in (("consolidated", "/analytics/?unit=DEMO&period=2024Q1&by_unit=1"),
                       ("pivot", "/analytics/bang-xoay/?unit=DEMO&period=2024Q1")):
        page.goto(live_server_url + path)
        box_ = page.locator(".table-scroll")
        assert page_width(page) <= PHONE, name
        assert box_.evaluate("b => b.scrollWidth > b.clientWidth"), name  # scrolls in its box
        label = page.locator(".table-scroll tbody tr:not(.section) td:nth-child(2)").first
        before = label.bounding_box()["x"]  # type: ignore[index]
        box_.evaluate("b => { b.scrollLeft = 400; }")
        after = label.bounding_box()["x"]  # type: ignore[index]
        assert abs(after - before) < 1, name  # the label column stays in place (± a border)
        page.screenshot(path=screenshots / f"pages-{name}-390.png")
    page.context.close()


def test_it_shows_the_form_at_laptop_width_with_every_column_named(browser, live_server_url,
                                                                 screenshots):
    page = signed_in(browser, live_server_url, "demo-reporter", LAPTOP)
    seed_report_url(page, live_server_url)
    expect(page.locator(".official thead th.status-col")).to_have_text("Tình trạng lưu")
    hint = page.locator("#entry-form .entry-hint")
    expect(hint).to_have_count(1)
    expect(hint).to_contain_text("khác với số 0")
    assert hint.evaluate("h => h.compareDocumentPosition(document.querySelector('.official')) "
                         "& Node.DOCUMENT_POSITION_FOLLOWING")  # above the table
    page.screenshot(path=screenshots / "pages-form-1366.png")
    page.context.close()


def test_it_prints_the_official_table_only(browser, live_server_url, screenshots):
    page = signed_in(browser, live_server_url, "demo-reporter", LAPTOP)
    seed_report_url(page, live_server_url)
    page.emulate_media(media="print")
    for hidden in ("header.top", ".toolbar", "#findings", "#history", "p.save, .workflow"):
        for element in page.locator(hidden).all():
            expect(element).to_be_hidden()
    expect(page.locator(".official")).to_be_visible()
    field = page.locator("#v-I_1_a")
    assert field.evaluate("f => getComputedStyle(f).borderTopStyle") == "none"
    page.screenshot(path=screenshots / "pages-form-print.png", full_page=True)
    pdf = page.pdf(prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= pages <= 8, pages  # 178 rows on A4 portrait, not 12 pages of menus and buttons
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert box and round(float(box[1])) == 595 and round(float(box[2])) == 842  # A4 portrait
    page.context.close()


def test_it_finds_a_unit_in_the_report_filter_by_typing_its_name(browser, live_server_url):
    page = signed_in(browser, live_server_url, "demo-consolidator", PHONE)
    page.goto(live_server_url + "/reports/")
    page.locator("input.option-search").fill("ke hoach va dau tu")  # without the accents
    expect(page.locator("#unit-filter")).to_have_value("ST-SKHDT")
    page.locator("select[name=period]").select_option(label="Quý I/2023")
    page.get_by_role("button", name="Lọc").click()
    expect(page.locator("table.list tbody tr")).to_have_count(1)
    assert page_width(page) <= PHONE
    page.context.close()


@pytest.mark.parametrize("width", [LAPTOP, PHONE])
def test_it_shows_a_missing_page_in_the_sites_layout(browser, live_server_url, screenshots, width):
    page = signed_in(browser, live_server_url, "demo-reporter", width)
    response = page.goto(live_server_url + "/khong-co-trang-nay/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Không tìm thấy trang")).to_be_visible()
    expect(page.locator("header.top nav")).to_be_visible()
    page.screenshot(path=screenshots / f"pages-404-{width}.png")
    assert page_width(page) <= width
    icon = page.request.get(live_server_url + "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg")
    page.context.close()


def test_it_pages_the_outliers_and_links_each_to_its_row(browser, live_server_url, screenshots):
    page = signed_in(browser, live_server_url, "demo-consolidator", LAPTOP)
    page.goto(live_server_url + "/analytics/chat-luong/?unit=DEMO&period=2024Q1")
    heading = page.locator("h2#outliers").inner_text()
    total = int(re.search(r"\((\d+)\)", heading)[1])  # type: ignore[index]
    assert total > 25  # the demo has more than one page of them
    expect(page.locator("table.outliers-list tbody tr")).to_have_count(25)
    expect(page.locator("#outlier-pager")).to_contain_text("Trang 1/")
    page.screenshot(path=screenshots / "pages-quality-1366.png")
    link = page.locator("table.outliers-list tbody tr").first.locator("a")
    code = link.inner_text()
    link.click()
    row = page.locator(f"#row-{code.replace('.', '_')}")
    expect(row).to_be_in_viewport()
    page.context.close()


def test_it_shows_each_finding_as_a_card_on_a_phone(browser, live_server_url, screenshots):
    page = signed_in(browser, live_server_url, "demo-consolidator", PHONE)
    page.goto(live_server_url + "/analytics/chat-luong/?unit=DEMO&period=2024Q1&scope=all")
    first = page.locator("table.findings-list tbody tr").first
    unit, message = first.locator("td").first.bounding_box(), first.locator("td").last.bounding_box()
    assert unit is not None and message is not None
    # The unit's name above, the message below across the card, not squeezed into columns.
    assert message["y"] > unit["y"] + unit["height"] - 1
    assert message["width"] > PHONE * 0.8
    page.screenshot(path=screenshots / "pages-quality-390.png", full_page=True)
    page.context.close()


def test_it_opens_the_analysis_on_a_drawn_chart(browser, live_server_url, screenshots):
    page = signed_in(browser, live_server_url, "demo-consolidator", LAPTOP)
    page.goto(live_server_url + "/analytics/phan-tich/?unit=DEMO&period=2024Q1")
    expect(page.locator("#series-chart")).to_be_visible()
    expect(page.locator("main")).to_contain_text("cách tổng hợp: Cộng")
    page.screenshot(path=screenshots / "pages-analysis-1366.png")
    page.context.close()


@pytest.mark.parametrize("path", [
    "/reports/", "/periods/", "/periods/2024Q1/", "/tai-khoan/",
    "/analytics/nop-bao-cao/?unit=DEMO&period=2024Q1",
    "/analytics/phan-tich/?unit=DEMO&period=2024Q1",
    "/analytics/chat-luong/?unit=DEMO&period=2024Q1"])
def test_it_never_scrolls_the_page_sideways_on_a_phone(browser, live_server_url, path):
    page = signed_in(browser, live_server_url, "demo-consolidator", PHONE)
    page.goto(live_server_url + path)
    assert page_width(page) <= PHONE, path
    page.context.close()


def test_a_phone_shows_the_consolidated_total_beside_the_label(browser, live_server_url,
                                                                 screenshots):
    page = signed_in(browser, live_server_url, "demo-consolidator", PHONE)
    page.goto(live_server_url + "/analytics/?unit=DEMO&period=2024Q1&by_unit=1")
    total = page.locator("table.report thead th").nth(3)
    expect(total).to_have_text("Tổng hợp")
    box = total.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE  # no sideways scroll to reach it
    page.screenshot(path=screenshots / "pages-consolidated-390.png")
    page.context.close()
