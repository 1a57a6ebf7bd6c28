"""Every value change is audited: who, when, from where, old and new; nothing else is written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parstat import bulk
from parstat.catalog.models import Indicator
from parstat.errors import ParstatError
from parstat.reporting.actions import (
    CellUpdate,
    do_set_document,
    do_set_values,
    get_or_create_report,
)
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
    written = bulk.insert

    def audit_fails(model, *args, **kwargs):  # type: ignore[no-untyped-def]
        if model is ValueChange:  # the audit rows, written after the value rows
            raise RuntimeError("disk full")
        return written(model, *args, **kwargs)

    monkeypatch.setattr(bulk, "insert", audit_fails)
    with pytest.raises(RuntimeError):
        do_set_values(report, [_update(template, "I.1.a", CellValue(number=Decimal(1)))],
                      acting_user=system)
    assert not Value.objects.filter(report=report).exists()


def _number(report, code: str):  # type: ignore[no-untyped-def]
    found = Value.objects.filter(report=report, indicator__code=code).first()
    return found.number if found else None


def test_it_merges_a_save_of_other_cells_than_those_changed_since(report, template, system,
                                                                   alice_at_form):
    seen = report.version
    do_set_values(report, [_update(template, "I.1.a", CellValue(number=Decimal(40)))],
                  acting_user=system, expected_version=seen)
    result = do_set_values(report, [_update(template, "I.1.b", CellValue(number=Decimal(13)))],
                           acting_user=alice_at_form, expected_version=seen)
    assert result.imported == 1
    assert (_number(report, "I.1.a"), _number(report, "I.1.b")) == (40, 13)
    assert report.version == seen + 2
    assert list(ValueChange.objects.filter(report=report).order_by("id")
                .values_list("indicator__code", "version")) == [("I.1.a", seen + 1),
                                                                ("I.1.b", seen + 2)]


def test_it_refuses_a_save_of_a_cell_changed_since_naming_only_that_change(
        report, template, system, alice_at_form):
    seen = report.version
    do_set_values(report, [_update(template, "I.1.a", CellValue(number=Decimal(40))),
                           _update(template, "I.1.c", CellValue(number=Decimal(6)))],
                  acting_user=system, expected_version=seen)
    with pytest.raises(ParstatError) as refused:
        do_set_values(report, [_update(template, "I.1.b", CellValue(number=Decimal(13))),
                               _update(template, "I.1.a", CellValue(number=Decimal(41)))],
                      acting_user=alice_at_form, expected_version=seen)
    assert refused.value.code == "report.stale"
    assert "I.1.a: «trống» → «40»" in refused.value.message
    assert "I.1.c" not in refused.value.message and "system" in refused.value.message
    assert (_number(report, "I.1.a"), _number(report, "I.1.b")) == (40, None)  # all or nothing


def test_it_merges_a_note_with_a_value_changed_since_on_the_same_cell(report, template, system,
                                                                      alice_at_form):
    seen = report.version
    do_set_values(report, [_update(template, "I.1.a", CellValue(number=Decimal(40)))],
                  acting_user=system, expected_version=seen)
    do_set_values(report, [_update(template, "I.1.a", CellValue(number=Decimal(40)),
                                   note="KH 06")], acting_user=alice_at_form, expected_version=seen)
    value = Value.objects.get(report=report, indicator__code="I.1.a")
    assert (value.number, value.note) == (40, "KH 06")


def test_it_refuses_a_note_over_a_note_changed_since(report, template, system, alice_at_form):
    seen = report.version
    do_set_values(report, [_update(template, "I.2", BLANK, note="KH 21")], acting_user=system,
                  expected_version=seen)
    with pytest.raises(ParstatError) as refused:
        do_set_values(report, [_update(template, "I.2", BLANK, note="KH 22")],
                      acting_user=alice_at_form, expected_version=seen)
    assert refused.value.code == "report.stale"
    assert Value.objects.get(report=report, indicator__code="I.2").note == "KH 21"


def test_it_refuses_to_merge_over_a_change_of_the_report_itself(report, template, system,
                                                               alice_at_form):
    seen = report.version
    do_set_document(report, number="81/BC-SKHĐT", issued_on=None, issuer="Sở KH&ĐT",
                    acting_user=system)
    with pytest.raises(ParstatError) as refused:
        do_set_values(report, [_update(template, "I.1.b", CellValue(number=Decimal(13)))],
                      acting_user=alice_at_form, expected_version=seen)
    assert refused.value.code == "report.stale"
    assert "trạng thái hoặc thông tin văn bản" in refused.value.message
    assert _number(report, "I.1.b") is None


def test_it_refuses_a_version_from_the_future(report, template, alice_at_form):
    with pytest.raises(ParstatError) as refused:
        do_set_values(report, [_update(template, "I.1.b", CellValue(number=Decimal(13)))],
                      acting_user=alice_at_form, expected_version=report.version + 1)
    assert refused.value.code == "report.stale"


def test_it_returns_the_document_event_it_wrote_and_none_when_unchanged(report, system):
    from parstat.reporting.models import EventAction, ReportEvent

    before = report.version
    event = do_set_document(report, number="81/BC-SKHĐT", issued_on=None, issuer="Sở KH&ĐT",
                            acting_user=system)
    assert event is not None and event == ReportEvent.objects.filter(report=report).latest("id")
    assert event.action == EventAction.DOCUMENT
    assert event.detail["new"] == {"number": "81/BC-SKHĐT", "date": None, "issuer": "Sở KH&ĐT"}
    assert (report.version, report.document_number) == (before + 1, "81/BC-SKHĐT")
    assert do_set_document(report, number="81/BC-SKHĐT", issued_on=None, issuer="Sở KH&ĐT",
                           acting_user=system) is None
    assert report.version == before + 1
