"""A file's first import: what it writes (the report with its document facts and events, every
value with its audit row, the live totals) and in how many statements (issue #16)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parstat.analytics.totals import rebuild_totals
from parstat.errors import ParstatError
from parstat.imports.service import ImportReport, import_upload
from parstat.reporting.actions import do_create_report, do_set_document
from parstat.reporting.models import EventAction, Report, ReportEvent, Source, Value, ValueChange
from parstat.reporting.periods import ensure_period, periods_of_year
from parstat.units.models import OrgUnit, UnitKind
from tests.import_fixtures import seed_xlsx

pytestmark = pytest.mark.django_db

FACTS = {"number": "81/BC-SKHĐT", "date": "2023-03-17",
         "issuer": "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng"}  # the seed file's heading


@pytest.fixture
def units(db):  # type: ignore[no-untyped-def]
    periods_of_year(2023)
    return [OrgUnit.objects.create(code=f"FIRST-{n}", name=f"Sở thử {n}",
                                   kind=UnitKind.DEPARTMENT) for n in (1, 2)]


def first_import(unit: OrgUnit, system) -> ImportReport:  # type: ignore[no-untyped-def]
    return import_upload(seed_xlsx(), f"{unit.code}.xlsx", unit_code=unit.code,
                         period_code="2023Q1", acting_user=system)


def test_it_creates_the_report_with_the_documents_facts_and_both_events(units, system):
    result = first_import(units[0], system)
    report = Report.objects.get(unit=units[0])
    assert (report.document_number, report.document_date, report.document_issuer) == (
        FACTS["number"], date(2023, 3, 17), FACTS["issuer"])
    events = list(ReportEvent.objects.filter(report=report).order_by("id"))
    assert [e.action for e in events] == [EventAction.CREATED, EventAction.DOCUMENT]
    assert events[1].detail == {"old": {"number": "", "date": None, "issuer": ""},
                                "new": FACTS}
    assert {(e.actor, e.source, e.origin) for e in events} == {
        ("system", Source.IMPORT, f"tests · {units[0].code}.xlsx")}
    # Every row stored (a value, or a note alone) has its audit row, made by the version the
    # report is at.
    rows = Value.objects.filter(report=report)
    changes = ValueChange.objects.filter(report=report)
    assert rows.count() == changes.count() > 70
    assert result.counts.imported == rows.exclude(number=None, text=None).count()
    assert set(changes.values_list("version", flat=True)) == {report.version}
    # The report the import returns is the row as it is, every column (not read again).
    assert result.stored is not None
    assert {f.attname: getattr(result.stored, f.attname) for f in Report._meta.concrete_fields
            } == Report.objects.filter(pk=report.pk).values().get()
    assert report.totals_group is not None and rebuild_totals().differed == 0


def test_a_second_file_of_the_report_records_its_facts_as_a_change(units, system):
    first_import(units[0], system)
    report = Report.objects.get(unit=units[0])
    before = report.version
    do_set_document(report, number="", issued_on=None, issuer="", acting_user=system)
    first_import(units[0], system)  # the same file again: its facts are set back, values kept
    report.refresh_from_db()
    assert report.version == before + 2 and report.document_number == FACTS["number"]
    assert ReportEvent.objects.filter(report=report, action=EventAction.DOCUMENT).count() == 3


def test_a_new_report_refuses_document_facts_as_do_set_document_does(units, system):
    period = ensure_period("2023Q1")
    from parstat.catalog.editions import template_for

    template = template_for(units[0], period)
    assert template is not None
    with pytest.raises(ParstatError) as refused:
        do_create_report(units[0], template, period, acting_user=system, number="9" * 61)
    assert refused.value.code == "document.field_too_long"
    assert not Report.objects.filter(unit=units[0]).exists()
    # Blank facts are no facts: no document event.
    event = do_create_report(units[0], template, period, acting_user=system, number=" ")
    assert list(event.report.events.values_list("action", flat=True)) == [EventAction.CREATED]


# Outside the import's transaction: the given unit (with the issuer's check) and the periods
# the document's date proposes. Inside (a savepoint here, the test's own transaction): the
# period, the unit's edition (its overrides, every edition: two reads), the report
# looked for; creating it with its values (a savepoint: the report with its facts and findings,
# its two events in one INSERT; neither locked nor its values read: it holds none; the values,
# their audit rows, the version with the findings and the report filed in its group in one
# UPDATE, the group's size and its other reports' rows, its parts written: none to empty, as the
# report holds a value in every row recounted). PostgreSQL takes the group's lock row in one
# more statement.
def first_import_statements() -> int:
    return 18 + (1 if connection.features.has_select_for_update else 0)


def test_a_first_import_writes_in_a_fixed_number_of_statements(units, system):
    first_import(units[0], system)  # the template's indicators read once, kept
    with CaptureQueriesContext(connection) as captured:
        result = first_import(units[1], system)
    assert result.counts.imported > 70
    sql = [q["sql"] for q in captured.captured_queries]
    assert len(sql) == first_import_statements(), "\n".join(s[:80] for s in sql)
    # Each kind of row in one statement, whatever the number of values.
    for table in ("reporting_value", "reporting_valuechange", "reporting_totalpart"):
        assert len([s for s in sql if s.startswith(f'INSERT INTO "{table}"')]) == 1
    assert not [s for s in sql if s.startswith('SELECT "units_orgunit"') and "FOR UPDATE" in s]
    assert not [s for s in sql if s.startswith('DELETE')]


def test_a_first_import_into_a_group_with_reports_keeps_the_totals_exact(system):
    # The new report's rows come from memory, its group's other reports' from the database.
    periods_of_year(2023)
    parent = OrgUnit.objects.create(code="FIRST-P", name="Tỉnh thử", kind=UnitKind.PROVINCE)
    children = [OrgUnit.objects.create(code=f"FIRST-P{n}", name=f"Sở thử P{n}", parent=parent,
                                       kind=UnitKind.DEPARTMENT) for n in (1, 2, 3)]
    for child in children:
        first_import(child, system)
        assert rebuild_totals().differed == 0
    assert set(Report.objects.values_list("totals_group", flat=True)) == {parent.pk}
