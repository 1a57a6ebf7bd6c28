"""Editions of a table: the mapping to the previous edition, checked when it loads; which
edition a unit fills for a period; rows that follow or break across editions; errata."""

from __future__ import annotations

import copy
import hashlib
from datetime import date
from typing import Any

import pytest

from parstat.analytics.consolidation import pick_template
from parstat.analytics.expected import expected_unit_ids, kinds_with_template
from parstat.analytics.scope import units_in_scope
from parstat.catalog.demo_editions import communes_2025, departments_2025, load_demo_editions
from parstat.catalog.editions import counterpart, editions_in_force, template_for, templates_for
from parstat.catalog.loader import load_template_data
from parstat.catalog.models import Indicator, Template, TemplateChange, UnitTemplate
from parstat.errors import ParstatError
from parstat.reporting.actions import do_create_report
from parstat.reporting.models import Period
from parstat.units.models import OrgUnit, UnitKind

pytestmark = pytest.mark.django_db


def _load(data: dict[str, Any]) -> Template:
    digest = hashlib.sha256(repr(sorted(data.items())).encode()).hexdigest()
    return load_template_data(data, digest, name=data["code"])[0]


def _refusal(data: dict[str, Any]) -> str:
    with pytest.raises(ParstatError) as refused:
        _load(data)
    assert refused.value.code == "template.invalid"
    return refused.value.message


def test_the_demo_edition_maps_every_row_of_the_previous_one(template):
    load_demo_editions()
    mapping = {i.code: (i.mapping, i.mapped_from, i.breaks_series) for i in
               Indicator.objects.filter(template__code="B1-SN-2025")}
    assert mapping["I.1.a"] == ("same", ["I.1.a"], False)
    assert mapping["I.1.c"] == ("renamed", ["I.1.c"], False)
    assert mapping["I.7.a"] == mapping["I.7.d"] == ("split", ["I.7.a"], True)
    assert mapping["II.1.a"] == ("merged", ["II.1.a", "II.1.b"], True)
    assert mapping["I.10"] == ("new", [], False)
    assert "I.9" not in mapping and "II.1.b" not in mapping


def test_it_refuses_an_edition_that_forgets_a_row_of_the_previous_one(template):
    data = departments_2025()
    data["dropped"] = []
    assert "I.9" in _refusal(data) and "dropped" in _refusal(data)


def test_it_refuses_a_row_continued_twice_by_a_merger(template):
    data = departments_2025()
    for section in data["sections"]:
        for item in section["indicators"]:
            if item["code"] == "I.1.b":
                item["from"] = ["I.1.a", "I.1.b"]  # I.1.a is also continued by I.1.a itself
    assert "I.1.a" in _refusal(data)


def test_it_refuses_a_row_both_dropped_and_continued(template):
    data = departments_2025()
    data["dropped"] = ["I.9", "I.1.a"]
    assert "I.1.a" in _refusal(data)


def test_it_refuses_a_mapping_to_a_row_the_previous_edition_lacks(template):
    data = departments_2025()
    data["sections"][0]["indicators"][0]["from"] = "I.99"
    assert "I.99" in _refusal(data)


def test_it_refuses_a_previous_edition_not_loaded_or_of_another_table(template):
    data = departments_2025()
    data["previous"] = "B1-SN-2019"
    assert "B1-SN-2019" in _refusal(data)
    data = departments_2025()
    data["family"] = "B9"
    assert "B9" in _refusal(data)


def test_a_renamed_row_continues_and_a_split_or_merged_one_breaks_the_series(template):
    load_demo_editions()
    new = {i.code: i for i in Indicator.objects.filter(template__code="B1-SN-2025")}
    old = Template.objects.get(code="B1-SN-2023")
    assert counterpart(new["I.1.c"], old).indicator == Indicator.objects.get(
        template=old, code="I.1.c")
    assert counterpart(new["I.7.d"], old).reason == "split"
    assert counterpart(new["II.1.a"], old).reason == "merged"
    assert counterpart(new["I.10"], old).reason == "new"


def _period(code: str, end: date) -> Period:
    return Period.objects.create(code=code, year=end.year, kind="Q3", start=end, end=end,
                                 deadline=end)


