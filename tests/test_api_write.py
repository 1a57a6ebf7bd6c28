"""Writing through the API: values all or none, versions, workflow, audit; every role."""

from __future__ import annotations

import pytest

from parstat.reporting.models import ReportEvent, Value, ValueChange
from tests.test_api_helpers import *  # noqa: F403 (fixtures)
from tests.test_api_helpers import ApiClient

pytestmark = pytest.mark.django_db

EVERYONE = ["reporter", "approver", "consolidator", "viewer", "outsider", "admin", "anonymous",
            "revoked"]


def _value(report, code):  # type: ignore[no-untyped-def]
    found = Value.objects.filter(report=report, indicator__code=code).first()
    return found.content if found else None


def _post_values(client, report, values, version=None):  # type: ignore[no-untyped-def]
    report.refresh_from_db()
    return client.post(f"/reports/{report.pk}/values",
                       {"version": version or report.version, "values": values})


EDIT = {"reporter": 200, "approver": 200, "consolidator": 403, "viewer": 403, "admin": 403,
        "outsider": 404, "anonymous": 401, "revoked": 401}


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_units_reporters_and_approvers_set_values(api, seed_report, who):
    response = _post_values(api[who], seed_report, [{"indicator": "I.1.a", "value": "41"}])
    assert response.status_code == EDIT[who], response.content
    assert _value(seed_report, "I.1.a") == (41 if EDIT[who] == 200 else 40)
    if EDIT[who] == 403:
        assert response.json()["code"] == "permission.denied"


def test_it_sets_many_values_read_as_the_form_reads_them(api, seed_report):
    response = _post_values(api["reporter"], seed_report, [
        {"indicator": "I.1.a", "value": "1.327"},  # a dot groups thousands
        {"indicator": "I.1.b", "value": 13, "note": "đã rà soát"},
        {"indicator": "I.2.a", "value": None},  # cleared to blank
        {"indicator": "VII.5.f", "value": "100"},
    ])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["updated"] >= 2 and body["report"]["version"] == seed_report.version + 1
    assert _value(seed_report, "I.1.a") == 1327
    assert Value.objects.get(report=seed_report, indicator__code="I.1.b").note == "đã rà soát"
    assert _value(seed_report, "I.2.a") is None
    assert isinstance(body["findings"], list)


def test_one_bad_value_refuses_them_all_naming_every_one(api, seed_report):
    before = seed_report.version
    response = _post_values(api["reporter"], seed_report, [
        {"indicator": "I.1.a", "value": "41"},
        {"indicator": "I.1.b", "value": "1.5"},  # ambiguous
        {"indicator": "NOPE", "value": 1},  # no such indicator
        {"indicator": "I.1.b", "value": "-3"},  # twice in one request
        {"indicator": "I.1", "value": "140"},  # a percentage over 100
        {"indicator": "II.1.a", "value": 10 ** 20},  # too large to store
    ])
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "values.invalid" and "5" in body["message"]
    fields = {e["field"]: e["code"] for e in body["errors"]}
    assert fields == {"values[1].value": "number.ambiguous",
                      "values[2].indicator": "value.unknown_indicator",
                      "values[3].indicator": "values.duplicate",
                      "values[4].value": "value.percent_range",
                      "values[5].value": "value.too_large"}
    seed_report.refresh_from_db()
    assert seed_report.version == before and _value(seed_report, "I.1.a") == 40


