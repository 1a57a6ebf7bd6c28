""""Lưu tất cả" and the API's value write read the report once, under its lock, through the
permission choke point (``do_set_values_in``), as the cell save does; and its values once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import Report
from parstat.web.views import REFUSED_FORM
from tests.test_api_helpers import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def _reads(captured: CaptureQueriesContext) -> tuple[int, int]:
    """(reads of the report's row, reads of its values)."""
    sql = [q["sql"].lstrip("(") for q in captured.captured_queries]
    return (len([s for s in sql if s.startswith('SELECT "reporting_report"')]),
            len([s for s in sql if s.startswith('SELECT "reporting_value"."id"')]))


def test_save_all_reads_the_report_once(sign_in, seed_report):
    client = sign_in("reporter")
    url = reverse("web:save_report", args=[seed_report.pk])
    with CaptureQueriesContext(connection) as captured:
        answer = client.post(url, {"v:I.1.b": "20", "v:I.1.c": "3",
                                   "version": seed_report.version})
    assert answer.status_code == 303
    assert _reads(captured) == (1, 1)
    stored = Report.objects.get(pk=seed_report.pk)
    assert stored.version == seed_report.version + 1
    assert stored.values.get(indicator__code="I.1.b").number == 20


def test_save_all_refused_keeps_what_was_typed_and_writes_nothing(sign_in, seed_report):
    client = sign_in("reporter")
    url = reverse("web:save_report", args=[seed_report.pk])
    answer = client.post(url, {"v:I.1.b": "hai mươi", "version": seed_report.version})
    assert answer.status_code == 303
    assert Report.objects.get(pk=seed_report.pk).version == seed_report.version
    kept = client.session[REFUSED_FORM][str(seed_report.pk)]
    assert kept["version"] == seed_report.version
    assert kept["typed"]["I.1.b"][0] == "hai mươi" and "I.1.b" in kept["errors"]


def test_save_all_by_someone_without_the_role_is_the_403_page(sign_in, seed_report):
    answer = sign_in("viewer").post(reverse("web:save_report", args=[seed_report.pk]),
                                    {"v:I.1.b": "20", "version": seed_report.version})
    assert answer.status_code == 403
    assert Report.objects.get(pk=seed_report.pk).version == seed_report.version


def test_the_api_value_write_reads_the_report_once(api, seed_report):
    with CaptureQueriesContext(connection) as captured:
        answer = api["reporter"].post(f"/reports/{seed_report.pk}/values", {
            "version": seed_report.version,
            "values": [{"indicator": "I.1.b", "value": "20"}]})
    assert answer.status_code == 200, answer.content
    assert _reads(captured) == (1, 1)
    body = answer.json()
    stored = Report.objects.get(pk=seed_report.pk)
    assert body["report"] == {"id": stored.pk, "state": stored.state, "version": stored.version}
    assert [f["rule"] for f in body["findings"]] == \
        [f.rule for f in evaluate_report(stored).findings]


def test_the_api_answers_the_findings_when_nothing_changed(api, seed_report):
    value = seed_report.values.get(indicator__code="I.1.b").number
    answer = api["reporter"].post(f"/reports/{seed_report.pk}/values", {
        "version": seed_report.version,
        "values": [{"indicator": "I.1.b", "value": int(value)}]})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["unchanged"] == 1 and body["report"]["version"] == seed_report.version
    assert [f["rule"] for f in body["findings"]] == \
        [f.rule for f in evaluate_report(seed_report).findings]


def test_a_cell_save_of_what_is_stored_reads_the_values_once(sign_in, seed_report):
    client = sign_in("reporter")
    url = reverse("web:save_cell", args=[seed_report.pk])
    stored = seed_report.values.get(indicator__code="I.1.b").number
    with CaptureQueriesContext(connection) as captured:
        answer = client.post(url, {"v:I.1.b": str(int(stored)), "version": seed_report.version},
                             headers={"HX-Request": "true", "HX-Trigger-Name": "v:I.1.b"})
    assert answer.status_code == 200
    assert _reads(captured) == (1, 1)  # nothing written: its answer is evaluated from them
    assert Report.objects.get(pk=seed_report.pk).version == seed_report.version
