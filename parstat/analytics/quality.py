"""Data quality across units: every finding of every report below a unit for a period."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from parstat.reporting.checks import evaluate_report
from parstat.reporting.models import Period, Report
from parstat.rules.findings import Finding
from parstat.units.models import OrgUnit

from .scope import units_in_scope


@dataclass(frozen=True)
class ReportFinding:
    report: Report
    finding: Finding


def stored_findings(report: Report) -> list[Finding]:
    """The findings stored when the report last changed; a report filed before they were
    stored is evaluated here until its next change."""
    if report.findings is None:
        return evaluate_report(report).findings
    return [Finding(rule=f["rule"], severity=f["severity"], message=f["message"],
                    codes=tuple(f["codes"]),
                    left=None if f["left"] is None else Decimal(f["left"]),
                    right=None if f["right"] is None else Decimal(f["right"]))
            for f in report.findings]


def findings_below(root: OrgUnit, period: Period, *, allowed: Iterable[int] | None = None
                   ) -> list[ReportFinding]:
    scope = units_in_scope(root, allowed=allowed)
    reports = (Report.objects.filter(period=period, unit_id__in=scope)
               .select_related("unit", "template", "period").order_by("unit__code"))
    out = [ReportFinding(report, finding) for report in reports
           for finding in stored_findings(report)]
    out.sort(key=lambda f: (f.finding.severity != "error", f.report.unit.code, f.finding.rule))
    return out
