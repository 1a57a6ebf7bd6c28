"""The life of the province's report, above the provincial office.

draft --submit (office)--> submitted, waiting at the first approval level --approve (that
level's role)--> the next level, …, the last level --approve--> approved --send (office)--> sent.
At any level: --return (that level's role, with a reason)--> draft; approved or sent --reopen
(the office or any level's role, with a reason)--> draft. With no level configured the office's
submission is itself the approval (draft --submit--> approved). Each step is one ``do_…``
function, atomic, that locks the report's row, checks the state, the level and who acts, writes
a :class:`ProvinceReportEvent` (with the level before and after) and returns it. Reaching
approved freezes the totals (:func:`parstat.province.snapshot.freeze`); reopening leaves that
snapshot as history (``superseded_at``).

The levels are configuration (:mod:`parstat.province.levels`, the setting
``PARSTAT_PROVINCE_APPROVAL_LEVELS``; by default one: the province's approver, the unit's
leader as for a unit's report). Who may take a step, from which state and where it leads is
:func:`step_rule`, built from them and asked through :func:`may_step` by every edge (the page,
the leader's home list, the command line's send).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parstat.accounts.models import Role
from parstat.accounts.permissions import is_administrator, roles_on
from parstat.catalog.models import Template
from parstat.errors import ParstatError
from parstat.reporting.actions import Actor
from parstat.reporting.models import Period
from parstat.units.models import OrgUnit

from .levels import ApprovalLevel, approval_levels, level_after, level_named
from .models import ProvinceAction, ProvinceReport, ProvinceReportEvent, ProvinceState
from .snapshot import consolidation_of, counted_reports, freeze


class ProvinceStep(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"
    SEND = "send"

    @property
    def action(self) -> str:
        """The action's name as errors take it (``action.<name>`` in parstat.errors.TERMS)."""
        return "province_submit" if self is ProvinceStep.SUBMIT else self.value


@dataclass(frozen=True)
class StepRule:
    """Who may take a step now, from which states, and where the report goes."""

    roles: frozenset[str]  # roles on the province's unit
    starts: frozenset[str]  # states it starts from
    target: str  # the state it goes to
    level: str = ""  # the approval level it waits at afterwards (while submitted)
    waiting: ApprovalLevel | None = None  # the level the step is taken at (approve, return)


def step_rule(step: ProvinceStep, report: ProvinceReport) -> StepRule:
    """The rule of ``step`` for ``report`` as it stands, built from the configured levels."""
    levels = approval_levels()
    if step is ProvinceStep.SUBMIT:
        if not levels:  # the office's submission is the approval
            return StepRule(frozenset({Role.CONSOLIDATOR}), frozenset({ProvinceState.DRAFT}),
                            ProvinceState.APPROVED)
        return StepRule(frozenset({Role.CONSOLIDATOR}), frozenset({ProvinceState.DRAFT}),
                        ProvinceState.SUBMITTED, level=levels[0].code)
    if step in (ProvinceStep.APPROVE, ProvinceStep.RETURN):
        waiting = level_named(report.level) if report.state == ProvinceState.SUBMITTED else None
        if waiting is None:
            # Waiting at a level the setting no longer has: nobody approves it; the office
            # takes it back (return, with a reason) and submits it to the levels as they are.
            roles = frozenset({Role.CONSOLIDATOR} if step is ProvinceStep.RETURN else set())
            return StepRule(roles, frozenset({ProvinceState.SUBMITTED}), ProvinceState.DRAFT)
        if step is ProvinceStep.RETURN:
            return StepRule(frozenset({waiting.role}), frozenset({ProvinceState.SUBMITTED}),
                            ProvinceState.DRAFT, waiting=waiting)
        following = level_after(waiting.code)
        return StepRule(frozenset({waiting.role}), frozenset({ProvinceState.SUBMITTED}),
                        ProvinceState.SUBMITTED if following else ProvinceState.APPROVED,
                        level=following.code if following else "", waiting=waiting)
    if step is ProvinceStep.REOPEN:
        return StepRule(frozenset({Role.CONSOLIDATOR} | {level.role for level in levels}),
                        frozenset({ProvinceState.APPROVED, ProvinceState.SENT}),
                        ProvinceState.DRAFT)
    return StepRule(frozenset({Role.CONSOLIDATOR}), frozenset({ProvinceState.APPROVED}),
                    ProvinceState.SENT)


def step_event(step: ProvinceStep, rule: StepRule) -> str:
    """The audit's action of a step taken by ``rule``."""
    if step is ProvinceStep.SUBMIT and rule.target == ProvinceState.APPROVED:
        return ProvinceAction.SUBMITTED_FINAL
    if step is ProvinceStep.APPROVE and rule.target == ProvinceState.SUBMITTED:
        return ProvinceAction.PASSED
    return EVENTS[step]


EVENTS = {ProvinceStep.SUBMIT: ProvinceAction.SUBMITTED,
          ProvinceStep.APPROVE: ProvinceAction.APPROVED,
          ProvinceStep.RETURN: ProvinceAction.RETURNED,
          ProvinceStep.REOPEN: ProvinceAction.REOPENED, ProvinceStep.SEND: ProvinceAction.SENT}
NEEDS_REASON = {ProvinceStep.RETURN, ProvinceStep.REOPEN}


def level_roles() -> set[str]:
    """The roles of every configured approval level."""
    return {level.role for level in approval_levels()}


# Who may see the province's report at all: its office, its leader, its viewers.
READERS = {Role.CONSOLIDATOR, Role.APPROVER, Role.VIEWER}


