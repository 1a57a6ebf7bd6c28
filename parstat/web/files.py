"""Fill a report from a file (preview, then apply) and download it to fill offline."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parstat.accounts.permissions import Action, require_in_some_state
from parstat.errors import ParstatError
from parstat.exports.service import FORMATS, ExportRequest, export_bytes, filename
from parstat.http_status import status_for
from parstat.imports.service import (
    ImportChoices,
    ImportReport,
    ImportRequest,
    ImportTarget,
    run_import,
)
from parstat.reporting.models import Report
from parstat.web.access import report_for, web_actor

UPLOAD_NAME = re.compile(r"^[0-9a-f]{32}$")
MAX_UPLOAD = 20 * 1024 * 1024


def _upload_dir(request: HttpRequest) -> Path:
    folder = Path(settings.PARSTAT_UPLOAD_DIR) / str(request.user.pk)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stored(request: HttpRequest, token: str) -> Path | None:
    if not UPLOAD_NAME.match(token):
        return None
    matches = list(_upload_dir(request).glob(f"{token}--*"))
    return matches[0] if matches else None


# An upload is kept, until it is applied, as "<token>--<name made safe>"; the name its sender
# gave it is kept beside it, in "<token>.name", since every message and audit row names the
# file by it (never by the token).
def _keep(request: HttpRequest, token: str, name: str, chunks: Iterable[bytes]) -> Path:
    folder = _upload_dir(request)
    safe_name = re.sub(r"[^\w.\-]+", "_", Path(name).name)[-120:]
    path = folder / f"{token}--{safe_name}"
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    (folder / f"{token}.name").write_text(name, encoding="utf-8")
    return path


def _sent_name(path: Path) -> str:
    token, _, safe_name = path.name.partition("--")
    try:
        return path.with_name(f"{token}.name").read_text(encoding="utf-8") or safe_name
    except OSError:  # kept by an earlier release, without its name beside it
        return safe_name


def _forget(path: Path) -> None:
    path.unlink(missing_ok=True)
    path.with_name(f"{path.name.partition('--')[0]}.name").unlink(missing_ok=True)


def _confirmations(request: HttpRequest) -> dict[int, str]:
    confirmed = {}
    for name in request.POST:
        code = request.POST.get(name, "")
        if name.startswith("confirm:") and name[8:].isdigit() and code:
            confirmed[int(name[8:])] = code
    return confirmed


def _choice(request: HttpRequest, name: str) -> int | None:
    text = request.POST.get(name, "")
    return int(text) if text.isdigit() and 0 < int(text) < 10_000 else None


def _choices(request: HttpRequest) -> ImportChoices:
    """The preview's answers: which table, which value column (blank: the import's choice)."""
    return ImportChoices(table=_choice(request, "table"),
                         value_column=_choice(request, "value_column"))


def _run(request: HttpRequest, report: Report, path: Path, *, dry_run: bool) -> ImportReport:
    return run_import(ImportRequest.from_path(
        path, name=_sent_name(path), target=ImportTarget.of(report), dry_run=dry_run,
        confirm=_confirmations(request),
        choices=_choices(request), acting_user=web_actor(request)))


def _preview(request: HttpRequest, report: Report, preview: ImportReport, token: str,
             file_name: str) -> HttpResponse:
    return render(request, "web/upload_preview.html",
                  {"report": report, "preview": preview.as_dict(), "token": token,
                   "file_name": file_name, "chosen": _choices(request)})


def _refused(request: HttpRequest, report: Report, error: ParstatError) -> HttpResponse:
    """The upload form again, saying why, with the API's status for the same error."""
    messages.error(request, error.localized)
    return render(request, "web/upload.html", {"report": report}, status=status_for(error.code))


def _require_preview(request: HttpRequest, report: Report) -> None:
    """A preview is a dry run: whoever could edit the report as a draft may try a file on it
    in any state, and a locked report's preview says that applying would be refused."""
    require_in_some_state(request.user, Action.EDIT, report.unit)


@login_required
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request, pk)
    _require_preview(request, report)
    if request.method != "POST":
        return render(request, "web/upload.html", {"report": report})
    received = request.FILES.get("file")
    if received is None or (received.size or 0) > MAX_UPLOAD:
        messages.error(request, _("Hãy chọn một tệp (tối đa 20 MB)."))
        return render(request, "web/upload.html", {"report": report}, status=400)
    token = secrets.token_hex(16)
    path = _keep(request, token, Path(received.name or "upload").name, received.chunks())
    try:
        preview = _run(request, report, path, dry_run=True)
    except ParstatError as error:
        _forget(path)
        return _refused(request, report, error)
    return _preview(request, report, preview, token, _sent_name(path))


@login_required
@require_POST
def upload_apply(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for(request, pk)
    _require_preview(request, report)
    token = request.POST.get("token", "")
    path = _stored(request, token)
    if path is None:
        messages.error(request, _("Tệp đã hết hạn hoặc không tồn tại; hãy tải lên lại."))
        return redirect("web:upload", pk=report.pk)
    if request.POST.get("action") == "preview":  # the person chose a table or a column
        try:
            preview = _run(request, report, path, dry_run=True)
        except ParstatError as error:
            return _refused(request, report, error)
        return _preview(request, report, preview, token, _sent_name(path))
    # The roles are asked here (403); the report's state is the import's to judge
    # (report.locked, 409), as in the API.
    require_in_some_state(request.user, Action.EDIT, report.unit)
    try:
        result = _run(request, report, path, dry_run=False).as_dict()
    except ParstatError as error:
        return _refused(request, report, error)
    finally:
        _forget(path)
    summary = result["summary"]
    messages.success(request, _("Đã nhập từ tệp: %(imported)d giá trị mới, %(updated)d thay đổi, "
                                "%(conflicts)d bị từ chối.") % summary)
    return redirect("web:report_detail", pk=report.pk)


@login_required
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report in any export format, through the one export service the CLI and API use."""
    report = report_for(request, pk)
    if fmt not in FORMATS:
        return HttpResponse(status=404)
    wanted = ExportRequest.of_report(report, fmt)
    response = HttpResponse(export_bytes(wanted, allowed={report.unit_id}),
                            content_type=FORMATS[fmt].content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(wanted)}"'
    return response