def test_a_unit_fills_the_edition_in_force_for_the_period(template, units):
    load_demo_editions()
    department = OrgUnit.objects.get(code="CT-STC")
    before = _period("2025Q1", date(2025, 3, 14))
    after = _period("2025Q3", date(2025, 9, 14))
    assert template_for(department, before).code == "B1-SN-2023"
    assert template_for(department, after).code == "B1-SN-2025"
    commune = OrgUnit.objects.create(code="CT-X01", name="Phường Một", kind=UnitKind.COMMUNE)
    assert template_for(commune, after).code == "B2-XA-2025"
    province = OrgUnit.objects.get(code="CT")
    assert template_for(province, after) is None


def test_an_edition_with_no_day_is_the_oldest_on_every_database(template, units):
    # PostgreSQL sorts a NULL day last: the 2023 edition without a day must not win in 2025.
    load_demo_editions()
    Template.objects.filter(code="B1-SN-2023").update(applies_from=None)
    after = _period("2025Q3", date(2025, 9, 14))
    assert template_for(OrgUnit.objects.get(code="CT-STC"), after).code == "B1-SN-2025"
    assert [t.code for t in editions_in_force(after.end)] == ["B1-SN-2025", "B2-XA-2025"]
    before = _period("2025Q1", date(2025, 3, 14))
    assert [t.code for t in editions_in_force(before.end)] == ["B1-SN-2023", "B2-XA-2025"]


def test_it_says_on_the_period_page_which_edition_each_table_uses(template, units, sign_in):
    load_demo_editions()
    _period("2025Q3", date(2025, 9, 14))
    page = sign_in("consolidator").get("/periods/2025Q3/")
    assert page.status_code == 200
    line = page.content.decode().split('id="period-editions"')[1].split("</p>")[0]
    assert "<b>B1-SN-2025</b> (Sở, ngành)" in line
    assert "<b>B2-XA-2025</b>" in line and "minh họa" in line
    assert "B1-SN-2023" not in line


def test_a_unit_override_names_exactly_the_tables_it_fills(template, units):
    load_demo_editions()
    unit = OrgUnit.objects.get(code="CT-STC")
    UnitTemplate.objects.create(unit=unit, family="B2-XA")
    period = _period("2025Q3", date(2025, 9, 14))
    assert [t.code for t in templates_for(unit, period)] == ["B2-XA-2025"]


def test_a_row_for_some_unit_kinds_only(template):
    load_demo_editions()
    row = Indicator.objects.get(template__code="B2-XA-2025", code="I.2.b")
    assert row.applies_to(UnitKind.DISTRICT) and not row.applies_to(UnitKind.COMMUNE)
    assert Indicator.objects.get(template__code="B2-XA-2025", code="I.2.a").applies_to(
        UnitKind.COMMUNE)


def test_an_edition_with_reports_takes_an_erratum_of_wording_only(template, units, system):
    data = copy.deepcopy(communes_2025())
    edition = _load(data)
    do_create_report(OrgUnit.objects.get(code="CT-STC"), edition,
                     _period("2025Q3", date(2025, 9, 14)), acting_user=system)
    data["sections"][0]["indicators"][1]["label"] = "Số nhiệm vụ đề ra trong kế hoạch năm"
    _load(data)
    erratum = TemplateChange.objects.get(template=edition)
    assert erratum.detail == {"I.1.a": {"label": ["Số nhiệm vụ đề ra trong kế hoạch",
                                                  "Số nhiệm vụ đề ra trong kế hoạch năm"]}}
    data["sections"][0]["indicators"][1]["kind"] = "percent"
    with pytest.raises(ParstatError) as refused:
        _load(data)
    assert refused.value.code == "template.edition_in_use" and "I.1.a" in refused.value.message
    assert Indicator.objects.get(template=edition, code="I.1.a").kind == "count"


