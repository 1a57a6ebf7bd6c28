"""What the province's leader approved, and whether it still matches the unit reports.

:func:`freeze` writes, in the approval's transaction, every consolidated total (exact number or
blank, units covered, "không áp dụng", choice counts) and every unit report counted with its
version. :func:`drift` compares an approved snapshot with the reports and totals as they are
now: a unit report reopened, changed, added or no longer counted, and each total that moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from parstat.analytics.consolidation import Consolidation, consolidate
from parstat.analytics.states import StateScope
from parstat.narrative.models import ConsolidatedNarrative
from parstat.narrative.outline import family_of
from parstat.reporting.actions import Actor
from parstat.reporting.models import Report, ReportState

from .models import ProvinceReport, ProvinceSnapshot, ProvinceState, SnapshotReport, SnapshotTotal


def consolidation_of(report: ProvinceReport) -> Consolidation:
    """The province's totals now, over the scope of states the report counts."""
    return consolidate(report.unit, report.period, states=StateScope(report.scope))


def counted_reports(consolidation: Consolidation) -> list[Report]:
    return list(consolidation.counted_reports().select_related("unit").order_by("unit__code"))


def freeze(report: ProvinceReport, consolidation: Consolidation, actor: Actor) -> ProvinceSnapshot:
    """The snapshot of ``consolidation`` as ``report`` is approved (inside its transaction)."""
    narrative = dict(ConsolidatedNarrative.objects.filter(
        unit=report.unit, period=report.period, family=family_of(report.template))
        .values_list("key", "text"))
    snapshot = ProvinceSnapshot.objects.create(
        report=report, version=report.version, scope=report.scope, approved_at=timezone.now(),
        approved_by=actor.user_or_none, actor=actor.name, narrative=narrative,
        scope_size=consolidation.scope_size, expected=consolidation.expected,
        received=consolidation.received)
    SnapshotTotal.objects.bulk_create(
        SnapshotTotal(snapshot=snapshot, indicator=total.indicator,
                      number=total.value if isinstance(total.value, Decimal) else None,
                      units=total.units, not_applicable=total.not_applicable,
                      counts={c.value: c.units for c in total.counts})
        for total in consolidation.totals)
    SnapshotReport.objects.bulk_create(
        SnapshotReport(snapshot=snapshot, report=r, version=r.version, state=r.state,
                       submitted_at=r.submitted_at, accepted_at=r.accepted_at)
        for r in counted_reports(consolidation))
    return snapshot


def in_force(report: ProvinceReport) -> ProvinceSnapshot | None:
    """The snapshot the report stands on: its latest, while it is approved or sent."""
    if report.state not in (ProvinceState.APPROVED, ProvinceState.SENT):
        return None
    return report.snapshots.filter(superseded_at__isnull=True).first()


@dataclass(frozen=True)
class ReportDrift:
    unit_code: str
    unit_name: str
    report_id: int
    approved: str  # "v5, Đã tiếp nhận"; "" when the report was not counted then
    now: str  # the same now; "" when it is no longer counted
    approved_version: int | None = None  # None: not counted then
    now_version: int | None = None  # None: no longer counted


@dataclass(frozen=True)
class TotalDrift:
    code: str
    label: str
    approved: Decimal | None
    now: Decimal | None
    approved_units: int
    now_units: int


@dataclass(frozen=True)
class Drift:
    """How the approved snapshot differs from now; empty when it still matches."""

    snapshot: ProvinceSnapshot
    reports: list[ReportDrift]
    totals: list[TotalDrift]

    @property
    def matches(self) -> bool:
        return not self.reports and not self.totals


def _label(version: int, state: str) -> str:
    return f"v{version}, {ReportState(state).label}"


def drift(snapshot: ProvinceSnapshot, now: Consolidation | None = None) -> Drift:
    """``now``: today's consolidation over the snapshot's scope, when the caller has it."""
    report = snapshot.report
    if now is None:
        now = consolidate(report.unit, report.period, states=StateScope(snapshot.scope))
    then = {r.report_id: r for r in snapshot.reports.select_related("report__unit")}
    current = {r.pk: r for r in counted_reports(now)}
    reports = []
    for report_id in sorted(set(then) | set(current),
                            key=lambda i: (then[i].report.unit.code if i in then
                                           else current[i].unit.code)):
        old, new = then.get(report_id), current.get(report_id)
        if old and new and (old.version, old.state) == (new.version, new.state):
            continue
        unit = old.report.unit if old else new.unit  # type: ignore[union-attr]
        reports.append(ReportDrift(
            unit_code=unit.code, unit_name=unit.name, report_id=report_id,
            approved=_label(old.version, old.state) if old else "",
            now=_label(new.version, new.state) if new else "",
            approved_version=old.version if old else None,
            now_version=new.version if new else None))
    frozen = {t.indicator_id: t for t in snapshot.totals.all()}
    totals = []
    for total in now.totals:
        value = total.value if isinstance(total.value, Decimal) else None
        old_total = frozen.get(total.indicator.pk)
        old_value = old_total.number if old_total else None
        old_units = old_total.units if old_total else 0
        if (old_value, old_units) != (value, total.units):
            totals.append(TotalDrift(code=total.indicator.code, label=total.indicator.label,
                                     approved=old_value, now=value, approved_units=old_units,
                                     now_units=total.units))
    return Drift(snapshot=snapshot, reports=reports, totals=totals)


def approvals_counting(report: Report) -> list[ProvinceSnapshot]:
    """The snapshots in force that counted ``report`` at another version or state than it has
    now: the approved province reports this unit report no longer matches."""
    stale = (SnapshotReport.objects.filter(report=report, snapshot__superseded_at__isnull=True,
                                           snapshot__report__state__in=(ProvinceState.APPROVED,
                                                                        ProvinceState.SENT))
             .exclude(version=report.version, state=report.state)
             .select_related("snapshot__report__unit", "snapshot__report__period"))
    return [row.snapshot for row in stale]
