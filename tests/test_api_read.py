"""Reading through the API: what each role sees is what the pages show it, nothing more."""

from __future__ import annotations

import pytest

from tests.test_api_helpers import *  # noqa: F403 (fixtures)
from tests.test_api_helpers import ApiClient

pytestmark = pytest.mark.django_db

SEES_SEED = ["reporter", "approver", "consolidator", "viewer", "admin"]
AUTHENTICATED = [*SEES_SEED, "outsider"]
REFUSED = ["anonymous", "revoked"]


@pytest.mark.parametrize("who", AUTHENTICATED + REFUSED)
def test_it_lists_the_reports_each_role_may_see(api, seed_report, who):
    response = api[who].get("/reports")
    if who in REFUSED:
        assert response.status_code == 401
        return
    assert response.status_code == 200
    body = response.json()
    expected = 1 if who in SEES_SEED else 0
    assert body["count"] == expected and len(body["items"]) == expected
    if expected:
        item = body["items"][0]
        assert item["id"] == seed_report.pk and item["unit"] == "ST-SKHDT"
        assert item["period"] == "2023Q1" and item["state"] == "draft"
        assert item["version"] == seed_report.version


@pytest.mark.parametrize("who", AUTHENTICATED + REFUSED)
def test_a_report_the_user_cannot_see_is_not_found(api, seed_report, who):
    for path in (f"/reports/{seed_report.pk}", f"/reports/{seed_report.pk}/changes",
                 f"/reports/{seed_report.pk}/events"):
        response = api[who].get(path)
        if who in REFUSED:
            assert response.status_code == 401
        elif who in SEES_SEED:
            assert response.status_code == 200, (who, path)
        else:
            assert response.status_code == 404
            assert response.json()["code"] == "report.hidden"
    # an id that does not exist answers exactly like one that is hidden
    if who == "outsider":
        missing = api[who].get("/reports/999999").json()
        hidden = api[who].get(f"/reports/{seed_report.pk}").json()
        assert missing["code"] == hidden["code"]


ALLOWED = {"reporter": ["view", "edit"], "approver": ["view", "edit", "submit"],
           "consolidator": ["view"], "viewer": ["view"], "admin": ["view"]}


@pytest.mark.parametrize("who", SEES_SEED)
def test_it_reads_a_report_with_values_derived_rows_and_findings(api, seed_report, who):
    body = api[who].get(f"/reports/{seed_report.pk}").json()
    assert body["allowed_actions"] == ALLOWED[who]
    assert body["document"]["number"] == "81/BC-SKHĐT"
    rows = {row["code"]: row for row in body["rows"]}
    assert len(rows) == 178
    assert rows["I.1.a"]["value"] == 40 and rows["I.1.b"]["value"] == 13
    assert rows["I.1"]["value"] == 32.5 and rows["I.1"]["derived"] is True  # 13 / 40, derived
    assert any(row["value"] is None for row in rows.values())  # blank is null, not 0
    assert "Kế hoạch số 06/KH-SKHĐT" in rows["I.1.a"]["note"]
    errors = {f["rule"] for f in body["findings"] if f["severity"] == "error"}
    assert "R08" in errors


def test_numbers_are_exact_json_numbers(api, seed_report):
    text = api["reporter"].get(f"/reports/{seed_report.pk}").content.decode()
    assert '"value": 40,' in text and '"value": 32.5,' in text
    assert "40.0000" not in text and '"40"' not in text


def test_it_filters_and_pages_reports(api, seed_report):
    client = api["consolidator"]
    assert client.get("/reports", unit="ST-SKHDT").json()["count"] == 1
    assert client.get("/reports", unit="ST-STC").json()["count"] == 0
    assert client.get("/reports", period="2023q1").json()["count"] == 1  # case folded
    assert client.get("/reports", period="2023S1").json()["count"] == 0
    assert client.get("/reports", state="draft").json()["count"] == 1
    assert client.get("/reports", state="submitted").json()["count"] == 0
    assert client.get("/reports", template="B1-SN-2023").json()["count"] == 1
    page = client.get("/reports", limit=1, offset=1).json()
    assert page["count"] == 1 and page["items"] == [] and page["limit"] == 1
    refused = client.get("/reports", period="2023Q9")
    assert refused.status_code == 422 and refused.json()["code"] == "period.invalid"
    assert refused.json()["field"] == "period"
    refused = client.get("/reports", state="lost")
    assert refused.status_code == 422 and refused.json()["field"] == "state"


@pytest.mark.parametrize("params, field", [({"limit": 0}, "limit"), ({"limit": 501}, "limit"),
                                           ({"offset": -1}, "offset"), ({"limit": "x"}, "limit")])
