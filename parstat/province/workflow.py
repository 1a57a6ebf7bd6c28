"""The life of the province's report, above the provincial office.

draft --submit (office)--> submitted --approve (leader)--> approved --send (office)--> sent;
submitted --return (leader, with a reason)--> draft; approved or sent --reopen (office or
leader, with a reason)--> draft. Each step is one ``do_…`` function, atomic, that locks the
report's row, checks the state and who acts, writes a :class:`ProvinceReportEvent` and returns
it. Approving freezes the totals (:func:`parstat.province.snapshot.freeze`); reopening leaves
that snapshot as history (``superseded_at``).

Who may take a step is :data:`STEP_ROLES`, asked through :func:`may_step` by every edge: the
office is the province's consolidator, the leader its approver (the unit's leader, as for a
unit's report).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from parstat.accounts.models import Role
from parstat.accounts.permissions import is_administrator, roles_on
from parstat.analytics.states import StateScope
from parstat.catalog.models import Template
from parstat.errors import ParstatError
from parstat.reporting.actions import Actor
from parstat.reporting.models import Period
from parstat.units.models import OrgUnit

from .models import ProvinceAction, ProvinceReport, ProvinceReportEvent, ProvinceState
from .snapshot import consolidation_of, counted_reports, freeze


class ProvinceStep(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    SEND = "send"

    @property
    def verb(self) -> str:
        return STEP_VERBS[self]


STEP_VERBS = {ProvinceStep.SUBMIT: gettext_noop("trình"),
              ProvinceStep.APPROVE: gettext_noop("duyệt"),
              ProvinceStep.RETURN: gettext_noop("trả lại"),
              ProvinceStep.REOPEN: gettext_noop("mở lại"),
              ProvinceStep.SEND: gettext_noop("gửi lên")}

# step: (roles on the province's unit that may take it, the states it starts from, where it goes)
STEP_ROLES: dict[ProvinceStep, tuple[set[str], set[str], str]] = {
    ProvinceStep.SUBMIT: ({Role.CONSOLIDATOR}, {ProvinceState.DRAFT}, ProvinceState.SUBMITTED),
    ProvinceStep.APPROVE: ({Role.APPROVER}, {ProvinceState.SUBMITTED}, ProvinceState.APPROVED),
    ProvinceStep.RETURN: ({Role.APPROVER}, {ProvinceState.SUBMITTED}, ProvinceState.DRAFT),
    ProvinceStep.REOPEN: ({Role.CONSOLIDATOR, Role.APPROVER},
                          {ProvinceState.APPROVED, ProvinceState.SENT}, ProvinceState.DRAFT),
    ProvinceStep.SEND: ({Role.CONSOLIDATOR}, {ProvinceState.APPROVED}, ProvinceState.SENT),
}
EVENTS = {ProvinceStep.SUBMIT: ProvinceAction.SUBMITTED,
          ProvinceStep.APPROVE: ProvinceAction.APPROVED,
          ProvinceStep.RETURN: ProvinceAction.RETURNED,
          ProvinceStep.REOPEN: ProvinceAction.REOPENED, ProvinceStep.SEND: ProvinceAction.SENT}
NEEDS_REASON = {ProvinceStep.RETURN, ProvinceStep.REOPEN}

# Who may see the province's report at all: its office, its leader, its viewers.
READERS = {Role.CONSOLIDATOR, Role.APPROVER, Role.VIEWER}


def may_read(user: Any, unit: OrgUnit) -> bool:
    return is_administrator(user) or bool(READERS & roles_on(user, unit))


def sees_whole_province(user: Any, unit: OrgUnit) -> bool:
    """The province's leader approves the totals of every unit below, so sees them all on the
    province's page, though their own role holds only the province's unit."""
    return is_administrator(user) or Role.APPROVER in roles_on(user, unit)


def may_write(user: Any, unit: OrgUnit) -> bool:
    """Who writes the province's narrative and chooses its scope: its office."""
    return Role.CONSOLIDATOR in roles_on(user, unit)


def may_step(user: Any, step: ProvinceStep, report: ProvinceReport) -> bool:
    """May ``user`` take ``step`` on ``report`` now (roles and state)?"""
    roles, starts, _ = STEP_ROLES[step]
    return report.state in starts and bool(roles & roles_on(user, report.unit))


