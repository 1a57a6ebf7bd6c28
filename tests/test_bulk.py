"""parstat.bulk writes what bulk_create writes: the same rows, column for column, on SQLite and
PostgreSQL (the import's value rows, audit rows and live totals' parts go through it)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from parstat import bulk
from parstat.catalog.models import Indicator
from parstat.reporting.actions import CHANGE_COLUMNS, VALUE_COLUMNS, get_or_create_report
from parstat.reporting.models import Source, TotalPart, Value, ValueChange
from parstat.reporting.periods import ensure_period
from parstat.units.models import OrgUnit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(template, system):  # type: ignore[no-untyped-def]
    period = ensure_period("2024Q1")
    return [get_or_create_report(OrgUnit.objects.create(
        code=code, name=code, kind=UnitKind.DEPARTMENT), template, period,
        acting_user=system)[0] for code in ("B1", "B2")]


# Zero, a negative, four decimals, 15 digits, a text, blank with a note, Vietnamese and a quote.
CELLS = [(Decimal(0), None, ""), (Decimal("-12.5"), None, "âm"), (Decimal("0.0001"), None, ""),
         (Decimal("999999999999999"), None, "15 chữ số"), (None, "Có", "O'Brien «x»"),
         (None, None, "Kế hoạch số 06/KH-SKHĐT")]


def _indicators(template, n):  # type: ignore[no-untyped-def]
    return list(Indicator.objects.filter(template=template).order_by("pk")[:n])


def _rows(model, report, exclude=("id",)):  # type: ignore[no-untyped-def]
    return [{k: v for k, v in row.items() if k not in exclude}
            for row in model.objects.filter(report=report).order_by("indicator_id").values()]


def test_it_stores_value_rows_as_bulk_create_does(reports, template):
    orm, fast = reports
    indicators = _indicators(template, len(CELLS))
    Value.objects.bulk_create([Value(report=orm, indicator=i, number=n, text=t, note=note)
                               for i, (n, t, note) in zip(indicators, CELLS, strict=True)])
    made = [bulk.unsaved(Value, {"report": fast, "indicator": i}, id=None, report_id=fast.pk,
                         indicator_id=i.pk, number=n, text=t, note=note)
            for i, (n, t, note) in zip(indicators, CELLS, strict=True)]
    bulk.insert_objects(made, VALUE_COLUMNS, returning=True)
    assert _rows(Value, fast, ("id", "report_id")) == _rows(Value, orm, ("id", "report_id"))
    # Each object left as bulk_create leaves it: its key, saved, its indicator cached.
    assert [v.pk for v in made] == list(Value.objects.filter(report=fast).order_by("pk")
                                        .values_list("pk", flat=True))
    assert not made[0]._state.adding and made[0].indicator == indicators[0]


def test_it_stores_audit_rows_as_bulk_create_does(reports, template, alice):
    orm, fast = reports
    now = timezone.now()
    indicators = _indicators(template, len(CELLS))
    fields = [{"changed_by_id": alice.pk, "actor": "alice", "source": Source.IMPORT,
               "origin": "203.0.113.7 · tệp.xlsx", "indicator_id": i.pk, "old_number": n,
               "old_text": t, "new_number": None if n is None else n + 1, "new_text": None,
               "old_note": note, "new_note": "", "changed_at": now, "version": 3}
              for i, (n, t, note) in zip(indicators, CELLS, strict=True)]
    ValueChange.objects.bulk_create([ValueChange(report_id=orm.pk, **f) for f in fields])
    bulk.insert_objects([bulk.unsaved(ValueChange, id=None, report_id=fast.pk, **f)
                         for f in fields], CHANGE_COLUMNS)
    assert _rows(ValueChange, fast, ("id", "report_id")) == \
        _rows(ValueChange, orm, ("id", "report_id"))
    assert ValueChange.objects.filter(report=fast, changed_at=now).count() == len(CELLS)


def test_it_upserts_parts_as_bulk_create_does(reports, template):
    orm, _ = reports
    indicator = _indicators(template, 1)[0]
    key = {"period_id": orm.period_id, "template_id": template.pk, "state": "draft",
           "indicator_id": indicator.pk}
    first = {"answered": 2, "texts": 0, "total": Decimal("12.5000"), "low": Decimal(0),
             "high": Decimal("12.5"), "counts": {"1": 2}, "covered": 1,
             "sums": {str(indicator.pk): "12.5"}}
    second = {**first, "answered": 3, "counts": {}, "sums": {}, "total": None}
    columns = ["period_id", "template_id", "group", "state", "indicator_id", *first]
    unique = ["period", "template", "group", "state", "indicator"]
    for group, write in ((1, "orm"), (2, "fast")):
        for fields in (first, second):  # the second writes over the first
            if write == "orm":
                TotalPart.objects.bulk_create(
                    [TotalPart(group=group, **key, **fields)], update_conflicts=True,
                    unique_fields=unique, update_fields=list(first))
            else:
                bulk.insert(TotalPart, columns, [[*key.values()][:2] + [group]
                                                 + [*key.values()][2:] + [*fields.values()]],
                            upsert=unique, update=list(first))
    stored = {p.pop("group"): p for p in TotalPart.objects.values(*columns)}
    assert stored[1] == stored[2]
    assert stored[2]["answered"] == 3 and stored[2]["counts"] == {}


def test_it_refuses_an_instance_missing_a_column():
    with pytest.raises(TypeError, match="note"):
        bulk.unsaved(Value, id=None, report_id=1, indicator_id=1, number=None, text=None)


def test_a_repeated_value_prepared_once_stores_as_bulk_create_does(reports, template, alice):
    # A value that repeats is prepared once per column, by its type and text: rows of several
    # times, some repeated, one the same instant in another zone, store what bulk_create does.
    orm, fast = reports
    now = timezone.now()
    plus7 = now.astimezone(timezone.get_fixed_timezone(420))  # the same instant, in Hà Nội
    times = [now, plus7, now, now.replace(microsecond=0), plus7, now]
    numbers = [Decimal("1"), Decimal("1.0"), Decimal("1"), Decimal("1.00"), None, Decimal("1.0")]
    indicators = _indicators(template, len(times))
    fields = [{"changed_by_id": alice.pk, "actor": "alice", "source": Source.FORM, "origin": "",
               "indicator_id": i.pk, "old_number": None, "old_text": None, "new_number": n,
               "new_text": None, "old_note": "", "new_note": "", "changed_at": t, "version": 2}
              for i, t, n in zip(indicators, times, numbers, strict=True)]
    ValueChange.objects.bulk_create([ValueChange(report_id=orm.pk, **f) for f in fields])
    bulk.insert_objects([bulk.unsaved(ValueChange, id=None, report_id=fast.pk, **f)
                         for f in fields], CHANGE_COLUMNS)
    assert _rows(ValueChange, fast, ("id", "report_id")) == \
        _rows(ValueChange, orm, ("id", "report_id"))
    stored = ValueChange.objects.filter(report=fast).order_by("indicator_id")
    assert [c.changed_at for c in stored] == times
