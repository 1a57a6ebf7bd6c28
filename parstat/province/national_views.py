"""The national view: the province packages this installation received for a period, each
province's state, version, coverage and totals, with the national sum where a row adds up.
For an administrator, and the consolidators and viewers of a top unit; anyone else 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from parstat.reporting.periods import parse_period_code, period_code

from .models import ProvinceState
from .national import national_tables
from .receive import may_read_national


@login_required
def national_page(request: HttpRequest, period: str) -> HttpResponse:
    if not may_read_national(request.user):
        raise Http404("Không tìm thấy trang")
    try:
        code = period_code(*parse_period_code(period))
    except Exception:
        raise Http404("Không có kỳ báo cáo này") from None
    return render(request, "province/national.html", {
        "period": code, "tables": national_tables(code),
        "states": dict(ProvinceState.choices)})


def national_periods(user: object) -> list[str]:
    """The periods with received packages, newest first, for the home page's links."""
    from .models import ReceivedPackage

    if not may_read_national(user):
        return []
    codes = (ReceivedPackage.objects.filter(superseded_at__isnull=True)
             .values_list("period_code", flat=True).distinct())
    return sorted(set(codes), reverse=True)
