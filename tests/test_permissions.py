"""Every role against every page: nobody reaches a report their roles do not cover, by any id."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from parstat.accounts.permissions import (
    Action,
    can,
    denied,
    may_in_some_state,
    reports_for_user,
)
from parstat.reporting.models import Report

pytestmark = pytest.mark.django_db

SEES_SEED = {"reporter", "approver", "consolidator", "viewer", "admin"}
# (url name, method, extra args after the report id, data)
REPORT_PAGES = [
    ("web:report_detail", "get", [], {}),
    ("web:download", "get", ["xlsx"], {}),
    ("web:download", "get", ["json"], {}),
    ("web:download", "get", ["docx"], {}),
    ("web:download", "get", ["pdf"], {}),
    ("web:upload", "get", [], {}),
    ("web:save_report", "post", [], {"v:I.1.b": "14"}),
    ("web:save_cell", "post", [], {"v:I.1.b": "14"}),
    ("web:upload_apply", "post", [], {"token": "0" * 32}),
    ("web:transition", "post", ["submit"], {"text": "x"}),
    ("web:transition", "post", ["accept"], {}),
    ("web:transition", "post", ["return"], {"text": "x"}),
    ("web:transition", "post", ["reopen"], {"text": "x"}),
]
CAN_EDIT = {"reporter", "approver"}
# What a page answers someone whose roles allow it: the form and its files are shown (200), a
# save redirects to the form (303; a cell answers its status, 200), an applied upload and a
# workflow step redirect (302; a refused step says why in the page's message).
ALLOWED_STATUS = {"web:upload": 200, "web:save_report": 303, "web:save_cell": 200,
                  "web:upload_apply": 302, "web:transition": 302}
EDITING = {"web:upload", "web:save_report", "web:upload_apply", "web:save_cell"}


def expected_status(persona: str, name: str) -> int:
    if persona not in SEES_SEED:
        return 404  # a report outside one's units must not be found
    if name in EDITING and persona not in CAN_EDIT:
        return 403
    return ALLOWED_STATUS.get(name, 200)


@pytest.mark.parametrize("persona", ["reporter", "approver", "consolidator", "viewer",
                                     "outsider", "admin"])
@pytest.mark.parametrize(("name", "method", "args", "data"), REPORT_PAGES)
def test_it_answers_each_role_on_each_report_page(sign_in, personas, seed_report, persona, name,
                                                  method, args, data):
    client = sign_in(persona)
    response = getattr(client, method)(reverse(name, args=[seed_report.pk, *args]), data)
    assert response.status_code == expected_status(persona, name)
    if name in EDITING and persona not in CAN_EDIT:
        assert _unchanged(seed_report)
    if name == "web:transition" and persona in SEES_SEED:
        step = Action(args[0])
        said = [str(m) for m in get_messages(response.wsgi_request)]
        refused_by_role = not may_in_some_state(personas[persona], step, seed_report.unit)
        assert (denied(step).localized in said) is refused_by_role


def _unchanged(report: Report) -> bool:
    return report.values.get(indicator__code="I.1.b").number == 13


@pytest.mark.parametrize("persona", ["consolidator", "viewer", "outsider", "admin"])
def test_it_never_lets_a_non_reporter_change_a_value(sign_in, seed_report, persona):
    client = sign_in(persona)
    for url in (reverse("web:save_cell", args=[seed_report.pk]),
                reverse("web:save_report", args=[seed_report.pk])):
        client.post(url, {"v:I.1.b": "99", "version": seed_report.version})
    assert _unchanged(seed_report)


@pytest.mark.parametrize("persona", ["reporter", "viewer", "outsider", "admin"])
def test_it_lets_only_approvers_submit_and_consolidators_accept(sign_in, seed_report, persona):
    client = sign_in(persona)
    client.post(reverse("web:transition", args=[seed_report.pk, "submit"]), {"text": "x"})
    seed_report.refresh_from_db()
    assert seed_report.state == "draft"


def test_it_lists_only_reports_of_ones_units(sign_in, seed_report, personas):
    from parstat.demo import load_demo

    load_demo(progress=False)
    demo = {f"DEMO-S{n:02d}" for n in range(1, 13)}
    for persona, expected in (("reporter", {"ST-SKHDT"}), ("consolidator", {"ST-SKHDT"}),
                              ("outsider", demo), ("successor", {"ST-SKHDT"})):
        page = sign_in(persona).get(reverse("web:report_list") + "?period=2023Q1")
        units = {r.unit.code for r in page.context["reports"]}
        assert units == expected, persona
    assert reports_for_user(personas["admin"]).filter(unit__code__startswith="DEMO").exists()


def test_it_hides_other_provinces_from_the_period_view(sign_in, seed_report):
    page = sign_in("outsider").get(reverse("web:period_detail", args=["2023Q1"]))
    assert "Sóc Trăng" not in page.content.decode()


def test_it_refuses_to_start_a_report_for_a_unit_not_ones_own(sign_in, personas):
    response = sign_in("consolidator").post(reverse("web:start_report",
                                                    args=["ST-SKHDT", "2024Q1"]))
    assert response.status_code == 404


def test_it_decides_actions_by_role_and_state(seed_report, personas):
    assert can(personas["reporter"], Action.EDIT, seed_report)
    assert not can(personas["reporter"], Action.SUBMIT, seed_report)
    assert can(personas["approver"], Action.SUBMIT, seed_report)
    assert not can(personas["consolidator"], Action.ACCEPT, seed_report)  # not yet submitted
    assert not can(personas["viewer"], Action.EDIT, seed_report)
    assert not can(personas["outsider"], Action.VIEW, seed_report)
    assert can(personas["admin"], Action.VIEW, seed_report)
    assert not can(None, Action.VIEW, seed_report)


PLAIN_PAGES = [("web:home", []), ("web:report_list", []), ("web:period_list", []),
               ("web:period_detail", ["2023Q1"]), ("web:tokens", [])]


@pytest.mark.parametrize(("name", "args"), PLAIN_PAGES)
def test_it_asks_anonymous_visitors_to_sign_in_everywhere(client, seed_report, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response["Location"].startswith(reverse("web:login"))


@pytest.mark.parametrize("persona", ["reporter", "approver", "consolidator", "viewer",
                                     "outsider", "admin"])
@pytest.mark.parametrize(("name", "args"), PLAIN_PAGES)
def test_it_opens_every_plain_page_for_every_role(sign_in, seed_report, persona, name, args):
    assert sign_in(persona).get(reverse(name, args=args)).status_code == 200


def test_it_gives_a_successor_the_history_of_the_units_merged_into_it(sign_in, seed_report,
                                                                      personas):
    # Sở KH&ĐT Sóc Trăng → Sở Tài chính Sóc Trăng → Sở Tài chính Cần Thơ (2025).
    assert can(personas["successor"], Action.VIEW, seed_report)
    assert sign_in("successor").get(reverse("web:report_detail",
                                            args=[seed_report.pk])).status_code == 200
    assert not can(personas["outsider"], Action.VIEW, seed_report)


@pytest.fixture
def submitted(seed_report):  # type: ignore[no-untyped-def]
    Report.objects.filter(pk=seed_report.pk).update(state="submitted")
    seed_report.refresh_from_db()
    return seed_report


def test_it_answers_a_change_to_a_submitted_report_409_on_the_page_and_in_the_api(
        sign_in, personas, submitted):
    """The domain's answer (report.locked: the report's state, not the person's roles) wins:
    the cell save answers 409 as the API does, where it used to answer 403."""
    from parstat.api.tokens import create_token

    page = sign_in("reporter").post(reverse("web:save_cell", args=[submitted.pk]),
                                    {"v:I.1.b": "14", "version": submitted.version})
    assert page.status_code == 409 and _unchanged(submitted)
    again = sign_in("reporter").post(reverse("web:save_cell", args=[submitted.pk]),
                                     {"v:I.1.b": "13", "version": submitted.version})
    assert again.status_code == 200  # re-sending what is stored is no change, so no refusal
    refused = sign_in("viewer").post(reverse("web:save_cell", args=[submitted.pk]),
                                     {"v:I.1.b": "14", "version": submitted.version})
    assert refused.status_code == 403  # the roles do not allow it, whatever the state
    token = create_token(personas["reporter"], name="tests")[1]
    api = sign_in("reporter").post(
        f"/api/v1/reports/{submitted.pk}/values", content_type="application/json",
        data={"version": submitted.version, "values": [{"indicator": "I.1.b", "value": "14"}]},
        headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 409 and api.json()["code"] == "report.locked"
    assert _unchanged(submitted)


def test_it_restricts_reports_and_units_by_action(seed_report, personas):
    from parstat.units.models import OrgUnit

    for persona, edits in (("reporter", True), ("approver", True), ("consolidator", False),
                           ("viewer", False), ("outsider", False), ("admin", False)):
        user = personas[persona]
        assert Report.objects.restrict(user, Action.EDIT).filter(pk=seed_report.pk).exists() \
            is edits, persona
        assert OrgUnit.objects.restrict(user, Action.EDIT).filter(
            pk=seed_report.unit_id).exists() is edits, persona
    consolidator = personas["consolidator"]
    assert not Report.objects.restrict(consolidator, Action.ACCEPT).filter(
        pk=seed_report.pk).exists()  # a draft is not for accepting
    Report.objects.filter(pk=seed_report.pk).update(state="submitted")
    assert Report.objects.restrict(consolidator, Action.ACCEPT).filter(pk=seed_report.pk).exists()
    assert not Report.objects.restrict(personas["reporter"], Action.EDIT).filter(
        pk=seed_report.pk).exists()
    assert may_in_some_state(personas["reporter"], Action.EDIT, seed_report.unit)
