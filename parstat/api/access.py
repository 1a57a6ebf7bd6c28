"""How an API request finds its objects and asks for its rights: through the pages' choke point.

Every lookup goes through ``Report.objects.restrict(user, action)`` or
``OrgUnit.objects.restrict(user, action)`` (:mod:`parstat.accounts.permissions`), so a token sees
exactly what its user sees; what the user may not see answers 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from parstat.accounts.permissions import (
    Action,
    may,
    require_in_some_state,
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


def visible_reports(request: HttpRequest) -> QuerySet[Report]:
    """The reports the token's user may see."""
    return Report.objects.restrict(user_of(request), Action.VIEW)


def visible_report(request: HttpRequest, report_id: int) -> Report:
    report = (visible_reports(request).select_related("unit", "period", "template")
              .filter(pk=report_id).first())
    if report is None:
        raise ParstatError("report.hidden", id=report_id)
    return report


def visible_unit(request: HttpRequest, code: str) -> OrgUnit:
    unit = OrgUnit.objects.restrict(user_of(request), Action.VIEW).filter(code=code).first()
    if unit is None:
        raise ParstatError("unit.not_found", code=code)
    return unit


def require_role(user: Any, action: Action, unit: OrgUnit) -> None:
    """Raise ``permission.denied`` (403) unless the user's roles allow ``action`` on the unit's
    reports in some state; the state is the ``do_…`` function's to judge (``report.locked`` or
    ``workflow.bad_state``, 409, saying precisely what is wrong)."""
    require_in_some_state(user, action, unit)


def allowed_actions(user: Any, report: Report) -> list[str]:
    return [action.value for action in Action if may(user, action, report)]
