"""Slowing down password guessing: failed sign-ins are counted per user name and per address.

After ``PARSTAT_SIGNIN_FREE_TRIES`` failures within the window, each further attempt must wait
longer (1, 2, 4 … seconds, at most a minute) before it is even checked. The count lives in the
database so that every app process behind the load balancer sees it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from parstat.accounts.models import FailedSignIn


def _recent(username: str, ip: str) -> QuerySet[FailedSignIn]:
    since = timezone.now() - timedelta(seconds=settings.PARSTAT_SIGNIN_WINDOW_SECONDS)
    return FailedSignIn.objects.filter(Q(username=username.lower()) | Q(ip=ip), at__gte=since)


def wait_seconds(username: str, ip: str) -> int:
    """How long from now this user/address must wait before the next attempt is checked."""
    recent = _recent(username, ip)
    extra = recent.count() - settings.PARSTAT_SIGNIN_FREE_TRIES
    if extra < 0:
        return 0
    last = recent.order_by("-at").values_list("at", flat=True).first()
    delay = min(60, 2 ** extra)
    if last is None:
        return 0
    remaining = (last + timedelta(seconds=delay) - timezone.now()).total_seconds()
    return max(0, int(remaining + 0.999))


def record_failure(username: str, ip: str) -> None:
    FailedSignIn.objects.create(username=username.lower()[:150], ip=ip[:45], at=timezone.now())


def clear_failures(username: str) -> None:
    FailedSignIn.objects.filter(username=username.lower()).delete()


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: a proxy's X-Forwarded-For is set by the deployment, not trusted here.
    return str(request.META.get("REMOTE_ADDR", ""))
