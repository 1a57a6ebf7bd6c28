"""Series, ranking, change from the same period a year before, outliers, findings and pivots."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parstat.analytics.outliers import outliers, robust_z
from parstat.analytics.pivot import pivot_by_period, pivot_by_unit
from parstat.analytics.quality import findings_below
from parstat.analytics.series import previous_period, ranking, same_kind_periods, series
from parstat.analytics.states import StateScope
from parstat.catalog.models import Indicator
from parstat.reporting.periods import ensure_period
from parstat.units.models import OrgUnit
from tests.consolidation_data import file_report, province_a, unit

ALL = StateScope.ALL  # the reports here are drafts: count everything filed


@pytest.fixture
def province(template):  # type: ignore[no-untyped-def]
    province = province_a(template)
    s1 = OrgUnit.objects.get(code="A-S1")
    file_report(template, s1, "2023Q1", {"I.1.a": 20, "I.1.b": 10})
    file_report(template, OrgUnit.objects.get(code="A-S2"), "2023Q1", {"I.1.a": 10})
    return province


def _indicator(template, code):  # type: ignore[no-untyped-def]
    return Indicator.objects.get(template=template, code=code)


def test_it_follows_an_indicator_over_the_same_kind_of_period(province, template):
    ensure_period("2024S1")  # a six-month period overlaps quarter I: not in the series
    points = series(province, _indicator(template, "I.1.a"), same_kind_periods(
        ensure_period("2024Q1")), states=ALL)
    assert [(p.period.code, p.total.value, p.total.units) for p in points] == [
        ("2023Q1", Decimal(30), 2), ("2024Q1", Decimal(100), 3)]


def test_it_keeps_a_gap_in_a_series_where_nothing_was_reported(province, template):
    points = series(province, _indicator(template, "I.2.b"), [ensure_period("2023Q1")], states=ALL)
    assert points[0].total.value is None


def test_it_compares_with_the_same_period_a_year_before(db):
    last_year, this_year = ensure_period("2023Q1"), ensure_period("2024Q1")
    ensure_period("2023Q3")
    assert previous_period(this_year) == last_year
    assert previous_period(ensure_period("2024S1")) is None  # no 2023S1: nothing to compare


def test_it_ranks_units_and_lists_blanks_last_without_a_rank(province, template):
    ranked = ranking(province, _indicator(template, "I.1.b"), ensure_period("2024Q1"),
                     states=ALL)
    assert [(r.rank, r.unit.code, r.value) for r in ranked] == [
        (1, "A-S1", Decimal(13)), (2, "A-S2", Decimal(10)), (None, "A-S3", None)]
    s1 = ranked[0]
    assert (s1.previous, s1.change, s1.change_percent) == (Decimal(10), Decimal(3), Decimal("30.0"))
    assert ranked[1].change is None  # A-S2 did not report I.1.b a year before


def test_it_scores_with_median_and_mad():
    assert robust_z(10, [1, 2, 3, 4, 5]) == pytest.approx(0.6745 * 7 / 1)
    assert robust_z(5, [5, 5, 5, 5]) is None
    assert robust_z(9, [5, 5, 5, 6]) == pytest.approx(4 / (1.253314 * 0.25))


def test_it_flags_a_value_far_from_its_peers(template):
    province = unit("P", "province")
    for n, value in enumerate((20, 22, 19, 21, 23, 20, 400)):
        file_report(template, unit(f"P-S{n}", parent=province), "2024Q1", {"III.7.a": value})
    found = outliers(province, ensure_period("2024Q1"), states=ALL)
    assert [(o.unit.code, o.indicator.code, o.basis) for o in found] == [
        ("P-S6", "III.7.a", "peers")]
    assert found[0].z > 3.5 and found[0].compared == 6


def test_it_flags_a_value_far_from_the_units_own_history(template):
    province = unit("H", "province")
    department = unit("H-S1", parent=province)
    for year, value in zip(range(2019, 2025), (50, 52, 49, 51, 50, 5), strict=True):
        file_report(template, department, f"{year}Q1", {"III.7.a": value})
    found = outliers(province, ensure_period("2024Q1"), states=ALL)
    assert [(o.unit.code, o.basis, o.compared) for o in found] == [("H-S1", "history", 5)]


def test_it_does_not_call_a_value_an_outlier_on_too_little_history(template):
    province = unit("H", "province")
    department = unit("H-S1", parent=province)
    for year, value in ((2022, 50), (2023, 50), (2024, 5000)):
        file_report(template, department, f"{year}Q1", {"III.7.a": value})
    assert outliers(province, ensure_period("2024Q1"), states=ALL) == []


def test_it_gathers_the_findings_of_every_report_below(province, template):
    file_report(template, OrgUnit.objects.get(code="A-S2"), "2024Q1", {"I.1.b": 11})
    found = findings_below(province, ensure_period("2024Q1"))
    assert ("A-S2", "R01") in {(f.report.unit.code, f.finding.rule) for f in found}
    assert found[0].finding.severity == "error"


def test_it_pivots_indicators_by_unit_within_a_section(province, template):
    table = pivot_by_unit(province, ensure_period("2024Q1"), template, states=ALL, section="I")
    assert table.columns == ["A-S1", "A-S2", "A-S3"]
    assert table.row(_indicator(template, "I.1.a")) == [Decimal(40), Decimal(10), Decimal(50)]
    assert table.row(_indicator(template, "I.1")) == [Decimal("32.5"), Decimal(100), None]
    assert {i.section.numeral for i in table.indicators} == {"I"}


def test_it_pivots_by_unit_kind(province, template):
    table = pivot_by_unit(province, ensure_period("2024Q1"), template, states=ALL,
                          unit_kind="commune")
    assert table.columns == []


def test_it_pivots_totals_over_periods(province, template):
    periods = [ensure_period("2023Q1"), ensure_period("2024Q1")]
    table = pivot_by_period(province, periods, template, states=ALL, section="I")
    assert table.row(_indicator(template, "I.1.a")) == [Decimal(30), Decimal(100)]
    assert table.row(_indicator(template, "I.2.b")) == [None, None]
