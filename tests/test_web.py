"""The web application's pages, used as people use them (Django's test client)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parstat.reporting.actions import CellUpdate, do_set_values
from parstat.reporting.models import ValueChange
from parstat.reporting.values import BLANK, parse_cell
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
    assert bad.status_code == 303 and bad["Location"] == detail(seed_report)
    page = client.get(detail(seed_report)).content.decode()
    assert "1 ô chưa hợp lệ; chưa lưu gì" in page and 'value="abc"' in page
    assert seed_report.values.get(indicator__code="I.1.b").number == 13  # nothing stored
    good = client.post(url, {"v:I.1.b": "14", "v:I.1.c": "7", "version": seed_report.version})
    assert good.status_code == 303
    assert seed_report.values.get(indicator__code="I.1.c").number == 7


def test_it_merges_two_saves_of_different_cells(sign_in, seed_report, personas):
    seen = seed_report.version
    from django.test import Client

    other = Client()
    other.force_login(personas["approver"])
    other.post(reverse("web:save_cell", args=[seed_report.pk]), {"v:I.1.a": "41", "version": seen})
    response = sign_in("reporter").post(reverse("web:save_cell", args=[seed_report.pk]),
                                        {"v:I.1.b": "20", "version": seen})
    body = response.content.decode()
    assert response.status_code == 200 and "đã lưu" in body
    assert f'name="version" value="{seen + 2}"' in body
    assert seed_report.values.get(indicator__code="I.1.a").number == 41
    assert seed_report.values.get(indicator__code="I.1.b").number == 20
    # the page learns the other person's change with the answer, to show it in its cell
    assert 'id="merged-values"' in body and "&quot;I.1.a&quot;: &quot;41&quot;" in body


def test_it_refuses_a_save_of_a_cell_someone_changed_meanwhile(sign_in, seed_report, personas):
    seen = seed_report.version
    from django.test import Client

    other = Client()
    other.force_login(personas["approver"])
    other.post(reverse("web:save_cell", args=[seed_report.pk]), {"v:I.1.a": "41", "version": seen})
    response = sign_in("reporter").post(reverse("web:save_cell", args=[seed_report.pk]),
                                        {"v:I.1.a": "42", "version": seen})
    mine = response.content.decode()
    assert response.status_code == 409 and "cell-error" in mine and "Chưa lưu" in mine
    assert "approver" in mine and "I.1.a" in mine and "«40» → «41»" in mine
    assert seed_report.values.get(indicator__code="I.1.a").number == 41
    assert 'class="take-stored" data-field="v:I.1.a" data-text="41"' in mine
    assert 'class="keep-mine" data-field="v:I.1.a"' in mine


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
    history = reverse("web:report_history", args=[seed_report.pk])
    rows = consolidator.get(history, HTTP_HX_REQUEST="true").content.decode()
    assert "Trả lại: Kiểm tra lại biên chế" in rows  # the history shows the reason
    assert "<html" not in rows  # the rows alone, for the form's history
    assert "Trả lại: Kiểm tra lại biên chế" in consolidator.get(history).content.decode()


def test_it_loads_the_history_on_demand_and_only_for_those_who_see_the_report(sign_in,
                                                                             seed_report):
    page = sign_in("reporter").get(detail(seed_report)).content.decode()
    history = reverse("web:report_history", args=[seed_report.pk])
    assert f'hx-get="{history}"' in page
    assert "<td>I.1.a:" not in page  # no history rows inline: they load when it is opened
    assert sign_in("outsider").get(history).status_code == 404


def _preview_seed_with_44(client, report, path):
    """Upload the seed's table with I.1.a changed from 40 to 44, saved at ``path``."""
    edited = SEED_FILE.read_text(encoding="utf-8").replace("Nhiệm vụ\t40\t", "Nhiệm vụ\t44\t")
    path.write_text(edited, encoding="utf-8")
    with path.open("rb") as fp:
        return client.post(reverse("web:upload", args=[report.pk]), {"file": fp})


def test_it_fills_a_report_from_a_file_after_a_preview(sign_in, seed_report, tmp_path, settings):
    settings.PARSTAT_UPLOAD_DIR = tmp_path
    client = sign_in("reporter")
    preview = _preview_seed_with_44(client, seed_report, tmp_path / "bang1.txt")
    page = preview.content.decode()
    assert preview.status_code == 200 and "Thay đổi: <b>1</b>" in page
    assert seed_report.values.get(indicator__code="I.1.a").number == 40  # not yet applied
    token = preview.context["token"]
    client.post(reverse("web:upload_apply", args=[seed_report.pk]), {"token": token})
    assert seed_report.values.get(indicator__code="I.1.a").number == 44


