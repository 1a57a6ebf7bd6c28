"""The live totals (parstat.analytics.totals) always equal the plain scan of the values.

A property test drives random sequences of what deadline day brings, through the actions the
application uses: values written and cleared (do_set_values), reports submitted, accepted,
returned and reopened (the workflow), units merged (do_merge_units) and moved to another parent
(a registry file, import_units). After every sequence, every consolidation of every root, as
filed and in today's structure, in every scope of states, equals the scan, and a rebuild finds
nothing to correct. Runs on PostgreSQL when DATABASE_URL names one.
"""

from __future__ import annotations

import importlib
import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parstat.analytics.consolidation import consolidate
from parstat.analytics.states import StateScope
from parstat.analytics.totals import rebuild_totals, recount
from parstat.catalog.models import Aggregation, Indicator
from parstat.errors import ParstatError
from parstat.reporting.actions import CellUpdate, do_set_values, get_or_create_report
from parstat.reporting.models import Report, TotalPart
from parstat.reporting.periods import ensure_period
from parstat.reporting.values import CellValue
from parstat.reporting.workflow import (
    do_accept_report,
    do_reopen_report,
    do_return_report,
    do_submit_report,
)
from parstat.units.bulk import do_merge_units, import_units
from parstat.units.models import OrgUnit
from tests.consolidation_data import ACTOR, file_report, province_a, unit

UNITS = ["P-1", "P-2", "P-3", "Q-1", "Q-2"]
ROOTS = ["P", "Q", "P-1", "Q-1", "TOP"]
NUMBER_CODES = ["I.1.a", "I.1.b", "I.5", "I.7.c"]  # sum, formula input, count_ones, none (%)

# Large whole numbers too: a few of them add up past the 15 digits one value holds.
number = st.none() | st.integers(min_value=0, max_value=10**6) | st.decimals(
    min_value=0, max_value=100, places=1) | st.integers(min_value=10**14, max_value=10**15 - 1)
operation = st.one_of(
    st.tuples(st.just("set"), st.sampled_from(UNITS), st.sampled_from(NUMBER_CODES), number),
    st.tuples(st.just("choice"), st.sampled_from(UNITS), st.none() | st.integers(0, 3)),
    st.tuples(st.just("text"), st.sampled_from(UNITS), st.none() | st.sampled_from(["a", "b"])),
    st.tuples(st.sampled_from(["submit", "accept", "return", "reopen"]), st.sampled_from(UNITS)),
    st.tuples(st.just("merge"), st.sampled_from(UNITS), st.sampled_from(UNITS)),
    st.tuples(st.just("move"), st.sampled_from(UNITS), st.sampled_from(["P", "Q"])),
)


class _RolledBack(Exception):
    pass


def _tree() -> None:
    top = unit("TOP", "province")
    for province in ("P", "Q"):
        parent = unit(province, "province", top)
        for code in UNITS:
            if code.startswith(province):
                unit(code, parent=parent)


def _apply(template, op: tuple) -> None:  # type: ignore[no-untyped-def]
    period = ensure_period("2024Q1")
    who = OrgUnit.objects.get(code=op[1])
    report, _ = get_or_create_report(who, template, period, acting_user=ACTOR)
    by_code = {i.code: i for i in Indicator.objects.filter(template=template)}
    try:
        if op[0] == "set":
            value = CellValue() if op[3] is None else CellValue(number=Decimal(op[3]))
            do_set_values(report, [CellUpdate(by_code[op[2]], value)], acting_user=ACTOR)
        elif op[0] == "choice":
            row = _first(template, Aggregation.CHOICE_COUNTS)
            code = None if op[2] is None else row.choices[op[2] % len(row.choices)]["value"]
            value = CellValue() if code is None else CellValue(number=Decimal(str(code)))
            do_set_values(report, [CellUpdate(row, value)], acting_user=ACTOR)
        elif op[0] == "text":
            row = _first(template, Aggregation.LIST)
            value = CellValue() if op[2] is None else CellValue(text=op[2])
            do_set_values(report, [CellUpdate(row, value)], acting_user=ACTOR)
        elif op[0] == "submit":
            do_submit_report(report, acting_user=ACTOR, explanation="kiểm thử")
        elif op[0] == "accept":
            do_accept_report(report, acting_user=ACTOR)
        elif op[0] == "return":
            do_return_report(report, reason="kiểm thử", acting_user=ACTOR)
        elif op[0] == "reopen":
            do_reopen_report(report, reason="kiểm thử", acting_user=ACTOR)
        elif op[0] == "merge":
            do_merge_units([who], OrgUnit.objects.get(code=op[2]), date(2025, 3, 1),
                           acting_user=ACTOR)
        elif op[0] == "move":
            data = f"mã,tên,loại,cấp trên\n{who.code},{who.name},so,{op[2]}\n".encode()
            import_units(data, "units.csv", acting_user=ACTOR)
    except ParstatError:
        pass  # a step the report's state, its rules or the registry refuses: nothing changed


