"""The province's report as one Decree 30/2020 document: the heading block of the province's
People's Committee, the province's narrative (its own text, figures from the consolidated
totals), "Nơi nhận", signature, then the consolidated table as the appendix.

The figures and the table are the consolidation over the report's scope as it is now; the
document is final (no "DỰ THẢO") only while the approval is in force and still matches it, so
a printed final document never shows numbers other than those approved.
"""

from __future__ import annotations

import io
from dataclasses import replace

from parstat.analytics.consolidation import Consolidation
from parstat.exports.consolidated import consolidated_table
from parstat.exports.decree30 import UNSET, ReportDocument
from parstat.exports.table import DocumentRef
from parstat.narrative.document import number_line, written_document
from parstat.narrative.models import ConsolidatedNarrative
from parstat.narrative.outline import family_of
from parstat.narrative.province import consolidated_figures

from .models import ProvinceReport
from .snapshot import consolidation_of, drift, in_force

DOCUMENT_FORMATS = ("docx", "pdf")


def is_final(report: ProvinceReport, now: Consolidation | None = None) -> bool:
    """Approved, and today's totals (``now``, if already read) still the approved ones."""
    snapshot = in_force(report)
    return snapshot is not None and drift(snapshot, now).matches


def province_document(report: ProvinceReport) -> ReportDocument:
    consolidation = consolidation_of(report)
    texts = dict(ConsolidatedNarrative.objects.filter(
        unit=report.unit, period=report.period, family=family_of(report.template))
        .values_list("key", "text"))
    number = report.document_number.strip()
    return written_document(
        texts, consolidated_figures(consolidation), report.template, report.period.code,
        governing_body="", issuer=f"ỦY BAN NHÂN DÂN {report.unit.name.upper()}",
        number=number_line(number, unset=f"Số: {UNSET}/BC-UBND"),
        issued_on=report.document_date, draft=not is_final(report, consolidation),
        synthetic=report.unit.synthetic,
        # The appendix says which report it comes with, as a unit's does.
        table=replace(consolidated_table(consolidation), document=DocumentRef(
            number=number, date=report.document_date,
            issuer=f"Ủy ban nhân dân {report.unit.name[:1].lower()}{report.unit.name[1:]}")
            if number else None))


def province_document_bytes(report: ProvinceReport, fmt: str) -> bytes:
    if fmt not in DOCUMENT_FORMATS:
        raise ValueError(f"the province's report is written as docx or pdf, not {fmt!r}")
    document = province_document(report)
    out = io.BytesIO()
    if fmt == "docx":
        from parstat.exports.docx import write_report_docx

        write_report_docx(document, out)
    else:
        from parstat.exports.pdf import write_report_pdf

        write_report_pdf(document, out)
    return out.getvalue()
