"""Every main page satisfies the Content-Security-Policy: Chromium reports no violation,
and no script error."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_walkthrough import signed_in

pytestmark = pytest.mark.browser

PAGES = ["/", "/reports/", "/periods/", "/analytics/", "/analytics/nop-bao-cao/",
         "/analytics/phan-tich/", "/analytics/chat-luong/", "/analytics/bang-xoay/",
         "/tai-khoan/ma-api/", "/api/v1/docs"]
ADMIN_PAGES = ["/admin/", "/admin/units/orgunit/", "/admin/auth/user/"]
# Records what the browser blocks, from before any page script runs.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " +
                           (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


def _violations(page: Page, path: str, console: list[str]) -> list[str]:
    page.goto(page.url.split("/", 3)[0] + "//" + page.url.split("/", 3)[2] + path)
    page.wait_for_load_state("networkidle")
    found = page.evaluate("window.__violations")
    return [f"{path}: {v}" for v in found] + [f"{path}: {text}" for text in console]


@pytest.mark.parametrize("persona", ["demo-reporter", "demo-approver", "demo-consolidator",
                                     "demo-admin"])
def test_it_shows_the_main_pages_without_a_csp_violation(browser, live_server_url, persona):
    page = signed_in(browser, live_server_url, persona)
    page.context.add_init_script(LISTEN)
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text)
            if "Content Security Policy" in message.text else None)
    # A script that moved out of a page must still run there: no uncaught error either.
    page.on("pageerror", lambda error: console.append(f"script error: {error}"))
    paths = list(PAGES)
    page.goto(live_server_url + "/reports/")
    first_report = page.locator("a[href^='/reports/'][href$='/']").first.get_attribute("href")
    paths.append(str(first_report))
    if persona == "demo-admin":
        paths += ADMIN_PAGES
    problems: list[str] = []
    for path in paths:
        problems += _violations(page, path, console)
        console.clear()
    assert problems == []


def test_it_switches_language_from_the_header_without_inline_script(browser, live_server_url):
    page = signed_in(browser, live_server_url, "demo-reporter")
    page.get_by_label("Ngôn ngữ").select_option("en")
    expect(page.get_by_role("heading", name="To do")).to_be_visible()
