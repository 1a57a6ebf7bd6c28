"""The entry form tells the truth in a real browser: failed saves, Enter, formulas, two people.

Each test opens its own report of the seed's unit (ST-SKHDT) for a period nobody else uses, so
the tests do not see each other's values.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import OUTPUT

pytestmark = pytest.mark.browser
DEMO_PASSWORD = "demo"


def signed_in(browser, base: str, username: str, width: int = 1366,  # type: ignore[no-untyped-def]
              password: str = DEMO_PASSWORD) -> Page:
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(base + "/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    return page


def open_report(page: Page, period: str) -> str:
    """Open (creating it if needed) ST-SKHDT's report for ``period``, as "Lập báo cáo" does."""
    page.evaluate("""period => {
        const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
        const form = document.createElement("form");
        form.method = "post";
        form.action = "/units/ST-SKHDT/periods/" + period + "/start/";
        const input = document.createElement("input");
        input.name = "csrfmiddlewaretoken";
        input.value = token;
        form.appendChild(input);
        document.body.appendChild(form);
        form.submit();
    }""", period)
    page.wait_for_url(re.compile(r"/reports/\d+/$"))
    expect(page.locator("#entry-form")).to_be_visible()
    return page.url


def domid(code: str) -> str:
    return code.replace(".", "_")


def cell(page: Page, code: str):  # type: ignore[no-untyped-def]
    return page.locator(f"#v-{domid(code)}")


def status(page: Page, code: str):  # type: ignore[no-untyped-def]
    return page.locator(f"#status-{domid(code)}")


def type_cell(page: Page, code: str, text: str) -> None:
    cell(page, code).fill(text)
    cell(page, code).press("Tab")
    expect(status(page, code)).to_contain_text("✓ đã lưu")


def drop_cookies(context: BrowserContext, *names: str) -> None:
    kept = [c for c in context.cookies() if c["name"] not in names]
    context.clear_cookies()
    context.add_cookies(kept)  # type: ignore[arg-type]


def shoot(page: Page, name: str) -> None:
    OUTPUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUTPUT / name), full_page=False)


@pytest.mark.parametrize("lost", [("sessionid",), ("sessionid", "csrftoken")],
                         ids=["session", "session-and-csrf"])
def test_an_expired_session_keeps_the_typed_value_and_saves_it_after_signing_in(
        browser, live_server_url, lost):
    period = "2023S1" if len(lost) == 1 else "2023Q3"
    page = signed_in(browser, live_server_url, "demo-reporter")
    url = open_report(page, period)
    drop_cookies(page.context, *lost)

    cell(page, "I.1.a").fill("40")
    cell(page, "I.1.a").press("Tab")
    expect(status(page, "I.1.a")).to_contain_text("Chưa lưu")
    expect(status(page, "I.1.a")).to_contain_text("phiên đăng nhập đã hết")
    expect(status(page, "I.1.a")).not_to_contain_text("Tên đăng nhập")  # no sign-in page inside
    expect(cell(page, "I.1.a")).to_have_value("40")  # the typed text stays
    dialog = page.locator("#signin-dialog")
    expect(dialog).to_be_visible()
    if len(lost) == 1:
        shoot(page, "entry-form-signin-dialog-1366.png")
        page.set_viewport_size({"width": 390, "height": 844})
        shoot(page, "entry-form-signin-dialog-390.png")
        page.set_viewport_size({"width": 1366, "height": 900})

    dialog.locator("input[name=username]").fill("demo-reporter")
    dialog.locator("input[name=password]").fill(DEMO_PASSWORD)
    dialog.get_by_role("button", name="Đăng nhập").click()
    expect(dialog).to_be_hidden()
    expect(status(page, "I.1.a")).to_contain_text("✓ đã lưu")
    assert page.url == url  # never left the page

    type_cell(page, "I.1.b", "13")  # and the page goes on saving with its new token
    page.reload()
    expect(cell(page, "I.1.a")).to_have_value("40")
    expect(cell(page, "I.1.b")).to_have_value("13")
    page.context.close()


