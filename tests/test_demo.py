"""`parstat init --demo`: synthetic, labelled, deterministic; the seed filed as the real report."""

from __future__ import annotations

import pytest

from parstat.demo import DEMO_DEPARTMENTS, load_demo, load_seed_report
from parstat.exports.build import report_table
from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import Report, Value, ValueChange

pytestmark = pytest.mark.django_db


def test_it_builds_a_labelled_synthetic_province():
    summary = load_demo(progress=False)
    assert summary["units"] == len(DEMO_DEPARTMENTS) == 12
    demo = Report.objects.filter(unit__code__startswith="DEMO-")
    assert demo.count() == summary["reports"] > 80
    assert not demo.filter(synthetic=False).exists()
    assert all("minh họa" in r.unit.name for r in demo.select_related("unit"))
    assert set(demo.values_list("period__code", flat=True)) == {
        "2023Q1", "2023S1", "2023Q3", "2023", "2024Q1", "2024S1", "2024Q3", "2024"}
    assert report_table(demo.first()).synthetic is True


def test_it_generates_the_same_values_every_time():
    load_demo(progress=False)
    first = sorted(Value.objects.values_list("report__unit__code", "report__period__code",
                                             "indicator__code", "number"))
    Report.objects.all().delete()
    load_demo(progress=False)
    again = sorted(Value.objects.values_list("report__unit__code", "report__period__code",
                                             "indicator__code", "number"))
    assert first == again


def test_it_keeps_blanks_and_mostly_consistent_data():
    load_demo(progress=False)
    reports = list(Report.objects.filter(synthetic=True)[:24])
    evaluations = [evaluate_report(r) for r in reports]
    assert all(len(e.stored) < 178 for e in evaluations)  # some cells are not reported
    clean = sum(1 for e in evaluations if not e.errors)
    assert clean >= len(evaluations) // 2


def test_it_files_the_real_seed_under_its_department():
    result = load_seed_report()
    report = Report.objects.get(unit__code="ST-SKHDT", period__code="2023Q1")
    assert report.synthetic is False and result["summary"]["imported"] == 75
    assert ValueChange.objects.filter(report=report, source="import").count() == 76


def test_it_sends_past_reports_around_their_deadline_and_keeps_the_latest_open():
    load_demo(progress=False)
    demo = Report.objects.filter(synthetic=True)
    assert not demo.filter(period__code="2024").exclude(state="draft").exists()
    sent = demo.exclude(submitted_at=None)
    assert sent.count() > demo.count() // 2
    assert sent.filter(submitted_late=True).exists() and sent.filter(submitted_late=False).exists()
    assert demo.filter(state="accepted").exists()
    assert not any(evaluate_report(r).errors for r in sent[:20])  # only clean reports were sent
