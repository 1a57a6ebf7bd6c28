"""Data quality across units: every finding of every report below a unit for a period.

The findings are those stored with each report when it last changed (``Report.findings``, with
its ``error_count`` and ``warning_count``). A list of them is read a page at a time: the counts of
every report in scope come in one query of a few integers a report, and only the reports the
page shows are read with their findings. Reports filed before findings were stored are
evaluated, all of them with their values in one query, until their next change stores them.
Filtered by a section, the stored findings of the reports that have any are read whole (one
query), since a count does not say which rows a finding touches.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple, overload

from django.db.models import Q, QuerySet

from parstat.catalog.models import Severity
from parstat.ids import id_list, ids_in
from parstat.reporting.checks import decoded_findings, evaluate_reports, stored_findings_q
from parstat.reporting.models import Period, Report
from parstat.rules.findings import Finding
from parstat.units.models import OrgUnit

from .scope import units_in_scope
from .states import StateScope


@dataclass(frozen=True)
class ReportFinding:
    report: Report
    finding: Finding


@dataclass(frozen=True)
class FindingFilter:
    """Which findings a list keeps; empty keeps every one."""

    unit: str = ""  # a unit's code
    codes: frozenset[str] | None = None  # findings touching one of these rows (a section's)
    severity: str = ""  # "error" or "warning" (anything else keeps both)

    def __post_init__(self) -> None:
        if self.severity not in Severity.values:
            object.__setattr__(self, "severity", "")

    def keeps(self, unit_code: str, finding: Finding) -> bool:
        return ((not self.unit or unit_code == self.unit)
                and (self.codes is None or bool(set(finding.codes) & self.codes))
                and self.severity in ("", finding.severity))


class UnitName(NamedTuple):
    code: str
    name: str


class FindingList(Sequence[ReportFinding]):
    """The findings below a unit in order (errors first, then by unit code and rule), each
    slice read when asked: what a paginator needs (its length, then one page)."""

    def __init__(self, reports: QuerySet[Report], only: FindingFilter) -> None:
        self._only = only
        self._stored: dict[str, list[int]] = {}  # unit code → its reports with stored findings
        self._read: dict[int, tuple[Report, list[Finding]]] = {}  # read or evaluated already
        counts: dict[tuple[str, str], int] = {}  # (severity, unit code) → findings kept
        self.units: dict[str, str] = {}  # code → name of every unit with a finding, unfiltered
        for report, found in self._evaluated(reports):
            self._read[report.pk] = (report, found)
            self._count(counts, report.unit.code, report.unit.name, found)
        columns = ["pk", "unit__code", "unit__name", "error_count", "warning_count"]
        if only.codes is not None:
            columns.append("findings")
        for pk, code, name, errors, warnings, *stored in (
                reports.filter(stored_findings_q())
                .filter(Q(error_count__gt=0) | Q(warning_count__gt=0))
                .order_by().values_list(*columns)):
            self._stored.setdefault(code, []).append(pk)
            if stored:
                self._count(counts, code, name, decoded_findings(stored[0]))
                continue
            self.units[code] = name
            if not only.unit or code == only.unit:
                for severity, n in ((Severity.ERROR, errors), (Severity.WARNING, warnings)):
                    if n and only.severity in ("", severity):
                        counts[(severity, code)] = counts.get((severity, code), 0) + n
        self._segments = sorted(counts.items(), key=lambda kv: (kv[0][0] != Severity.ERROR,
                                                                kv[0][1]))
        self._length = sum(counts.values())

    @staticmethod
    def _evaluated(reports: QuerySet[Report]) -> Iterator[tuple[Report, list[Finding]]]:
        unstored = list(reports.exclude(stored_findings_q())
                        .select_related("unit", "template", "period"))
        evaluations = evaluate_reports(unstored)
        for report in unstored:
            yield report, evaluations[report.pk].findings

    def _count(self, counts: dict[tuple[str, str], int], code: str, name: str,
               found: list[Finding]) -> None:
        if found:
            self.units[code] = name
        for finding in found:
            if self._only.keeps(code, finding):
                key = (finding.severity, code)
                counts[key] = counts.get(key, 0) + 1

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, index: int) -> ReportFinding: ...

    @overload
    def __getitem__(self, index: slice) -> list[ReportFinding]: ...

    def __getitem__(self, index: int | slice) -> ReportFinding | list[ReportFinding]:
        if isinstance(index, int):
            position = index + self._length if index < 0 else index
            if not 0 <= position < self._length:
                raise IndexError(index)
            return self._slice(position, position + 1)[0]
        start, stop, step = index.indices(self._length)
        return self._slice(start, stop)[::step] if step != 1 else self._slice(start, stop)

    def __iter__(self) -> Iterator[ReportFinding]:
        return iter(self._slice(0, self._length))

    def _slice(self, start: int, stop: int) -> list[ReportFinding]:
        picks: list[tuple[str, str, int, int]] = []  # severity, unit code, from, to
        position = 0
        for (severity, code), n in self._segments:
            if position >= stop:
                break
            if position + n > start:
                picks.append((severity, code, max(start - position, 0), min(stop - position, n)))
            position += n
        by_unit = self._findings_of({code for _s, code, _a, _b in picks})
        out: list[ReportFinding] = []
        for severity, code, first, last in picks:
            kept = [f for f in by_unit.get(code, []) if f.finding.severity == severity
                    and self._only.keeps(code, f.finding)]
            kept.sort(key=lambda f: f.finding.rule)
            out.extend(kept[first:last])
        return out

    def _findings_of(self, codes: set[str]) -> dict[str, list[ReportFinding]]:
        """unit code → the findings of its reports (by report id, each in its stored order)."""
        missing = [pk for code in codes for pk in self._stored.get(code, ())
                   if pk not in self._read]
        if missing:
            for report in Report.objects.filter(pk__in=id_list(missing)).select_related(
                    "unit", "template", "period"):
                self._read[report.pk] = (report, decoded_findings(report.findings or []))
        out: dict[str, list[ReportFinding]] = {}
        for pk in sorted(self._read):
            report, found = self._read[pk]
            if report.unit.code in codes:
                out.setdefault(report.unit.code, []).extend(ReportFinding(report, f)
                                                             for f in found)
        return out


def findings_below(root: OrgUnit, period: Period, *, allowed: Iterable[int] | None = None,
                   only: FindingFilter | None = None,
                   states: StateScope | None = None) -> FindingList:
    """The findings of the reports of ``period`` below ``root`` (those ``allowed``), of the
    reports in ``states`` when given (the page's "Số liệu gồm": the same reports as its
    totals and outliers)."""
    scope = units_in_scope(root, allowed=allowed)
    reports = Report.objects.filter(ids_in("unit_id", scope), period=period)
    if states is not None:
        reports = reports.filter(state__in=states.states)
    return FindingList(reports, only or FindingFilter())


def unit_names(units: Iterable[OrgUnit | UnitName]) -> list[UnitName]:
    """Each unit once, by name (a picker's options)."""
    return sorted({UnitName(u.code, u.name) for u in units}, key=lambda u: (u.name, u.code))