def test_a_save_that_fails_on_the_network_or_the_server_is_kept_and_sent_again(
        browser, live_server_url):
    page = signed_in(browser, live_server_url, "demo-reporter")
    open_report(page, "2023")
    page.context.set_offline(True)
    cell(page, "I.2.a").fill("3")
    cell(page, "I.2.a").press("Tab")
    expect(status(page, "I.2.a")).to_contain_text("Chưa lưu: mất kết nối mạng")
    expect(cell(page, "I.2.a")).to_have_value("3")
    page.context.set_offline(False)
    expect(status(page, "I.2.a")).to_contain_text("✓ đã lưu")  # sent again once back online

    page.route("**/cell/", lambda route: route.fulfill(status=500, body="boom"))
    cell(page, "I.2.b").fill("2")
    cell(page, "I.2.b").press("Tab")
    expect(status(page, "I.2.b")).to_contain_text("Chưa lưu: lỗi máy chủ (500)")
    page.unroute("**/cell/")
    status(page, "I.2.b").get_by_role("button", name="Lưu lại").click()
    expect(status(page, "I.2.b")).to_contain_text("✓ đã lưu")
    page.reload()
    expect(cell(page, "I.2.a")).to_have_value("3")
    expect(cell(page, "I.2.b")).to_have_value("2")
    page.context.close()


def test_enter_moves_to_the_next_value_and_never_posts_the_form(browser, live_server_url):
    page = signed_in(browser, live_server_url, "demo-reporter")
    url = open_report(page, "2024Q1")
    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.url) if r.method == "POST" else None)

    cell(page, "I.1.a").fill("40")
    cell(page, "I.1.a").press("Enter")
    expect(cell(page, "I.1.b")).to_be_focused()
    expect(status(page, "I.1.a")).to_contain_text("✓ đã lưu")
    page.keyboard.type("13")
    page.keyboard.press("Tab")  # value → value: the note of I.1.b is not in the way
    expect(cell(page, "I.1.c")).to_be_focused()
    expect(status(page, "I.1.b")).to_contain_text("✓ đã lưu")
    page.keyboard.press("ArrowRight")  # at the end of a value: its note
    expect(page.locator("textarea[name='n:I.1.c']")).to_be_focused()
    page.keyboard.type("KH 06")
    page.keyboard.press("Enter")  # from a note: the next value
    expect(cell(page, "I.2")).to_be_focused()
    expect(status(page, "I.1.c")).to_contain_text("✓ đã lưu")

    assert page.url == url and not page.locator(".messages").count()
    assert posted and all(u.endswith("/cell/") for u in posted), posted  # never /save/
    page.reload()
    expect(cell(page, "I.1.a")).to_have_value("40")
    expect(page.locator("textarea[name='n:I.1.c']")).to_have_value("KH 06")
    page.context.close()


@pytest.mark.parametrize("width", [1366, 390])
def test_a_typed_rate_shows_what_its_formula_gives_and_is_cleared_in_one_click(
        browser, live_server_url, width):
    page = signed_in(browser, live_server_url, "demo-reporter", width=width)
    open_report(page, "2024S1" if width == 1366 else "2025S1")
    type_cell(page, "I.1.a", "40")
    type_cell(page, "I.1.b", "13")
    type_cell(page, "I.1", "99")
    derived = page.locator("#derived-I_1")
    expect(derived).to_contain_text("≠ 32,5")
    expect(page.locator("#row-I_1 .row-findings")).to_contain_text("formula:I.1")
    expect(page.locator("#findings")).to_contain_text("I.1 = 99, nhưng 13 / 40 × 100 = 32,5")
    page.locator("#row-I_1").scroll_into_view_if_needed()
    shoot(page, f"entry-form-formula-{width}.png")

    derived.get_by_role("button", name="Dùng giá trị tính").click()
    expect(derived).to_have_text("= 32,5")
    expect(cell(page, "I.1")).to_have_value("")
    expect(page.locator("#row-I_1 .row-findings")).to_have_text("")
    page.reload()
    expect(cell(page, "I.1")).to_have_value("")
    expect(page.locator("#derived-I_1")).to_have_text("= 32,5")
    page.context.close()