def test_it_names_an_uploaded_file_as_its_sender_did_in_messages_and_audit_rows(
        sign_in, seed_report, tmp_path, settings):
    """The upload is kept under a token until it is applied: the preview's messages and the
    audit rows must still name «Báo cáo quý 1 (bản 2).txt», not the name it is stored under."""
    from parstat.reporting.models import ValueChange

    settings.PARSTAT_UPLOAD_DIR = tmp_path / "uploads"
    client = sign_in("reporter")
    preview = _preview_seed_with_44(client, seed_report, tmp_path / "Báo cáo quý 1 (bản 2).txt")
    token = preview.context["token"]
    assert preview.context["preview"]["file"] == "Báo cáo quý 1 (bản 2).txt"
    assert token not in preview.content.decode().replace(f'value="{token}"', "")
    client.post(reverse("web:upload_apply", args=[seed_report.pk]), {"token": token})
    change = ValueChange.objects.filter(report=seed_report, indicator__code="I.1.a").latest("id")
    assert change.origin == "127.0.0.1 · Báo cáo quý 1 (bản 2).txt"
    assert list((tmp_path / "uploads").rglob("*")) == [tmp_path / "uploads" / str(
        change.changed_by_id)]  # the file and its name are gone once applied


def test_it_links_the_period_page_to_the_consolidated_table_and_the_province_report(sign_in,
                                                                                   seed_report):
    url = reverse("web:period_detail", args=["2023Q1"])
    page = sign_in("consolidator").get(url).content.decode()
    assert reverse("web:province_narrative", args=["2023Q1", "ST"]) in page
    assert f'{reverse("analytics:consolidated")}?unit=ST&amp;period=2023Q1' in page
    narrative = sign_in("consolidator").get(reverse("web:province_narrative",
                                                    args=["2023Q1", "ST"]))
    assert narrative.status_code == 200  # the link leads somewhere the consolidator may go
    assert 'id="period-roots"' not in sign_in("reporter").get(url).content.decode()


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


def save_cell(client, report, field: str, text: str, **headers: str):  # type: ignore[no-untyped-def]
    report.refresh_from_db()
    return client.post(reverse("web:save_cell", args=[report.pk]),
                       {field: text, "version": report.version},
                       headers={"HX-Request": "true", "HX-Trigger-Name": field, **headers})


def test_it_answers_a_refused_cell_with_422_keeping_the_stored_value(sign_in, seed_report):
    response = save_cell(sign_in("reporter"), seed_report, "v:I.1.b", "mười ba")
    assert response.status_code == 422 and "Chưa lưu" in response.content.decode()
    assert seed_report.values.get(indicator__code="I.1.b").number == 13


def test_a_refresh_after_a_refused_form_posts_nothing_and_keeps_what_was_typed(sign_in,
                                                                               seed_report):
    client = sign_in("reporter")
    url = reverse("web:save_report", args=[seed_report.pk])
    response = client.post(url, {"v:I.1.c": "abc", "version": seed_report.version}, follow=True)
    assert response.redirect_chain == [(detail(seed_report), 303)]
    assert response.request["REQUEST_METHOD"] == "GET"  # what a refresh repeats
    again = client.get(detail(seed_report)).content.decode()
    assert 'value="abc"' in again and "cell-error" in again  # a refresh loses nothing typed
    save_cell(client, seed_report, "v:I.1.c", "7")
    assert 'value="abc"' not in client.get(detail(seed_report)).content.decode()


def test_it_answers_a_signed_out_cell_save_with_401_not_the_sign_in_page(client, seed_report):
    response = save_cell(client, seed_report, "v:I.1.b", "20")
    assert response.status_code == 401 and response["X-Parstat-Reason"] == "signed-out"
    assert "<form" not in response.content.decode()
    assert seed_report.values.get(indicator__code="I.1.b").number == 13
    # a page (not a background save) still goes to the sign-in page
    assert client.get(detail(seed_report)).status_code == 302


def _csrf_client(personas):  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["reporter"])
    return client


def test_it_answers_a_cell_save_without_its_csrf_token_with_a_marked_403(personas, seed_report):
    client = _csrf_client(personas)
    response = save_cell(client, seed_report, "v:I.1.b", "20")
    assert response.status_code == 403 and response["X-Parstat-Reason"] == "csrf"
    assert seed_report.values.get(indicator__code="I.1.b").number == 13
    token = client.get(reverse("web:login"), headers={"Accept": "application/json"}).json()
    assert token["signed_in"] is True
    response = save_cell(client, seed_report, "v:I.1.b", "20", **{"X-CSRFToken": token["csrf"]})
    assert response.status_code == 200
    assert seed_report.values.get(indicator__code="I.1.b").number == 20


