"""The province's report above the provincial office: its workflow, the totals its approval
froze, and "no longer matches" when a unit report changes afterwards."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parstat.analytics.consolidation import consolidate
from parstat.analytics.states import StateScope
from parstat.errors import ParstatError
from parstat.narrative.outline import load_outline
from parstat.narrative.province import do_set_province_narrative
from parstat.province.models import ProvinceAction, ProvinceReportEvent, ProvinceState
from parstat.province.snapshot import approvals_counting, drift, in_force
from parstat.province.workflow import ProvinceStep, do_open_province_report, do_province_step
from parstat.reporting.actions import Actor, CellUpdate, do_set_values
from parstat.reporting.models import Source
from parstat.reporting.values import CellValue
from parstat.reporting.workflow import Step, do_transition
from parstat.units.models import OrgUnit

pytestmark = pytest.mark.django_db


def _actor(user) -> Actor:  # type: ignore[no-untyped-def]
    return Actor(user=user, source=Source.FORM, origin="127.0.0.1")


def _set(report, code: str, number: int, actor) -> None:  # type: ignore[no-untyped-def]
    indicator = report.template.indicators.get(code=code)
    do_set_values(report, [CellUpdate(indicator, CellValue(number=Decimal(number)))],
                  acting_user=actor)


@pytest.fixture
def accepted(seed_report, system, personas):  # type: ignore[no-untyped-def]
    """The seed report corrected, submitted and accepted: what the province counts."""
    _set(seed_report, "VII.5.f", 100, system)
    _set(seed_report, "III.4.c.2", 0, system)
    do_transition(seed_report, Step.SUBMIT, acting_user=system, text="Đã kiểm tra")
    do_transition(seed_report, Step.ACCEPT, acting_user=system)
    seed_report.refresh_from_db()
    return seed_report


@pytest.fixture
def province(accepted, personas):  # type: ignore[no-untyped-def]
    root = OrgUnit.objects.get(code="ST")
    return do_open_province_report(root, accepted.period, accepted.template,
                                   acting_user=_actor(personas["consolidator"]))


def _approve(province, personas):  # type: ignore[no-untyped-def]
    do_province_step(province, ProvinceStep.SUBMIT, acting_user=_actor(personas["consolidator"]))
    return do_province_step(province, ProvinceStep.APPROVE, acting_user=_actor(personas["leader"]))


def test_it_opens_one_province_report_per_period_and_table_audited(province, accepted, personas):
    again = do_open_province_report(province.unit, accepted.period, accepted.template,
                                    acting_user=_actor(personas["consolidator"]))
    assert again.pk == province.pk and province.state == ProvinceState.DRAFT
    assert list(province.events.values_list("action", "actor")) == [
        (ProvinceAction.CREATED, "consolidator")]


def test_it_walks_the_office_and_the_leader_through_the_steps(province, personas):
    office, leader = _actor(personas["consolidator"]), _actor(personas["leader"])
    with pytest.raises(ParstatError) as refused:
        do_province_step(province, ProvinceStep.SUBMIT, acting_user=leader)
    assert refused.value.code == "permission.denied"
    do_province_step(province, ProvinceStep.SUBMIT, acting_user=office)
    with pytest.raises(ParstatError) as refused:
        do_province_step(province, ProvinceStep.APPROVE, acting_user=office)
    assert refused.value.code == "permission.denied"
    with pytest.raises(ParstatError) as refused:
        do_province_step(province, ProvinceStep.RETURN, acting_user=leader, reason="  ")
    assert refused.value.code == "workflow.reason_required"
    do_province_step(province, ProvinceStep.RETURN, acting_user=leader, reason="Thiếu số liệu")
    assert province.state == ProvinceState.DRAFT
    _approve(province, personas)
    with pytest.raises(ParstatError) as refused:
        do_province_step(province, ProvinceStep.APPROVE, acting_user=leader)
    assert refused.value.code == "province.bad_state"
    province.refresh_from_db()
    assert (province.state, province.version) == (ProvinceState.APPROVED, 5)
    events = list(ProvinceReportEvent.objects.filter(report=province)
                  .values_list("action", "old_state", "new_state", "actor"))
    assert events == [("created", "", "draft", "consolidator"),
                      ("submitted", "draft", "submitted", "consolidator"),
                      ("returned", "submitted", "draft", "leader"),
                      ("submitted", "draft", "submitted", "consolidator"),
                      ("approved", "submitted", "approved", "leader")]
    assert province.events.get(action="returned").detail == {"reason": "Thiếu số liệu"}


def test_it_refuses_to_submit_a_province_report_that_counts_no_unit_report(
        seed_report, personas):
    root = OrgUnit.objects.get(code="ST")  # the seed report is a draft: nothing accepted
    report = do_open_province_report(root, seed_report.period, seed_report.template,
                                     acting_user=_actor(personas["consolidator"]))
    with pytest.raises(ParstatError) as refused:
        do_province_step(report, ProvinceStep.SUBMIT,
                         acting_user=_actor(personas["consolidator"]))
    assert refused.value.code == "province.nothing_counted"
    assert report.events.count() == 1


def test_it_freezes_every_total_and_every_counted_report_on_approval(province, accepted,
                                                                     personas):
    event = _approve(province, personas)
    snapshot = in_force(province)
    assert snapshot is not None and event.detail == {"snapshot": snapshot.pk}
    now = consolidate(province.unit, province.period, states=StateScope.ACCEPTED)
    frozen = {t.indicator.code: (t.number, t.units) for t in snapshot.totals.select_related(
        "indicator")}
    assert frozen == {t.indicator.code: (t.value if isinstance(t.value, Decimal) else None,
                                         t.units) for t in now.totals}
    assert frozen["I.1.a"] == (Decimal(40), 1)
    assert list(snapshot.reports.values_list("report_id", "version", "state")) == [
        (accepted.pk, accepted.version, "accepted")]
    assert (snapshot.scope, snapshot.actor) == ("accepted", "leader")
    assert drift(snapshot).matches and approvals_counting(accepted) == []


def test_it_says_the_approved_province_report_no_longer_matches_a_reopened_unit_report(
        province, accepted, personas, system):
    _approve(province, personas)
    snapshot = in_force(province)
    do_transition(accepted, Step.REOPEN, acting_user=system, text="Sửa số nhiệm vụ")
    _set(accepted, "I.1.a", 44, system)
    accepted.refresh_from_db()
    assert approvals_counting(accepted) == [snapshot]
    difference = drift(snapshot)
    assert not difference.matches
    assert [(r.unit_code, r.approved, r.now) for r in difference.reports] == [
        ("ST-SKHDT", f"v{accepted.version - 2}, Đã tiếp nhận", "")]
    # The draft is not counted in an "accepted" scope: every total it fed is now blank.
    changed = {t.code: (t.approved, t.now, t.approved_units, t.now_units)
               for t in difference.totals}
    assert changed["I.1.a"] == (Decimal(40), None, 1, 0)
    do_transition(accepted, Step.SUBMIT, acting_user=system, text="Đã sửa")
    do_transition(accepted, Step.ACCEPT, acting_user=system)
    changed = {t.code: (t.approved, t.now) for t in drift(snapshot).totals}
    assert changed == {"I.1.a": (Decimal(40), Decimal(44)), "I.1": changed["I.1"]}


def test_it_locks_the_province_narrative_once_submitted_and_reopens_with_a_reason(
        province, personas):
    load_outline()
    office = _actor(personas["consolidator"])
    do_set_province_narrative(province.unit, province.period, province.template, "I",
                              "Tỉnh đã ban hành kế hoạch.", acting_user=office)
    _approve(province, personas)
    with pytest.raises(ParstatError) as refused:
        do_set_province_narrative(province.unit, province.period, province.template, "I",
                                  "Sửa sau khi duyệt", acting_user=office)
    assert refused.value.code == "province.locked"
    assert in_force(province).narrative == {"I": "Tỉnh đã ban hành kế hoạch."}
    with pytest.raises(ParstatError) as refused:
        do_province_step(province, ProvinceStep.REOPEN, acting_user=office)
    assert refused.value.code == "workflow.reason_required"
    do_province_step(province, ProvinceStep.REOPEN, acting_user=office, reason="Bổ sung mục I")
    assert in_force(province) is None
    assert province.snapshots.get().superseded_at is not None
    do_set_province_narrative(province.unit, province.period, province.template, "I",
                              "Sửa sau khi mở lại", acting_user=office)


# The pages: the office submits from the province's page, the leader approves there, and a
# unit report changed afterwards says so on its own page and the province's page shows how.
PAGE = "/periods/2023Q1/bao-cao-tinh/ST/"


def _step(client, step: str, **data):  # type: ignore[no-untyped-def]
    return client.post(f"{PAGE}buoc/{step}/", {"template": "B1-SN-2023", **data})


def test_it_takes_the_province_steps_from_its_page_as_each_persona(accepted, sign_in):
    office = sign_in("consolidator")
    page = office.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="step-submit"' in html and "Chưa trình lãnh đạo tỉnh" in html
    assert _step(office, "submit").status_code == 302
    assert _step(office, "approve").status_code == 302  # refused: a message, nothing changed
    leader = sign_in("leader")
    home = leader.get("/").content.decode()
    assert 'id="province-reports"' in home and "Chờ lãnh đạo tỉnh duyệt" in home
    page = leader.get(PAGE)
    assert page.status_code == 200 and 'id="step-approve"' in page.content.decode()
    assert 'id="step-submit"' not in page.content.decode()
    assert _step(leader, "approve").status_code == 302
    html = leader.get(PAGE).content.decode()
    assert "Lãnh đạo tỉnh đã duyệt" in html and 'id="province-matches"' in html
    assert [e.action for e in ProvinceReportEvent.objects.order_by("id")] == [
        "created", "submitted", "approved"]
    assert sign_in("viewer").get(PAGE).status_code == 200
    assert sign_in("outsider").get(PAGE).status_code == 404
    assert _step(sign_in("reporter"), "reopen", reason="x").status_code == 404


def test_it_shows_the_difference_when_an_accepted_unit_report_is_reopened(accepted, sign_in,
                                                                          system):
    _step(sign_in("consolidator"), "submit")
    _step(sign_in("leader"), "approve")
    do_transition(accepted, Step.REOPEN, acting_user=system, text="Sửa số nhiệm vụ")
    unit_page = sign_in("reporter").get(f"/reports/{accepted.pk}/").content.decode()
    assert 'id="province-no-longer-matches"' in unit_page
    html = sign_in("consolidator").get(PAGE).content.decode()
    assert 'id="province-drift"' in html and "không còn được tính" in html
    assert _step(sign_in("consolidator"), "reopen").status_code == 302  # no reason: refused
    assert ProvinceReportEvent.objects.filter(action="reopened").count() == 0
    _step(sign_in("consolidator"), "reopen", reason="Đơn vị sửa số liệu")
    assert ProvinceReportEvent.objects.filter(action="reopened").count() == 1
    assert 'id="province-no-longer-matches"' not in sign_in("reporter").get(
        f"/reports/{accepted.pk}/").content.decode()


def test_it_writes_the_province_report_as_one_decree_30_document(accepted, sign_in):
    import io

    from docx import Document

    load_outline()
    office = sign_in("consolidator")
    office.post(f"{PAGE}luu/", {"key": "signer_name", "text": "Nguyễn Văn A", "version": "0"})
    office.post(f"{PAGE}luu/", {"key": "I", "text": "Tỉnh giao {{I.1.a}} nhiệm vụ.",
                                "version": "0"})
    _step(office, "submit")
    url = f"{PAGE}van-ban.docx?template=B1-SN-2023"
    draft = Document(io.BytesIO(office.get(url).content))
    assert draft.sections[0].first_page_header.paragraphs[0].text == "DỰ THẢO"
    leader = sign_in("leader")
    _step(leader, "approve")
    office = sign_in("consolidator")  # one client: signing in as the leader signed it out
    _step(office, "send", number="12/BC-UBND", date="2023-04-05")
    from parstat.province.models import SentPackage

    assert SentPackage.objects.filter(report__unit__code="ST").count() == 1  # sent = stored
    response = office.get(url)
    assert response.status_code == 200
    final = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in final.paragraphs) + "\n".join(
        cell.text for table in final.tables for row in table.rows for cell in row.cells)
    assert final.sections[0].first_page_header.paragraphs[0].text == ""
    heading = [p.text for cell in final.tables[0].rows[0].cells for p in cell.paragraphs]
    assert heading == ["ỦY BAN NHÂN DÂN\nTỈNH SÓC TRĂNG", "———", "Số: 12/BC-UBND",
                       "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                       "—" * 12, "……, ngày 05 tháng 4 năm 2023"]
    assert "ngày 05 tháng 4 năm 2023" in text and "Tỉnh giao 40 nhiệm vụ." in text
    assert "Nguyễn Văn A" in text and "DỰ THẢO" not in text
    assert ("(Ban hành kèm theo Báo cáo số 12/BC-UBND ngày 05/04/2023 của Ủy ban nhân dân tỉnh "
            "Sóc Trăng)") in text
    assert office.get(f"{PAGE}van-ban.pdf?template=B1-SN-2023").content[:4] == b"%PDF"
    assert sign_in("outsider").get(url).status_code == 404


def test_it_delivers_the_sent_package_upward_when_configured_and_says_why_not(
        accepted, sign_in, settings, monkeypatch):
    from parstat.province import upward

    posted: list[tuple[str, str, int]] = []

    def receiver(data, *, url, token, filename, timeout=120.0):  # type: ignore[no-untyped-def]
        posted.append((url, token, len(data)))
        if len(posted) == 1:
            raise ParstatError("package.send_failed", url=url, reason="connection refused")
        return 200, {"status": "unchanged", "totals": 178, "blank": 3, "reports": 1}

    monkeypatch.setattr(upward, "post_package", receiver)
    settings.PARSTAT_UPWARD_URL, settings.PARSTAT_UPWARD_TOKEN = "http://bnv.test", "pst_x"
    _step(sign_in("consolidator"), "submit")
    _step(sign_in("leader"), "approve")
    office = sign_in("consolidator")
    sent = _step(office, "send", number="12/BC-UBND", date="2023-04-05")
    said = [str(m) for m in sent.wsgi_request._messages]
    assert "connection refused" in said[-1] and "Gửi lại lên hệ thống cấp trên" in said[-1]
    page = office.get(PAGE).content.decode()
    assert 'id="province-deliver"' in page and "Đã gửi lên cấp trên" in page
    again = office.post(f"{PAGE}chuyen-len/", {"template": "B1-SN-2023"})
    assert again.status_code == 302
    assert "đã có, không đổi" in [str(m) for m in again.wsgi_request._messages][-1]
    assert [(url, token) for url, token, _ in posted] == [("http://bnv.test", "pst_x")] * 2
    assert posted[0][2] == posted[1][2]  # the same stored package both times
    assert sign_in("viewer").post(f"{PAGE}chuyen-len/",
                                  {"template": "B1-SN-2023"}).status_code == 404
