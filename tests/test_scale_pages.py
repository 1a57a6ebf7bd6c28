"""Pages that do not grow with the units: the period page and completeness read states and
stored finding counts in a number of queries that does not depend on how many units report."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parstat.accounts.models import Membership, Role
from parstat.analytics.completeness import completeness
from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import Report
from parstat.reporting.periods import ensure_period
from parstat.reporting.workflow import do_submit_report
from tests.consolidation_data import ACTOR, file_report, unit


def _add_departments(template, province, start: int, stop: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(start, stop):
        department = unit(f"A-{n:03d}", parent=province)
        # I.1.b above I.1.a is a finding for every third unit: the counts differ between rows.
        done = 50 if n % 3 == 0 else 5
        report = file_report(template, department, "2024Q1", {"I.1.a": 10, "I.1.b": done})
        if n % 2 == 0 and not evaluate_report(report).errors:
            do_submit_report(report, acting_user=ACTOR, explanation="đã rà soát")


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.django_db
def test_it_reads_the_period_page_in_the_same_queries_for_10_and_100_units(template, client):
    province = unit("A", "province")
    user = get_user_model().objects.create_user("an", password="pw-an-12345")
    Membership.objects.create(user=user, unit=province, role=Role.CONSOLIDATOR)
    client.force_login(user)
    url = reverse("web:period_detail", args=["2024Q1"])
    _add_departments(template, province, 0, 10)
    ten = _queries(client, url)
    _add_departments(template, province, 10, 100)
    hundred = _queries(client, url)
    assert ten == hundred
    page = client.get(url)
    assert len(page.context["rows"]) == 100
    # The stored counts are what evaluating each report says.
    for row in page.context["rows"]:
        evaluation = evaluate_report(row.report)
        assert (row.errors, row.warnings) == (len(evaluation.errors), len(evaluation.warnings))
    assert any(row.errors or row.warnings for row in page.context["rows"])


@pytest.mark.django_db
def test_it_counts_completeness_in_the_same_queries_for_10_and_100_units(template):
    province = unit("A", "province")
    period = ensure_period("2024Q1")
    _add_departments(template, province, 0, 10)
    with CaptureQueriesContext(connection) as ten:
        assert completeness(province, period).total.expected == 10
    _add_departments(template, province, 10, 100)
    with CaptureQueriesContext(connection) as hundred:
        assert completeness(province, period).total.expected == 100
    assert len(ten.captured_queries) == len(hundred.captured_queries)


@pytest.mark.django_db
def test_it_stores_the_finding_counts_when_values_change(template):
    province = unit("A", "province")
    report = file_report(template, unit("A-1", parent=province), "2024Q1", {"I.1.a": 10})
    stored = Report.objects.get(pk=report.pk)
    evaluation = evaluate_report(stored)
    assert (stored.error_count, stored.warning_count) == (len(evaluation.errors),
                                                          len(evaluation.warnings))
    file_report(template, stored.unit, "2024Q1", {"I.1.b": 50})  # done above the plan
    again = Report.objects.get(pk=report.pk)
    assert again.error_count + again.warning_count > stored.error_count + stored.warning_count
    assert (again.error_count, again.warning_count) == (
        len(evaluate_report(again).errors), len(evaluate_report(again).warnings))


@pytest.mark.django_db
def test_it_lists_the_quality_findings_in_the_same_queries_for_10_and_100_units(template, client,
                                                                               monkeypatch):
    monkeypatch.setattr("parstat.analytics.views.FINDINGS_PER_PAGE", 1000)  # all on one page
    province = unit("A", "province")
    user = get_user_model().objects.create_user("an", password="pw-an-12345")
    Membership.objects.create(user=user, unit=province, role=Role.CONSOLIDATOR)
    client.force_login(user)
    url = reverse("analytics:quality") + "?unit=A&period=2024Q1"
    _add_departments(template, province, 0, 10)
    ten = _queries(client, url)
    _add_departments(template, province, 10, 100)
    hundred = _queries(client, url)
    assert ten == hundred
    # The stored findings are what evaluating each report says, in the same order.
    listed = client.get(url).context["finding_page"].object_list
    assert listed
    for report in Report.objects.filter(unit__parent=province):
        assert [f.finding for f in listed if f.report.pk == report.pk] == sorted(
            evaluate_report(report).findings, key=lambda f: (f.severity != "error", f.rule))


@pytest.mark.django_db
def test_it_pages_the_period_page_and_counts_every_unit(template, client, monkeypatch):
    monkeypatch.setattr("parstat.web.consolidation.PERIOD_PAGE_SIZE", 4)
    province = unit("A", "province")
    user = get_user_model().objects.create_user("an", password="pw-an-12345")
    Membership.objects.create(user=user, unit=province, role=Role.CONSOLIDATOR)
    client.force_login(user)
    _add_departments(template, province, 0, 10)
    url = reverse("web:period_detail", args=["2024Q1"])
    first, last = client.get(url), client.get(url + "?page=3")
    assert [r.unit.code for r in first.context["rows"]] == ["A-000", "A-001", "A-002", "A-003"]
    assert [r.unit.code for r in last.context["rows"]] == ["A-008", "A-009"]
    assert first.context["counts"]["expected"] == last.context["counts"]["expected"] == 10
    assert 'href="?page=2"' in first.content.decode()


@pytest.mark.django_db
def test_it_reads_the_consolidators_home_in_the_same_queries_for_10_and_100_units(template,
                                                                                  client):
    from datetime import date

    from parstat.web.queue import work_queue

    province = unit("A", "province")
    user = get_user_model().objects.create_user("an", password="pw-an-12345")
    Membership.objects.create(user=user, unit=province, role=Role.CONSOLIDATOR)
    client.force_login(user)
    _add_departments(template, province, 0, 10)
    ten = _queries(client, reverse("web:home"))
    _add_departments(template, province, 10, 100)
    hundred = _queries(client, reverse("web:home"))
    assert ten == hundred
    # The reports it flags are those whose own evaluation finds an error, with that count.
    day = date(2024, 3, 20)
    flagged = {f.report.pk: f.errors for f in work_queue(user, today=day).flagged}
    expected = {r.pk: len(evaluate_report(r).errors) for r in Report.objects.filter(
        unit__parent=province, state__in=["draft", "submitted"])}
    assert flagged == {pk: n for pk, n in expected.items() if n}
    assert flagged