def test_a_series_follows_a_renamed_row_and_breaks_at_a_split_one(template, units, system):
    from parstat.analytics.series import series
    from parstat.analytics.states import StateScope
    from parstat.reporting.actions import CellUpdate, do_set_values
    from parstat.reporting.periods import periods_of_year
    from parstat.reporting.values import parse_cell

    load_demo_editions()
    periods_of_year(2024)
    periods_of_year(2025)
    unit = OrgUnit.objects.get(code="CT-STC")
    old_q3, new_q3 = Period.objects.get(code="2024Q3"), Period.objects.get(code="2025Q3")
    for period, number in ((old_q3, "4"), (new_q3, "7")):
        edition = template_for(unit, period)
        report = do_create_report(unit, edition, period, acting_user=system).report
        rows = {i.code: i for i in Indicator.objects.filter(template=edition,
                                                              code__in=["I.1.c", "I.7.a"])}
        do_set_values(report, [CellUpdate(r, parse_cell(r, number)) for r in rows.values()],
                      acting_user=system)
    renamed = Indicator.objects.get(template__code="B1-SN-2025", code="I.1.c")
    points = series(OrgUnit.objects.get(code="CT"), renamed, [old_q3, new_q3],
                    states=StateScope.ALL, today=True)
    assert [(p.indicator.template.code, p.total.value) for p in points] == [
        ("B1-SN-2023", 4), ("B1-SN-2025", 7)]
    split = Indicator.objects.get(template__code="B1-SN-2025", code="I.7.a")
    points = series(OrgUnit.objects.get(code="CT"), split, [old_q3, new_q3],
                    states=StateScope.ALL, today=True)
    assert [(p.total, p.broken) for p in points][0] == (None, "split")
    assert points[1].total.value == 7
    old_row = Indicator.objects.get(template__code="B1-SN-2023", code="I.1.c")
    assert [p.total.value for p in series(OrgUnit.objects.get(code="CT"), old_row,
                                          [old_q3, new_q3], states=StateScope.ALL,
                                          today=True)] == [4, 7]


