"""Every export, whatever asks for it: the command line, the pages and the API call :func:`export`.

A request names a unit, a period and a format; ``consolidated`` turns it into the table of all
units below the unit (with ``by_unit``, one column per unit; with ``today``, merged units counted
under their successor). ``allowed`` is the set of unit ids the asking user may see
(parstat.accounts.permissions.visible_units); None means everything (the command line is run by
an administrator of the server).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import IO

from django.utils import timezone

from parstat.analytics.states import StateScope, default_scope
from parstat.errors import ParstatError
from parstat.exports.build import find_report, report_table
from parstat.exports.consolidated import build_consolidated
from parstat.exports.exchange import exchange_groups
from parstat.exports.formats import FORMATS, get_format
from parstat.exports.table import ReportTable
from parstat.reporting.models import Report

__all__ = ["FORMATS", "ExportRequest", "export", "export_bytes", "filename", "table_for"]


@dataclass(frozen=True)
class ExportRequest:
    unit_code: str
    period_code: str
    fmt: str
    consolidated: bool = False
    by_unit: bool = False
    today: bool = False
    template_code: str | None = None
    # Consolidated only: which report states count; None takes the format's default (accepted
    # only for an official document, docx/pdf; submitted and accepted otherwise).
    states: StateScope | None = None
    # A unit's own table when the edge already has its report (the report's page): exported as
    # it is, not looked up again by its codes.
    report: Report | None = None

    @classmethod
    def of_report(cls, report: Report, fmt: str) -> ExportRequest:
        return cls(unit_code=report.unit.code, period_code=report.period.code, fmt=fmt,
                   template_code=report.template.code, report=report)

    @property
    def scope(self) -> StateScope:
        return self.states if self.states is not None else default_scope(self.fmt)


def table_for(request: ExportRequest, allowed: Iterable[int] | None = None) -> ReportTable:
    if request.consolidated:
        return build_consolidated(request.unit_code, request.period_code, states=request.scope,
                                  template_code=request.template_code, today=request.today,
                                  by_unit=request.by_unit, allowed=allowed)
    report = request.report or find_report(request.unit_code, request.period_code)
    if allowed is not None and report.unit_id not in set(allowed):
        raise ParstatError("unit.not_found", code=request.unit_code)
    return report_table(report)


def export(request: ExportRequest, fp: IO, *, allowed: Iterable[int] | None = None,
           exported: datetime | None = None) -> None:
    """Write the export to ``fp`` (bytes for BINARY formats, text otherwise)."""
    fmt = get_format(request.fmt)
    allowed = set(allowed) if allowed is not None else None
    if fmt.write_exchange is not None:
        exchange = exchange_groups(request.unit_code, request.period_code,
                                   consolidated=request.consolidated, today=request.today,
                                   allowed=allowed, states=request.scope)
        fmt.write_exchange(exchange, fp, exported or timezone.now().replace(microsecond=0))
        return
    assert fmt.write_table is not None
    fmt.write_table(table_for(request, allowed), fp)


def export_bytes(request: ExportRequest, *, allowed: Iterable[int] | None = None) -> bytes:
    """The export as bytes, UTF-8 for text formats (for HTTP responses)."""
    if get_format(request.fmt).binary:
        binary = io.BytesIO()
        export(request, binary, allowed=allowed)
        return binary.getvalue()
    text = io.StringIO(newline="")
    export(request, text, allowed=allowed)
    return text.getvalue().encode("utf-8")


def filename(request: ExportRequest) -> str:
    """ASCII-safe download name, e.g. "DEMO_2024Q1_tong-hop.xlsx"."""
    parts = [request.unit_code, request.period_code]
    if request.consolidated:
        parts.append("tong-hop-theo-don-vi" if request.by_unit else "tong-hop")
        if request.scope.provisional:
            parts.append("tam-tinh")
    stem = "_".join(parts).replace("Đ", "D").replace("đ", "d")
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem) + get_format(request.fmt).extension
