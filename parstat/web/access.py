"""How the pages reach reports: always through the permission choke point."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from parstat.accounts.permissions import reports_for_user
from parstat.reporting.actions import Actor
from parstat.reporting.models import Report, Source


def report_for(request: HttpRequest, pk: int) -> Report:
    """The report if the signed-in user may see it; 404 otherwise, so ids cannot be probed."""
    report = (reports_for_user(request.user).select_related("unit", "period", "template")
              .filter(pk=pk).first())
    if report is None:
        raise report_not_found()
    return report


def report_not_found() -> Http404:
    """What a report the user may not see answers (as one that does not exist)."""
    return Http404("Không tìm thấy báo cáo")


def web_actor(request: HttpRequest) -> Actor:
    return Actor(user=request.user, source=Source.FORM,
                 origin=str(request.META.get("REMOTE_ADDR", "")))
