"""dataValues: many units and periods in one payload; summary, conflicts, atomicity, re-sending."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from parstat.accounts.models import Membership, Role
from parstat.api.tokens import create_token
from parstat.reporting.models import Period, Report, Value, ValueChange
from parstat.reporting.periods import periods_of_year
from parstat.units.models import OrgUnit
from tests.test_api_helpers import *  # noqa: F403 (fixtures)
from tests.test_api_helpers import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(seed_report) -> ApiClient:  # type: ignore[no-untyped-def]
    """A reporter of two departments of Sóc Trăng: the seed's and the Department of Finance,
    with 2023's periods made (as `parstat init --year 2023` makes them)."""
    periods_of_year(2023)
    user = get_user_model().objects.create_user("office")
    for code in ("ST-SKHDT", "ST-STC"):
        Membership.objects.create(user=user, unit=OrgUnit.objects.get(code=code),
                                  role=Role.REPORTER)
    return ApiClient(create_token(user, "exchange")[1])


def dv(unit, period, indicator, value, **extra):  # type: ignore[no-untyped-def]
    return {"unit": unit, "period": period, "indicator": indicator, "value": value, **extra}


PAYLOAD = [
    dv("ST-SKHDT", "2023Q1", "I.1.a", "40"),  # as stored: ignored
    dv("ST-SKHDT", "2023Q1", "I.1.b", "14", note="đã rà soát"),  # changed: updated
    dv("ST-STC", "2023Q1", "I.1.a", 12),  # a new report: imported
    dv("ST-STC", "2023Q1", "I.1.b", "3"),
    dv("ST-STC", "2023S1", "I.1.a", "1.327"),  # another period
]


def _state() -> tuple[int, list[tuple[int, int]]]:
    return ValueChange.objects.count(), list(Report.objects.order_by("id")
                                             .values_list("id", "version"))


def test_it_stores_many_units_and_periods_and_sums_up(office, seed_report):
    response = office.post("/dataValues", {"dataValues": PAYLOAD})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "OK" and body["conflicts"] == []
    assert body["importCount"] == {"imported": 3, "updated": 1, "ignored": 1}
    assert Report.objects.filter(unit__code="ST-STC").count() == 2
    assert Value.objects.get(report__unit__code="ST-STC", report__period__code="2023S1",
                             indicator__code="I.1.a").number == 1327
    change = ValueChange.objects.filter(report=seed_report).latest("id")
    assert (change.source, change.actor, change.origin) == ("api", "office", "198.51.100.20")


def test_resending_the_same_payload_changes_nothing(office, seed_report):
    office.post("/dataValues", {"dataValues": PAYLOAD})
    before = _state()
    body = office.post("/dataValues", {"dataValues": PAYLOAD}).json()
    assert body["status"] == "OK"
    assert body["importCount"] == {"imported": 0, "updated": 0, "ignored": len(PAYLOAD)}
    assert _state() == before


def test_a_dry_run_counts_and_stores_nothing(office, seed_report):
    before = _state()
    body = office.post("/dataValues", {"dataValues": PAYLOAD}, dry_run="true").json()
    assert body["dry_run"] is True and body["importCount"]["imported"] == 3
    assert _state() == before
    assert not Report.objects.filter(unit__code="ST-STC").exists()


BAD = [
    dv("ST-SKHDT", "2023Q1", "I.1.b", "14"),  # fine
    dv("HG", "2023Q1", "I.1.a", "1"),  # a unit the sender does not see
    dv("ST-SKHDT", "2023Q9", "I.1.a", "1"),  # no such period
    dv("ST-SKHDT", "2023Q1", "X.9", "1"),  # no such indicator
    dv("ST-SKHDT", "2023Q1", "I.1.a", "4.0"),  # ambiguous number
    dv("ST-SKHDT", "2023Q1", "I.1.b", "15"),  # the same cell again
    dv("NOWHERE", "2023Q1", "I.1.a", "1"),  # no such unit: answered like a hidden one
]
EXPECTED = [(1, "unit.not_found", "dataValues[1].unit"), (2, "period.invalid",
            "dataValues[2].period"), (3, "value.unknown_indicator", "dataValues[3].indicator"),
            (4, "number.ambiguous", "dataValues[4].value"),
            (5, "datavalues.duplicate", "dataValues[5].indicator"),
            (6, "unit.not_found", "dataValues[6].unit")]


def test_by_default_one_conflict_stores_nothing(office, seed_report):
    before = _state()
    response = office.post("/dataValues", {"dataValues": BAD})
    assert response.status_code == 409
    body = response.json()
    assert body["status"] == "ERROR" and body["atomic"] is True
    assert body["code"] == "datavalues.conflicts" and "6" in body["message"]
    assert [(c["index"], c["code"], c["field"]) for c in body["conflicts"]] == EXPECTED
    assert body["importCount"] == {"imported": 0, "updated": 0, "ignored": len(BAD)}
    assert _state() == before


def test_without_atomic_the_values_without_conflicts_are_stored(office, seed_report):
    response = office.post("/dataValues", {"dataValues": BAD}, atomic="false")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "WARNING"
    assert body["importCount"] == {"imported": 0, "updated": 1, "ignored": len(BAD) - 1}
    assert [(c["index"], c["code"]) for c in body["conflicts"]] == [e[:2] for e in EXPECTED]
    assert Value.objects.get(report=seed_report, indicator__code="I.1.b").number == 14


