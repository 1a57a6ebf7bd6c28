"""Organisation units: the real Sóc Trăng → Cần Thơ structure, validity dates, successors."""

from __future__ import annotations

from datetime import date

import pytest

from parstat.units.models import OrgUnit, UnitKind
from parstat.units.registry import SEED_UNIT_CODE, ensure_real_units


@pytest.fixture
def units(db) -> dict[str, OrgUnit]:
    ensure_real_units()
    return {unit.code: unit for unit in OrgUnit.objects.all()}


def test_it_creates_every_real_unit(units) -> None:
    assert set(units) == {"CT", "CT-SNV", "CT-STC", "ST", "ST-SNV", "ST-STC", "ST-SKHDT", "HG"}


def test_it_puts_the_departments_of_soc_trang_under_the_province(units) -> None:
    assert {u.code for u in units["ST"].children.all()} == {"ST-SNV", "ST-STC", "ST-SKHDT"}
    assert units["ST-SNV"].kind == UnitKind.HOME_AFFAIRS


def test_it_links_soc_trang_and_hau_giang_to_can_tho(units) -> None:
    assert units["ST"].successor == units["CT"]
    assert units["HG"].successor == units["CT"]
    assert units["ST"].valid_to == date(2025, 6, 30)


def test_it_creates_nothing_more_when_run_twice(units) -> None:
    ensure_real_units()
    assert OrgUnit.objects.count() == len(units)


def test_it_follows_the_seed_unit_through_the_department_of_finance(units) -> None:
    seed_unit = units[SEED_UNIT_CODE]
    assert seed_unit.successor.code == "ST-STC"
    assert seed_unit.current_successor().code == "CT-STC"


def test_it_returns_a_unit_without_successor_itself(units) -> None:
    assert units["CT"].current_successor() == units["CT"]


def test_it_counts_the_day_of_valid_to_as_valid(units) -> None:
    assert units[SEED_UNIT_CODE].is_valid_on(date(2025, 2, 16))


def test_it_counts_the_day_after_valid_to_as_not_valid(units) -> None:
    assert not units[SEED_UNIT_CODE].is_valid_on(date(2025, 2, 17))


def test_it_treats_a_unit_without_dates_as_always_valid(units) -> None:
    assert units["CT"].is_valid_on(date(1990, 1, 1))


def test_it_respects_valid_from(db) -> None:
    unit = OrgUnit.objects.create(code="X", name="X", kind=UnitKind.COMMUNE,
                                  valid_from=date(2025, 7, 1))
    assert not unit.is_valid_on(date(2025, 6, 30))
    assert unit.is_valid_on(date(2025, 7, 1))


def test_it_filters_units_valid_on_the_last_day(units) -> None:
    codes = set(OrgUnit.objects.valid_on(date(2025, 2, 16)).values_list("code", flat=True))
    assert SEED_UNIT_CODE in codes


def test_it_filters_out_units_closed_the_day_before(units) -> None:
    codes = set(OrgUnit.objects.valid_on(date(2025, 7, 1)).values_list("code", flat=True))
    assert codes == {"CT", "CT-SNV", "CT-STC"}


def test_it_stops_on_a_successor_cycle(db) -> None:
    a = OrgUnit.objects.create(code="A", name="A", kind=UnitKind.DEPARTMENT)
    b = OrgUnit.objects.create(code="B", name="B", kind=UnitKind.DEPARTMENT, successor=a)
    a.successor = b
    a.save()
    assert a.current_successor() in (a, b)
