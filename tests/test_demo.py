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


def test_it_gives_the_demo_province_three_communes_on_the_communes_table():
    from django.contrib.auth import get_user_model

    from parstat.accounts.models import Membership, Role
    from parstat.catalog.demo_editions import load_demo_editions
    from parstat.catalog.editions import template_for
    from parstat.demo import DEMO_COMMUNES, ensure_demo_communes, ensure_demo_units
    from parstat.reporting.periods import periods_of_year
    from parstat.web.due import due_for

    load_demo_editions()
    departments = ensure_demo_units()
    communes = ensure_demo_communes()
    assert [c.name for c in communes] == [name + " (minh họa)" for name in DEMO_COMMUNES]
    assert all(c.synthetic and c.parent.code == "DEMO" for c in communes)
    assert {str(c.valid_from) for c in communes} == {"2025-07-01"}
    second_half = {p.code: p for p in periods_of_year(2025)}["2025"]
    assert template_for(communes[0], second_half).code == "B2-XA-2025"
    assert template_for(departments[0], second_half).code == "B1-SN-2025"
    clerk = get_user_model().objects.create_user("xa1")
    Membership.objects.create(user=clerk, unit=communes[0], role=Role.REPORTER)
    due = due_for(clerk, today=second_half.end)
    assert due and {item.unit.code for item in due} == {communes[0].code}
    assert "2025" in {item.period.code for item in due}


def test_it_loads_the_demo_editions_with_init_demo(monkeypatch, settings, tmp_path):
    from django.core.management import call_command

    import parstat.demo as demo
    from parstat.catalog.models import Template

    def units_only(progress: bool) -> dict[str, int]:  # the generated reports are tested above
        return {"units": len(demo.ensure_demo_units()), "reports": 0, "values": 0}

    monkeypatch.setattr(demo, "load_demo", units_only)
    settings.STATIC_ROOT = tmp_path / "static"  # init collects the assets: not into var/
    call_command("init", "--demo", verbosity=0)
    assert {"B1-SN-2025", "B2-XA-2025"} <= set(Template.objects.values_list("code", flat=True))
