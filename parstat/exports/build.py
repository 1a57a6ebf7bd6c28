"""From the database to the :class:`ReportTable` every writer reads."""

from __future__ import annotations

from parstat.catalog.models import Indicator, Section
from parstat.errors import ParstatError
from parstat.exports.table import DocumentRef, ReportTable, TableRow, TableSection
from parstat.reporting.checks import Evaluation, evaluate_report
from parstat.reporting.models import Report
from parstat.reporting.periods import find_period
from parstat.units.models import OrgUnit


def find_report(unit_code: str, period_code: str) -> Report:
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise ParstatError("unit.not_found", code=unit_code)
    period = find_period(period_code)
    report = (Report.objects.filter(unit=unit, period=period)
              .select_related("unit", "period", "template").order_by("-template__edition").first())
    if report is None:
        raise ParstatError("report.not_found", unit=unit_code, period=period.code)
    return report


def report_table(report: Report, evaluation: Evaluation | None = None) -> ReportTable:
    evaluation = evaluation or evaluate_report(report)
    indicators = Indicator.objects.filter(template=report.template).order_by("position")
    rows_by_section: dict[int, list[TableRow]] = {}
    sections = list(Section.objects.filter(template=report.template).order_by("position"))
    numerals = {s.pk: s.numeral for s in sections}
    for indicator in indicators:
        stored = evaluation.stored.get(indicator.code)
        rows_by_section.setdefault(indicator.section_id, []).append(TableRow(
            code=indicator.code, stt=indicator.stt, section=numerals[indicator.section_id],
            label=indicator.label, unit=indicator.unit, kind=indicator.kind,
            level=indicator.level, value=evaluation.value_of(indicator.code),
            derived=indicator.code in evaluation.derived, note=stored.note if stored else ""))
    document = None
    if report.document_number or report.document_issuer:
        document = DocumentRef(number=report.document_number, date=report.document_date,
                               issuer=report.document_issuer)
    return ReportTable(
        template_code=report.template.code, template_name=report.template.name,
        appendix=report.template.appendix, title=report.template.title,
        unit_code=report.unit.code, unit_name=report.unit.name, unit_kind=report.unit.kind,
        period_code=report.period.code, period_start=report.period.start,
        period_end=report.period.end, deadline=report.period.deadline, state=report.state,
        document=document,
        sections=[TableSection(numeral=s.numeral, label=s.label, rows=rows_by_section.get(s.pk, []))
                  for s in sections],
        findings=evaluation.findings, synthetic=report.synthetic)
