"""The web application's pages, used as people use them (Django's test client)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parstat.reporting.actions import CellUpdate, do_set_values
from parstat.reporting.models import ValueChange
from parstat.reporting.values import BLANK
from tests.conftest import PASSWORD, SEED_FILE

pytestmark = pytest.mark.django_db


def detail(report) -> str:  # type: ignore[no-untyped-def]
    return reverse("web:report_detail", args=[report.pk])


def test_it_sends_anonymous_visitors_to_sign_in(client, seed_report):
    response = client.get(detail(seed_report))
    assert response.status_code == 302 and reverse("web:login") in response["Location"]


def test_it_signs_in_with_a_password(client, personas):
    response = client.post(reverse("web:login"), {"username": "reporter", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_it_slows_down_repeated_failed_sign_ins(client, personas):
    for _ in range(5):
        client.post(reverse("web:login"), {"username": "reporter", "password": "wrong"})
    response = client.post(reverse("web:login"), {"username": "reporter", "password": PASSWORD})
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert "_auth_user_id" not in client.session  # not even the right password gets in now


def test_it_shows_what_is_due_with_late_reports_in_red(sign_in, seed_report):
    page = sign_in("reporter").get(reverse("web:home")).content.decode()
    assert "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng" in page
    assert 'class="late"' in page and "quá hạn" in page


def test_it_shows_the_report_as_the_official_table(sign_in, seed_report):
    page = sign_in("reporter").get(detail(seed_report)).content.decode()
    assert 'value="1.327"' in page  # Vietnamese number in the input
    assert "= 32,5" in page  # I.1 derived beside its blank input
    assert "2 lỗi, 1 cảnh báo" in page
    assert "https://cchc.soctrang.gov.vn/" in page and '<a href="https://cchc' not in page
    assert 'name="v:I.7.b"' in page and "Kết hợp = 2" in page  # the choice as its labels


def test_it_shows_notes_as_text_never_as_markup(sign_in, seed_report, system):
    indicator = seed_report.template.indicators.get(code="I.2")
    do_set_values(seed_report, [CellUpdate(indicator, BLANK, note="<script>alert(1)</script>")],
                  acting_user=system)
    page = sign_in("reporter").get(detail(seed_report)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_saves_one_cell_and_answers_the_live_parts(sign_in, seed_report):
    client = sign_in("reporter")
    response = client.post(reverse("web:save_cell", args=[seed_report.pk]),
                           {"v:I.1.b": "20", "version": seed_report.version})
    body = response.content.decode()
    assert response.status_code == 200 and "đã lưu" in body
    assert 'id="derived-I_1"' in body and "= 50" in body  # 20 / 40 × 100
    assert 'id="findings"' in body and 'id="report-version"' in body
    change = ValueChange.objects.filter(indicator__code="I.1.b").latest("id")
    assert (change.old_number, change.new_number, change.source) == (13, 20, "form")
    assert change.actor == "reporter" and change.origin == "127.0.0.1"


def test_it_refuses_a_bad_cell_naming_it(sign_in, seed_report):
    client = sign_in("reporter")
    body = client.post(reverse("web:save_cell", args=[seed_report.pk]),
                       {"v:I.1.b": "13,5", "version": seed_report.version}).content.decode()
    assert "I.1.b" in body and "13,5" in body and "cell-error" in body
    assert seed_report.values.get(indicator__code="I.1.b").number == 13


def test_it_tells_blank_from_zero_in_the_form(sign_in, seed_report):
    client = sign_in("reporter")
    client.post(reverse("web:save_cell", args=[seed_report.pk]),
                {"v:I.2.a": "0", "version": seed_report.version})
    assert seed_report.values.get(indicator__code="I.2.a").number == 0
    seed_report.refresh_from_db()
    client.post(reverse("web:save_cell", args=[seed_report.pk]),
                {"v:I.2.a": "", "version": seed_report.version})
    assert not seed_report.values.filter(indicator__code="I.2.a").exists()


def test_it_saves_the_whole_form_all_or_nothing(sign_in, seed_report):
    client = sign_in("reporter")
    url = reverse("web:save_report", args=[seed_report.pk])
    bad = client.post(url, {"v:I.1.b": "14", "v:I.1.c": "abc", "version": seed_report.version})
    assert bad.status_code == 422 and "abc" in bad.content.decode()
    assert seed_report.values.get(indicator__code="I.1.b").number == 13  # nothing stored
    good = client.post(url, {"v:I.1.b": "14", "v:I.1.c": "7", "version": seed_report.version})
    assert good.status_code == 302
    assert seed_report.values.get(indicator__code="I.1.c").number == 7


def test_it_refuses_the_second_of_two_concurrent_saves(sign_in, seed_report, personas, client):
    seen = seed_report.version
    from django.test import Client

    other = Client()
    other.force_login(personas["approver"])
    other.post(reverse("web:save_cell", args=[seed_report.pk]), {"v:I.1.a": "41", "version": seen})
    mine = sign_in("reporter").post(reverse("web:save_cell", args=[seed_report.pk]),
                                    {"v:I.1.b": "20", "version": seen}).content.decode()
    assert "approver" in mine and "I.1.a" in mine and "«40» → «41»" in mine
    assert seed_report.values.get(indicator__code="I.1.b").number == 13


def test_it_walks_the_workflow_through_the_pages(sign_in, seed_report, personas):
    reporter = sign_in("reporter")
    reporter.post(reverse("web:save_report", args=[seed_report.pk]),
                  {"v:VII.5.f": "100", "v:III.4.c.2": "0", "version": seed_report.version})
    page = reporter.get(detail(seed_report)).content.decode()
    assert "Gửi báo cáo" not in page  # reporters fill, approvers submit
    approver = sign_in("approver")
    approver.post(reverse("web:transition", args=[seed_report.pk, "submit"]),
                  {"text": "Mục VII chỉ tính hồ sơ trực tuyến"})
    seed_report.refresh_from_db()
    assert seed_report.state == "submitted"
    consolidator = sign_in("consolidator")
    consolidator.post(reverse("web:transition", args=[seed_report.pk, "return"]),
                      {"text": "Kiểm tra lại biên chế"})
    seed_report.refresh_from_db()
    assert seed_report.state == "draft"
    page = consolidator.get(detail(seed_report)).content.decode()
    assert "Trả lại: Kiểm tra lại biên chế" in page  # the history shows the reason


def test_it_fills_a_report_from_a_file_after_a_preview(sign_in, seed_report, tmp_path, settings):
    settings.PARSTAT_UPLOAD_DIR = tmp_path
    client = sign_in("reporter")
    edited = SEED_FILE.read_text(encoding="utf-8").replace("Nhiệm vụ\t40\t", "Nhiệm vụ\t44\t")
    upload = tmp_path / "bang1.txt"
    upload.write_text(edited, encoding="utf-8")
    with upload.open("rb") as fp:
        preview = client.post(reverse("web:upload", args=[seed_report.pk]), {"file": fp})
    page = preview.content.decode()
    assert preview.status_code == 200 and "Thay đổi: <b>1</b>" in page
    assert seed_report.values.get(indicator__code="I.1.a").number == 40  # not yet applied
    token = preview.context["token"]
    client.post(reverse("web:upload_apply", args=[seed_report.pk]), {"token": token})
    assert seed_report.values.get(indicator__code="I.1.a").number == 44


def test_it_downloads_the_table_to_fill_offline(sign_in, seed_report):
    response = sign_in("reporter").get(reverse("web:download", args=[seed_report.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content[:2] == b"PK"


def test_it_lists_every_unit_of_a_period_for_the_consolidator(sign_in, seed_report):
    page = sign_in("consolidator").get(reverse("web:period_detail", args=["2023Q1"]))
    text = page.content.decode()
    assert "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng" in text
    assert "Sở Tài chính tỉnh Sóc Trăng" in text  # expected too, and missing
    assert "Chưa lập" in text


def test_it_opens_a_report_from_the_home_page(sign_in, personas):
    client = sign_in("reporter")
    response = client.post(reverse("web:start_report", args=["ST-SKHDT", "2024Q1"]))
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_it_makes_shows_once_and_revokes_an_api_token(sign_in, personas):
    from parstat.accounts.models import ApiToken, hash_token

    client = sign_in("reporter")
    client.post(reverse("web:token_create"), {"name": "Hệ thống tỉnh"})
    page = client.get(reverse("web:tokens")).content.decode()
    raw = page.split('id="new-token"')[1].split("<code>")[1].split("</code>")[0]
    token = ApiToken.objects.get(user=personas["reporter"])
    assert token.key_hash == hash_token(raw) and raw not in token.key_hash
    assert raw not in client.get(reverse("web:tokens")).content.decode()  # shown once
    assert sign_in("approver").post(reverse("web:token_revoke", args=[token.pk])).status_code == 404
    sign_in("reporter").post(reverse("web:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_takes_back_its_own_xlsx_unchanged(sign_in, seed_report, tmp_path, settings):
    """Download the table, fill offline (here: nothing), upload again: nothing changes."""
    settings.PARSTAT_UPLOAD_DIR = tmp_path
    client = sign_in("reporter")
    workbook = client.get(reverse("web:download", args=[seed_report.pk, "xlsx"])).content
    path = tmp_path / "bang1.xlsx"
    path.write_bytes(workbook)
    with path.open("rb") as fp:
        preview = client.post(reverse("web:upload", args=[seed_report.pk]), {"file": fp})
    summary = preview.context["preview"]["summary"]
    assert (summary["imported"], summary["updated"], summary["conflicts"]) == (0, 0, 0)
    assert summary["unchanged"] >= 75


def test_it_names_the_rules_beside_the_rows_they_flag(sign_in, seed_report):
    page = sign_in("reporter").get(detail(seed_report)).content.decode()
    row = page.split('id="row-VII_5_f"')[1].split("</tr>")[0]
    assert 'class="badge-error"' in row and ">R27<" in row
    assert 'data-rules="{&quot;III.4.c&quot;: [[&quot;R08&quot;' in page