def _first(template, aggregation: str) -> Indicator:  # type: ignore[no-untyped-def]
    return Indicator.objects.filter(template=template, aggregation=aggregation).order_by(
        "position").first()


def _assert_live_equals_scan() -> None:
    period = ensure_period("2024Q1")
    for code in ROOTS:
        root = OrgUnit.objects.get(code=code)
        if not Report.objects.filter(period=period).exists():
            return
        for today in (False, True):
            for scope in StateScope:
                try:
                    scanned = consolidate(root, period, states=scope, today=today, scan=True)
                except ParstatError:
                    continue  # no report below this root
                live = consolidate(root, period, states=scope, today=today)
                assert live.totals == scanned.totals, (code, today, scope)


@pytest.mark.django_db
@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(operations=st.lists(operation, min_size=1, max_size=10))
def test_it_keeps_the_live_totals_equal_to_the_scan(template, operations):
    try:
        with transaction.atomic():
            _tree()
            for op in operations:
                _apply(template, op)
            _assert_live_equals_scan()
            assert rebuild_totals().differed == 0
            raise _RolledBack
    except _RolledBack:
        pass


@pytest.mark.django_db
def test_it_reads_whole_groups_from_the_parts(template):
    province = province_a(template)
    period = ensure_period("2024Q1")
    part = TotalPart.objects.get(group=province.pk, state="draft", indicator__code="I.1.a")
    assert (part.total, part.answered) == (Decimal(100), 3)
    # A part changed behind the actions' back shows: the table read the part, not the values.
    TotalPart.objects.filter(pk=part.pk).update(total=Decimal(7))
    live = consolidate(province, period, states=StateScope.ALL)
    scanned = consolidate(province, period, states=StateScope.ALL, scan=True)
    assert (live.total("I.1.a").value, scanned.total("I.1.a").value) == (Decimal(7), Decimal(100))


@pytest.mark.django_db
def test_it_adds_up_sums_beyond_fifteen_digits_exactly(template):
    # One value holds at most 15 digits (values.MAX_DIGITS); a province's sum of them may not.
    # SQLite kept a part's sum as REAL (15 digits): 2.000.000.000.000.001 read back as
    # 2.000.000.000.000.000, and its SUM over the values added floats.
    province = unit("A", "province")
    period = ensure_period("2024Q1")
    big = Decimal("999999999999999")
    for code, number in (("A-1", big), ("A-2", big), ("A-3", Decimal(3))):
        file_report(template, unit(code, parent=province), "2024Q1", {"I.1.a": number})
    exact = Decimal("2000000000000001")
    part = TotalPart.objects.get(group=province.pk, state="draft", indicator__code="I.1.a")
    assert (part.total, part.high, part.low) == (exact, big, Decimal(3))
    from django.db import connection

    if connection.vendor == "sqlite":  # the decimal's text, with numeric(34, 4)'s four decimals
        with connection.cursor() as cursor:
            cursor.execute("SELECT typeof(total), total FROM reporting_totalpart WHERE id = %s",
                           [part.pk])
            assert cursor.fetchone() == ("text", "2000000000000001.0000")
    for scan in (False, True):
        assert consolidate(province, period, states=StateScope.ALL, scan=scan).total(
            "I.1.a").value == exact
    assert rebuild_totals().differed == 0
    assert TotalPart.objects.get(group=province.pk, state="draft",
                                 indicator__code="I.1.a").total == exact


@pytest.mark.django_db
def test_the_upgrade_to_exact_sums_recounts_sqlites_parts_from_the_values(template):
    from django.apps import apps
    from django.db import connection

    upgrade = importlib.import_module("parstat.reporting.migrations.0008_exact_sums")
    province = province_a(template)
    period = ensure_period("2024Q1")
    before = consolidate(province, period, states=StateScope.ALL)
    parts = TotalPart.objects.count()
    upgrade.uncount_on_sqlite(apps, SimpleNamespace(connection=connection))
    if connection.vendor == "sqlite":
        assert not TotalPart.objects.exists()
        assert not Report.objects.exclude(totals_group=None).exists()
    else:  # PostgreSQL's numeric parts were exact: kept
        assert TotalPart.objects.count() == parts
    # Either way the table is the same (from the values until they are counted again).
    assert consolidate(province, period, states=StateScope.ALL).totals == before.totals
    assert rebuild_totals().differed == (parts if connection.vendor == "sqlite" else 0)
    assert TotalPart.objects.count() == parts