def test_two_people_on_different_cells_are_both_saved(browser, live_server_url):
    reporter = signed_in(browser, live_server_url, "demo-reporter")
    url = open_report(reporter, "2024Q3")
    approver = signed_in(browser, live_server_url, "demo-approver")
    approver.goto(url)  # both pages read the same version

    type_cell(reporter, "I.1.a", "40")
    type_cell(approver, "I.1.c", "6")  # an older version, another cell: merged
    expect(cell(approver, "I.1.a")).to_have_value("40")  # the page shows the other's value

    # The same cell changed meanwhile is refused, saying what changed; the typed text stays.
    cell(reporter, "I.1.c").fill("7")
    cell(reporter, "I.1.c").press("Tab")
    expect(status(reporter, "I.1.c")).to_contain_text("Chưa lưu")
    expect(status(reporter, "I.1.c")).to_contain_text("demo-approver")
    expect(cell(reporter, "I.1.c")).to_have_value("7")
    shoot(reporter, "entry-form-conflict-1366.png")
    status(reporter, "I.1.c").get_by_role("button", name="Dùng giá trị đã lưu «6»").click()
    expect(cell(reporter, "I.1.c")).to_have_value("6")
    expect(status(reporter, "I.1.c")).to_have_text("")

    # Or keep one's own after reading what changed: the second try is a deliberate overwrite.
    cell(approver, "I.1.a").fill("41")
    cell(approver, "I.1.a").press("Tab")
    expect(status(approver, "I.1.a")).to_contain_text("✓ đã lưu")
    cell(reporter, "I.1.a").fill("42")
    cell(reporter, "I.1.a").press("Tab")
    expect(status(reporter, "I.1.a")).to_contain_text("«40» → «41»")
    status(reporter, "I.1.a").get_by_role("button", name="Lưu giá trị vừa nhập").click()
    expect(status(reporter, "I.1.a")).to_contain_text("✓ đã lưu")

    for page in (reporter, approver):  # nothing of either page still on its way to the server
        page.wait_for_load_state("networkidle")
    for page in (reporter, approver):
        page.reload()
        expect(cell(page, "I.1.a")).to_have_value("42")
        expect(cell(page, "I.1.c")).to_have_value("6")
    reporter.context.close()
    approver.context.close()


def test_a_returned_report_shows_its_reason_on_the_home_page_and_the_form(browser,
                                                                        live_server_url):
    approver = signed_in(browser, live_server_url, "demo-approver")
    url = open_report(approver, "2025")  # a period the home page lists for the seed's unit
    approver.locator("form[action$='/do/submit/']").get_by_role("button",
                                                                name="Gửi báo cáo").click()
    expect(approver.locator("#report-state")).to_have_text("Đã gửi")
    consolidator = signed_in(browser, live_server_url, "demo-consolidator")
    consolidator.goto(url)
    returning = consolidator.locator("form[action$='/do/return/']")
    returning.locator("input[name=text]").fill("Thiếu số liệu mục I, đề nghị bổ sung")
    returning.get_by_role("button", name="Trả lại").click()
    expect(consolidator.locator("#report-state")).to_have_text("Đang soạn")

    reporter = signed_in(browser, live_server_url, "demo-reporter")
    row = reporter.locator("table.due tr", has_text=re.compile("Năm 2025"))  # not "…năm 2025"
    expect(row).to_contain_text("Bị trả lại: Thiếu số liệu mục I, đề nghị bổ sung")
    shoot(reporter, "home-returned-1366.png")
    reporter.set_viewport_size({"width": 390, "height": 844})
    shoot(reporter, "home-returned-390.png")
    row.get_by_role("link", name="Mở").click()
    expect(reporter.locator("#sent-back")).to_contain_text(
        "Báo cáo bị trả lại (demo-consolidator")
    expect(reporter.locator("#sent-back")).to_contain_text("Thiếu số liệu mục I, đề nghị bổ sung")
    shoot(reporter, "entry-form-returned-390.png")
    for page in (approver, consolidator, reporter):
        page.context.close()
