"""Completeness and timeliness follow each unit's life; reminders go to what is missing."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from parstat.accounts.models import Membership, Role
from parstat.analytics.completeness import completeness, expected_units
from parstat.analytics.reminders import reminders
from parstat.reporting.models import Report
from parstat.reporting.periods import ensure_period
from parstat.reporting.workflow import do_submit_report
from parstat.units.models import OrgUnit
from tests.consolidation_data import ACTOR, province_a, unit

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def province(template):  # type: ignore[no-untyped-def]
    """A-S1 submitted on time, A-S2 late, A-S3 still a draft; units that lived and died."""
    province = province_a(template)
    unit("A-CLOSED", parent=province, valid_to=date(2023, 12, 1))  # gone before the window
    unit("A-NEW", parent=province, valid_from=date(2024, 4, 1))  # opened after it
    unit("A-MERGED", parent=province, valid_to=date(2024, 2, 1),  # closed during the window
         contact="merged@a.example")
    for code, when in (("A-S1", datetime(2024, 3, 15, 9, tzinfo=HCM)),
                       ("A-S2", datetime(2024, 3, 25, 9, tzinfo=HCM))):
        report = Report.objects.get(unit__code=code, period__code="2024Q1")
        do_submit_report(report, acting_user=ACTOR, explanation="đã rà soát", at=when)
    return province


def test_it_expects_the_units_that_lived_in_the_window_and_have_a_template(province):
    codes = [u.code for u in expected_units(province, ensure_period("2024Q1"))]
    assert codes == ["A-MERGED", "A-S1", "A-S2", "A-S3"]  # not A-SNV: no template for its kind


def test_it_counts_received_on_time_late_and_missing(province):
    result = completeness(province, ensure_period("2024Q1"))
    t = result.total
    assert (t.expected, t.received, t.on_time, t.late, t.missing) == (4, 2, 1, 1, 2)
    assert t.rate == 50.0
    assert [r.unit.code for r in result.late] == ["A-S2"]


def test_it_lists_the_missing_with_their_contacts_and_drafts(province):
    missing = completeness(province, ensure_period("2024Q1")).missing
    assert [(m.unit.code, m.unit.contact, m.draft is not None) for m in missing] == [
        ("A-MERGED", "merged@a.example", False),
        ("A-S3", "Văn thư A-S3, 0299 3822 000", True)]


def test_it_tallies_per_kind_and_per_parent(province):
    result = completeness(province, ensure_period("2024Q1"))
    assert set(result.by_kind) == {"department"}
    assert result.by_parent["A"].expected == 4


def test_it_gives_no_rate_when_nothing_was_expected(template):
    lonely = unit("LONELY", kind="province")
    assert completeness(lonely, ensure_period("2024Q1")).total.rate is None


def test_it_reminds_only_missing_units_of_periods_near_their_deadline(province):
    found = reminders(date(2024, 3, 20), ahead=5, overdue=30, root=province)
    assert {(r.unit.code, r.period.code, r.overdue) for r in found} == {
        ("A-MERGED", "2024Q1", True), ("A-S3", "2024Q1", True)}
    assert reminders(date(2024, 1, 10), ahead=5, overdue=30, root=province) == []


def test_it_addresses_reporters_and_skips_contacts_that_are_not_email(province):
    reporter = get_user_model().objects.create_user("s3-reporter", email="bao.cao@s3.example")
    Membership.objects.create(user=reporter, unit=OrgUnit.objects.get(code="A-S3"),
                              role=Role.REPORTER)
    found = {r.unit.code: r.recipients for r in
             reminders(date(2024, 3, 20), root=province)}
    assert found == {"A-MERGED": ("merged@a.example",), "A-S3": ("bao.cao@s3.example",)}


def test_it_sends_reminders_through_djangos_mail(province, capsys, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("remind", "--today", "2024-03-20", "--unit", "A")
    assert [m.to for m in mail.outbox] == [["merged@a.example"]]
    assert "Quá hạn" in mail.outbox[0].subject
    out = capsys.readouterr().out
    assert "A-S3" in out and "KHÔNG CÓ ĐỊA CHỈ E-MAIL" in out


def test_it_sends_nothing_on_a_dry_run(province, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("remind", "--today", "2024-03-20", "--unit", "A", "--dry-run")
    assert mail.outbox == []


def test_it_defaults_mail_to_the_console(monkeypatch):
    import importlib

    from parstat import settings as project_settings

    monkeypatch.delenv("PARSTAT_EMAIL_BACKEND", raising=False)
    reloaded = importlib.reload(project_settings)
    assert reloaded.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_it_does_not_remind_a_unit_that_has_since_submitted(province, template):
    report = Report.objects.get(unit__code="A-S3", period__code="2024Q1")
    do_submit_report(report, acting_user=ACTOR, explanation="x",
                     at=datetime(2024, 3, 21, tzinfo=HCM))
    assert {r.unit.code for r in reminders(date(2024, 3, 22), root=province)} == {"A-MERGED"}
