"""The approval levels above the provincial office, as configuration: none (the office's
submission is the approval), one (the province's approver, the default) and two (a review,
then the approval), each level's step audited, and the setting checked at start-up."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.utils import translation

from parstat.errors import ParstatError
from parstat.province.levels import approval_levels, check_approval_levels
from parstat.province.models import ProvinceReport, ProvinceState
from parstat.province.snapshot import in_force
from parstat.province.workflow import (
    ProvinceStep,
    do_open_province_report,
    do_province_step,
    state_label,
    steps_for,
)
from parstat.reporting.actions import Actor, CellUpdate, do_set_values
from parstat.reporting.models import Source
from parstat.reporting.values import CellValue
from parstat.reporting.workflow import Step, do_transition
from parstat.units.models import OrgUnit

pytestmark = pytest.mark.django_db

REVIEW = {"code": "review", "role": "viewer", "label_vi": "Phó Chủ tịch phụ trách xem xét",
          "label_en": "the vice-chairman in charge"}
CHAIR = {"code": "chair", "role": "approver", "label_vi": "Chủ tịch UBND tỉnh duyệt",
         "label_en": "the chairman"}
TWO_LEVELS = [REVIEW, CHAIR]


def _actor(user) -> Actor:  # type: ignore[no-untyped-def]
    return Actor(user=user, source=Source.FORM, origin="127.0.0.1")


@pytest.fixture
def province(seed_report, system, personas):  # type: ignore[no-untyped-def]
    """The province's report over the seed report, corrected and accepted."""
    for code, number in (("VII.5.f", 100), ("III.4.c.2", 0)):
        indicator = seed_report.template.indicators.get(code=code)
        do_set_values(seed_report, [CellUpdate(indicator, CellValue(number=Decimal(number)))],
                      acting_user=system)
    do_transition(seed_report, Step.SUBMIT, acting_user=system, text="Đã kiểm tra")
    do_transition(seed_report, Step.ACCEPT, acting_user=system)
    return do_open_province_report(OrgUnit.objects.get(code="ST"), seed_report.period,
                                   seed_report.template,
                                   acting_user=_actor(personas["consolidator"]))


def _refused(province, step, user, **kwargs) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ParstatError) as refused:
        do_province_step(province, step, acting_user=_actor(user), **kwargs)
    return refused.value.code


def _trail(province) -> list[tuple[str, str, str, str, str, str]]:  # type: ignore[no-untyped-def]
    return list(province.events.order_by("id").values_list(
        "action", "old_state", "new_state", "old_level", "new_level", "actor"))


@override_settings(PARSTAT_PROVINCE_APPROVAL_LEVELS=[])
def test_it_takes_the_offices_submission_as_the_approval_with_no_level(province, personas):
    office, leader = personas["consolidator"], personas["leader"]
    assert approval_levels() == ()
    assert steps_for(leader, province) == []
    event = do_province_step(province, ProvinceStep.SUBMIT, acting_user=_actor(office))
    province.refresh_from_db()
    assert (province.state, province.level) == (ProvinceState.APPROVED, "")
    snapshot = in_force(province)
    assert snapshot is not None and event.detail == {"snapshot": snapshot.pk}
    assert snapshot.actor == "consolidator" and snapshot.totals.exists()
    assert _trail(province)[1:] == [
        ("submit_final", "draft", "approved", "", "", "consolidator")]
    assert _refused(province, ProvinceStep.APPROVE, leader) == "province.bad_state"
    assert steps_for(office, province) == [ProvinceStep.REOPEN, ProvinceStep.SEND]
    assert steps_for(leader, province) == []  # no level: the leader has no step at all


def test_it_waits_at_the_one_default_level_the_provinces_approver(province, personas):
    office, leader, viewer = (personas[n] for n in ("consolidator", "leader", "viewer"))
    assert [(level.code, level.role) for level in approval_levels()] == [("approve", "approver")]
    do_province_step(province, ProvinceStep.SUBMIT, acting_user=_actor(office))
    assert (province.state, province.level) == (ProvinceState.SUBMITTED, "approve")
    assert steps_for(viewer, province) == [] and steps_for(office, province) == []
    assert steps_for(leader, province) == [ProvinceStep.APPROVE, ProvinceStep.RETURN]
    do_province_step(province, ProvinceStep.APPROVE, acting_user=_actor(leader))
    assert (province.state, province.level) == (ProvinceState.APPROVED, "")
    assert _trail(province)[1:] == [
        ("submitted", "draft", "submitted", "", "approve", "consolidator"),
        ("approved", "submitted", "approved", "approve", "", "leader")]


