"""Pages, API and reminders agree on who is expected and who has sent; the scope is shown and
switched in words.

Province A (tests/consolidation_data.py): A and A-SNV consolidate and owe nothing; A-S1's report
was submitted and returned (back to draft, keeping its ``submitted_at``), A-S2's is submitted,
A-S3's is a draft; A-SHORT lived only inside the quarter's window and filed nothing.
"""

from __future__ import annotations

import io
import re
from datetime import date
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from docx import Document

from parstat.analytics.completeness import completeness
from parstat.analytics.consolidation import consolidate
from parstat.analytics.reminders import reminders
from parstat.analytics.states import StateScope
from parstat.api.tokens import create_token
from parstat.reporting.models import Report
from parstat.reporting.periods import ensure_period
from parstat.reporting.workflow import do_return_report, do_submit_report
from parstat.units.models import OrgUnit
from tests.consolidation_data import ACTOR, file_report, province_a, sign_in_consolidator, unit
from tests.test_api_helpers import ApiClient


def _report(code: str) -> Report:
    return Report.objects.get(unit__code=code, period__code="2024Q1")


@pytest.fixture
def province(template):  # type: ignore[no-untyped-def]
    province = province_a(template)
    unit("A-SHORT", parent=province, valid_from=date(2024, 1, 1), valid_to=date(2024, 2, 1))
    file_report(template, OrgUnit.objects.get(code="A-S2"), "2024Q1", {"I.7.c": 90})
    for code in ("A-S1", "A-S2"):
        do_submit_report(_report(code), acting_user=ACTOR, explanation="đã rà soát")
    do_return_report(_report("A-S1"), reason="Sai số liệu I.1.b", acting_user=ACTOR)
    return province


@pytest.fixture
def an(province, client):  # type: ignore[no-untyped-def]
    """Chị An, consolidator of province A, signed in."""
    client.user = sign_in_consolidator(client, province)
    return client


def _page(client, name: str, **query: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(reverse(f"analytics:{name}") + "?" + urlencode(query))
    assert response.status_code == 200
    return response.content.decode()


def test_a_returned_report_is_not_received_on_the_period_page(an):
    page = an.get(reverse("web:period_detail", args=["2024Q1"]))
    assert page.context["counts"] == {"expected": 4, "received": 1, "late": 1, "missing": 3}
    assert "đã trả lại để sửa" in page.content.decode()


def test_the_period_page_expects_a_unit_that_lived_only_inside_the_window(an):
    page = an.get(reverse("web:period_detail", args=["2024Q1"]))
    assert [row.unit.code for row in page.context["rows"]] == ["A-S1", "A-S2", "A-S3", "A-SHORT"]


def test_the_period_page_completeness_and_the_consolidated_table_count_alike(an, province):
    period = ensure_period("2024Q1")
    counts = an.get(reverse("web:period_detail", args=["2024Q1"])).context["counts"]
    tally = completeness(province, period).total
    assert (tally.expected, tally.received) == (counts["expected"], counts["received"]) == (4, 1)
    for scope in StateScope:
        result = consolidate(province, period, states=scope)
        assert (result.expected, result.received) == (4, 1)
        body = _page(an, "consolidated", unit="A", period="2024Q1", scope=scope.value)
        assert re.search(r"Số đơn vị có báo cáo: <strong>1</strong>/4\b", body)


def test_reminders_go_to_a_returned_report(province):
    found = {r.unit.code: r.draft for r in reminders(date(2024, 3, 16), root=province)}
    assert found == {"A-S1": True, "A-S3": True, "A-SHORT": False}


def test_the_consolidated_page_counts_received_reports_by_default_and_says_so(an):
    body = _page(an, "consolidated", unit="A", period="2024Q1")
    assert "Phạm vi số liệu: <strong>Báo cáo đã gửi và đã tiếp nhận</strong>" in body
    assert "SỐ LIỆU TẠM TÍNH" not in body
    assert re.search(r"Đã cộng 1 báo cáo; để ngoài 2 báo cáo vì trạng thái: "
                     r"<span[^>]*>A-S1</span> \(Đang soạn\), <span[^>]*>A-S3</span> \(Đang soạn\)",
                     body)
    # The choice is in words, and every download keeps the scope shown.
    assert re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', body)[-3:] == [
        ("accepted", "Chỉ báo cáo đã tiếp nhận"), ("submitted", "Báo cáo đã gửi và đã tiếp nhận"),
        ("all", "Tất cả báo cáo, kể cả đang soạn (tạm tính)")]
    links = re.findall(r'href="([^"]*format=\w+[^"]*)"', body)
    assert len(links) == 7 and all("scope=submitted" in link for link in links)


