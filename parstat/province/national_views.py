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


@login_required
def package_download(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    """The province's package: the one it was sent as, byte for byte, once sent; built from
    the approved snapshot before that. For the province report's readers; anyone else 404."""
    from parstat.errors import ParstatError
    from parstat.http_status import status_for
    from parstat.units.models import OrgUnit

    from .package import build_package, find_province_report, sent_package
    from .workflow import may_read

    root = OrgUnit.objects.filter(code=unit).first()
    if root is None or not may_read(request.user, root):
        raise Http404("Không tìm thấy đơn vị")
    try:
        report = find_province_report(unit, code, request.GET.get("template") or None)
        stored = sent_package(report) if report.state == ProvinceState.SENT else None
        data = bytes(stored.data) if stored else build_package(report).data
    except ParstatError as error:
        return HttpResponse(error.localized, status=status_for(error.code),
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = (f'attachment; filename="{report.unit.code}_'
                                       f'{report.period.code}_v{report.version}.zip"')
    return response