def test_malformed_requests_name_the_field(api, seed_report):
    client = api["reporter"]
    cases = [
        ({"values": [{"indicator": "I.1.a", "value": "1"}]}, "version"),
        ({"version": 1, "values": []}, "values"),
        ({"version": 1, "values": [{"indicator": "I.1.a", "value": {"x": 1}}]},
         "values[0].value"),
        ({"version": 1, "values": [{"indicator": "I.1.a", "valeu": 1}]}, "values[0].valeu"),
        ({"version": 1, "values": [{"indicator": "I.1.a", "value": "4\x000"}]},
         "values[0].value"),
        ({"version": 1, "values": [{"indicator": "I 1 a", "value": "1"}]},
         "values[0].indicator"),
    ]
    for body, field in cases:
        response = client.post(f"/reports/{seed_report.pk}/values", body)
        assert response.status_code == 422, (body, response.content)
        assert response.json()["field"] == field, response.json()
    garbled = client.client.post(f"/api/v1/reports/{seed_report.pk}/values", "{not json",
                                 content_type="application/json", headers=client.headers)
    assert garbled.status_code == 400 and garbled.json()["code"] == "api.bad_request"


def test_a_stale_version_is_refused_saying_what_changed(api, seed_report):
    seen = seed_report.version
    assert _post_values(api["approver"], seed_report,
                        [{"indicator": "I.1.a", "value": "41"}]).status_code == 200
    response = _post_values(api["reporter"], seed_report, [{"indicator": "I.1.b", "value": "14"},
                                                           {"indicator": "I.1.a", "value": "42"}],
                            version=seen)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "report.stale" and body["field"] == "version"
    assert "approver" in body["message"] and "I.1.a: «40» → «41»" in body["message"]
    assert _value(seed_report, "I.1.b") == 13 and _value(seed_report, "I.1.a") == 41
    # re-sending what is stored is never a conflict
    assert _post_values(api["reporter"], seed_report, [{"indicator": "I.1.a", "value": 41}],
                        version=seen).status_code == 200


def test_a_stale_version_merges_when_only_other_cells_changed(api, seed_report):
    seen = seed_report.version
    assert _post_values(api["approver"], seed_report,
                        [{"indicator": "I.1.a", "value": "41"}]).status_code == 200
    response = _post_values(api["reporter"], seed_report, [{"indicator": "I.1.b", "value": "14"}],
                            version=seen)
    assert response.status_code == 200, response.content
    assert response.json()["report"]["version"] == seen + 2
    assert (_value(seed_report, "I.1.a"), _value(seed_report, "I.1.b")) == (41, 14)


def test_a_stale_version_does_not_merge_over_a_workflow_step(api, submitted):
    seen = submitted.version
    assert _step(api["consolidator"], submitted, "return", reason="Xem lại").status_code == 200
    response = _post_values(api["reporter"], submitted, [{"indicator": "I.1.b", "value": "14"}],
                            version=seen)
    assert response.status_code == 409 and response.json()["code"] == "report.stale"


def test_api_writes_are_audited_with_the_user_the_api_and_the_address(api, seed_report):
    _post_values(api["reporter"], seed_report, [{"indicator": "I.1.a", "value": "41"}])
    change = ValueChange.objects.filter(report=seed_report).latest("id")
    assert (change.actor, change.source, change.origin) == ("reporter", "api", "198.51.100.20")
    assert change.changed_by.username == "reporter"


# ----------------------------------------------------------------------------- workflow

def _step(client, report, action, **fields):  # type: ignore[no-untyped-def]
    report.refresh_from_db()
    return client.post(f"/reports/{report.pk}/{action}", {"version": report.version, **fields})


SUBMIT = {"reporter": 403, "approver": 200, "consolidator": 403, "viewer": 403, "admin": 403,
          "outsider": 404, "anonymous": 401, "revoked": 401}


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_approver_submits(api, clean_report, who):
    response = _step(api[who], clean_report, "submit", explanation="Mục VII chỉ tính trực tuyến")
    assert response.status_code == SUBMIT[who], response.content
    clean_report.refresh_from_db()
    assert clean_report.state == ("submitted" if SUBMIT[who] == 200 else "draft")
    if SUBMIT[who] == 200:
        body = response.json()
        assert body["report"]["state"] == "submitted"
        assert body["event"]["action"] == "submitted" and body["event"]["source"] == "api"
        assert body["event"]["detail"]["explanation"] == "Mục VII chỉ tính trực tuyến"


