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

from parstat.exports.consolidated import consolidated_table
from parstat.exports.decree30 import UNSET, DocumentBlock, DocumentSection, ReportDocument
from parstat.exports.table import DocumentRef
from parstat.narrative.document import decree30_date, period_words
from parstat.narrative.models import ConsolidatedNarrative
from parstat.narrative.outline import family_of, outline_for
from parstat.narrative.province import consolidated_figures
from parstat.narrative.text import blocks

from .models import ProvinceReport
from .snapshot import consolidation_of, drift, in_force

DOCUMENT_FORMATS = ("docx", "pdf")


def is_final(report: ProvinceReport) -> bool:
    snapshot = in_force(report)
    return snapshot is not None and drift(snapshot).matches


def province_document(report: ProvinceReport) -> ReportDocument:
    consolidation = consolidation_of(report)
    figures = consolidated_figures(consolidation)
    texts = dict(ConsolidatedNarrative.objects.filter(
        unit=report.unit, period=report.period, family=family_of(report.template))
        .values_list("key", "text"))
    sections = [DocumentSection(heading=s.heading, level=s.level,
                                blocks=[DocumentBlock(b.kind, b.text)
                                        for b in blocks(figures.render(texts.get(s.key, "")))])
                for s in outline_for(report.template)]
    recipients = [line.removeprefix("- ").strip() for line in texts.get("recipients", "").split("\n")
                  if line.strip()]
    number = report.document_number.strip()
    place = texts.get("place", "") or UNSET
    when = (decree30_date(report.document_date) if report.document_date
            else f"ngày {UNSET} tháng {UNSET} năm {UNSET}")
    default_summary = ("Kết quả thực hiện công tác cải cách hành chính "
                       f"{period_words(report.period.code)}")
    return ReportDocument(
        governing_body="",
        issuer=f"ỦY BAN NHÂN DÂN {report.unit.name.upper()}",
        number_line=(number if number.lower().startswith("số") else f"Số: {number}")
        if number else f"Số: {UNSET}/BC-UBND",
        place_date_line=f"{place}, {when}",
        title="BÁO CÁO",
        summary=figures.render(texts.get("summary", "")) or default_summary,
        sections=sections, recipients=recipients,
        signer_title=texts.get("signer_title", "").upper(),
        signer_name=texts.get("signer_name", ""),
        draft=not is_final(report), synthetic=report.unit.synthetic,
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
