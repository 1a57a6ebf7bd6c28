"""The one place that decides what a user may see and do.

Every view, API endpoint and export asks here: ``Report.objects.restrict(user, action)`` and
``OrgUnit.objects.restrict(user, action)`` (:func:`restrict_reports`, :func:`restrict_units`) for
what a user may list, :func:`may` for one action on one report now, :func:`may_in_some_state`
for whether their roles allow it at all. The table of who may do what in which state is
:data:`RULES`; nothing else decides. A user sees a report when a
role of theirs covers its unit: reporters and approvers hold their own unit; consolidators and
viewers hold their unit, everything below it, and every unit merged into those (the 2025
reorganisation); administrators (Django superusers) hold all.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet

from parstat.accounts.models import Membership, Role
from parstat.errors import ParstatError
from parstat.ids import id_list
from parstat.reporting.models import Report, ReportState
from parstat.reporting.workflow import Step
from parstat.units.models import OrgUnit

SUBTREE_ROLES = {Role.CONSOLIDATOR, Role.VIEWER}


class Action(StrEnum):
    """What a user may be allowed to do to a report: view, edit, and each workflow
    :class:`~parstat.reporting.workflow.Step` (same names)."""

    VIEW = "view"
    EDIT = "edit"  # set values and notes, import a file into the report
    SUBMIT = Step.SUBMIT.value
    ACCEPT = Step.ACCEPT.value
    RETURN = Step.RETURN.value
    REOPEN = Step.REOPEN.value


def _authenticated(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_active", False))


def is_administrator(user: Any) -> bool:
    return _authenticated(user) and bool(user.is_superuser)


def descendants(unit_ids: Iterable[int]) -> set[int]:
    """The units and every unit below them (one query per level of the tree)."""
    found = set(unit_ids)
    frontier = set(found)
    while frontier:
        frontier = set(OrgUnit.objects.filter(parent_id__in=id_list(frontier))
                       .values_list("id", flat=True)) - found
        found |= frontier
    return found


def with_predecessors(unit_ids: set[int]) -> set[int]:
    """The units and every unit whose successor chain leads into them.

    After the 2025 mergers the successor's office holds the history of the units it took over:
    Cần Thơ's consolidator sees the reports Sóc Trăng's departments filed before the merger.
    """
    successor_of = dict(OrgUnit.objects.filter(successor__isnull=False)
                        .values_list("id", "successor_id"))
    found = set(unit_ids)
    for unit_id in successor_of:
        chain, current = {unit_id}, unit_id
        while current in successor_of and successor_of[current] not in chain:
            current = successor_of[current]
            chain.add(current)
        if current in unit_ids:
            found.add(unit_id)
    return found


def roles_by_unit(user: Any) -> dict[int, set[str]]:
    """unit id → the roles the user holds there, subtree roles spread to every unit below."""
    if not _authenticated(user):
        return {}
    cached = getattr(user, "_parstat_roles", None)
    if cached is not None:
        return cached
    held: dict[int, set[str]] = {}
    # Read with the person by accounts.backends when they signed in through the session.
    memberships = getattr(user, "_parstat_memberships", None)
    if memberships is None:
        memberships = Membership.objects.filter(user=user).values_list("unit_id", "role")
    for unit_id, role in memberships:
        covered = (with_predecessors(descendants([unit_id])) if role in SUBTREE_ROLES
                   else {unit_id})
        for covered_id in covered:
            held.setdefault(covered_id, set()).add(role)
    user._parstat_roles = held  # per request: the user object lives as long as the request
    return held


def consolidated_roots(user: Any) -> QuerySet[OrgUnit]:
    """The units whose totals and province report the user works on as a whole: where they
    hold a consolidator's or viewer's role (for an administrator, every top unit)."""
    if is_administrator(user):
        return OrgUnit.objects.filter(parent__isnull=True).order_by("code")
    if not _authenticated(user):
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(memberships__user=user, memberships__role__in=SUBTREE_ROLES
                                  ).distinct().order_by("code")


# Which roles may take each action, and in which states of the report.
RULES: dict[Action, tuple[set[str], set[str]]] = {
    Action.VIEW: ({Role.REPORTER, Role.APPROVER, Role.CONSOLIDATOR, Role.VIEWER},
                  set(ReportState.values)),
    Action.EDIT: ({Role.REPORTER, Role.APPROVER}, {ReportState.DRAFT}),
    Action.SUBMIT: ({Role.APPROVER}, {ReportState.DRAFT}),
    Action.ACCEPT: ({Role.CONSOLIDATOR}, {ReportState.SUBMITTED}),
    Action.RETURN: ({Role.CONSOLIDATOR}, {ReportState.SUBMITTED}),
    Action.REOPEN: ({Role.CONSOLIDATOR}, {ReportState.ACCEPTED}),
}


ALL_STATES = set(ReportState.values)


def roles_on(user: Any, unit: OrgUnit) -> set[str]:
    return roles_by_unit(user).get(unit.pk, set())


def _unit_ids_allowing(user: Any, action: Action) -> list[int]:
    roles = RULES[action][0]
    return [unit_id for unit_id, held in roles_by_unit(user).items() if held & roles]


def restrict_reports(reports: QuerySet[Report], user: Any,
                     action: Action | str = Action.VIEW) -> QuerySet[Report]:
    """The reports of ``reports`` on which ``user`` may take ``action`` now (state included):
    ``Report.objects.restrict(user, action)``, the choke point of every listing and lookup."""
    action = Action(action)
    states = RULES[action][1]
    if is_administrator(user):
        allowed = reports if action == Action.VIEW else reports.none()
    else:
        allowed = reports.filter(unit_id__in=id_list(_unit_ids_allowing(user, action)))
    return allowed if states == ALL_STATES else allowed.filter(state__in=states)


def restrict_units(units: QuerySet[OrgUnit], user: Any,
                   action: Action | str = Action.VIEW) -> QuerySet[OrgUnit]:
    """The units of ``units`` whose reports ``user``'s roles allow ``action`` on (in some state):
    ``OrgUnit.objects.restrict(user, action)``."""
    action = Action(action)
    if is_administrator(user):
        return units if action == Action.VIEW else units.none()
    return units.filter(id__in=id_list(_unit_ids_allowing(user, action)))


def may_in_some_state(user: Any, action: Action | str, unit: OrgUnit) -> bool:
    """Do ``user``'s roles allow ``action`` on ``unit``'s reports, in some state of a report?

    What an edge asks before calling a ``do_…`` function that judges the state itself and says
    precisely what is wrong ("the report is submitted: its values cannot be changed"), instead of
    a bare "forbidden"; re-sending values already stored to a locked report stays harmless."""
    action = Action(action)
    if is_administrator(user):
        return action == Action.VIEW  # administrators run the server; units report
    return bool(RULES[action][0] & roles_on(user, unit))


def may(user: Any, action: Action | str, report: Report) -> bool:
    """May ``user`` take ``action`` on ``report`` now (its state included)?"""
    action = Action(action)
    return report.state in RULES[action][1] and may_in_some_state(user, action, report.unit)


def allowed_actions(user: Any, report: Report) -> set[Action]:
    return {action for action in Action if may(user, action, report)}


def denied(action: Action | str) -> ParstatError:
    """``permission.denied`` for ``action`` (said as the term ``action.…`` of the messages)."""
    return ParstatError("permission.denied", action=Action(action).value)


def require(user: Any, action: Action | str, report: Report) -> None:
    """Raise ``permission.denied`` unless ``user`` may take ``action`` on ``report`` now.

    A report the user may not even see should be answered as "not found" by the edge (404), so
    that ids cannot be probed; this check is for what they can see but not do.
    """
    if not may(user, action, report):
        raise denied(action)


def require_in_some_state(user: Any, action: Action | str, unit: OrgUnit) -> None:
    """Raise ``permission.denied`` unless ``user``'s roles allow ``action`` on ``unit``'s reports
    (the state is then the ``do_…`` function's to judge: ``report.locked``, 409)."""
    if not may_in_some_state(user, action, unit):
        raise denied(action)


# The names most callers know, kept as thin aliases of the one query.
can = may


def visible_units(user: Any) -> QuerySet[OrgUnit]:
    return restrict_units(OrgUnit.objects.all(), user, Action.VIEW)


def reports_for_user(user: Any) -> QuerySet[Report]:
    """The reports ``user`` may see."""
    return restrict_reports(Report.objects.all(), user, Action.VIEW)


def can_start_report(user: Any, unit: OrgUnit) -> bool:
    """Those who may edit a unit's reports (reporters, approvers) may open one for a period."""
    return may_in_some_state(user, Action.EDIT, unit)