def steps_for(user: Any, report: ProvinceReport) -> list[ProvinceStep]:
    return [step for step in ProvinceStep if may_step(user, step, report)]


def _record(report: ProvinceReport, action: str, actor: Actor, **fields: Any
            ) -> ProvinceReportEvent:
    return ProvinceReportEvent.objects.create(
        report=report, action=action, happened_at=timezone.now(),
        changed_by=actor.user_or_none, actor=actor.name, source=actor.source,
        origin=actor.origin[:300], **fields)


@transaction.atomic
def do_open_province_report(unit: OrgUnit, period: Period, template: Template, *,
                            acting_user: Actor) -> ProvinceReport:
    """The province's report for the period and table, opened (audited) the first time."""
    OrgUnit.objects.select_for_update().get(pk=unit.pk)  # two first openers take turns
    found = ProvinceReport.objects.filter(unit=unit, period=period, template=template).first()
    if found is not None:
        return found
    now = timezone.now()
    report = ProvinceReport.objects.create(unit=unit, period=period, template=template,
                                           created_at=now, updated_at=now)
    _record(report, ProvinceAction.CREATED, acting_user, new_state=report.state)
    return report


def lock_province_report(report: ProvinceReport) -> ProvinceReport:
    """The row locked until the transaction ends, read again under the lock."""
    return ProvinceReport.objects.select_for_update().select_related(
        "unit", "period", "template").get(pk=report.pk)


def refuse_unless_editable(report: ProvinceReport) -> None:
    if not report.is_editable:
        raise ParstatError("province.locked", unit=report.unit.name, period=report.period.code,
                           state=report.get_state_display())


@transaction.atomic
def do_province_step(report: ProvinceReport, step: ProvinceStep | str, *, acting_user: Actor,
                     reason: str = "", number: str = "", issued_on: date | None = None
                     ) -> ProvinceReportEvent:
    """Take ``step``: refused with ``permission.denied`` (roles), ``province.bad_state``,
    ``workflow.reason_required``, ``province.nothing_counted`` (submit with no unit report in
    scope). Approving freezes the totals; sending records the document's number and date."""
    step = ProvinceStep(step)
    locked = lock_province_report(report)
    roles, starts, target = STEP_ROLES[step]
    if not (roles & roles_on(acting_user.user, locked.unit)):
        raise ParstatError("permission.denied", action=step.verb)
    if locked.state not in starts:
        raise ParstatError("province.bad_state", action=step.verb, unit=locked.unit.name,
                           period=locked.period.code, state=locked.get_state_display())
    reason = reason.strip()
    if step in NEEDS_REASON and not reason:
        raise ParstatError("workflow.reason_required", action=step.verb)
    detail: dict[str, Any] = {"reason": reason} if reason else {}
    fields: dict[str, Any] = {}
    if step is ProvinceStep.SUBMIT:
        consolidation = consolidation_of(locked)
        if not counted_reports(consolidation):
            raise ParstatError("province.nothing_counted", unit=locked.unit.name,
                               period=locked.period.code,
                               scope=StateScope(locked.scope).label_vi)
    if step is ProvinceStep.APPROVE:
        # The totals are read again now, under the lock: what the leader approves is what is
        # frozen, whatever changed since the office submitted.
        snapshot = freeze(locked, consolidation_of(locked), acting_user)
        detail["snapshot"] = snapshot.pk
    if step is ProvinceStep.REOPEN:
        locked.snapshots.filter(superseded_at__isnull=True).update(superseded_at=timezone.now())
    if step is ProvinceStep.SEND:
        fields = {"document_number": number.strip(), "document_date": issued_on}
        detail.update(number=number.strip(),
                      date=issued_on.isoformat() if issued_on else "")
    old_state = locked.state
    ProvinceReport.objects.filter(pk=locked.pk).update(
        state=target, version=locked.version + 1, updated_at=timezone.now(), **fields)
    for name, value in {"state": target, "version": locked.version + 1, **fields}.items():
        setattr(report, name, value)
    return _record(report, EVENTS[step], acting_user, old_state=old_state, new_state=target,
                   detail=detail)
