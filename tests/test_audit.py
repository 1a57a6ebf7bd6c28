"""Every value change is audited: who, when, from where, old and new; nothing else is written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parstat.catalog.models import Indicator
from parstat.reporting.actions import CellUpdate, do_set_values, get_or_create_report
from parstat.reporting.models import ReportEvent, Value, ValueChange
from parstat.reporting.periods import ensure_period
from parstat.reporting.values import BLANK, CellValue
from parstat.units.models import OrgUnit, UnitKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(template, system):  # type: ignore[no-untyped-def]
    unit = OrgUnit.objects.create(code="U1", name="Sở Thử", kind=UnitKind.DEPARTMENT)
    return get_or_create_report(unit, template, ensure_period("2024Q1"), acting_user=system)[0]


def _update(template, code: str, value: CellValue, note: str | None = None) -> CellUpdate:
    return CellUpdate(Indicator.objects.get(template=template, code=code), value, note)


def test_it_records_who_when_where_old_and_new(report, template, alice_at_form):
    do_set_values(report, [_update(template, "I.1.a", CellValue(number=Decimal(40)))],
                  acting_user=alice_at_form)
    do_set_values(report, [_update(template, "I.1.a", CellValue(number=Decimal(0)))],
                  acting_user=alice_at_form)
    first, second = ValueChange.objects.filter(report=report).order_by("id")
    assert (first.old_number, first.new_number) == (None, 40)
    assert (second.old_number, second.new_number) == (40, 0)
    assert second.actor == "alice" and second.source == "form" and second.origin == "203.0.113.7"
    assert second.changed_at >= first.changed_at


def test_it_tells_zero_from_blank_when_clearing(report, template, alice_at_form):
    do_set_values(report, [_update(template, "I.1.a", CellValue(number=Decimal(0)))],
                  acting_user=alice_at_form)
    assert Value.objects.get(report=report).number == 0
    result = do_set_values(report, [_update(template, "I.1.a", BLANK)], acting_user=alice_at_form)
    assert result.updated == 1
    assert not Value.objects.filter(report=report).exists()
    cleared = ValueChange.objects.filter(report=report).latest("id")
    assert (cleared.old_number, cleared.new_number) == (0, None)


def test_it_keeps_a_note_on_a_blank_cell(report, template, alice_at_form):
    do_set_values(report, [_update(template, "I.2", BLANK, note="Kế hoạch số 21/KH")],
                  acting_user=alice_at_form)
    value = Value.objects.get(report=report)
    assert value.is_blank and value.note == "Kế hoạch số 21/KH"


def test_it_writes_nothing_and_keeps_the_version_when_nothing_changes(report, template, system):
    update = _update(template, "I.1.a", CellValue(number=Decimal(40)))
    do_set_values(report, [update], acting_user=system)
    version, changes = report.version, ValueChange.objects.count()
    result = do_set_values(report, [_update(template, "I.1.a",
                                            CellValue(number=Decimal("40.0000")))],
                           acting_user=system)
    assert result.unchanged == 1 and ValueChange.objects.count() == changes
    report.refresh_from_db()
    assert report.version == version


def test_it_bumps_the_version_on_a_change(report, template, system):
    version = report.version
    do_set_values(report, [_update(template, "I.1.a", CellValue(number=Decimal(1)))],
                  acting_user=system)
    assert report.version == version + 1


def test_it_audits_the_creation_of_a_report(report):
    event = ReportEvent.objects.get(report=report)
    assert event.action == "created" and event.new_state == "draft" and event.actor == "system"


def test_it_writes_all_or_nothing(report, template, system, monkeypatch):
    def broken_bulk_create(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ValueChange.objects, "bulk_create", broken_bulk_create)
    with pytest.raises(RuntimeError):
        do_set_values(report, [_update(template, "I.1.a", CellValue(number=Decimal(1)))],
                      acting_user=system)
    assert not Value.objects.filter(report=report).exists()
