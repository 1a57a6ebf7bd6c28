"""The province's whole report as one Decree 30 document: its narrative (as the leader approved
it, figures rendered from the frozen totals) and the consolidated table as the appendix, written
by the same .docx/.pdf writers as a unit's report (parstat.narrative.document)."""

from __future__ import annotations

import io
from decimal import Decimal

from parstat.analytics.states import StateScope
from parstat.exports.consolidated import build_consolidated
from parstat.exports.decree30 import DocumentBlock, DocumentSection, ReportDocument
from parstat.narrative.document import decree30_date, default_summary
from parstat.narrative.figures import Figures
from parstat.narrative.outline import outline_for
from parstat.narrative.text import blocks

from .models import ProvinceReport, ProvinceSnapshot, ProvinceState


def frozen_figures(snapshot: ProvinceSnapshot) -> Figures:
    totals = list(snapshot.totals.select_related("indicator"))
    values: dict[str, Decimal | str | None] = {t.indicator.code: t.number for t in totals}
    return Figures(indicators={t.indicator.code: t.indicator for t in totals}, lookup=values.get)


def province_document(report: ProvinceReport, snapshot: ProvinceSnapshot
                      ) -> ReportDocument | None:
    """None when the table has no outline: the province has no narrative to print."""
    outline = outline_for(report.template)
    if not outline:
        return None
    figures = frozen_figures(snapshot)
    texts = snapshot.narrative
    sections = [DocumentSection(heading=s.heading, level=s.level,
                                blocks=[DocumentBlock(b.kind, b.text)
                                        for b in blocks(figures.render(texts.get(s.key, "")))])
                for s in outline]
    recipients = [line.removeprefix("- ").strip()
                  for line in texts.get("recipients", "").split("\n") if line.strip()]
    number = report.document_number.strip()
    place = texts.get("place", "") or "……"
    when = (decree30_date(report.document_date) if report.document_date
            else "ngày …… tháng …… năm ……")
    return ReportDocument(
        governing_body="", issuer=f"UBND {report.unit.name.upper()}",
        number_line=(number if number.lower().startswith("số") else f"Số: {number}")
        if number else "Số: ……/BC-……",
        place_date_line=f"{place}, {when}", title="BÁO CÁO",
        summary=figures.render(texts.get("summary", "")) or default_summary(report),  # type: ignore[arg-type]
        sections=sections, recipients=recipients,
        signer_title=texts.get("signer_title", "").upper(),
        signer_name=texts.get("signer_name", ""),
        draft=report.state not in (ProvinceState.APPROVED, ProvinceState.SENT),
        synthetic=report.template.synthetic or report.unit.synthetic,
        table=build_consolidated(report.unit.code, report.period.code,
                                 states=StateScope(snapshot.scope),
                                 template_code=report.template.code))


def province_document_bytes(report: ProvinceReport, snapshot: ProvinceSnapshot,
                            fmt: str) -> bytes | None:
    document = province_document(report, snapshot)
    if document is None:
        return None
    out = io.BytesIO()
    if fmt == "docx":
        from parstat.exports.docx import write_report_docx

        write_report_docx(document, out)
    else:
        from parstat.exports.pdf import write_report_pdf

        write_report_pdf(document, out)
    return out.getvalue()
