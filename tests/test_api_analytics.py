"""Consolidated tables and completeness through the API, scoped to what each role sees."""

from __future__ import annotations

import pytest

from parstat.reporting.models import Period
from parstat.reporting.periods import periods_of_year
from tests.test_api_helpers import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db

WHO = ["reporter", "approver", "consolidator", "viewer", "outsider", "admin", "anonymous",
       "revoked"]
# The province ST is visible to its consolidator, its viewer and the administrator.
SEES_PROVINCE = {"consolidator": 200, "viewer": 200, "admin": 200, "reporter": 404,
                 "approver": 404, "outsider": 404, "anonymous": 401, "revoked": 401}


@pytest.mark.parametrize("who", WHO)
def test_the_consolidated_table_adds_up_the_units_the_user_sees(api, seed_report, who):
    response = api[who].get("/consolidated", unit="ST", period="2023Q1", scope="all")
    assert response.status_code == SEES_PROVINCE[who], response.content
    if response.status_code == 404:
        assert response.json()["code"] == "unit.not_found"
    if response.status_code != 200:
        return
    body = response.json()
    assert body["consolidated"] is True and body["units_reporting"] == 1
    rows = {row["code"]: row for row in body["indicators"]}
    assert rows["I.1.a"]["value"] == 40 and rows["I.1.a"]["units"] == 1


def test_a_unit_consolidates_its_own_report_and_downloads_it(api, seed_report):
    own = api["reporter"].get("/consolidated", unit="ST-SKHDT", period="2023Q1", by_unit="true",
                              scope="all")  # the seed report is a draft
    assert own.status_code == 200 and own.json()["units"][0]["code"] == "ST-SKHDT"
    sheet = api["consolidator"].get("/consolidated", unit="ST", period="2023Q1", format="csv")
    assert sheet.status_code == 200 and sheet["Content-Type"].startswith("text/csv")
    assert "attachment" in sheet["Content-Disposition"] and b"I.1.a" in sheet.content
    periods_of_year(2024)
    # A period the province owes and nobody has filed yet: an empty table that says so, not
    # a 404 (on deadline day the office looks before the first report comes in).
    nothing = api["consolidator"].get("/consolidated", unit="ST", period="2024Q1")
    assert nothing.status_code == 200, nothing.content
    assert nothing.json()["units_reporting"] == 0
    assert {row["value"] for row in nothing.json()["indicators"]} == {None}
    # Reading looks up: a period nobody made answers 404 and is not made by the asking.
    never = api["consolidator"].get("/consolidated", unit="ST", period="2088Q1")
    assert never.status_code == 404 and never.json()["code"] == "period.not_found"
    assert not Period.objects.filter(code="2088Q1").exists()


@pytest.mark.parametrize("who", WHO)
def test_completeness_lists_who_has_not_sent(api, seed_report, who):
    response = api[who].get("/completeness", unit="ST", period="2023Q1")
    assert response.status_code == SEES_PROVINCE[who], response.content
    if response.status_code != 200:
        return
    body = response.json()
    assert body["total"]["expected"] >= 1 and body["total"]["received"] == 0
    missing = {m["unit"]: m for m in body["missing"]}
    assert missing["ST-SKHDT"]["draft"] == seed_report.pk


def test_a_late_submission_shows_as_received_late(api, clean_report):
    clean_report.refresh_from_db()
    api["approver"].post(f"/reports/{clean_report.pk}/submit",
                         {"version": clean_report.version, "explanation": "ok"})
    body = api["consolidator"].get("/completeness", unit="ST", period="2023Q1").json()
    assert body["total"]["received"] == 1 and body["total"]["late"] == 1
    assert [r["unit"] for r in body["late"]] == ["ST-SKHDT"]
    missing = api["consolidator"].get("/completeness", unit="ST", period="2019")
    assert missing.status_code == 404 and missing.json()["code"] == "period.not_found"
