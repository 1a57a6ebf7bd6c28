"""Read-only pages of the reporting core: the loaded reports and one report as its table.

Sign-in, roles and the entry form come with the web application; until then these pages only
read, and only through the functions the CLI and exports use.
"""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from parstat.exports.build import report_table
from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import Report


def report_list(request: HttpRequest) -> HttpResponse:
    reports = (Report.objects.select_related("unit", "period", "template")
               .annotate(value_count=Count("values"))
               .order_by("unit__synthetic", "-period__year", "-period__end", "unit__code"))
    return render(request, "web/report_list.html", {"reports": reports})


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(Report.objects.select_related("unit", "period", "template"), pk=pk)
    evaluation = evaluate_report(report)
    table = report_table(report, evaluation)
    flagged = {code for f in evaluation.findings for code in f.codes}
    return render(request, "web/report_detail.html", {
        "report": report, "table": table, "evaluation": evaluation, "flagged": flagged})
