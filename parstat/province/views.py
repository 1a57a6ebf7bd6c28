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
from .models import ProvinceAction, ProvinceReport, ProvinceState
from .package import do_send_province_report
from .upward import deliver, upward_configured
from .workflow import (
    ProvinceStep,
    do_open_province_report,
    do_province_step,
    may_read,
    may_write,
)

# What the page says once a step is taken, by the action the audit recorded.
DONE = {ProvinceAction.SUBMITTED: _("Đã trình lãnh đạo tỉnh."),
        ProvinceAction.SUBMITTED_FINAL: _("Đã chốt báo cáo của tỉnh (không qua cấp duyệt); số "
                                          "liệu được giữ nguyên như khi chốt."),
        ProvinceAction.PASSED: _("Đã đồng ý và trình cấp duyệt tiếp theo."),
        ProvinceAction.APPROVED: _("Đã duyệt báo cáo của tỉnh; số liệu được giữ nguyên như khi "
                                   "duyệt."),
        ProvinceAction.RETURNED: _("Đã trả lại báo cáo của tỉnh."),
        ProvinceAction.REOPENED: _("Đã mở lại báo cáo của tỉnh."),
        ProvinceAction.SENT: _("Đã ghi nhận gửi báo cáo của tỉnh lên cấp trên.")}


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
        if wanted is ProvinceStep.SEND:  # the step and the package it sends, stored together
            do_send_province_report(report, acting_user=actor,
                                    number=request.POST.get("number", ""),
                                    issued_on=parse_document_date(request.POST.get("date", "")))
            action: str = ProvinceAction.SENT
        else:
            action = do_province_step(report, wanted, acting_user=actor,
                                      reason=request.POST.get("reason", "")).action
    except ParstatError as error:
        messages.error(request, error.localized)
        return redirect(page)
    messages.success(request, str(DONE[ProvinceAction(action)]))
    if wanted is ProvinceStep.SEND:
        _deliver(request, report)
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


def _deliver(request: HttpRequest, report: ProvinceReport) -> None:
    """Post the sent package upward when an installation above is configured; a failure leaves
    the report sent and says how to try again."""
    if not upward_configured():
        return
    try:
        delivery = deliver(report)
    except ParstatError as error:
        messages.error(request, _("Chưa chuyển được gói số liệu lên hệ thống cấp trên: "
                                  "%(reason)s Báo cáo vẫn ở trạng thái đã gửi; hãy bấm «Gửi "
                                  "lại lên hệ thống cấp trên».") % {"reason": error.localized})
        return
    messages.success(request, _("Hệ thống cấp trên đã nhận gói số liệu phiên bản %(version)s "
                                "(%(outcome)s): %(totals)s chỉ tiêu, %(reports)s báo cáo đơn "
                                "vị.") % {"version": delivery.version,
                                          "outcome": OUTCOMES.get(delivery.outcome,
                                                                  delivery.outcome),
                                          "totals": delivery.totals,
                                          "reports": delivery.reports})


OUTCOMES = {"stored": _("đã lưu"), "replaced": _("đã lưu, thay phiên bản cũ"),
            "unchanged": _("đã có, không đổi")}


@login_required
@require_POST
def province_deliver(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    """Post the sent package upward again (the receiver answers "unchanged" if it has it)."""
    root = OrgUnit.objects.filter(code=unit).first()
    if root is None or not may_write(request.user, root):
        raise Http404("Không tìm thấy đơn vị")
    try:
        period = find_period(code)
    except ParstatError as error:
        raise Http404(error.localized) from None
    report = ProvinceReport.objects.filter(
        unit=root, period=period, template__code=request.POST.get("template", ""),
        state=ProvinceState.SENT).select_related("unit", "period", "template").first()
    if report is None or not upward_configured():
        raise Http404("Chưa có báo cáo của tỉnh đã gửi")
    _deliver(request, report)
    return redirect(reverse("web:province_narrative", args=[code, unit]))
