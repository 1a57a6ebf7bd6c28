"""A consolidated table that does not grow with the units: its totals, counts and coverage come
in a number of queries that does not depend on how many units report, and the units and the
list rows' texts are read only when they are listed."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parstat.analytics.consolidation import consolidate
from parstat.analytics.expected import (
    counted_states,
    expected_unit_ids,
    owed_families,
    received_count,
)
from parstat.analytics.scope import units_in_scope
from parstat.analytics.states import StateScope
from parstat.catalog.models import Template, UnitTemplate
from parstat.reporting.models import Report
from parstat.reporting.periods import ensure_period
from parstat.reporting.workflow import do_submit_report
from parstat.units.models import OrgUnit
from tests.consolidation_data import ACTOR, file_report, sign_in_consolidator, unit


def _add_departments(template, province, start: int, stop: int) -> None:  # type: ignore[no-untyped-def]
    for n in range(start, stop):
        department = unit(f"A-{n:03d}", parent=province)
        report = file_report(template, department, "2024Q1",
                             {"I.1.a": 10, "I.1.b": 5, "I.5": n % 2, "I.9": f"Việc số {n:03d}"})
        if n % 2 == 0:
            do_submit_report(report, acting_user=ACTOR, explanation="đã rà soát")


def _consolidated(province, period):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        result = consolidate(province, period, states=StateScope.SUBMITTED)
    return result, len(captured.captured_queries)


@pytest.mark.django_db
def test_it_consolidates_in_the_same_queries_for_10_and_100_units(template):
    province = unit("A", "province")
    period = ensure_period("2024Q1")
    _add_departments(template, province, 0, 10)
    ten, ten_queries = _consolidated(province, period)
    _add_departments(template, province, 10, 100)
    hundred, hundred_queries = _consolidated(province, period)
    assert ten_queries == hundred_queries
    assert (ten.reporting, ten.left_out_count, ten.expected, ten.received) == (5, 5, 10, 5)
    assert (hundred.reporting, hundred.left_out_count, hundred.expected,
            hundred.received) == (50, 50, 100, 50)
    assert hundred.total("I.1.a").value == 500 and hundred.total("I.1.a").units == 50
    # The units and the texts, read when asked, are those the counts speak of.
    assert [u.code for u in hundred.reporting_units] == [f"A-{n:03d}" for n in range(0, 100, 2)]
    assert [(o.unit.code, o.state) for o in hundred.left_out][:2] == [("A-001", "draft"),
                                                                     ("A-003", "draft")]
    listed = hundred.total("I.9")
    assert listed.units == 50 == len(listed.listed)
    assert [t.unit_code for t in listed.first_listed(3)] == ["A-000", "A-002", "A-004"]
    assert listed.first_listed(3) == listed.listed[:3]


@pytest.mark.django_db
def test_the_page_shows_the_first_texts_of_a_list_row_and_how_many_more(template, client,
                                                                       monkeypatch):
    monkeypatch.setattr("parstat.analytics.views.LISTED_ON_PAGE", 3)
    province = unit("A", "province")
    sign_in_consolidator(client, province)
    _add_departments(template, province, 0, 10)
    page = client.get(reverse("analytics:consolidated") + "?unit=A&period=2024Q1&scope=submitted")
    assert page.status_code == 200
    html = page.content.decode()
    assert "A-000: Việc số 000" in html and "A-004: Việc số 004" in html
    assert "A-006: Việc số 006" not in html
    assert "… và 2 đơn vị khác" in html
    # The five drafts left out: three named, then how many more.
    assert "để ngoài 5 báo cáo vì trạng thái" in html
    assert 'A-005</span>' in html and 'A-007</span>' not in html
    assert "và 2 báo cáo khác" in html
    # The download has every text.
    download = client.get(reverse("analytics:download")
                          + "?unit=A&period=2024Q1&scope=submitted&format=csv&consolidated=1")
    assert download.status_code == 200
    assert "A-008: Việc số 008" in download.content.decode()


@pytest.mark.django_db
def test_its_coverage_follows_the_report_that_counts_on_the_newest_edition(template):
    """A unit with reports on two editions: the newest counts (draft), so it is not received,
    whichever way it is counted."""
    province = unit("A", "province")
    period = ensure_period("2024Q1")
    _add_departments(template, province, 0, 4)
    newer = Template.objects.create(
        code="B1-SN-2099", name=template.name, family=template.family,
        edition=template.edition + 1, unit_kinds=template.unit_kinds)
    Report.objects.create(unit=Report.objects.get(unit__code="A-000").unit, template=newer,
                          period=period)
    scope = units_in_scope(province)
    states = counted_states(scope, period)
    received = sum(1 for _, state, _ in states.values() if state in StateScope.SUBMITTED.states)
    assert (owed_families(scope, period)[template.family], received_count(scope, period, template)
            ) == (len(expected_unit_ids(scope, period, template)), received) == (4, 1)


@pytest.mark.django_db
def test_it_counts_the_units_that_owe_a_table_as_the_expected_list_does(template):
    """By kind, less the units with overrides, plus the overrides of the family: the same units
    :func:`expected_unit_ids` lists, whatever the overrides say."""
    province = unit("A", "province")
    period = ensure_period("2024Q1")
    _add_departments(template, province, 0, 3)
    elsewhere = unit("A-X", parent=province)  # a department that files another table only
    UnitTemplate.objects.create(unit=elsewhere, family="B2-XA")
    commune = unit("A-C", "commune", parent=province)  # a commune that files this one too
    UnitTemplate.objects.create(unit=commune, family=template.family)
    unit("A-OLD", parent=province, valid_to=date(2023, 11, 30))  # closed before its window
    scope = units_in_scope(province)
    listed = set(expected_unit_ids(scope, period, template))
    assert owed_families(scope, period)[template.family] == len(listed) == 4
    assert elsewhere.pk not in listed and commune.pk in listed


@pytest.mark.django_db
def test_a_scope_of_the_whole_registry_filters_nothing_and_counts_the_same(template):
    country = unit("VN", "home_affairs")
    province = unit("A", "province", parent=country)
    other = unit("B", "province", parent=country)
    period = ensure_period("2024Q1")
    _add_departments(template, province, 0, 6)
    _add_departments(template, other, 6, 8)
    national = units_in_scope(country)
    assert national.covers_all and len(national) == 11  # the country, 2 provinces, 8 departments
    assert not units_in_scope(province).covers_all
    # A cut by what the person may see is no longer the whole registry.
    assert not units_in_scope(country, allowed=national - {other.pk}).covers_all
    whole = consolidate(country, period, states=StateScope.ALL)
    unit("C", "province")  # a unit outside the country's tree: the country no longer covers all
    assert not units_in_scope(country).covers_all
    # The same table whether the scope is bound as ids (with a unit outside the country in the
    # registry) or filters nothing (once it is gone).
    bound = consolidate(country, period, states=StateScope.ALL)
    OrgUnit.objects.filter(code="C").delete()
    assert units_in_scope(country).covers_all
    again = consolidate(country, period, states=StateScope.ALL)
    assert again.totals == bound.totals == whole.totals
    assert (again.reporting, again.expected, again.received, again.left_out_count) == (
        whole.reporting, whole.expected, whole.received, whole.left_out_count) == (8, 8, 4, 0)
    assert again.total("I.1.a").value == 80 and again.total("I.1.a").units == 8
    submitted = consolidate(country, period, states=StateScope.SUBMITTED)
    assert [u.code for u in submitted.reporting_units] == ["A-000", "A-002", "A-004", "A-006"]
    assert [o.unit.code for o in submitted.left_out] == ["A-001", "A-003", "A-005", "A-007"]


@pytest.mark.django_db
def test_postgresql_reads_the_stored_parts_in_one_statement(template):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite adds the parts up in Python (its decimals would be floats in SQL)")
    province = unit("A", "province")
    _add_departments(template, province, 0, 4)
    with CaptureQueriesContext(connection) as captured:
        result = consolidate(province, ensure_period("2024Q1"), states=StateScope.ALL)
    reading = [q["sql"] for q in captured.captured_queries if '"reporting_totalpart"' in q["sql"]]
    assert len(reading) == 1 and reading[0].startswith("WITH p AS MATERIALIZED")
    # A count of ones (I.5, a flag: 1 for A-001 and A-003) comes from the parts' JSON counts,
    # read in the same statement.
    assert result.total("I.5").value == 2 and result.total("I.1.a").value == 40