@override_settings(PARSTAT_PROVINCE_APPROVAL_LEVELS=TWO_LEVELS)
def test_it_waits_at_each_of_two_levels_in_turn_and_returns_from_either(province, personas):
    office, leader, viewer = (personas[n] for n in ("consolidator", "leader", "viewer"))
    do_province_step(province, ProvinceStep.SUBMIT, acting_user=_actor(office))
    assert (province.state, province.level) == (ProvinceState.SUBMITTED, "review")
    # The chairman (level 2) cannot approve, nor return, at the vice-chairman's level.
    assert _refused(province, ProvinceStep.APPROVE, leader) == "permission.denied"
    assert _refused(province, ProvinceStep.RETURN, leader, reason="x") == "permission.denied"
    assert steps_for(leader, province) == []
    assert steps_for(viewer, province) == [ProvinceStep.APPROVE, ProvinceStep.RETURN]
    do_province_step(province, ProvinceStep.APPROVE, acting_user=_actor(viewer))
    assert (province.state, province.level) == (ProvinceState.SUBMITTED, "chair")
    assert in_force(province) is None  # not approved yet: nothing frozen
    assert _refused(province, ProvinceStep.APPROVE, viewer) == "permission.denied"
    assert _refused(province, ProvinceStep.RETURN, leader, reason=" ") == (
        "workflow.reason_required")
    do_province_step(province, ProvinceStep.RETURN, acting_user=_actor(leader),
                     reason="Bổ sung số liệu")
    assert (province.state, province.level) == (ProvinceState.DRAFT, "")
    do_province_step(province, ProvinceStep.SUBMIT, acting_user=_actor(office))
    do_province_step(province, ProvinceStep.RETURN, acting_user=_actor(viewer),
                     reason="Sai mục I")
    do_province_step(province, ProvinceStep.SUBMIT, acting_user=_actor(office))
    do_province_step(province, ProvinceStep.APPROVE, acting_user=_actor(viewer))
    do_province_step(province, ProvinceStep.APPROVE, acting_user=_actor(leader))
    province.refresh_from_db()
    assert (province.state, province.level, province.version) == (
        ProvinceState.APPROVED, "", 9)
    assert in_force(province).actor == "leader"
    assert _trail(province)[1:] == [
        ("submitted", "draft", "submitted", "", "review", "consolidator"),
        ("passed", "submitted", "submitted", "review", "chair", "viewer"),
        ("returned", "submitted", "draft", "chair", "", "leader"),
        ("submitted", "draft", "submitted", "", "review", "consolidator"),
        ("returned", "submitted", "draft", "review", "", "viewer"),
        ("submitted", "draft", "submitted", "", "review", "consolidator"),
        ("passed", "submitted", "submitted", "review", "chair", "viewer"),
        ("approved", "submitted", "approved", "chair", "", "leader")]
    assert [e.detail for e in province.events.filter(action="returned").order_by("id")] == [
        {"reason": "Bổ sung số liệu"}, {"reason": "Sai mục I"}]
    # Either level, and the office, may reopen the approved report.
    assert steps_for(viewer, province) == [ProvinceStep.REOPEN]
    assert steps_for(leader, province) == [ProvinceStep.REOPEN]


@override_settings(PARSTAT_PROVINCE_APPROVAL_LEVELS=[CHAIR])
def test_it_lets_the_office_take_back_a_report_waiting_at_a_level_no_longer_configured(
        province, personas):
    office, leader = personas["consolidator"], personas["leader"]
    ProvinceReport.objects.filter(pk=province.pk).update(state=ProvinceState.SUBMITTED,
                                                         level="review")
    province.refresh_from_db()
    assert steps_for(leader, province) == []
    assert steps_for(office, province) == [ProvinceStep.RETURN]
    do_province_step(province, ProvinceStep.RETURN, acting_user=_actor(office),
                     reason="Đổi cấp duyệt")
    assert (province.state, province.level) == (ProvinceState.DRAFT, "")


# The pages, per persona, with two levels.
PAGE = "/periods/2023Q1/bao-cao-tinh/ST/"


def _step(client, step: str, **data):  # type: ignore[no-untyped-def]
    return client.post(f"{PAGE}buoc/{step}/", {"template": "B1-SN-2023", **data})


