"""What a file import reads: the template's indicators from the shared copy, each report's
values in as few reads as the steps need, and the findings of the save that wrote them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parstat.imports.service import import_file
from parstat.reporting.checks import evaluate_report
from parstat.units.registry import SEED_PERIOD_CODE, SEED_UNIT_CODE
from tests.conftest import SEED_FILE

pytestmark = pytest.mark.django_db


def _import(system):  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        out = import_file(SEED_FILE, unit_code=SEED_UNIT_CODE, period_code=SEED_PERIOD_CODE,
                          acting_user=system)
    return out, [q["sql"] for q in captured.captured_queries]


def _reads_of_one_reports_values(sql: list[str]) -> int:
    return len([s for s in sql if s.startswith("SELECT") and "GROUP BY" not in s
                and 'FROM "reporting_value" WHERE "reporting_value"."report_id" = ' in s])


def test_an_import_reads_no_indicator_rows_and_each_reports_values_at_most_twice(
        seed_report, system):
    out, sql = _import(system)  # the seed again: every value unchanged
    assert out.counts.unchanged > 75 and not out.counts.imported and not out.counts.updated
    assert not [s for s in sql if 'FROM "catalog_indicator"' in s]
    # the preview's old → new (number and text only) and the save's read under its lock; the
    # save wrote nothing, so the findings are evaluated from the rows it read
    assert _reads_of_one_reports_values(sql) == 2
    assert out.findings == [f.as_dict(english=True) for f in evaluate_report(seed_report).findings]
    assert out.findings  # the seed has findings: the comparison compares something


def test_the_findings_an_import_reports_are_the_stored_reports(seed_report, system):
    seed_report.values.filter(indicator__code="I.1.b").delete()  # the file brings it back
    out, sql = _import(system)
    assert out.counts.imported == 1
    assert out.findings == [f.as_dict(english=True) for f in evaluate_report(seed_report).findings]
    assert _reads_of_one_reports_values(sql) == 2  # the preview's, the save's