def test_it_signs_in_again_from_the_form_and_saves_with_the_new_token(personas, seed_report):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    json = {"Accept": "application/json"}
    state = client.get(reverse("web:login"), headers=json)
    assert state.status_code == 200 and state.json()["signed_in"] is False
    token = state.json()["csrf"]
    wrong = client.post(reverse("web:login"), {"username": "reporter", "password": "sai"},
                        headers={**json, "X-CSRFToken": token})
    assert wrong.status_code == 400 and wrong.json() == {
        "signed_in": False, "message": "Tên đăng nhập hoặc mật khẩu không đúng."}
    right = client.post(reverse("web:login"), {"username": "reporter", "password": PASSWORD},
                        headers={**json, "X-CSRFToken": token})
    assert right.status_code == 200 and right.json()["signed_in"] is True
    renewed = right.json()["csrf"]
    response = save_cell(client, seed_report, "v:I.1.b", "21", **{"X-CSRFToken": renewed})
    assert response.status_code == 200
    assert seed_report.values.get(indicator__code="I.1.b").number == 21


def test_the_form_posts_only_the_changed_cell_and_keeps_notes_out_of_the_tab_order(sign_in,
                                                                                   seed_report):
    page = sign_in("reporter").get(detail(seed_report)).content.decode()
    row = page.split('id="row-I_1_b"')[1].split("</tr>")[0]
    assert 'hx-params="v:I.1.b,version"' in row and 'hx-params="n:I.1.b,version"' in row
    assert 'name="n:I.1.b"' in row and 'tabindex="-1"' in row


def test_it_shows_a_typed_rate_beside_what_its_formula_gives_and_clears_it(sign_in, seed_report):
    client = sign_in("reporter")
    response = save_cell(client, seed_report, "v:I.1", "99")
    body = response.content.decode()
    assert response.status_code == 200 and "đã lưu" in body
    derived = body.split('id="derived-I_1"')[1].split("</span>\n")[0]
    assert "≠ 32,5" in derived and 'data-code="I.1"' in derived and "Dùng giá trị tính" in derived
    assert "I.1 = 99, nhưng 13 / 40 × 100 = 32,5" in body and "formula:I.1" in body
    page = client.get(detail(seed_report)).content.decode()
    assert 'class="derived mismatch"' in page and "Dùng giá trị tính" in page
    cleared = save_cell(client, seed_report, "v:I.1", "").content.decode()  # the button's save
    assert "= 32,5" in cleared.split('id="derived-I_1"')[1] and "formula:I.1" not in cleared
    change = ValueChange.objects.filter(indicator__code="I.1").latest("id")
    assert (change.old_number, change.new_number, change.actor) == (99, None, "reporter")


def _return(client, report, reason: str) -> None:  # type: ignore[no-untyped-def]
    from parstat.reporting.actions import Actor
    from parstat.reporting.workflow import do_return_report, do_submit_report

    do_submit_report(report, acting_user=Actor(), explanation="Mục VII chỉ tính trực tuyến")
    do_return_report(report, reason=reason, acting_user=Actor())


def test_a_returned_report_shows_its_reason_on_the_form_and_the_home_page(sign_in, seed_report,
                                                                          system):
    from parstat.catalog.models import Indicator

    fixes = [CellUpdate(Indicator.objects.get(template=seed_report.template, code=code),
                        parse_cell(Indicator.objects.get(template=seed_report.template,
                                                         code=code), text))
             for code, text in (("VII.5.f", "100"), ("III.4.c.2", "0"))]
    do_set_values(seed_report, fixes, acting_user=system)
    _return(sign_in, seed_report, "Kiểm tra lại biên chế")
    client = sign_in("reporter")
    page = client.get(detail(seed_report)).content.decode()
    top = page.split('id="sent-back"')[1].split("</p>")[0]
    assert "Báo cáo bị trả lại" in top and "Kiểm tra lại biên chế" in top
    assert page.index('id="sent-back"') < page.index('id="entry-form"')
    home = client.get(reverse("web:home")).content.decode()
    assert "Bị trả lại:</b> Kiểm tra lại biên chế" in home
    from parstat.reporting.workflow import do_submit_report

    do_submit_report(seed_report, acting_user=system, explanation="đã sửa")
    assert 'id="sent-back"' not in client.get(detail(seed_report)).content.decode()
    assert "Bị trả lại" not in client.get(reverse("web:home")).content.decode()


def test_a_stale_whole_form_shows_the_changed_cells_as_stored_with_what_was_typed(
        sign_in, seed_report, personas):
    seen = seed_report.version
    from django.test import Client

    other = Client()
    other.force_login(personas["approver"])
    other.post(reverse("web:save_cell", args=[seed_report.pk]), {"v:I.1.a": "41", "version": seen})
    client = sign_in("reporter")
    response = client.post(reverse("web:save_report", args=[seed_report.pk]),
                           {"v:I.1.a": "40", "v:I.1.b": "14", "version": seen})
    assert response.status_code == 303
    assert seed_report.values.get(indicator__code="I.1.b").number == 13  # nothing stored
    page = client.get(detail(seed_report)).content.decode()
    row_a = page.split('id="row-I_1_a"')[1].split("</tr>")[0]
    assert 'value="41"' in row_a and "anh/chị đã nhập «40»" in row_a  # not silently undone
    row_b = page.split('id="row-I_1_b"')[1].split("</tr>")[0]
    assert 'value="14"' in row_b  # what was typed elsewhere stays
