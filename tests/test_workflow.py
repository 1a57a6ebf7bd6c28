"""Draft → submitted → accepted, or returned with a reason; locks, lateness, audit."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from parstat.errors import ParstatError
from parstat.reporting.actions import CellUpdate, do_set_values
from parstat.reporting.models import ReportEvent
from parstat.reporting.values import CellValue
from parstat.reporting.workflow import (
    do_accept_report,
    do_reopen_report,
    do_return_report,
    do_submit_report,
    is_late,
)

pytestmark = pytest.mark.django_db


def _set(report, code: str, number: int, actor, **kwargs):
    indicator = report.template.indicators.get(code=code)
    return do_set_values(report, [CellUpdate(indicator, CellValue(number=Decimal(number)))],
                         acting_user=actor, **kwargs)


@pytest.fixture
def clean_report(seed_report, system):  # type: ignore[no-untyped-def]
    """The seed with its two errors corrected: fees ≤ in force, parts ≤ whole."""
    _set(seed_report, "VII.5.f", 100, system)
    _set(seed_report, "III.4.c.2", 0, system)
    return seed_report


def test_it_refuses_to_submit_while_an_error_stands(seed_report, system):
    with pytest.raises(ParstatError) as refused:
        do_submit_report(seed_report, acting_user=system, explanation="x")
    assert refused.value.code == "workflow.has_errors" and "R08" in refused.value.message


def test_it_asks_for_an_explanation_of_warnings(clean_report, system):
    with pytest.raises(ParstatError) as refused:
        do_submit_report(clean_report, acting_user=system)
    assert refused.value.code == "workflow.explain_warnings" and "R26" in refused.value.message
    report = do_submit_report(clean_report, acting_user=system,
                              explanation="Mục VII chỉ tính TTHC trực tuyến").report
    assert report.state == "submitted" and report.submitted_at is not None
    event = ReportEvent.objects.filter(report=report).latest("id")
    assert event.detail["explanation"] == "Mục VII chỉ tính TTHC trực tuyến"
    assert event.detail["warnings"] == ["R26"]


def test_it_records_a_late_submission(clean_report, system):
    report = do_submit_report(clean_report, acting_user=system, explanation="ok").report
    assert report.period.deadline == date(2023, 3, 16)
    assert report.submitted_late is True  # submitted today, years after the 2023 deadline
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    assert not is_late(report, datetime(2023, 3, 16, 23, 30, tzinfo=hanoi))
    assert is_late(report, datetime(2023, 3, 17, 0, 5, tzinfo=hanoi))


def test_it_locks_values_once_submitted_and_accepted(clean_report, system, alice_at_form):
    report = do_submit_report(clean_report, acting_user=system, explanation="ok").report
    with pytest.raises(ParstatError) as refused:
        _set(report, "I.1.a", 41, alice_at_form)
    assert refused.value.code == "report.locked"
    report = do_accept_report(report, acting_user=system).report
    assert report.is_locked
    with pytest.raises(ParstatError):
        _set(report, "I.1.a", 41, alice_at_form)
    assert _set(report, "I.1.a", 40, alice_at_form).unchanged == 1  # re-sending is no change


def test_it_returns_with_a_reason_to_draft(clean_report, system):
    report = do_submit_report(clean_report, acting_user=system, explanation="ok").report
    with pytest.raises(ParstatError) as refused:
        do_return_report(report, reason="  ", acting_user=system)
    assert refused.value.code == "workflow.reason_required"
    report = do_return_report(report, reason="Kiểm tra lại mục III", acting_user=system).report
    assert report.state == "draft"
    event = ReportEvent.objects.filter(report=report).latest("id")
    assert (event.action, event.old_state, event.new_state) == ("returned", "submitted", "draft")
    assert event.detail == {"reason": "Kiểm tra lại mục III"}


def test_it_reopens_an_accepted_report_with_a_reason(clean_report, system):
    report = do_accept_report(do_submit_report(clean_report, acting_user=system,
                                               explanation="ok").report, acting_user=system).report
    report = do_reopen_report(report, reason="Sai số liệu biên chế", acting_user=system).report
    assert report.state == "draft" and report.accepted_at is None
    _set(report, "IV.2.b", 34, system)


def test_it_refuses_transitions_from_the_wrong_state(seed_report, system):
    for transition in (do_accept_report,):
        with pytest.raises(ParstatError) as refused:
            transition(seed_report, acting_user=system)
        assert refused.value.code == "workflow.bad_state"
    with pytest.raises(ParstatError):
        do_reopen_report(seed_report, reason="x", acting_user=system)


def test_it_refuses_a_stale_write_and_says_what_changed(seed_report, system, alice_at_form):
    seen = seed_report.version
    _set(seed_report, "I.1.a", 41, alice_at_form)
    with pytest.raises(ParstatError) as refused:
        _set(seed_report, "I.1.a", 42, system, expected_version=seen)  # the cell alice changed
    assert refused.value.code == "report.stale"
    assert "alice" in refused.value.message and "I.1.a: «40» → «41»" in refused.value.message
    assert seed_report.values.get(indicator__code="I.1.a").number == 41


def test_it_bumps_the_version_on_every_transition(clean_report, system):
    before = clean_report.version
    report = do_submit_report(clean_report, acting_user=system, explanation="ok").report
    assert report.version == before + 1


def test_it_returns_the_typed_event_each_step_wrote(clean_report, system):
    from parstat.reporting.models import EventAction
    from parstat.reporting.workflow import Step, do_transition

    submitted = do_submit_report(clean_report, acting_user=system, explanation="ok")
    assert submitted == ReportEvent.objects.filter(report=clean_report).latest("id")
    assert (submitted.action, submitted.old_state, submitted.new_state) == (
        EventAction.SUBMITTED, "draft", "submitted")
    assert submitted.report is clean_report and clean_report.state == "submitted"
    returned = do_transition(clean_report, Step.RETURN, acting_user=system, text="Sai mục III",
                             expected_version=clean_report.version)
    assert returned.action == EventAction.RETURNED and returned.get_action_display() == "Trả lại"
    assert returned.detail == {"reason": "Sai mục III"} and clean_report.state == "draft"
    assert list(ReportEvent.objects.filter(report=clean_report).values_list("action", flat=True)
                .order_by("id"))[-2:] == ["submitted", "returned"]
