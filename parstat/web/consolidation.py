"""The consolidator's view of a period: every unit below them, its state, when, findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from parstat.accounts.permissions import consolidated_roots, reports_for_user, visible_units
from parstat.analytics.expected import expected_units, is_late, is_received
from parstat.catalog.editions import editions_in_force
from parstat.reporting.checks import finding_counts
from parstat.reporting.models import Period, Report
from parstat.units.models import OrgUnit

PERIOD_PAGE_SIZE = 200  # units per page of the period page


@dataclass(frozen=True)
class UnitStatus:
    unit: OrgUnit
    report: Report | None
    errors: int = 0
    warnings: int = 0

    @property
    def received(self) -> bool:
        return is_received(self.report)

    @property
    def late(self) -> bool:
        return is_late(self.report)


def period_status(user: Any, period: Period) -> list[UnitStatus]:
    # Expected and received by the one definition (parstat.analytics.expected), so this page,
    # completeness, the consolidated table and reminders count the same units.
    units = sorted(expected_units(visible_units(user).values_list("id", flat=True), period),
                   key=lambda u: (u.synthetic, u.parent.code if u.parent else "", u.code))
    reports: dict[int, Report] = {}
    for filed in (reports_for_user(user).filter(period=period)
                  .select_related("unit", "period", "template").order_by("template__edition")):
        reports[filed.unit_id] = filed  # the newest edition wins, as in expected.reports_that_count
    rows = []
    for unit in units:
        report = reports.get(unit.pk)
        if report is None:
            rows.append(UnitStatus(unit, None))
            continue
        counts = finding_counts(report)
        rows.append(UnitStatus(unit, report, counts.errors, counts.warnings))
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
    received = sum(1 for r in rows if is_received(r.report))
    counts = {
        "expected": len(rows),
        "received": received,
        "late": sum(1 for r in rows if is_late(r.report)),
        "missing": len(rows) - received,
    }
    # The counts are of every unit; the list shows one page of them (4,000 units nationally).
    page = Paginator(rows, PERIOD_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/period_detail.html",
                  {"period": period, "rows": page.object_list, "page": page, "counts": counts,
                   # Where the consolidated table and the province's report of this period are.
                   "roots": list(consolidated_roots(request.user)),
                   # Which edition of each table this period is filled on (issue: a period says
                   # which edition it uses; a report keeps the one it was filled in).
                   "editions": editions_in_force(period.end)})
