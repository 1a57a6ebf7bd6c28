"""The provincial office's page for the province's narrative: per section its units' texts side
by side, the consolidated figures, and the province's own text saved as typed. Only the
province's consolidators write; its viewers read; anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parstat.accounts.permissions import visible_units
from parstat.analytics.states import StateScope, scope_or_default
from parstat.errors import ParstatError
from parstat.http_status import status_for
from parstat.narrative.province import (
    ProvinceDraft,
    do_set_province_narrative,
    do_start_province_draft,
    province_draft,
)
from parstat.narrative.views import preview_html
from parstat.province.status import province_editable, province_status
from parstat.province.workflow import may_read, may_write, sees_whole_province
from parstat.reporting.periods import find_period
from parstat.units.models import OrgUnit
from parstat.web.access import web_actor


def _draft(request: HttpRequest, code: str, unit: str) -> tuple[ProvinceDraft, bool]:
    """The draft the user may see (404 otherwise) and whether they may write it."""
    root = OrgUnit.objects.filter(code=unit).first()
    if root is None:
        raise Http404("Không tìm thấy đơn vị")
    if not may_read(request.user, root):
        raise Http404("Không tìm thấy đơn vị")
    try:
        period = find_period(code)
        raw_scope = request.GET.get("scope") or request.POST.get("scope") or ""
        # The province's report is an official document: it counts accepted reports, and the
        # page shows that unless the office looks at another scope while drafting.
        scope = scope_or_default(raw_scope, fmt="docx")
        if not province_editable(root, period):
            scope = StateScope.ACCEPTED
        allowed = (None if sees_whole_province(request.user, root)
                   else set(visible_units(request.user).values_list("id", flat=True)))
        draft = province_draft(root, period, states=scope, allowed=allowed)
    except ParstatError as error:
        raise Http404(error.localized) from None
    return draft, may_write(request.user, root)


@login_required
def province_page(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    draft, can_write = _draft(request, code, unit)
    sections = [(s, preview_html(draft.figures, s.text)) for s in draft.sections]
    status = province_status(request.user, draft.root, draft.period, draft.template)
    return render(request, "narrative/province.html", {
        "draft": draft, "sections": sections, "can_edit": can_write and status.editable,
        "scopes": StateScope.choices, "status": status})


@login_required
@require_POST
def province_save(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    draft, can_edit = _draft(request, code, unit)
    key = request.POST.get("key", "")
    if key not in {s.key for s in draft.sections} | {p.part.key for p in draft.parts}:
        raise Http404("Không có mục này")
    context: dict[str, object] = {"key": key, "error": "", "saved": False}
    status = 200
    raw_version = request.POST.get("version", "")
    try:
        if not can_edit:
            raise ParstatError("permission.denied", action="sửa")  # as ACTION_WORDS: both languages format it
        change = do_set_province_narrative(
            draft.root, draft.period, draft.template, key, request.POST.get("text", ""),
            acting_user=web_actor(request),
            expected_version=int(raw_version) if raw_version.isdigit() else None)
        context["saved"] = change is not None
    except ParstatError as error:
        context["error"] = error.localized
        status = status_for(error.code)
    fresh, _can = _draft(request, code, unit)
    stored = {s.key: (s.version, s.text) for s in fresh.sections}
    stored.update({p.part.key: (p.version, p.text) for p in fresh.parts})
    context["version"], text = stored[key]
    context["preview"] = preview_html(fresh.figures, text)
    return render(request, "narrative/_part_saved.html", context, status=status)


@login_required
@require_POST
def province_start(request: HttpRequest, code: str, unit: str) -> HttpResponse:
    """Fill the sections not written yet with the units' texts, to edit into one."""
    draft, can_edit = _draft(request, code, unit)
    if not can_edit:
        raise Http404("Không tìm thấy đơn vị")
    filled = do_start_province_draft(draft, acting_user=web_actor(request))
    messages.success(request, _("Đã tạo bản nháp cho %(count)s mục.") % {"count": filled})
    return redirect(reverse("web:province_narrative", args=[code, unit])
                    + f"?scope={draft.scope.value}")