def test_a_pivot_over_periods_follows_a_renamed_row_and_shows_a_split_as_a_break(
        template, units, system, sign_in):
    from parstat.analytics.pivot import pivot_by_period
    from parstat.analytics.states import StateScope
    from parstat.reporting.actions import CellUpdate, do_set_values
    from parstat.reporting.periods import periods_of_year
    from parstat.reporting.values import parse_cell

    load_demo_editions()
    periods_of_year(2024)
    periods_of_year(2025)
    unit = OrgUnit.objects.get(code="CT-STC")
    old_q3, new_q3 = Period.objects.get(code="2024Q3"), Period.objects.get(code="2025Q3")
    for period, number in ((old_q3, "4"), (new_q3, "7")):
        edition = template_for(unit, period)
        report = do_create_report(unit, edition, period, acting_user=system).report
        rows = Indicator.objects.filter(template=edition, code__in=["I.1.c", "I.7.a", "I.10"])
        do_set_values(report, [CellUpdate(r, parse_cell(r, number)) for r in rows],
                      acting_user=system)
    new = Template.objects.get(code="B1-SN-2025")
    pivot = pivot_by_period(OrgUnit.objects.get(code="CT"), [old_q3, new_q3], new,
                            states=StateScope.ALL)
    rows = {i.code: i for i in pivot.indicators}
    assert pivot.row(rows["I.1.c"]) == [4, 7]  # renamed: one series across the editions
    assert pivot.row(rows["I.7.a"]) == [None, 7]  # split: the 2023 number is not joined ...
    assert pivot.breaks[("I.7.a", "2024Q3")] == "split"  # ... and the break says why
    assert pivot.shown(rows["I.7.a"])[0] == "‖ tách thành nhiều chỉ tiêu"
    assert pivot.breaks[("I.10", "2024Q3")] == "new"
    assert ("I.1.c", "2024Q3") not in pivot.breaks
    old = pivot_by_period(OrgUnit.objects.get(code="CT"), [old_q3, new_q3],
                          Template.objects.get(code="B1-SN-2023"), states=StateScope.ALL)
    old_rows = {i.code: i for i in old.indicators}
    assert old.row(old_rows["I.1.c"]) == [4, 7]
    assert old.breaks[("I.9", "2025Q3")] == "dropped"
    page = sign_in("successor").get("/analytics/bang-xoay/", {
        "unit": "CT", "period": "2025Q3", "by": "periods", "scope": "all"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "‖ tách thành nhiều chỉ tiêu" in html and "‖ chỉ tiêu mới" in html


def test_a_row_for_districts_takes_no_value_from_a_commune(template, units, system, sign_in):
    from django.urls import reverse

    from parstat.reporting.actions import CellUpdate, do_set_values
    from parstat.reporting.values import parse_cell

    load_demo_editions()
    commune = OrgUnit.objects.create(code="CT-X01", name="Phường Một", kind=UnitKind.COMMUNE,
                                     parent=OrgUnit.objects.get(code="CT"))
    period = _period("2025Q3", date(2025, 9, 14))
    report = do_create_report(commune, template_for(commune, period), period,
                              acting_user=system).report
    district_only = Indicator.objects.get(template=report.template, code="I.2.b")
    with pytest.raises(ParstatError) as refused:
        do_set_values(report, [CellUpdate(district_only, parse_cell(district_only, "3"))],
                      acting_user=system)
    assert refused.value.code == "value.not_applicable"
    do_set_values(report, [CellUpdate(district_only, None, note="xã không có đơn vị trực thuộc")],
                  acting_user=system)  # a note alone is fine
    page = sign_in("admin").get(reverse("web:report_detail", args=[report.pk])).content.decode()
    row = page.split('id="row-I_2_b"')[1].split("</tr>")[0]
    assert "không áp dụng" in row and 'name="v:I.2.b"' not in row


def test_it_expects_a_commune_with_an_override_on_the_overridden_table_only(template, units):
    load_demo_editions()
    commune = OrgUnit.objects.create(code="CT-X01", name="Phường Một", kind=UnitKind.COMMUNE)
    UnitTemplate.objects.create(unit=commune, family="B1-SN")
    period = _period("2025Q3", date(2025, 9, 14))
    departments = Template.objects.get(code="B1-SN-2025")
    communes = Template.objects.get(code="B2-XA-2025")
    assert expected_unit_ids([commune.pk], period, departments) == [commune.pk]
    assert expected_unit_ids([commune.pk], period, communes) == []
    assert expected_unit_ids([commune.pk], period) == [commune.pk]


def test_it_expects_nothing_of_a_unit_whose_kind_has_no_table(template, units):
    load_demo_editions()
    province = OrgUnit.objects.get(code="CT")
    period = _period("2025Q3", date(2025, 9, 14))
    assert province.kind not in kinds_with_template()
    assert expected_unit_ids([province.pk], period) == []


def test_the_consolidation_picks_the_edition_in_force_for_the_period(template, units, system):
    load_demo_editions()
    province = OrgUnit.objects.get(code="CT")
    scope = units_in_scope(province)
    before = _period("2025Q1", date(2025, 3, 14))
    after = _period("2025Q3", date(2025, 9, 14))
    department = OrgUnit.objects.get(code="CT-STC")
    for period in (before, after):  # filed on the newer edition both times: it does not decide
        do_create_report(department, Template.objects.get(code="B1-SN-2025"), period,
                         acting_user=system)
    assert pick_template(province, before, scope).code == "B1-SN-2023"
    assert pick_template(province, after, scope).code == "B1-SN-2025"


def test_a_row_that_does_not_apply_to_a_commune_counts_apart_in_the_totals(template, units,
                                                                            system, sign_in):
    from django.urls import reverse

    from parstat.analytics.consolidation import consolidate
    from parstat.analytics.states import StateScope
    from parstat.exports.consolidated import consolidated_table
    from parstat.reporting.actions import CellUpdate, do_set_values
    from parstat.reporting.values import parse_cell

    load_demo_editions()
    province = OrgUnit.objects.get(code="CT")
    period = _period("2025Q3", date(2025, 9, 14))
    edition = Template.objects.get(code="B2-XA-2025")
    rows = {i.code: i for i in Indicator.objects.filter(template=edition, code__in=["I.2.a",
                                                                                   "I.2.b"])}
    district = OrgUnit.objects.create(code="CT-H01", name="CT-H01", kind=UnitKind.DISTRICT,
                                      parent=province)
    commune = OrgUnit.objects.create(code="CT-X01", name="CT-X01", kind=UnitKind.COMMUNE,
                                     parent=district)
    for unit, cells in ((commune, {"I.2.a": "2"}), (district, {"I.2.a": "5", "I.2.b": "3"})):
        report = do_create_report(unit, edition, period, acting_user=system).report
        do_set_values(report, [CellUpdate(rows[c], parse_cell(rows[c], v)) for c, v in cells.items()],
                      acting_user=system)
    result = consolidate(district, period, states=StateScope.ALL)
    assert result.template == edition
    assert (result.total("I.2.b").units, result.total("I.2.b").not_applicable) == (1, 1)
    assert (result.total("I.2.a").units, result.total("I.2.a").not_applicable) == (2, 0)
    table = {row.code: row for row in consolidated_table(result).rows()}
    assert (table["I.2.b"].units, table["I.2.b"].not_applicable) == (1, 1)
    page = sign_in("admin").get(reverse("analytics:consolidated") + "?unit=CT-H01&period=2025Q3"
                                "&scope=all").content.decode()
    assert page.count("1 không áp dụng") == 1


def test_a_ranking_follows_a_renamed_row_back_and_names_a_split_one(template, units, system):
    from parstat.analytics.series import ranking
    from parstat.analytics.states import StateScope
    from parstat.reporting.actions import CellUpdate, do_set_values
    from parstat.reporting.periods import periods_of_year
    from parstat.reporting.values import parse_cell

    load_demo_editions()
    periods_of_year(2024)
    periods_of_year(2025)
    unit, province = OrgUnit.objects.get(code="CT-STC"), OrgUnit.objects.get(code="CT")
    old_q3, new_q3 = Period.objects.get(code="2024Q3"), Period.objects.get(code="2025Q3")
    for period, number in ((old_q3, "4"), (new_q3, "7")):
        edition = template_for(unit, period)
        report = do_create_report(unit, edition, period, acting_user=system).report
        rows = Indicator.objects.filter(template=edition, code__in=["I.1.c", "I.7.a"])
        do_set_values(report, [CellUpdate(r, parse_cell(r, number)) for r in rows],
                      acting_user=system)
    renamed = Indicator.objects.get(template__code="B1-SN-2025", code="I.1.c")
    [ranked] = [r for r in ranking(province, renamed, new_q3, states=StateScope.ALL)
                if r.unit == unit]
    assert (ranked.value, ranked.previous, ranked.change, ranked.previous_break) == (7, 4, 3, "")
    old_row = Indicator.objects.get(template__code="B1-SN-2023", code="I.1.c")
    [ranked] = [r for r in ranking(province, old_row, new_q3, states=StateScope.ALL)
                if r.unit == unit]  # the 2023 row, ranked in a period filed on the 2025 edition
    assert (ranked.value, ranked.previous) == (7, 4)
    split = Indicator.objects.get(template__code="B1-SN-2025", code="I.7.a")
    [ranked] = [r for r in ranking(province, split, new_q3, states=StateScope.ALL)
                if r.unit == unit]
    assert (ranked.value, ranked.previous, ranked.change, ranked.previous_break) == (
        7, None, None, "split")  # not 7 against the 4 of the row it was split from


def test_outliers_take_history_across_a_renamed_row_but_not_across_a_split_one(template, units,
                                                                              system):
    from parstat.analytics.outliers import MIN_HISTORY, outliers
    from parstat.analytics.states import StateScope
    from parstat.reporting.actions import CellUpdate, do_set_values
    from parstat.reporting.periods import periods_of_year
    from parstat.reporting.values import parse_cell

    load_demo_editions()
    years = list(range(2025 - MIN_HISTORY - 1, 2026))
    for year in years:
        periods_of_year(year)
    unit = OrgUnit.objects.get(code="CT-STC")
    for year in years:  # a steady 4 on the old edition, then 400 on the new one
        period = Period.objects.get(code=f"{year}Q3")
        edition = template_for(unit, period)
        report = do_create_report(unit, edition, period, acting_user=system).report
        number = "400" if year == 2025 else str(4 + year % 2)
        rows = Indicator.objects.filter(template=edition, code__in=["I.1.c", "I.7.a"])
        do_set_values(report, [CellUpdate(r, parse_cell(r, number)) for r in rows],
                      acting_user=system)
    assert template_for(unit, Period.objects.get(code="2025Q3")).code == "B1-SN-2025"
    found = outliers(OrgUnit.objects.get(code="CT"), Period.objects.get(code="2025Q3"),
                     states=StateScope.ALL)
    flagged = {(o.indicator.code, o.basis) for o in found if o.unit == unit}
    assert ("I.1.c", "history") in flagged  # renamed: its 2023-edition history counts
    assert ("I.7.a", "history") not in flagged  # split: no history to compare with
