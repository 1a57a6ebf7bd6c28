"""Pages that do not grow with the units: the period page and completeness read states and
stored finding counts in a number of queries that does not depend on how many units report."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parstat.analytics.completeness import completeness
from parstat.catalog.models import Indicator
from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import Report
from parstat.reporting.periods import ensure_period
from parstat.reporting.workflow import do_submit_report
from tests.consolidation_data import ACTOR, file_report, sign_in_consolidator, unit


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
    sign_in_consolidator(client, province)
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
    sign_in_consolidator(client, province)
    url = reverse("analytics:quality") + "?unit=A&period=2024Q1&scope=all"
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
    sign_in_consolidator(client, province)
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
    user = sign_in_consolidator(client, province)
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


def _quality_client(client):  # type: ignore[no-untyped-def]
    province = unit("A", "province")
    sign_in_consolidator(client, province)
    return province


def _forget_findings(**which: object) -> None:
    """As for reports filed before findings were stored with them (the columns came later)."""
    Report.objects.filter(**which).update(findings=None, error_count=None, warning_count=None)


@pytest.mark.django_db
def test_it_lists_unstored_findings_in_the_same_queries_for_10_and_100_units(template, client):
    province = _quality_client(client)
    url = reverse("analytics:quality") + "?unit=A&period=2024Q1&scope=all"
    _add_departments(template, province, 0, 10)
    _forget_findings()
    ten = _queries(client, url)
    _add_departments(template, province, 10, 100)
    _forget_findings()
    hundred = _queries(client, url)
    assert ten == hundred
    page = client.get(url)
    assert page.context["finding_count"] == sum(
        len(evaluate_report(r).findings) for r in Report.objects.filter(unit__parent=province))


def _add_mixed(template, province, stop: int) -> None:  # type: ignore[no-untyped-def]
    """Departments with errors (section I) and warnings (section III) in differing numbers."""
    for n in range(stop):
        values = {"I.1.a": 10, "I.1.b": 50 if n % 3 == 0 else 5, "III.5.a": 4,
                  "III.5.b": 9 if n % 4 == 0 else 1, "III.7.a": 3,
                  "III.7.b": 8 if n % 5 == 0 else 2}
        file_report(template, unit(f"A-{n:03d}", parent=province), "2024Q1", values)


def _listed(client, url: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """Every finding of every page of the list, in order: (unit, severity, rule)."""
    out, number = [], 1
    while True:
        page = client.get(f"{url}&fpage={number}")
        assert page.status_code == 200
        found = page.context["finding_page"]
        out += [(f.report.unit.code, f.finding.severity, f.finding.rule) for f in found]
        if not found.has_next():
            return out
        number += 1


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "&severity=warning", "&severity=error", "&section=I",
                                   "&section=III", "&of=A-000", "&of=A-012&severity=warning"])
def test_it_pages_the_findings_in_the_order_of_the_whole_list(template, client, monkeypatch,
                                                             query):
    monkeypatch.setattr("parstat.analytics.views.FINDINGS_PER_PAGE", 7)
    province = _quality_client(client)
    _add_mixed(template, province, 30)
    _forget_findings(unit__code__in=["A-003", "A-004", "A-012"])  # some evaluated on the way
    url = reverse("analytics:quality") + "?unit=A&period=2024Q1&scope=all" + query
    wanted = dict(part.split("=") for part in query.split("&") if part)
    codes = set(Indicator.objects.filter(template=template, section__numeral=wanted["section"])
                .values_list("code", flat=True)) if "section" in wanted else None
    expected = sorted(
        ((r.unit.code, f.severity, f.rule) for r in Report.objects.filter(unit__parent=province)
         for f in evaluate_report(r).findings
         if wanted.get("severity", f.severity) == f.severity
         and wanted.get("of", r.unit.code) == r.unit.code
         and (codes is None or set(f.codes) & codes)),
        key=lambda t: (t[1] != "error", t[0], t[2]))
    listed = _listed(client, url)
    assert listed == expected
    assert client.get(url).context["finding_count"] == len(expected)
    if not query:
        assert {s for _u, s, _r in listed} == {"error", "warning"}


@pytest.mark.django_db
def test_it_reads_the_findings_of_the_page_shown_only(template, client, monkeypatch):
    monkeypatch.setattr("parstat.analytics.views.FINDINGS_PER_PAGE", 3)
    province = _quality_client(client)
    _add_departments(template, province, 0, 30)
    # The last unit's stored findings are unreadable: a page that does not show them must not
    # read them (a page that read every report's findings would fail here).
    last = Report.objects.filter(unit__parent=province, error_count__gt=0).order_by(
        "-unit__code").first()
    assert last is not None
    Report.objects.filter(pk=last.pk).update(findings=[{"unreadable": True}])
    page = client.get(reverse("analytics:quality") + "?unit=A&period=2024Q1&scope=all&fpage=1")
    assert page.status_code == 200
    assert len(page.context["finding_page"].object_list) == 3
    assert last.unit.code not in {f.report.unit.code for f in page.context["finding_page"]}
