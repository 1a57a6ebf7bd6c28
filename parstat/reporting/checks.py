"""A report's values seen through its template: derived rows filled in, rules checked."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from parstat.catalog.layout import template_layout
from parstat.catalog.models import Indicator
from parstat.ids import id_list
from parstat.reporting.models import Report, Value
from parstat.rules.evaluate import (
    all_findings,
    compile_template,
    derive_and_compute,
    findings_after_change,
)
from parstat.rules.findings import Finding


def stored_values(report: Report, rows: list[Value] | None = None) -> dict[str, Value]:
    """The report's value rows by indicator code, each with its indicator (the template's
    shared copy: see catalog.layout; not one Indicator instance per value read each time).
    ``rows``: the report's rows when the caller read them already."""
    return _by_code(report, list(Value.objects.filter(report=report)) if rows is None else rows)


def _by_code(report: Report, rows: list[Value]) -> dict[str, Value]:
    by_id = template_layout(report.template).by_id
    strays = {v.indicator_id for v in rows} - by_id.keys()  # none, unless the template changed
    if strays:
        by_id = {**by_id, **Indicator.objects.in_bulk(strays)}
    cache = Value.indicator.field  # the descriptor's own cache, without its checks per row
    for row in rows:
        cache.set_cached_value(row, by_id[row.indicator_id])
    return {row.indicator.code: row for row in rows}


@dataclass(frozen=True)
class Evaluation:
    stored: dict[str, Value]  # by indicator code; rows that exist (a value or a note)
    derived: dict[str, Decimal]  # formula rows computed because their own cell is blank
    findings: list[Finding]
    # Formula rows whose own cell holds a typed value: what the formula gives from its inputs
    # (absent when it gives no value). A typed value that disagrees is a ``formula:<code>``
    # finding; the value itself stays as typed.
    computed: dict[str, Decimal] = field(default_factory=dict)

    def value_of(self, code: str) -> Decimal | str | None:
        if code in self.derived:
            return self.derived[code]
        stored = self.stored.get(code)
        return stored.content if stored else None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


def evaluate_report(report: Report) -> Evaluation:
    return evaluate_values(report, stored_values(report))


def evaluate_reports(reports: Iterable[Report]) -> dict[int, Evaluation]:
    """Each report's evaluation by its id, the values of them all read in one query (for lists
    of reports whose findings were never stored)."""
    chosen = list(reports)
    rows: dict[int, list[Value]] = {report.pk: [] for report in chosen}
    if rows:
        for row in Value.objects.filter(report_id__in=id_list(rows)):
            rows[row.report_id].append(row)
    return {report.pk: evaluate_values(report, _by_code(report, rows[report.pk]))
            for report in chosen}


@dataclass(frozen=True)
class FindingCounts:
    errors: int
    warnings: int


def stored_findings_q() -> Q:
    """The reports whose findings and their counts were stored with their last change; the
    others (filed before they were stored) are evaluated wherever they are listed."""
    return Q(findings__isnull=False, error_count__isnull=False, warning_count__isnull=False)


def decoded_findings(stored: list[dict[str, Any]]) -> list[Finding]:
    """``Report.findings`` as findings again (the inverse of ``actions.finding_columns``)."""
    # Findings stored before parstat's words were kept with their params have no "text": their
    # message is shown as stored (Vietnamese) until the report's next change stores them again.
    return [Finding(rule=f["rule"], severity=f["severity"], message=f["message"],
                    codes=tuple(f["codes"]),
                    left=None if f["left"] is None else Decimal(f["left"]),
                    right=None if f["right"] is None else Decimal(f["right"]),
                    text=f.get("text", ""), params=tuple((f.get("params") or {}).items()))
            for f in stored]


def finding_counts(report: Report) -> FindingCounts:
    """The report's errors and warnings as stored with its last change; a report filed before
    counts were stored is evaluated, until its next change stores them. The one home of this
    choice for the period page, the work queue and whoever lists many reports."""
    if report.error_count is not None and report.warning_count is not None:
        return FindingCounts(report.error_count, report.warning_count)
    evaluation = evaluate_report(report)
    return FindingCounts(len(evaluation.errors), len(evaluation.warnings))


def evaluate_values(report: Report, stored: dict[str, Value]) -> Evaluation:
    """The evaluation of ``report`` with these value rows (by code), e.g. as a save left them."""
    return _evaluation(report, stored, None)


def evaluate_change(report: Report, stored: dict[str, Value],
                    changed: Collection[str]) -> Evaluation:
    """:func:`evaluate_values` after a change of the typed values of ``changed`` (codes), from
    the findings ``report`` stored before it (``Report.findings``, as read with the report):
    only the rules, kind checks and formula rows the change can affect are checked again
    (``CompiledTemplate.dependencies``); the answer is the same. Everything is evaluated when
    the stored findings cannot be trusted to be the values' before the change (see
    :func:`_findings_before`)."""
    return _evaluation(report, stored, changed)


def _evaluation(report: Report, stored: dict[str, Value],
                changed: Collection[str] | None) -> Evaluation:
    numbers = {code: v.number for code, v in stored.items() if v.number is not None}
    compiled = compile_template(report.template)
    derived, computed = derive_and_compute(compiled, numbers)
    previous = None if changed is None else _findings_before(report)
    found = None if previous is None else findings_after_change(
        compiled, numbers, derived, computed, previous, changed or ())
    if found is None:
        found = all_findings(compiled, numbers, derived, computed)
    return Evaluation(stored=stored, derived=derived, findings=found, computed=computed)


def _findings_before(report: Report) -> list[Finding] | None:
    """The report's stored findings, or None when there are none (filed before they were
    stored) or when its template was loaded again after its last change (an erratum may have
    reworded a rule's message or an indicator's label: the stored texts may be the old ones)."""
    if report.findings is None or report.updated_at < report.template.loaded_at:
        return None
    return decoded_findings(report.findings)
