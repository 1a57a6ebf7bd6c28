"""One cell saved from the form: what it reads and writes, and that the answer's findings are
the stored report's."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parstat.reporting.actions import CellUpdate, do_set_values
from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import Report
from parstat.reporting.values import BLANK, parse_cell

pytestmark = pytest.mark.django_db


def save(client, report, field: str, text: str):  # type: ignore[no-untyped-def]
    report.refresh_from_db()
    return client.post(reverse("web:save_cell", args=[report.pk]),
                       {field: text, "version": report.version},
                       headers={"HX-Request": "true", "HX-Trigger-Name": field})


def test_a_cell_save_reads_each_thing_once(sign_in, seed_report):
    client = sign_in("reporter")
    save(client, seed_report, "v:I.1.b", "19")  # the template's indicators, read once, kept
    with CaptureQueriesContext(connection) as captured:
        assert save(client, seed_report, "v:I.1.b", "20").status_code == 200
    sql = [q["sql"] for q in captured.captured_queries[1:]]  # after the test's refresh
    assert not [s for s in sql if 'FROM "catalog_indicator"' in s]
    # The values, once (PostgreSQL writes the union's halves in parentheses).
    assert len([s for s in sql if s.lstrip("(").startswith('SELECT "reporting_value"."id"')]) == 1
    assert len([s for s in sql if s.startswith('SELECT "reporting_report"')]) == 1  # locked, once
    # The live totals' recount adds up rows read with the values: it reads none again.
    assert not [s for s in sql if s.startswith('SELECT "reporting_value"."report_id"')]
    assert len(sql) <= cell_save_queries()


# the session, read with the person and their roles (parstat.accounts.sessions); the transaction (a savepoint here, inside the test's
# own transaction): the report the person may see, read once under its row lock, the values,
# the write and its audit row, the version with the findings, the live totals' recount of the
# cell and of the formula row reading it (one read of the group's rows) written in one upsert,
# and its end. SQLite takes no lock row for the totals' group (its transaction holds the
# database); PostgreSQL takes it in one more statement.
def cell_save_queries() -> int:
    return 9 + (1 if connection.features.has_select_for_update else 0)


def test_it_saves_one_cell_in_a_fixed_number_of_queries(sign_in, seed_report,
                                                         django_assert_num_queries):
    client = sign_in("reporter")
    save(client, seed_report, "v:I.1.b", "19")  # the template's indicators, read once, kept
    seed_report.refresh_from_db()
    url = reverse("web:save_cell", args=[seed_report.pk])
    with django_assert_num_queries(cell_save_queries()):
        answer = client.post(url, {"v:I.1.b": "20", "version": seed_report.version},
                             headers={"HX-Request": "true", "HX-Trigger-Name": "v:I.1.b"})
    assert answer.status_code == 200
    assert b"\xc4\x91\xc3\xa3 l\xc6\xb0u" in answer.content  # "đã lưu": it wrote
    seed_report.refresh_from_db()
    assert seed_report.values.get(indicator__code="I.1.b").number == 20


def test_the_evaluation_a_save_returns_is_the_stored_reports(seed_report, system):
    template = seed_report.template
    by_code = {i.code: i for i in template.indicators.all()}
    result = do_set_values(seed_report, [
        CellUpdate(by_code["I.1.b"], parse_cell(by_code["I.1.b"], "20")),  # updated
        CellUpdate(by_code["I.2"], BLANK, note=""),  # cleared: the row goes
        CellUpdate(by_code["I.1.c"], parse_cell(by_code["I.1.c"], "0"))], acting_user=system)
    fresh = evaluate_report(Report.objects.get(pk=seed_report.pk))
    assert result.evaluation is not None
    assert result.evaluation.findings == fresh.findings
    assert result.evaluation.derived == fresh.derived
    assert {c: (v.number, v.text, v.note) for c, v in result.evaluation.stored.items()} == \
        {c: (v.number, v.text, v.note) for c, v in fresh.stored.items()}
    stored = Report.objects.get(pk=seed_report.pk)
    assert (stored.error_count, stored.warning_count) == (len(fresh.errors), len(fresh.warnings))
    assert [f["rule"] for f in stored.findings] == [f.rule for f in fresh.findings]


@pytest.mark.skipif(not connection.features.has_select_for_update_of,
                    reason="row locks: PostgreSQL (SQLite's write transaction holds the file)")
def test_it_locks_the_report_row_alone(sign_in, seed_report):
    # Not the joined unit's and period's rows: every save of a period would wait on the period.
    client = sign_in("reporter")
    with CaptureQueriesContext(connection) as captured:
        assert save(client, seed_report, "v:I.1.b", "21").status_code == 200
    locks = [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locks) == 1
    assert locks[0].endswith('FOR UPDATE OF "reporting_report"')
