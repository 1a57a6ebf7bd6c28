"""The stored values of one or more reports, as the data-exchange formats (ADX, SDMX) carry them.

Exchange carries what units reported: stored values only, never values this system derived (a
receiver derives them from its own formulas) and never a blank (no value is sent, not 0).
Consolidated, it carries the reports of the units below in the stated scope of states
(:class:`parstat.analytics.states.StateScope`) and says which it left out because of their state.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from parstat.analytics.scope import units_in_scope
from parstat.analytics.states import StateScope
from parstat.errors import ParstatError
from parstat.reporting.models import Report, Value
from parstat.reporting.periods import find_period
from parstat.units.models import OrgUnit


@dataclass(frozen=True)
class ExchangeValue:
    code: str
    kind: str
    value: Decimal | str
    note: str = ""


@dataclass(frozen=True)
class ExchangeGroup:
    unit_code: str
    template_code: str
    period_code: str
    period_start: date
    period_end: date
    state: str
    submitted_on: date | None
    synthetic: bool
    values: tuple[ExchangeValue, ...]


@dataclass(frozen=True)
class Exchange:
    groups: list[ExchangeGroup]
    states: StateScope | None = None  # consolidated: the states sent; None for one unit's report
    left_out: tuple[tuple[str, str], ...] = ()  # (unit code, state) not sent because of state

    def scope_statement(self) -> str:
        """One line saying what was sent and what was left out ("" for one unit's report)."""
        if self.states is None:
            return ""
        left = ", ".join(f"{code} ({state})" for code, state in self.left_out)
        return (f"phạm vi số liệu: {self.states.value} ({self.states.label_vi}); "
                f"để ngoài vì trạng thái: {len(self.left_out)} báo cáo" + (f": {left}" if left else ""))


def iso_period(start: date, end: date) -> str:
    """An ISO 8601 start/duration, the period form ADX uses: 15/12/2022–14/03/2023 →
    "2022-12-15/P90D" (the CCHC windows do not follow calendar months, so days are exact)."""
    return f"{start.isoformat()}/P{(end - start).days + 1}D"


def groups_for(reports: Iterable[Report]) -> list[ExchangeGroup]:
    reports = sorted(reports, key=lambda r: (r.unit.code, r.template.code))
    by_report: dict[int, list[ExchangeValue]] = {}
    rows = (Value.objects.filter(report__in=[r.pk for r in reports])
            .exclude(number__isnull=True, text__isnull=True)
            .order_by("indicator__position")
            .values_list("report_id", "indicator__code", "indicator__kind", "number", "text", "note"))
    for report_id, code, kind, number, text, note in rows:
        value = number if number is not None else text
        if value is not None:  # excluded above; this only tells the type checker
            by_report.setdefault(report_id, []).append(ExchangeValue(code, kind, value, note))
    return [ExchangeGroup(
        unit_code=r.unit.code, template_code=r.template.code, period_code=r.period.code,
        period_start=r.period.start, period_end=r.period.end, state=r.state,
        submitted_on=r.submitted_at.date() if r.submitted_at else None, synthetic=r.synthetic,
        values=tuple(by_report.get(r.pk, ()))) for r in reports]


def exchange_groups(unit_code: str, period_code: str, *, states: StateScope,
                    consolidated: bool = False, today: bool = False,
                    allowed: Iterable[int] | None = None) -> Exchange:
    """One unit's report (whatever its state), or (consolidated) the reports in ``states`` of
    every unit below it, for the period."""
    allowed = set(allowed) if allowed is not None else None
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None or (allowed is not None and unit.pk not in allowed):
        raise ParstatError("unit.not_found", code=unit_code)
    period = find_period(period_code)
    scope = (units_in_scope(unit, today=today, allowed=allowed) if consolidated else {unit.pk})
    reports = list(Report.objects.filter(period=period, unit_id__in=scope)
                   .select_related("unit", "template", "period"))
    if not reports:
        raise ParstatError("report.not_found", unit=unit_code, period=period.code)
    if not consolidated:
        return Exchange(groups_for(reports))
    sent = [r for r in reports if r.state in states.states]
    left_out = tuple(sorted((r.unit.code, r.state) for r in reports if r.state not in states.states))
    return Exchange(groups_for(sent), states=states, left_out=left_out)
