"""The same error answers the same status on the pages and the API (parstat/http_status.py)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parstat.reporting.models import Report
from parstat.reporting.workflow import Step, do_transition
from tests.conftest import SEED_FILE
from tests.test_api_helpers import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db

# Uploading a changed file into the submitted seed report: reporters and approvers may edit the
# unit's reports but not this one now (409, report.locked); the other roles may not edit any
# (403); a unit outside one's own is not found (404).
LOCKED_UPLOAD = {"reporter": 409, "approver": 409, "consolidator": 403, "viewer": 403,
                 "admin": 403, "outsider": 404}
LOCKED_CODE = {409: "report.locked", 403: "permission.denied", 404: "unit.not_found"}


def _changed_file() -> bytes:
    text = SEED_FILE.read_text(encoding="utf-8").replace("Nhiệm vụ\t40\t", "Nhiệm vụ\t44\t")
    return text.encode("utf-8")


@pytest.fixture
def submitted(clean_report, system):  # type: ignore[no-untyped-def]
    do_transition(clean_report, Step.SUBMIT, acting_user=system, text="Đã kiểm tra")
    clean_report.refresh_from_db()
    assert clean_report.state == "submitted"
    return clean_report


def _number(report: Report) -> int:
    return report.values.get(indicator__code="I.1.a").number


@pytest.mark.parametrize("persona", list(LOCKED_UPLOAD))
def test_it_answers_a_locked_report_upload_on_the_page_as_the_api(
        sign_in, submitted, tmp_path, settings, persona):
    settings.PARSTAT_UPLOAD_DIR = tmp_path
    client = sign_in(persona)
    path = tmp_path / "bang1.txt"
    path.write_bytes(_changed_file())
    with path.open("rb") as fp:
        preview = client.post(reverse("web:upload", args=[submitted.pk]), {"file": fp})
    expected = LOCKED_UPLOAD[persona]
    if expected == 409:
        # A preview is a dry run: it shows, and says that applying would be refused.
        assert preview.status_code == 200
        assert preview.context["preview"]["apply_refused"]["code"] == "import.apply_locked"
        applied = client.post(reverse("web:upload_apply", args=[submitted.pk]),
                              {"token": preview.context["token"]})
        assert applied.status_code == 409
        assert "web/upload.html" in [t.name for t in applied.templates]
    else:
        assert preview.status_code == expected
    assert _number(submitted) == 40


@pytest.mark.parametrize("persona", list(LOCKED_UPLOAD))
def test_it_answers_a_locked_report_upload_on_the_api_as_the_page(api, submitted, persona):
    form = {"unit": "ST-SKHDT", "period": "2023Q1",
            "file": SimpleUploadedFile("bang1.txt", _changed_file())}
    response = api[persona].upload("/imports", form)
    assert response.status_code == LOCKED_UPLOAD[persona], response.content
    assert response.json()["code"] == LOCKED_CODE[LOCKED_UPLOAD[persona]]
    assert _number(submitted) == 40


@pytest.mark.parametrize("persona", ["consolidator", "viewer", "admin"])
def test_it_refuses_an_upload_apply_to_a_role_without_permission_with_403(
        sign_in, seed_report, tmp_path, settings, persona):
    settings.PARSTAT_UPLOAD_DIR = tmp_path
    response = sign_in(persona).post(reverse("web:upload_apply", args=[seed_report.pk]),
                                     {"token": "0" * 32})
    assert response.status_code == 403
    assert _number(seed_report) == 40