@override_settings(PARSTAT_PROVINCE_APPROVAL_LEVELS=TWO_LEVELS)
def test_it_shows_each_level_its_step_on_the_page_and_the_home_list(province, sign_in):
    office = sign_in("consolidator")
    html = office.get(PAGE).content.decode()
    assert "Trình Phó Chủ tịch phụ trách xem xét" in html
    assert _step(office, "submit").status_code == 302
    html = office.get(PAGE).content.decode()
    assert "Chờ Phó Chủ tịch phụ trách xem xét" in html and 'id="step-approve"' not in html

    leader = sign_in("leader")
    page = leader.get(PAGE)
    assert page.status_code == 200 and 'id="step-approve"' not in page.content.decode()
    refused = _step(leader, "approve")
    assert refused.status_code == 302
    assert [m.level_tag for m in refused.wsgi_request._messages] == ["error"]
    assert ProvinceReport.objects.get(pk=province.pk).level == "review"

    viewer = sign_in("viewer")
    home = viewer.get("/").content.decode()
    assert 'id="province-reports"' in home and "Chờ Phó Chủ tịch phụ trách xem xét" in home
    html = viewer.get(PAGE).content.decode()
    assert 'id="step-approve"' in html and "Đồng ý, trình Chủ tịch UBND tỉnh duyệt" in html
    passed = _step(viewer, "approve")
    assert passed.status_code == 302
    assert [str(m) for m in passed.wsgi_request._messages] == [
        "Đã đồng ý và trình cấp duyệt tiếp theo."]

    leader = sign_in("leader")
    assert "Chờ Chủ tịch UBND tỉnh duyệt" in leader.get("/").content.decode()
    html = leader.get(PAGE).content.decode()
    assert 'id="step-approve"' in html and "Duyệt báo cáo của tỉnh" in html
    assert _step(leader, "approve").status_code == 302
    assert ProvinceReport.objects.get(pk=province.pk).state == ProvinceState.APPROVED
    assert sign_in("outsider").get(PAGE).status_code == 404
    assert _step(sign_in("reporter"), "approve").status_code == 404


@override_settings(PARSTAT_PROVINCE_APPROVAL_LEVELS=[])
def test_it_offers_the_office_to_settle_the_report_itself_with_no_level(province, sign_in):
    office = sign_in("consolidator")
    assert "Chốt báo cáo của tỉnh (không qua cấp duyệt)" in office.get(PAGE).content.decode()
    done = _step(office, "submit")
    assert done.status_code == 302
    assert "không qua cấp duyệt" in [str(m) for m in done.wsgi_request._messages][-1]
    html = office.get(PAGE).content.decode()
    # No leader approved it: the page says the office settled it, as the setting has it.
    assert 'id="province-state">Đã chốt (không qua cấp duyệt)</span>' in html
    assert "Lãnh đạo tỉnh đã duyệt" not in html and 'id="province-matches"' in html
    home = office.get("/").content.decode()
    assert "Đã chốt (không qua cấp duyệt)" in home and "Lãnh đạo tỉnh đã duyệt" not in home


@pytest.mark.parametrize(("levels", "unopened", "approved"), [
    ([], "Chưa chốt báo cáo của tỉnh", "Đã chốt (không qua cấp duyệt)"),
    (None, "Chưa trình lãnh đạo tỉnh", "Lãnh đạo tỉnh đã duyệt"),  # the default: one level
    (TWO_LEVELS, "Chưa trình lãnh đạo tỉnh", "Lãnh đạo tỉnh đã duyệt")],
    ids=["no-level", "default", "two-levels"])
def test_it_words_the_provinces_state_after_the_approval_levels(province, levels, unopened,
                                                                approved):
    from django.conf import settings

    chosen = settings.PARSTAT_PROVINCE_APPROVAL_LEVELS if levels is None else levels
    with override_settings(PARSTAT_PROVINCE_APPROVAL_LEVELS=chosen), translation.override("vi"):
        assert state_label(None) == unopened
        assert state_label(province) == "Đang soạn"
        province.state = ProvinceState.APPROVED
        assert state_label(province) == approved


# The setting checked by Django's system check.
@pytest.mark.parametrize(("levels", "ids"), [
    ([], []),
    (TWO_LEVELS, []),
    ([{**REVIEW, "role": "chairman"}], ["province.E002"]),
    ([REVIEW, {**CHAIR, "code": "review"}], ["province.E003"]),
    ("[not json", ["province.E001"]),
    ([{"code": "review", "role": "viewer"}], ["province.E001"]),
])
def test_it_checks_the_approval_levels_setting(levels, ids):
    with override_settings(PARSTAT_PROVINCE_APPROVAL_LEVELS=levels):
        found = check_approval_levels()
        assert [error.id for error in found] == ids
        if ids:
            with pytest.raises(ImproperlyConfigured):
                approval_levels()


def test_it_names_the_unknown_role_and_the_repeated_code_plainly():
    with override_settings(PARSTAT_PROVINCE_APPROVAL_LEVELS=[
            REVIEW, {**CHAIR, "code": "review", "role": "chairman"}]):
        messages = [error.msg for error in check_approval_levels()]
    assert messages == [
        "PARSTAT_PROVINCE_APPROVAL_LEVELS level 2: code 'review' is used by an earlier level; "
        "each level needs its own code",
        "PARSTAT_PROVINCE_APPROVAL_LEVELS level 2: unknown role 'chairman' (roles: reporter, "
        "approver, consolidator, viewer)"]
