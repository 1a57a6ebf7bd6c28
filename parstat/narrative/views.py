"""The narrative page of a report: each part written and saved as it is typed (htmx), figures of
the table inserted as {{CODE}}, the report sent with its number and date, the whole document
downloaded. Views only parse, call a do_… function and render; reports are reached through
:func:`parstat.web.access.report_for` (404 outside one's units)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parstat.accounts.models import Role
from parstat.accounts.permissions import Action, allowed_actions, require, roles_on
from parstat.errors import ParstatError
from parstat.exports.service import FORMATS, ExportRequest
from parstat.exports.service import filename as export_filename
from parstat.http_status import status_for
from parstat.narrative.actions import (
    do_set_narrative,
    do_submit_with_document,
    parse_document_date,
    part_of,
)
from parstat.narrative.document import default_summary
from parstat.narrative.export import DOCUMENT_FORMATS, document_bytes
from parstat.narrative.figures import Figures, figures_of
from parstat.narrative.models import NarrativeChange, NarrativeText
from parstat.narrative.outline import DOCUMENT_PARTS, outline_for
from parstat.narrative.text import blocks
from parstat.reporting.models import Report
from parstat.web.access import report_for, web_actor


# A save's refusals, by error code; any other user error (a figure not in the table, a control
# character, a text too long) is 422.
@dataclass(frozen=True)
class PartView:
    key: str
    heading: str
    guidance: str
    level: int
    text: str
    version: int
    figures: bool
    multiline: bool
    preview: SafeString


def preview_html(figures: Figures, text: str) -> SafeString:
    """The text as the document will read, each figure marked so the page shows it is live."""
    def mark(code: str, shown: str) -> str:
        return f"\x00{code}\x01{shown}\x02"

    out = []
    for block in blocks(figures.render(text, mark)):
        html = escape(block.text)
        html = (html.replace("\x00", "<span class='figure' title='").replace("\x01", "'>")
                .replace("\x02", "</span>"))
        out.append(f"<li>{html}</li>" if block.kind == "li" else f"<p>{html}</p>")
    return mark_safe("".join(out))  # noqa: S308 (every piece of text escaped above)


def _parts(report: Report, figures: Figures) -> tuple[list[PartView], list[PartView]]:
    stored = {t.key: t for t in NarrativeText.objects.filter(report=report)}

    def view(key: str, heading: str, guidance: str, level: int, has_figures: bool,
             multiline: bool) -> PartView:
        text = stored[key].text if key in stored else ""
        return PartView(key=key, heading=heading, guidance=guidance, level=level, text=text,
                        version=stored[key].version if key in stored else 0,
                        figures=has_figures, multiline=multiline,
                        preview=preview_html(figures, text) if has_figures else mark_safe(""))

    document = [view(p.key, str(p.heading), "", 1, p.figures, p.multiline)  # request language
                for p in DOCUMENT_PARTS]
    sections = [view(s.key, s.heading, s.guidance, s.level, True, True)
                for s in outline_for(report.template)]
    return document, sections


def _figure_choices(figures: Figures) -> list[tuple[str, str]]:
    """(code, "code — label: value") of every indicator, for the "Chèn số liệu" list."""
    out = []
    for indicator in sorted(figures.indicators.values(), key=lambda i: i.position):
        if indicator.kind == "group" and figures.lookup(indicator.code) is None:
            continue  # a heading with no value of its own is nothing to quote
        out.append((indicator.code,
                    f"{indicator.code} — {indicator.label[:70]}: {figures.value(indicator.code)}"))
    return out


def _province_of(request: HttpRequest, report: Report) -> str:
    """The unit above whose narrative the user consolidates ("" if none): for its link."""
    parent = report.unit.parent
    if parent is not None and Role.CONSOLIDATOR in roles_on(request.user, parent):
        return str(parent.code)
    return ""


@login_required
def narrative_page(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request, pk)
    figures = figures_of(report)
    document_parts, sections = _parts(report, figures)
    actions = allowed_actions(request.user, report)
    history = (NarrativeChange.objects.filter(report=report).order_by("-changed_at", "-id")[:100])
    return render(request, "narrative/narrative.html", {
        "report": report, "document_parts": document_parts, "sections": sections,
        "can_edit": Action.EDIT in actions, "can_submit": Action.SUBMIT in actions,
        "figure_choices": _figure_choices(figures) if Action.EDIT in actions else [],
        "default_summary": default_summary(report), "history": history,
        "province": _province_of(request, report),
        "formats": DOCUMENT_FORMATS})


@login_required
@require_POST
def save_part(request: HttpRequest, pk: int) -> HttpResponse:
    """One part, saved as it is typed: 200 saved or unchanged, 422 refused (the reason in its
    status), 409 changed meanwhile or locked, 403 not allowed."""
    report = report_for(request, pk)
    key = request.POST.get("key", "")
    raw_version = request.POST.get("version", "")
    context: dict[str, object] = {"report": report, "key": key, "error": "", "saved": False}
    status = 200
    try:
        part = part_of(report, key)
    except ParstatError:
        raise Http404("Không có mục này") from None
    try:
        require(request.user, Action.EDIT, report)
        change = do_set_narrative(report, key, request.POST.get("text", ""),
                                  acting_user=web_actor(request),
                                  expected_version=int(raw_version) if raw_version.isdigit()
                                  else None)
        context["saved"] = change is not None
    except ParstatError as error:
        context["error"] = error.localized
        status = status_for(error.code)
    stored = NarrativeText.objects.filter(report=report, key=key).first()
    context["version"] = stored.version if stored else 0
    context["preview"] = (preview_html(figures_of(report), stored.text if stored else "")
                          if part.figures else None)
    return render(request, "narrative/_part_saved.html", context, status=status)


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the report, numbering it as it goes (the approver's "Gửi báo cáo" on this page)."""
    report = report_for(request, pk)
    try:
        require(request.user, Action.SUBMIT, report)
        do_submit_with_document(report, number=request.POST.get("number", ""),
                                issued_on=parse_document_date(request.POST.get("date", "")),
                                acting_user=web_actor(request),
                                explanation=request.POST.get("text", ""))
    except ParstatError as error:
        messages.error(request, error.localized)
        return redirect("web:narrative", pk=report.pk)
    messages.success(request, _("Đã gửi báo cáo."))
    return redirect("web:narrative", pk=report.pk)


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The whole report (narrative and appendix) as .docx or .pdf."""
    report = report_for(request, pk)
    if fmt not in DOCUMENT_FORMATS:
        raise Http404("Không có định dạng này")
    name = export_filename(ExportRequest.of_report(report, fmt))
    response = HttpResponse(document_bytes(report, fmt), content_type=FORMATS[fmt].content_type)
    response["Content-Disposition"] = f'attachment; filename="bao-cao_{name}"'
    return response
