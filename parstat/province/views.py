"""The province report's steps from its page: the office submits and sends, the leader approves
or returns; either reopens with a reason. A refusal comes back as a message on the page (post,
redirect, get), as a unit report's steps do."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from parstat.catalog.models import Template
from parstat.errors import ParstatError
from parstat.exports.formats import FORMATS
from parstat.narrative.actions import parse_document_date
from parstat.reporting.periods import find_period
from parstat.units.models import OrgUnit
from parstat.web.access import web_actor

from .document import DOCUMENT_FORMATS, province_document_bytes
from .models import ProvinceReport
from .package import do_send_province_report
from .workflow import ProvinceStep, do_open_province_report, do_province_step, may_read

DONE = {ProvinceStep.SUBMIT: _("Đã trình lãnh đạo tỉnh."),
        ProvinceStep.APPROVE: _("Đã duyệt báo cáo của tỉnh; số liệu được giữ nguyên như khi "
                                "duyệt."),
        ProvinceStep.RETURN: _("Đã trả lại báo cáo của tỉnh."),
        ProvinceStep.REOPEN: _("Đã mở lại báo cáo của tỉnh."),
        ProvinceStep.SEND: _("Đã ghi nhận gửi báo cáo của tỉnh lên cấp trên.")}


@login_required
@require_POST
def province_step(request: HttpRequest, code: str, unit: str, step: str) -> HttpResponse:
    root = OrgUnit.objects.filter(code=unit).first()
    if root is None or not may_read(request.user, root):
        raise Http404("Không tìm thấy đơn vị")
    try:
        wanted = ProvinceStep(step)
    except ValueError:
        raise Http404("Không có bước này") from None
    page = reverse("web:province_narrative", args=[code, unit])
    try:
        period = find_period(code)
        # The table the page consolidated (one province may consolidate several tables).
        template = Template.objects.filter(code=request.POST.get("template", "")).first()
        if template is None:
            raise Http404("Không có biểu mẫu này")
        report = ProvinceReport.objects.filter(unit=root, period=period,
                                               template=template).first()
        actor = web_actor(request)
        if report is None:
            if wanted is not ProvinceStep.SUBMIT:
                raise Http404("Chưa có báo cáo của tỉnh")
            report = do_open_province_report(root, period, template, acting_user=actor)
        issued_on = parse_document_date(request.POST.get("date", ""))
        if wanted is ProvinceStep.SEND:  # the step and the package it sends, stored together
            do_send_province_report(report, acting_user=actor,
                                    number=request.POST.get("number", ""), issued_on=issued_on)
        else:
            do_province_step(report, wanted, acting_user=actor,
                             reason=request.POST.get("reason", ""))
    except ParstatError as error:
        messages.error(request, error.localized)
        return redirect(page)
    messages.success(request, str(DONE[wanted]))
    return redirect(page)


@login_required
def province_document_view(request: HttpRequest, code: str, unit: str, fmt: str) -> HttpResponse:
    """The province's whole report as Word or PDF (DỰ THẢO until approved and still matching)."""
    root = OrgUnit.objects.filter(code=unit).first()
    if root is None or not may_read(request.user, root) or fmt not in DOCUMENT_FORMATS:
        raise Http404("Không tìm thấy đơn vị")
    try:
        period = find_period(code)
    except ParstatError as error:
        raise Http404(error.localized) from None
    report = (ProvinceReport.objects.filter(unit=root, period=period,
                                            template__code=request.GET.get("template", ""))
              .select_related("unit", "period", "template").first())
    if report is None:
        raise Http404("Chưa có báo cáo của tỉnh")
    response = HttpResponse(province_document_bytes(report, fmt), content_type=FORMATS[fmt].content_type)
    name = f"bao-cao-{root.code}-{period.code}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
