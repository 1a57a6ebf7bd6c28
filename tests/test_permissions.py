"""Every role against every page: nobody reaches a report their roles do not cover, by any id."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parstat.accounts.permissions import Action, can, reports_for_user
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


@pytest.mark.parametrize("persona", ["reporter", "approver", "consolidator", "viewer",
                                     "outsider", "admin"])
@pytest.mark.parametrize(("name", "method", "args", "data"), REPORT_PAGES)
def test_it_answers_each_role_on_each_report_page(sign_in, seed_report, persona, name, method,
                                                  args, data):
    client = sign_in(persona)
    response = getattr(client, method)(reverse(name, args=[seed_report.pk, *args]), data)
    if persona not in SEES_SEED:
        assert response.status_code == 404, "a report outside one's units must not be found"
        return
    editing = name in ("web:upload", "web:save_report", "web:upload_apply", "web:save_cell")
    if editing and persona not in CAN_EDIT:
        assert response.status_code in (403, 302, 422) and _unchanged(seed_report)
    else:
        assert response.status_code in (200, 302, 303, 422, 409)


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