def test_the_consolidated_page_marks_totals_with_drafts_provisional(an):
    body = _page(an, "consolidated", unit="A", period="2024Q1", scope="all")
    assert 'id="provisional"' in body and "SỐ LIỆU TẠM TÍNH" in body
    assert "để ngoài 0 báo cáo" in body


def test_the_consolidated_page_shows_a_rates_spread_labelled(an):
    body = _page(an, "consolidated", unit="A", period="2024Q1")
    assert "Trung bình 90 (thấp nhất 90, cao nhất 90)" in body


@pytest.mark.parametrize("page", ["series", "quality", "pivot"])
def test_the_other_total_pages_take_and_show_the_scope(an, page):
    body = _page(an, page, unit="A", period="2024Q1", scope="all")
    assert "SỐ LIỆU TẠM TÍNH" in body and 'value="all" selected' in body


def test_a_page_download_of_an_official_document_defaults_to_accepted(an):
    response = an.get(reverse("analytics:download") + "?" + urlencode(
        {"unit": "A", "period": "2024Q1", "format": "docx", "consolidated": "1"}))
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Phạm vi số liệu: Chỉ báo cáo đã tiếp nhận; đã cộng 0 báo cáo" in text


@pytest.fixture
def api(an):  # type: ignore[no-untyped-def]
    return ApiClient(create_token(an.user, "tests")[1])


def test_the_api_answers_the_asked_scope_with_what_it_left_out(api):
    body = api.get("/consolidated", unit="A", period="2024Q1", scope="accepted").json()
    assert body["scope"]["code"] == "accepted" and body["provisional"] is False
    assert body["left_out"]["count"] == 3
    assert [r["unit"] for r in body["left_out"]["reports"]] == ["A-S1", "A-S2", "A-S3"]
    assert (body["units_expected"], body["units_received"]) == (4, 1)
    everything = api.get("/consolidated", unit="A", period="2024Q1", scope="all").json()
    assert everything["provisional"] is True and everything["left_out"]["count"] == 0


def test_the_api_defaults_to_received_and_official_documents_to_accepted(api):
    assert api.get("/consolidated", unit="A", period="2024Q1").json()["scope"]["code"] == (
        "submitted")
    docx = api.get("/consolidated", unit="A", period="2024Q1", format="docx")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Chỉ báo cáo đã tiếp nhận" in text


def test_the_api_refuses_an_unknown_scope(api):
    response = api.get("/consolidated", unit="A", period="2024Q1", scope="drafts")
    assert response.status_code == 422


def test_the_api_completeness_does_not_count_a_returned_report(api):
    body = api.get("/completeness", unit="A", period="2024Q1").json()
    assert (body["total"]["expected"], body["total"]["received"]) == (4, 1)
    assert [m["unit"] for m in body["missing"]] == ["A-S1", "A-S3", "A-SHORT"]


def test_the_demo_province_counts_twelve_expected_departments_everywhere(db, template):
    """DEMO 2024 said "10/14" (the province and its Home Affairs office counted as owing the
    table, draft reports as sent) while completeness said 12 expected, 0 received."""
    from parstat.demo import load_demo

    load_demo(progress=False)
    demo, year = OrgUnit.objects.get(code="DEMO"), ensure_period("2024")
    tally = completeness(demo, year).total
    assert (tally.expected, tally.received) == (12, 0)
    for scope in StateScope:
        result = consolidate(demo, year, states=scope)
        assert (result.received, result.expected) == (0, 12)
    assert len(consolidate(demo, year, states=StateScope.ALL).reporting_units) == 10
