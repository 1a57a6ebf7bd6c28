"""The consolidator's view of a period: every unit below them, its state, when, findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from parstat.accounts.permissions import reports_for_user, visible_units
from parstat.catalog.loader import template_for_unit_kind
from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import Period, Report
from parstat.units.models import OrgUnit


@dataclass(frozen=True)
class UnitStatus:
    unit: OrgUnit
    report: Report | None
    errors: int = 0
    warnings: int = 0


def period_status(user: Any, period: Period) -> list[UnitStatus]:
    units = [u for u in visible_units(user).order_by("synthetic", "parent__code", "code")
             if (u.is_valid_on(period.start) or u.is_valid_on(period.end))
             and template_for_unit_kind(u.kind) is not None]
    reports = {r.unit_id: r for r in reports_for_user(user).filter(period=period)
               .select_related("unit", "period", "template")}
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        if report is None:
            rows.append(UnitStatus(unit, None))
            continue
        evaluation = evaluate_report(report)
        rows.append(UnitStatus(unit, report, len(evaluation.errors), len(evaluation.warnings)))
    return rows


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    periods = Period.objects.order_by("-end")
    return render(request, "web/period_list.html", {"periods": periods})


@login_required
def period_detail(request: HttpRequest, code: str) -> HttpResponse:
    period = Period.objects.filter(code=code).first()
    if period is None:
        raise Http404("Không có kỳ báo cáo này")
    rows = period_status(request.user, period)
    counts = {
        "expected": len(rows),
        "received": sum(1 for r in rows if r.report and r.report.submitted_at),
        "late": sum(1 for r in rows if r.report and r.report.submitted_late),
        "missing": sum(1 for r in rows if not (r.report and r.report.submitted_at)),
    }
    return render(request, "web/period_detail.html",
                  {"period": period, "rows": rows, "counts": counts})
