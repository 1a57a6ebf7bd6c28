"""Uploading a report file through the API: dry run, import, the roles and the version."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from parstat.reporting.models import Report, ValueChange
from tests.conftest import SEED_FILE
from tests.test_api_helpers import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db


def _upload(client, period="2023S1", name="bang1.txt", data=None, **fields):  # type: ignore[no-untyped-def]
    content = SEED_FILE.read_bytes() if data is None else data
    form = {"unit": "ST-SKHDT", "period": period, "file": SimpleUploadedFile(name, content),
            **{k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in fields.items()}}
    return client.upload("/imports", form)


def test_a_dry_run_reports_what_would_happen_and_stores_nothing(api, seed_report):
    response = _upload(api["reporter"], dry_run=True)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] is True and body["report"] is None
    assert body["summary"]["imported"] >= 70 and body["summary"]["conflicts"] == 0
    assert body["unit"] == "ST-SKHDT" and body["period"] == "2023S1"
    assert {f["rule"] for f in body["findings"]} >= {"R08"}
    assert not Report.objects.filter(period__code="2023S1").exists()


def test_an_import_stores_the_values_and_a_second_changes_nothing(api, seed_report):
    first = _upload(api["approver"])
    assert first.status_code == 200, first.content
    report = first.json()["report"]
    assert report["state"] == "draft" and first.json()["summary"]["imported"] >= 70
    stored = Report.objects.get(pk=report["id"])
    change = ValueChange.objects.filter(report=stored).latest("id")
    assert change.actor == "approver" and change.source == "import"
    assert change.origin == "198.51.100.20 · bang1.txt"
    again = _upload(api["approver"], version=report["version"])
    assert again.status_code == 200
    assert again.json()["summary"]["imported"] == again.json()["summary"]["updated"] == 0
    assert again.json()["report"]["version"] == report["version"]


IMPORT = {"reporter": 200, "approver": 200, "consolidator": 403, "viewer": 403, "admin": 403,
          "outsider": 404, "anonymous": 401, "revoked": 401}


@pytest.mark.parametrize("who", list(IMPORT))
def test_only_the_units_reporters_and_approvers_import(api, seed_report, who):
    response = _upload(api[who], period="2023Q1")
    assert response.status_code == IMPORT[who], response.content
    if IMPORT[who] == 404:
        assert response.json()["code"] == "unit.not_found"


def test_a_stale_version_refuses_the_import(api, seed_report):
    response = _upload(api["reporter"], period="2023Q1", version=seed_report.version - 1)
    assert response.status_code == 409 and response.json()["code"] == "report.stale"


def test_an_unreadable_file_is_refused_with_its_reason(api, seed_report):
    response = _upload(api["reporter"], name="bang1.doc",
                       data=b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    assert response.status_code == 422
    assert response.json()["code"].startswith("import.")
    missing = api["reporter"].upload("/imports", {"unit": "ST-SKHDT", "period": "2023Q1"})
    assert missing.status_code == 422 and missing.json()["field"] == "file"


def test_strict_stores_nothing_when_a_value_is_refused(api, seed_report):
    text = SEED_FILE.read_text(encoding="utf-8").replace("\t40\t", "\t4.0\t", 1)
    response = _upload(api["reporter"], data=text.encode(), strict=True)
    assert response.status_code == 422 and response.json()["code"] == "import.conflicts"
    assert not Report.objects.filter(period__code="2023S1").exists()