def test_submission_is_refused_on_errors_and_unexplained_warnings(api, seed_report, system):
    response = _step(api["approver"], seed_report, "submit", explanation="x")
    assert response.status_code == 422 and response.json()["code"] == "workflow.has_errors"
    from tests.test_api_helpers import set_number

    set_number(seed_report, "VII.5.f", 100, system)
    set_number(seed_report, "III.4.c.2", 0, system)
    response = _step(api["approver"], seed_report, "submit")
    assert response.status_code == 422
    assert response.json()["code"] == "workflow.explain_warnings"
    assert response.json()["field"] == "explanation"


DECIDE = {"reporter": 403, "approver": 403, "consolidator": 200, "viewer": 403, "admin": 403,
          "outsider": 404, "anonymous": 401, "revoked": 401}


@pytest.fixture
def submitted(api, clean_report):  # type: ignore[no-untyped-def]
    assert _step(api["approver"], clean_report, "submit", explanation="ok").status_code == 200
    clean_report.refresh_from_db()
    return clean_report


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_consolidator_accepts(api, submitted, who):
    response = _step(api[who], submitted, "accept")
    assert response.status_code == DECIDE[who], response.content
    submitted.refresh_from_db()
    assert submitted.state == ("accepted" if DECIDE[who] == 200 else "submitted")


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_consolidator_returns_with_a_reason(api, submitted, who):
    response = _step(api[who], submitted, "return", reason="Kiểm tra lại mục III")
    assert response.status_code == DECIDE[who], response.content
    submitted.refresh_from_db()
    assert submitted.state == ("draft" if DECIDE[who] == 200 else "submitted")


def test_a_return_needs_a_reason(api, submitted):
    response = _step(api["consolidator"], submitted, "return", reason="  ")
    assert response.status_code == 422
    assert response.json()["code"] == "workflow.reason_required"
    assert response.json()["field"] == "reason"


@pytest.mark.parametrize("who", EVERYONE)
def test_only_the_consolidator_reopens_with_a_reason(api, submitted, who):
    assert _step(api["consolidator"], submitted, "accept").status_code == 200
    response = _step(api[who], submitted, "reopen", reason="Sai số liệu mục IV")
    assert response.status_code == DECIDE[who], response.content
    submitted.refresh_from_db()
    assert submitted.state == ("draft" if DECIDE[who] == 200 else "accepted")
    if DECIDE[who] == 200:
        event = ReportEvent.objects.filter(report=submitted).latest("id")
        assert event.detail == {"reason": "Sai số liệu mục IV"} and event.source == "api"
        assert event.origin == "198.51.100.20"


def test_a_transition_in_the_wrong_state_or_version_is_a_conflict(api, clean_report):
    response = _step(api["consolidator"], clean_report, "accept")
    assert response.status_code == 409 and response.json()["code"] == "workflow.bad_state"
    stale = api["approver"].post(f"/reports/{clean_report.pk}/submit",
                                 {"version": clean_report.version - 1, "explanation": "x"})
    assert stale.status_code == 409 and stale.json()["code"] == "report.stale"
    clean_report.refresh_from_db()
    assert clean_report.state == "draft"


def test_a_submitted_report_takes_no_new_values(api, submitted):
    response = _post_values(api["reporter"], submitted, [{"indicator": "I.1.a", "value": "41"}])
    assert response.status_code == 409 and response.json()["code"] == "report.locked"
    english = ApiClient(None, "en")
    english.headers["Authorization"] = api["reporter"].headers["Authorization"]
    assert "cannot be changed" in _post_values(
        english, submitted, [{"indicator": "I.1.a", "value": "41"}]).json()["message"]
    same = _post_values(api["reporter"], submitted, [{"indicator": "I.1.a", "value": "40"}])
    assert same.status_code == 200 and same.json()["unchanged"] == 1
