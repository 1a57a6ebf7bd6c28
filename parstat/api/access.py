"""How an API request finds its objects and asks for its rights: through the pages' choke point.

Every lookup goes through :func:`parstat.accounts.permissions.reports_for_user` or
:func:`~parstat.accounts.permissions.visible_units`, so a token sees exactly what its user sees;
what the user may not see answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from parstat.accounts.permissions import (
    RULES,
    Action,
    can,
    reports_for_user,
    require,
    visible_units,
)
from parstat.errors import ParstatError
from parstat.reporting.actions import Actor
from parstat.reporting.models import Report, Source
from parstat.units.models import OrgUnit


def user_of(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]  # set by TokenAuth: the token's user


def actor_of(request: HttpRequest) -> Actor:
    """The audit's who and from where: the token's user, the API, the client's address."""
    return Actor(user=user_of(request), source=Source.API,
                 origin=str(request.META.get("REMOTE_ADDR") or ""))


def visible_report(request: HttpRequest, report_id: int) -> Report:
    report = (reports_for_user(user_of(request)).select_related("unit", "period", "template")
              .filter(pk=report_id).first())
    if report is None:
        raise ParstatError("report.hidden", id=report_id)
    return report


def visible_unit(request: HttpRequest, code: str) -> OrgUnit:
    unit = visible_units(user_of(request)).filter(code=code).first()
    if unit is None:
        raise ParstatError("unit.not_found", code=code)
    return unit


def may_attempt(user: Any, action: Action, report: Report) -> bool:
    """Would the user's roles allow ``action`` on ``report`` in some state of the report?

    The state itself is then judged by the ``do_…`` function, which says precisely what is wrong
    ("the report is submitted: its values cannot be changed") instead of a bare "forbidden";
    and re-sending values already stored to a locked report stays harmless, as in the form.
    """
    if can(user, action, report):
        return True
    for state in RULES[action][1]:
        if can(user, action, Report(unit=report.unit, state=state)):
            return True
    return False


def require_role(user: Any, action: Action, report: Report) -> None:
    """Raise ``permission.denied`` (403) unless the user's roles allow ``action`` on the report."""
    if not may_attempt(user, action, report):
        require(user, action, report)  # raises, in the pages' words
        raise ParstatError("permission.denied", action=action.value)  # pragma: no cover


def allowed_actions(user: Any, report: Report) -> list[str]:
    return [action.value for action in Action if can(user, action, report)]
