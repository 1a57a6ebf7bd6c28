"""A unit's whole report as one document (Decree 30/2020/NĐ-CP), filled into the shape the .docx
and .pdf writers read (parstat.exports.decree30.ReportDocument): heading block, title, the narrative
sections with their figures rendered from the current values, "Nơi nhận", signature block, then
the appendix table on its own page.
"""

from __future__ import annotations

from datetime import date

from parstat.catalog.models import Template
from parstat.exports.build import report_table
from parstat.exports.decree30 import UNSET, DocumentBlock, DocumentSection, ReportDocument
from parstat.exports.table import ReportTable
from parstat.narrative.figures import Figures, figures_of
from parstat.narrative.models import NarrativeText
from parstat.narrative.outline import outline_for
from parstat.narrative.text import blocks
from parstat.reporting.models import Report, ReportState
from parstat.units.models import UnitKind
from parstat.vnformat import period_label


def decree30_date(day: date) -> str:
    """"ngày 17 tháng 3 năm 2023": days below 10 and months below 3 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def _governing_body(report: Report) -> str:
    parent = report.unit.parent
    if parent is None:
        return ""
    name = parent.name.upper()
    return f"UBND {name}" if parent.kind == UnitKind.PROVINCE else name


def number_line(number: str, unset: str = f"Số: {UNSET}/BC-{UNSET}") -> str:
    """"Số: 81/BC-SKHĐT" from the number as given; ``unset`` (dotted) while there is none."""
    number = number.strip()
    if not number:
        return unset
    return number if number.lower().startswith("số") else f"Số: {number}"


def _place_date_line(place: str, issued_on: date | None) -> str:
    place = place or UNSET
    when = decree30_date(issued_on) if issued_on else f"ngày {UNSET} tháng {UNSET} năm {UNSET}"
    return f"{place}, {when}"


def period_words(code: str) -> str:
    """A period as a title says it: "quý I năm 2023", "6 tháng đầu năm 2023", "năm 2023"."""
    label = period_label(code)
    if label.startswith("Quý ") and "/" in label:
        quarter, year = label.removeprefix("Quý ").split("/", 1)
        return f"quý {quarter} năm {year}"
    return label[:1].lower() + label[1:]


def default_summary(report: Report) -> str:
    return period_summary(report.period.code)


def period_summary(code: str) -> str:
    return f"Kết quả thực hiện công tác cải cách hành chính {period_words(code)}"


def written_document(texts: dict[str, str], figures: Figures, template: Template,
                     period_code: str, *, governing_body: str, issuer: str, number: str,
                     issued_on: date | None, draft: bool, synthetic: bool,
                     table: ReportTable) -> ReportDocument:
    """The document from what was written under each key (outline sections and the document's
    own parts), the figures rendered in it, and the heading's facts: one layout for a unit's
    report and the province's."""
    sections = [DocumentSection(heading=s.heading, level=s.level,
                                blocks=[DocumentBlock(b.kind, b.text)
                                        for b in blocks(figures.render(texts.get(s.key, "")))])
                for s in outline_for(template)]
    recipients = [line.removeprefix("- ").strip() for line in texts.get("recipients", "").split("\n")
                  if line.strip()]
    return ReportDocument(
        governing_body=governing_body, issuer=issuer, number_line=number,
        place_date_line=_place_date_line(texts.get("place", ""), issued_on),
        title="BÁO CÁO",
        summary=figures.render(texts.get("summary", "")) or period_summary(period_code),
        sections=sections, recipients=recipients,
        signer_title=texts.get("signer_title", "").upper(),
        signer_name=texts.get("signer_name", ""),
        draft=draft, synthetic=synthetic, table=table)


def report_document(report: Report, figures: Figures | None = None) -> ReportDocument:
    figures = figures or figures_of(report)
    texts = dict(NarrativeText.objects.filter(report=report).values_list("key", "text"))
    return written_document(
        texts, figures, report.template, report.period.code,
        governing_body=_governing_body(report),
        issuer=(report.document_issuer or report.unit.name).upper(),
        number=number_line(report.document_number), issued_on=report.document_date,
        draft=report.state != ReportState.ACCEPTED, synthetic=report.synthetic,
        table=report_table(report, figures.evaluation))  # the same reading as the text