def test_conflict_messages_follow_accept_language(office, seed_report):
    office.headers["Accept-Language"] = "en"
    body = office.post("/dataValues", {"dataValues": BAD[:2]}).json()
    assert body["conflicts"][0]["message"].startswith("There is no unit with code HG")


ROLES = {"reporter": "OK", "approver": "OK", "consolidator": "permission.denied",
         "viewer": "permission.denied", "admin": "permission.denied",
         "outsider": "unit.not_found"}


@pytest.mark.parametrize("who", [*ROLES, "anonymous", "revoked"])
def test_each_role_sends_values_only_where_it_may_edit(api, seed_report, who):
    response = api[who].post("/dataValues", {"dataValues": [dv("ST-SKHDT", "2023Q1", "I.1.b",
                                                                "14")]})
    if who in ("anonymous", "revoked"):
        assert response.status_code == 401
        return
    body = response.json()
    if ROLES[who] == "OK":
        assert response.status_code == 200 and body["importCount"]["updated"] == 1
    else:
        assert response.status_code == 409
        assert [c["code"] for c in body["conflicts"]] == [ROLES[who]]
    # sending what is stored is harmless for everyone who may see the unit
    same = api[who].post("/dataValues", {"dataValues": [dv("ST-SKHDT", "2023Q1", "I.1.a",
                                                            "40")]}).json()
    assert same["status"] == ("ERROR" if who in ("outsider", "consolidator", "viewer", "admin")
                              else "OK")


def test_a_locked_report_ignores_what_it_holds_and_refuses_changes(api, clean_report):
    clean_report.refresh_from_db()
    submitted = api["approver"].post(f"/reports/{clean_report.pk}/submit",
                                     {"version": clean_report.version, "explanation": "ok"})
    assert submitted.status_code == 200
    payload = {"dataValues": [dv("ST-SKHDT", "2023Q1", "I.1.a", "40"),
                              dv("ST-SKHDT", "2023Q1", "I.1.b", "14")]}
    body = api["reporter"].post("/dataValues", payload, atomic="false").json()
    assert body["importCount"] == {"imported": 0, "updated": 0, "ignored": 2}
    assert [(c["index"], c["code"]) for c in body["conflicts"]] == [(1, "report.locked")]


def test_a_stale_version_is_a_conflict(api, seed_report):
    old = seed_report.version
    api["approver"].post("/dataValues", {"dataValues": [dv("ST-SKHDT", "2023Q1", "I.1.a", 41)]})
    body = api["reporter"].post("/dataValues", {"dataValues": [
        dv("ST-SKHDT", "2023Q1", "I.1.a", "42", version=old)]}).json()  # the cell changed since
    assert [c["code"] for c in body["conflicts"]] == ["report.stale"]
    merged = api["reporter"].post("/dataValues", {"dataValues": [
        dv("ST-SKHDT", "2023Q1", "I.1.b", "14", version=old)]}).json()  # another cell: merged
    assert merged["conflicts"] == [] and merged["importCount"]["updated"] == 1


def test_what_is_fetched_can_be_sent_back_unchanged(api, seed_report):
    fetched = api["reporter"].get("/dataValues", unit="ST-SKHDT", period="2023Q1",
                                  limit=500).json()
    payload = [{k: v for k, v in item.items() if k != "template"} for item in fetched["items"]]
    before = _state()
    body = api["reporter"].post("/dataValues", {"dataValues": payload}).json()
    assert body["status"] == "OK"
    assert body["importCount"] == {"imported": 0, "updated": 0, "ignored": len(payload)}
    assert _state() == before


def test_the_payload_is_validated_as_a_whole(api, seed_report):
    response = api["reporter"].post("/dataValues", {"dataValues": [{"unit": "ST-SKHDT"}]})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "api.invalid_many"
    assert {e["field"] for e in body["errors"]} == {
        "dataValues[0].period", "dataValues[0].indicator"}
    unknown = api["reporter"].post("/dataValues", {"template": "NOPE", "dataValues": []})
    assert unknown.status_code == 404 and unknown.json()["code"] == "template.not_found"


def test_a_period_nobody_made_is_a_conflict_and_is_not_made(office):
    before = _state()
    body = office.post("/dataValues", {"dataValues": [dv("ST-SKHDT", "2019Q1", "I.1.a", "4")]},
                       atomic="false").json()
    assert [c["code"] for c in body["conflicts"]] == ["period.not_found"]
    assert "parstat init --year 2019" in body["conflicts"][0]["message"]
    assert not Period.objects.filter(code="2019Q1").exists() and _state() == before


def test_a_note_alone_leaves_the_stored_value(office, seed_report):
    sent = {"unit": "ST-SKHDT", "period": "2023Q1", "indicator": "I.1.a", "note": "KH 06"}
    body = office.post("/dataValues", {"dataValues": [sent]}).json()
    assert body["importCount"] == {"imported": 0, "updated": 1, "ignored": 0}
    stored = Value.objects.get(report=seed_report, indicator__code="I.1.a")
    assert (stored.number, stored.note) == (40, "KH 06")
