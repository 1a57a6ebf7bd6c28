"""The one place that decides what a user may see and do.

Every view, API endpoint and export asks here: :func:`visible_units` / :func:`reports_for_user`
for what a user may list, :func:`can` for one action on one report. A user sees a report when a
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
from parstat.reporting.models import Report, ReportState
from parstat.units.models import OrgUnit

SUBTREE_ROLES = {Role.CONSOLIDATOR, Role.VIEWER}


class Action(StrEnum):
    VIEW = "view"
    EDIT = "edit"  # set values and notes, import a file into the report
    SUBMIT = "submit"
    ACCEPT = "accept"
    RETURN = "return"
    REOPEN = "reopen"


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
        frontier = set(OrgUnit.objects.filter(parent_id__in=frontier)
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
    for unit_id, role in Membership.objects.filter(user=user).values_list("unit_id", "role"):
        covered = (with_predecessors(descendants([unit_id])) if role in SUBTREE_ROLES
                   else {unit_id})
        for covered_id in covered:
            held.setdefault(covered_id, set()).add(role)
    user._parstat_roles = held  # per request: the user object lives as long as the request
    return held


def visible_units(user: Any) -> QuerySet[OrgUnit]:
    if is_administrator(user):
        return OrgUnit.objects.all()
    return OrgUnit.objects.filter(id__in=roles_by_unit(user).keys())


def reports_for_user(user: Any) -> QuerySet[Report]:
    """The reports ``user`` may see: the choke point every listing and lookup goes through."""
    if is_administrator(user):
        return Report.objects.all()
    return Report.objects.filter(unit_id__in=roles_by_unit(user).keys())


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


def roles_on(user: Any, unit: OrgUnit) -> set[str]:
    return roles_by_unit(user).get(unit.pk, set())


def can(user: Any, action: Action | str, report: Report) -> bool:
    """May ``user`` take ``action`` on ``report`` now (its state included)?"""
    action = Action(action)
    roles, states = RULES[action]
    if report.state not in states:
        return False
    if is_administrator(user):
        return action == Action.VIEW  # administrators run the server; units report
    return bool(roles & roles_on(user, report.unit))


def allowed_actions(user: Any, report: Report) -> set[Action]:
    return {action for action in Action if can(user, action, report)}


def require(user: Any, action: Action | str, report: Report) -> None:
    """Raise ``permission.denied`` unless ``user`` may take ``action`` on ``report`` now.

    A report the user may not even see should be answered as "not found" by the edge (404), so
    that ids cannot be probed; this check is for what they can see but not do.
    """
    action = Action(action)
    if not can(user, action, report):
        from parstat.errors import ParstatError

        # The action by name: the message says it in each language (parstat.errors.ACTION_VERBS).
        raise ParstatError("permission.denied", action=action.value)


def can_start_report(user: Any, unit: OrgUnit) -> bool:
    """Reporters and approvers of a unit may open its report for a period."""
    return bool({Role.REPORTER, Role.APPROVER} & roles_on(user, unit))