def may_read(user: Any, unit: OrgUnit) -> bool:
    return is_administrator(user) or bool((READERS | level_roles()) & roles_on(user, unit))


def sees_whole_province(user: Any, unit: OrgUnit) -> bool:
    """The province's leaders (every approval level) approve the totals of every unit below, so
    see them all on the province's page, though their own role holds only the province's
    unit."""
    return is_administrator(user) or bool(level_roles() & roles_on(user, unit))


def may_write(user: Any, unit: OrgUnit) -> bool:
    """Who writes the province's narrative and chooses its scope: its office."""
    return Role.CONSOLIDATOR in roles_on(user, unit)


def may_step(user: Any, step: ProvinceStep, report: ProvinceReport) -> bool:
    """May ``user`` take ``step`` on ``report`` now (roles, state and level)?"""
    rule = step_rule(step, report)
    return report.state in rule.starts and bool(rule.roles & roles_on(user, report.unit))


def steps_for(user: Any, report: ProvinceReport) -> list[ProvinceStep]:
    return [step for step in ProvinceStep if may_step(user, step, report)]


def _record(report: ProvinceReport, action: str, actor: Actor, **fields: Any
            ) -> ProvinceReportEvent:
    return ProvinceReportEvent.objects.create(
        report=report, action=action, happened_at=timezone.now(), **actor.audit_fields(),
        **fields)


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
                           province_state=report.state)


@transaction.atomic
def do_province_step(report: ProvinceReport, step: ProvinceStep | str, *, acting_user: Actor,
                     reason: str = "", number: str = "", issued_on: date | None = None
                     ) -> ProvinceReportEvent:
    """Take ``step``: refused with ``permission.denied`` (roles), ``province.bad_state``,
    ``workflow.reason_required``, ``province.nothing_counted`` (submit with no unit report in
    scope). Reaching approved (the last level's approval, or the office's submission when no
    level is configured) freezes the totals; sending records the document's number and date."""
    step = ProvinceStep(step)
    locked = lock_province_report(report)
    rule = step_rule(step, locked)
    target = rule.target
    if locked.state not in rule.starts:
        raise ParstatError("province.bad_state", action=step.action, unit=locked.unit.name,
                           period=locked.period.code, province_state=locked.state)
    if not (rule.roles & roles_on(acting_user.user, locked.unit)):
        raise ParstatError("permission.denied", action=step.action)
    reason = reason.strip()
    if step in NEEDS_REASON and not reason:
        raise ParstatError("workflow.reason_required", action=step.action)
    detail: dict[str, Any] = {"reason": reason} if reason else {}
    fields: dict[str, Any] = {}
    consolidation = None
    if step is ProvinceStep.SUBMIT:
        consolidation = consolidation_of(locked)
        if not counted_reports(consolidation):
            raise ParstatError("province.nothing_counted", unit=locked.unit.name,
                               period=locked.period.code)
    if target == ProvinceState.APPROVED:
        # The totals are read again now, under the lock: what the last level approves (or, with
        # no level, the office submits) is what is frozen, whatever changed since.
        snapshot = freeze(locked, consolidation or consolidation_of(locked), acting_user)
        detail["snapshot"] = snapshot.pk
    if step is ProvinceStep.REOPEN:
        locked.snapshots.filter(superseded_at__isnull=True).update(superseded_at=timezone.now())
    if step is ProvinceStep.SEND:
        fields = {"document_number": number.strip(), "document_date": issued_on}
        detail.update(number=number.strip(),
                      date=issued_on.isoformat() if issued_on else "")
    old_state, old_level = locked.state, locked.level
    fields.update(state=target, level=rule.level, version=locked.version + 1)
    ProvinceReport.objects.filter(pk=locked.pk).update(updated_at=timezone.now(), **fields)
    for name, value in fields.items():
        setattr(report, name, value)
    return _record(report, step_event(step, rule), acting_user, old_state=old_state,
                   new_state=target, old_level=old_level, new_level=rule.level, detail=detail)


def state_label(report: ProvinceReport | None) -> str:
    """The report's state as the page says it, following the approval levels: a submitted
    report names the level it waits at ("Chờ lãnh đạo tỉnh duyệt"); with no level, the office
    settles the report itself, and no leader is said to have approved it. ``None``: no report
    opened yet."""
    if report is None:
        if not approval_levels():
            return str(_("Chưa chốt báo cáo của tỉnh"))
        return str(_("Chưa trình lãnh đạo tỉnh"))
    if report.state == ProvinceState.SUBMITTED and (waiting := level_named(report.level)):
        return str(_("Chờ %(level)s") % {"level": waiting.label})
    if report.state == ProvinceState.APPROVED and not approval_levels():
        return str(_("Đã chốt (không qua cấp duyệt)"))
    return str(report.get_state_display())


def step_label(step: ProvinceStep, report: ProvinceReport | None) -> str:
    """What the step's button says, from the levels: whom the office submits to, whom a level
    passes the report to."""
    levels = approval_levels()
    if step is ProvinceStep.SUBMIT:
        if not levels:
            return str(_("Chốt báo cáo của tỉnh (không qua cấp duyệt)"))
        return str(_("Trình %(level)s") % {"level": levels[0].label})
    if step is ProvinceStep.APPROVE:
        following = level_after(report.level) if report is not None else None
        if following is not None:
            return str(_("Đồng ý, trình %(level)s") % {"level": following.label})
        return str(_("Duyệt báo cáo của tỉnh"))
    return str({ProvinceStep.RETURN: _("Trả lại"), ProvinceStep.REOPEN: _("Mở lại để sửa"),
                ProvinceStep.SEND: _("Ghi nhận đã gửi lên cấp trên")}[step])
