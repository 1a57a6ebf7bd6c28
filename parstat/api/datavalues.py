"""Many values of many units and periods in one payload, in the spirit of DHIS2's dataValueSets.

Each value names its unit, period and indicator. Values are resolved and parsed one by one
(unit visible to the sender? period valid? indicator in the template? value readable?), then
stored report by report, each report through one ``do_set_values`` (atomic, audited, one version
step). The answer counts what was **imported** (blank → value), **updated** (value or note
changed, or cleared) and **ignored** (already so, or refused), and lists every **conflict** with
its index in the payload.

``atomic=true`` (the default) stores nothing when any value has a conflict, like DHIS2's
``atomicMode=ALL``: a quarterly table half applied is worse than one not applied. ``atomic=false``
stores every value without a conflict (``atomicMode=NONE``). ``dry_run`` does everything in a
transaction that is rolled back. Re-sending a payload already stored changes nothing: every
value is then ignored, no report version moves, no audit row is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from parstat.accounts.permissions import Action, denied, may_in_some_state, visible_units
from parstat.catalog.editions import template_for
from parstat.catalog.models import Indicator, Template
from parstat.errors import ParstatError
from parstat.reporting.actions import (
    Actor,
    CellInput,
    CellUpdate,
    do_set_values,
    get_or_create_report,
    parse_cells,
)
from parstat.reporting.models import Period, Report
from parstat.reporting.periods import find_period, parse_period_code, period_code
from parstat.units.models import OrgUnit

from .services import sends_value


@dataclass
class Conflict:
    index: int
    error: ParstatError
    field: str | None = None


@dataclass
class Summary:
    dry_run: bool
    atomic: bool
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def status(self) -> str:
        # ERROR: nothing was stored because of conflicts (atomic); WARNING: the values without
        # a conflict were stored (atomic=false).
        if not self.conflicts:
            return "OK"
        return "ERROR" if self.atomic else "WARNING"


@dataclass
class _Group:
    unit: OrgUnit
    period: Period
    template: Template
    version: int | None
    entries: list[tuple[int, CellUpdate]] = field(default_factory=list)


class _Rollback(Exception):
    pass


class _Resolver:
    """Caches of one payload: units the sender sees, periods, templates and their indicators."""

    def __init__(self, user: Any, template_code: str | None) -> None:
        self.user = user
        self.units: dict[str, OrgUnit | None] = {}
        self.periods: dict[str, Period] = {}
        self.indicators: dict[int, dict[str, Indicator]] = {}
        self.template = None
        if template_code:
            self.template = Template.objects.filter(code=template_code).first()
            if self.template is None:
                raise ParstatError("template.not_found", code=template_code)

    def unit(self, code: str) -> OrgUnit:
        if code not in self.units:
            self.units[code] = visible_units(self.user).filter(code=code).first()
        found = self.units[code]
        if found is None:
            raise ParstatError("unit.not_found", code=code)
        return found

    def period(self, code: str) -> Period:
        year, kind = parse_period_code(code)
        canonical = period_code(year, kind)
        if canonical not in self.periods:
            self.periods[canonical] = find_period(canonical)
        return self.periods[canonical]

    def template_for(self, unit: OrgUnit, period: Period) -> Template:
        if self.template is not None:
            return self.template
        existing = (Report.objects.filter(unit=unit, period=period).select_related("template")
                    .order_by("-template__edition").first())
        if existing is not None:
            return existing.template
        template = template_for(unit, period)
        if template is None:
            raise ParstatError("unit.no_template", code=unit.code, kind=unit.kind)
        return template

    def indicators_of(self, template: Template) -> dict[str, Indicator]:
        if template.pk not in self.indicators:
            self.indicators[template.pk] = {
                i.code: i for i in Indicator.objects.filter(template=template)}
        return self.indicators[template.pk]


def import_data_values(entries: Sequence[Any], *, user: Any, actor: Actor,
                       template_code: str | None = None, dry_run: bool = False,
                       atomic: bool = True) -> Summary:
    summary = Summary(dry_run=dry_run, atomic=atomic)
    try:
        with transaction.atomic():
            groups = _resolve(entries, _Resolver(user, template_code), summary)
            for group in groups.values():
                _store(group, user, actor, summary)
            if summary.conflicts and atomic:
                summary.ignored = len(entries)
                summary.imported = summary.updated = 0
                raise _Rollback
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    summary.conflicts.sort(key=lambda c: c.index)
    return summary


def _resolve(entries: Sequence[Any], resolver: _Resolver,
             summary: Summary) -> dict[tuple[int, int, int, int | None], _Group]:
    groups: dict[tuple[int, int, int, int | None], _Group] = {}
    seen: dict[tuple[int, int, int], int] = {}
    for index, entry in enumerate(entries):
        try:
            unit, period, template, update = _resolve_one(entry, resolver, f"dataValues[{index}]")
            key = (unit.pk, period.pk, update.indicator.pk)
            if key in seen:
                raise _Located(ParstatError(
                    "datavalues.duplicate", unit=unit.code, period=period.code,
                    code=update.indicator.code, first=seen[key]),
                    f"dataValues[{index}].indicator")
        except _Located as located:
            summary.conflicts.append(Conflict(index, located.error, located.field))
            summary.ignored += 1
            continue
        seen[key] = index
        group = groups.setdefault((unit.pk, period.pk, template.pk, entry.version),
                                  _Group(unit, period, template, entry.version))
        group.entries.append((index, update))
    return groups


class _Located(Exception):
    def __init__(self, error: ParstatError, field: str) -> None:
        self.error, self.field = error, field


def _resolve_one(entry: Any, resolver: _Resolver,
                 where: str) -> tuple[OrgUnit, Period, Template, CellUpdate]:
    step = "unit"
    try:
        unit = resolver.unit(entry.unit)
        step = "period"
        period = resolver.period(entry.period)
        step = "unit"
        template = resolver.template_for(unit, period)
    except ParstatError as error:
        raise _Located(error, f"{where}.{step}") from None
    parsed = parse_cells(template, [CellInput(
        entry.indicator, entry.value if sends_value(entry) else None, entry.note,
        keep_value=not sends_value(entry))], indicators=resolver.indicators_of(template))
    if parsed.refusals:
        refusal = parsed.refusals[0]
        raise _Located(refusal.error, f"{where}.{refusal.part}")
    return unit, period, template, parsed.updates[0]


def _store(group: _Group, user: Any, actor: Actor, summary: Summary) -> None:
    report = Report.objects.filter(unit=group.unit, period=group.period,
                                   template=group.template).first()
    if not may_in_some_state(user, Action.EDIT, group.unit):
        _refuse(group, denied(Action.EDIT), summary)
        return
    updates = [update for _index, update in group.entries]
    if report is None:
        if all(u.clears_or_keeps for u in updates):
            summary.ignored += len(updates)  # nothing to file: no report is made for blanks
            return
        report, _created = get_or_create_report(group.unit, group.template, group.period,
                                                acting_user=actor)
    try:
        with transaction.atomic():
            result = do_set_values(report, updates, acting_user=actor,
                                   expected_version=group.version)
    except ParstatError:
        _refine(report, group, actor, summary)
        return
    summary.imported += result.imported
    summary.updated += result.updated
    summary.ignored += result.unchanged


def _refine(report: Report, group: _Group, actor: Actor, summary: Summary) -> None:
    """The report refused the group (locked, stale): find which values would have changed it.

    Each value is tried alone and rolled back; those that change nothing are ignored, the
    others are conflicts with the report's own words.
    """
    for index, update in group.entries:
        try:
            with transaction.atomic():
                do_set_values(report, [update], acting_user=actor, expected_version=group.version)
                raise _Rollback
        except _Rollback:
            summary.ignored += 1
        except ParstatError as error:
            summary.conflicts.append(Conflict(index, error, f"dataValues[{index}].value"))
            summary.ignored += 1
        report.refresh_from_db()


def _refuse(group: _Group, error: ParstatError, summary: Summary) -> None:
    for index, _update in group.entries:
        summary.conflicts.append(Conflict(index, error, f"dataValues[{index}].unit"))
        summary.ignored += 1
