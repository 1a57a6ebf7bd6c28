"""Consolidation: each indicator adds up by its own rule; blank is never zero; live; successors."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from parstat.analytics.consolidation import consolidate, needs_every_input
from parstat.analytics.states import StateScope
from parstat.errors import ParstatError
from parstat.reporting.periods import ensure_period
from parstat.units.models import OrgUnit, UnitKind
from tests.consolidation_data import file_report, merged_department, province_a, province_b, unit

ALL = StateScope.ALL  # province A's reports are drafts: these tests count everything filed


@pytest.fixture
def province(template):  # type: ignore[no-untyped-def]
    return province_a(template)


def _q1():  # type: ignore[no-untyped-def]
    return ensure_period("2024Q1")


def test_it_sums_counts_over_the_units_that_gave_one(province):
    total = consolidate(province, _q1(), states=ALL).total("I.1.a")
    assert total.value == Decimal(100)
    assert total.units == 3


def test_it_keeps_a_total_blank_when_no_unit_gave_a_value(province):
    total = consolidate(province, _q1(), states=ALL).total("I.2.b")
    assert total.value is None
    assert total.units == 0


def test_it_keeps_zero_apart_from_blank(province):
    total = consolidate(province, _q1(), states=ALL).total("III.7.a")
    assert total.value == Decimal(0)
    assert total.units == 2


def test_it_counts_flags_as_units_answering_one_out_of_those_answering(province):
    total = consolidate(province, _q1(), states=ALL).total("I.5")
    assert (total.value, total.units) == (Decimal(1), 2)


def test_it_counts_units_per_choice_and_lists_every_printed_choice(province):
    total = consolidate(province, _q1(), states=ALL).total("I.7.b")
    assert [(c.label, c.units) for c in total.counts] == [
        ("Trực tuyến", 0), ("Phát phiếu", 1), ("Kết hợp", 2)]
    assert total.units == 3


def test_it_recomputes_a_rate_from_the_units_that_gave_both_inputs(province):
    # A-S3 gave the plan (50) but no tasks done: it must not dilute the rate.
    total = consolidate(province, _q1(), states=ALL).total("I.1")
    assert total.value == Decimal("46.0")  # (13 + 10) / (40 + 10) × 100
    assert total.units == 2


def test_it_adds_a_sum_formula_from_any_unit_that_gave_a_part(province):
    total = consolidate(province, _q1(), states=ALL).total("VI.3")
    assert (total.value, total.units) == (Decimal(3), 2)


def test_it_lists_text_answers_with_their_unit(province):
    total = consolidate(province, _q1(), states=ALL).total("I.9")
    assert [(t.unit_code, t.text) for t in total.listed] == [
        ("A-S1", "Số hóa hồ sơ"), ("A-S3", '=HYPERLINK("x")')]
    assert total.units == 2


def test_it_tells_a_rate_formula_from_a_sum_formula():
    assert needs_every_input("I.1.b / I.1.a * 100")
    assert not needs_every_input("sum(VI.3.a, VI.3.b)")


def test_it_shows_a_value_saved_a_moment_ago_in_the_next_total(province, template):
    assert consolidate(province, _q1(), states=ALL).total("I.2.b").value is None
    file_report(template, OrgUnit.objects.get(code="A-S2"), "2024Q1", {"I.2.b": 7})
    assert consolidate(province, _q1(), states=ALL).total("I.2.b").value == Decimal(7)


def test_it_gives_each_units_own_value_with_derived_rows(province):
    result = consolidate(province, _q1(), states=ALL, by_unit=True)
    assert result.by_unit is not None
    s1 = OrgUnit.objects.get(code="A-S1")
    assert result.by_unit[s1.pk]["I.1.a"] == Decimal(40)
    assert result.by_unit[s1.pk]["I.1"] == Decimal("32.5")
    assert "I.1.b" not in result.by_unit[OrgUnit.objects.get(code="A-S3").pk]


def test_it_leaves_out_units_the_user_may_not_see(province, template):
    province_b(template)
    s1 = OrgUnit.objects.get(code="A-S1")
    result = consolidate(province, _q1(), states=ALL, allowed={province.pk, s1.pk})
    assert result.total("I.1.a").value == Decimal(40)
    assert [u.code for u in result.reporting_units] == ["A-S1"]


def test_it_counts_a_merged_units_reports_under_its_successor_today(seed_report):
    can_tho = OrgUnit.objects.get(code="CT")
    # As filed, Cần Thơ's own departments sent nothing for 2023 Q1: an empty table that says so.
    as_filed = consolidate(can_tho, seed_report.period, states=ALL)
    assert (as_filed.total("I.1.a").value, as_filed.total("I.1.a").units) == (None, 0)
    assert as_filed.received == 0
    result = consolidate(can_tho, seed_report.period, states=ALL, today=True, by_unit=True)
    assert result.total("I.1.a").value == Decimal(40)
    assert result.successors[seed_report.unit.pk].code == "CT-STC"


def test_it_names_todays_unit_for_a_merged_column(province, template):
    merged_department(template, province)
    result = consolidate(province, _q1(), states=ALL, today=True, by_unit=True)
    old = OrgUnit.objects.get(code="A-OLD")
    assert result.successors[old.pk].code == "A-S1"
    assert result.total("I.1.a").value == Decimal(105)


def test_it_exports_totals_with_their_coverage_as_json(province, capsys):
    call_command("export_report", "--unit", "A", "--period", "2024Q1", "--format", "json",
                 "--consolidated", "--scope", "all")
    data = json.loads(capsys.readouterr().out)
    rows = {row["code"]: row for row in data["indicators"]}
    assert (rows["I.1.a"]["value"], rows["I.1.a"]["units"]) == (100, 3)
    assert (rows["I.2.b"]["value"], rows["I.2.b"]["units"]) == (None, 0)
    assert rows["I.7.b"]["value"] == {"0": 0, "1": 1, "2": 2}
    assert rows["I.1"]["value"] == 46
    assert "by_unit" not in rows["I.1.a"]
    assert (data["units_reporting"], data["units_in_scope"]) == (3, 5)
    assert (data["units_expected"], data["units_received"]) == (3, 0)  # A, A-SNV owe nothing
    assert data["scope"]["code"] == "all" and data["provisional"] is True


def test_it_exports_each_units_value_with_by_unit(province, capsys):
    call_command("export_report", "--unit", "A", "--period", "2024Q1", "--format", "json",
                 "--consolidated", "--by-unit", "--scope", "all")
    rows = {row["code"]: row for row in json.loads(capsys.readouterr().out)["indicators"]}
    assert rows["I.1.b"]["by_unit"] == {"A-S1": 13, "A-S2": 10, "A-S3": None}


def test_it_escapes_formula_looking_text_in_the_consolidated_csv(province, capsys):
    call_command("export_report", "--unit", "A", "--period", "2024Q1", "--format", "csv",
                 "--consolidated", "--by-unit", "--scope", "all")
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("I.9,"))
    assert line.endswith("""'=HYPERLINK(""x"")""") or "'=HYPERLINK" in line
    assert ',"=HYPERLINK' not in line and ",=HYPERLINK" not in line


def test_it_gives_the_same_totals_with_the_scope_bound_as_one_parameter(province, monkeypatch):
    before = consolidate(province, _q1(), states=ALL, by_unit=True)
    monkeypatch.setattr("parstat.ids.SMALL", 0)  # as for thousands of units
    after = consolidate(province, _q1(), states=ALL, by_unit=True)
    assert [(t.value, t.units) for t in after.totals] == [(t.value, t.units) for t in before.totals]
    assert after.by_unit == before.by_unit and after.reporting_units == before.reporting_units


def test_it_refuses_a_table_nobody_below_owes_nor_filed(template):
    # A province whose only unit is its home-affairs office (which consolidates, owes nothing).
    lone = unit("Z", UnitKind.PROVINCE)
    unit("Z-SNV", UnitKind.HOME_AFFAIRS, lone)
    with pytest.raises(ParstatError) as refused:
        consolidate(lone, ensure_period("2024Q1"), states=ALL)
    assert refused.value.code == "report.not_found"