@pytest.mark.django_db
def test_it_counts_a_part_of_a_group_from_its_values(template):
    province = province_a(template)
    department = OrgUnit.objects.get(code="A-S1")
    live = consolidate(department, ensure_period("2024Q1"), states=StateScope.ALL)
    assert live.total("I.1.a").value == Decimal(40)
    assert live.total("I.1.a").units == 1
    assert province.pk == department.parent_id


@pytest.mark.django_db
def test_it_rebuilds_and_says_what_differed(template):
    province_a(template)
    stored = TotalPart.objects.count()
    assert stored > 0
    TotalPart.objects.filter(indicator__code="I.1.a").update(total=Decimal(1))
    out = io.StringIO()
    call_command("rebuild_totals", stdout=out)
    assert "KHÁC: 1 phần tổng hợp" in out.getvalue()
    assert TotalPart.objects.count() == stored
    assert rebuild_totals().differed == 0
    assert TotalPart.objects.get(indicator__code="I.1.a", group=OrgUnit.objects.get(
        code="A").pk, state="draft").total == Decimal(100)


@pytest.mark.django_db
def test_it_follows_a_report_into_its_new_group_when_its_unit_moves(template):
    province_a(template)
    other = unit("B", "province")
    s1 = OrgUnit.objects.get(code="A-S1")
    import_units(f"mã,tên,loại,cấp trên\nA-S1,{s1.name},so,B\n".encode(), "units.csv",
                 acting_user=ACTOR)
    period = ensure_period("2024Q1")
    # Before any recount the old group is no longer whole under A: read from the values.
    assert consolidate(OrgUnit.objects.get(code="A"), period, states=StateScope.ALL).total(
        "I.1.a").value == Decimal(60)
    file_report(template, OrgUnit.objects.get(code="A-S1"), "2024Q1", {"I.1.a": 41})
    assert Report.objects.get(unit__code="A-S1").totals_group == other.pk
    assert consolidate(other, period, states=StateScope.ALL).total("I.1.a").value == Decimal(41)
    assert consolidate(OrgUnit.objects.get(code="A"), period, states=StateScope.ALL).total(
        "I.1.a").value == Decimal(60)


@pytest.mark.django_db
def test_it_counts_every_value_of_a_report_counted_for_the_first_time(template):
    province = province_a(template)
    period = ensure_period("2024Q1")
    report = Report.objects.get(unit__code="A-S1")
    # As a report filed before the live totals were kept: in no group, none of its values
    # (I.1.a 40, I.1.b 13, I.5, I.7.b, I.9, …) in the province's parts.
    Report.objects.filter(pk=report.pk).update(totals_group=None)
    recount(period.pk, template.pk, province.pk, ["draft"])
    assert TotalPart.objects.get(group=province.pk, indicator__code="I.1.b").total == 10
    # Its next save changes one row; the group then counts every value the report holds.
    file_report(template, OrgUnit.objects.get(code="A-S1"), "2024Q1", {"I.1.a": 41})
    live = consolidate(province, period, states=StateScope.ALL)
    scanned = consolidate(province, period, states=StateScope.ALL, scan=True)
    assert live.totals == scanned.totals
    assert (live.total("I.1.a").value, live.total("I.1.b").value) == (Decimal(101), Decimal(23))
    assert rebuild_totals().differed == 0


@pytest.mark.django_db
def test_it_stores_the_same_part_whichever_rows_were_counted_with_it(template):
    """A sum row whose value happens to equal a choice code (2) keeps no choice counts, whether
    one cell's save or a rebuild of every row counted it: the rebuild finds nothing to correct."""
    province = unit("P", "province")
    department = unit("P-1", parent=province)
    file_report(template, department, "2024Q1", {"I.1.a": 5, "I.5": 1})
    file_report(template, department, "2024Q1", {"I.1.a": 2})  # one cell saved
    part = TotalPart.objects.get(indicator__template=template, indicator__code="I.1.a")
    assert (part.total, part.counts) == (Decimal(2), {})
    assert TotalPart.objects.get(indicator__template=template, indicator__code="I.5").counts == {
        "1": 1}
    assert rebuild_totals().differed == 0