def test_pages_are_bounded(api, seed_report, params, field):
    response = api["reporter"].get("/reports", **params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "api.invalid" and body["field"] == field
    assert body["message"].startswith(f"Trường {field}:")


def test_it_pages_the_history_of_a_report(api, seed_report):
    client = api["viewer"]
    changes = client.get(f"/reports/{seed_report.pk}/changes", limit=5).json()
    assert changes["count"] >= 70 and len(changes["items"]) == 5
    assert changes["items"][0]["source"] == "import"
    second = client.get(f"/reports/{seed_report.pk}/changes", limit=5, offset=5).json()
    assert {c["indicator"] for c in second["items"]}.isdisjoint(
        {c["indicator"] for c in changes["items"]})
    events = client.get(f"/reports/{seed_report.pk}/events").json()
    assert {e["action"] for e in events["items"]} >= {"created", "document"}


@pytest.mark.parametrize("who", AUTHENTICATED + REFUSED)
def test_templates_and_periods_are_reference_data_for_every_user(api, seed_report, who):
    templates = api[who].get("/templates")
    periods = api[who].get("/periods")
    if who in REFUSED:
        assert templates.status_code == periods.status_code == 401
        return
    assert templates.json()["count"] >= 1
    assert "2023Q1" in {p["code"] for p in periods.json()["items"]}


def test_a_template_comes_with_indicators_rules_and_formulas(api, seed_report):
    body = api["viewer"].get("/templates/B1-SN-2023").json()
    assert len(body["sections"]) == 7 and len(body["indicators"]) == 178
    assert len(body["rules"]) == 32
    indicators = {i["code"]: i for i in body["indicators"]}
    assert indicators["I.1"]["formula"] and indicators["I.1"]["kind"] == "percent"
    assert any(i["choices"] for i in body["indicators"])
    missing = api["viewer"].get("/templates/NOPE")
    assert missing.status_code == 404 and missing.json()["code"] == "template.not_found"


def test_a_period_has_its_window_and_deadline(api, seed_report):
    body = api["viewer"].get("/periods/2023q1").json()
    assert body == {"code": "2023Q1", "year": 2023, "kind": "Q1", "start": "2022-12-15",
                    "end": "2023-03-14", "deadline": "2023-03-16"}
    assert api["viewer"].get("/periods/2019").json()["code"] == "period.not_found"
    assert api["viewer"].get("/periods/20x3").json()["code"] == "period.invalid"
    assert api["viewer"].get("/periods", year=2023).json()["count"] >= 1
    assert api["viewer"].get("/periods", year=1999).status_code == 422


UNITS = {"reporter": {"ST-SKHDT"}, "approver": {"ST-SKHDT"},
         "consolidator": {"ST", "ST-SNV", "ST-STC", "ST-SKHDT"},
         "viewer": {"ST", "ST-SNV", "ST-STC", "ST-SKHDT"}, "outsider": {"HG"}}


@pytest.mark.parametrize("who", [*UNITS, "admin", *REFUSED])
def test_it_lists_the_units_each_role_may_see(api, seed_report, who):
    response = api[who].get("/units", limit=500)
    if who in REFUSED:
        assert response.status_code == 401
        return
    codes = {u["code"] for u in response.json()["items"]}
    if who == "admin":
        assert {"CT", "ST", "HG", "ST-SKHDT"} <= codes
    else:
        assert codes == UNITS[who]


def test_a_unit_shows_its_tree_and_successors(api, seed_report):
    client = api["consolidator"]
    seed_unit = client.get("/units/ST-SKHDT").json()
    assert seed_unit["parent"] == "ST" and seed_unit["successor"] == "ST-STC"
    assert seed_unit["valid_to"] == "2025-02-16"
    assert seed_unit["current_successor"] == "CT-STC"  # Sở KH&ĐT → Sở Tài chính → Cần Thơ
    province = client.get("/units/ST").json()
    assert set(province["children"]) == {"ST-SNV", "ST-STC", "ST-SKHDT"}
    assert client.get("/units/ST-STC").json()["predecessors"] == ["ST-SKHDT"]
    assert {u["code"] for u in client.get("/units", parent="ST").json()["items"]} == {
        "ST-SNV", "ST-STC", "ST-SKHDT"}
    assert client.get("/units", kind="province").json()["count"] == 1
    assert client.get("/units", valid_on="2025-03-01").json()["count"] == 3  # SKHDT merged
    hidden = api["outsider"].get("/units/ST-SKHDT")
    assert hidden.status_code == 404 and hidden.json()["code"] == "unit.not_found"


@pytest.mark.parametrize("who", AUTHENTICATED + REFUSED)
def test_data_values_are_listed_for_the_reports_the_user_sees(api, seed_report, who):
    response = api[who].get("/dataValues", unit="ST-SKHDT", period="2023Q1", limit=500)
    if who in REFUSED:
        assert response.status_code == 401
        return
    body = response.json()
    if who in SEES_SEED:
        assert body["count"] >= 70
        first = body["items"][0]
        assert set(first) == {"unit", "period", "template", "indicator", "value", "note"}
        values = {v["indicator"]: v["value"] for v in body["items"]}
        assert values["I.1.a"] == 40 and "I.1" not in values  # derived rows are not stored
    else:
        assert body["count"] == 0


def test_it_answers_in_english_when_asked(api, seed_report):
    english = ApiClient(None, "en")
    english.headers["Authorization"] = api["outsider"].headers["Authorization"]
    body = english.get(f"/reports/{seed_report.pk}").json()
    assert body["message"] == f"There is no report {seed_report.pk}, or you may not see it."
    assert english.get("/reports", limit=0).json()["message"] == "Field limit: must be at least 1."
