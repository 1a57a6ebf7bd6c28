"""Slowing down password guessing, counted per account name and, separately, per address.

After ``PARSTAT_SIGNIN_FREE_TRIES`` failures of one account name within the window, each
further attempt on that account must wait longer (1, 2, 4 … seconds, at most a minute;
``PARSTAT_SIGNIN_FIRST_WAIT_SECONDS`` is the first wait) before
its password is even checked. An address has its own, larger allowance
(``PARSTAT_SIGNIN_ADDRESS_FREE_TRIES``): a whole office signs in from one address, so one
person mistyping, or someone guessing one account, never locks the colleagues out; only many
failures across accounts slow the address down.

Every attempt is counted *before* its password is checked, in one transaction that holds both
counter rows (row locks on PostgreSQL, SQLite's write lock): twenty attempts sent at the same
moment are admitted one at a time, and once the free tries are used up the first one admitted
pushes the next check back, so the other nineteen wait. A right password then takes its own
attempt back off the counts. The counters live in the database so that every app process and
every machine behind the load balancer sees the same ones.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from parstat.accounts.models import FailedSignIn, SignInThrottle

MAX_WAIT_SECONDS = 60


@dataclass(frozen=True)
class Counter:
    key: str
    free_tries: int


def _counters(username: str, ip: str) -> list[Counter]:
    return [Counter(f"account:{username.strip().lower()[:150]}", settings.PARSTAT_SIGNIN_FREE_TRIES),
            Counter(f"address:{ip[:45]}", settings.PARSTAT_SIGNIN_ADDRESS_FREE_TRIES)]


def _wait(until: datetime, now: datetime) -> int:
    return max(0, int((until - now).total_seconds() + 0.999))


def begin_attempt(username: str, ip: str) -> int:
    """Count one sign-in attempt; 0 if its password may be checked now, else seconds to wait.

    A refused attempt is not counted: waiting is all it takes.
    """
    counters = _counters(username, ip)
    now = timezone.now()
    window = timedelta(seconds=settings.PARSTAT_SIGNIN_WINDOW_SECONDS)
    SignInThrottle.objects.bulk_create(
        [SignInThrottle(key=c.key, window_started=now, next_check_at=now) for c in counters],
        ignore_conflicts=True)
    with transaction.atomic():
        rows = {row.key: row for row in SignInThrottle.objects.select_for_update()
                .filter(key__in=[c.key for c in counters]).order_by("key")}
        for row in rows.values():
            if row.window_started < now - window:
                row.failures, row.window_started, row.next_check_at = 0, now, now
        wait = max(_wait(row.next_check_at, now) for row in rows.values())
        if wait:
            return wait
        for counter in counters:
            row = rows[counter.key]
            row.failures += 1
            extra = row.failures - counter.free_tries
            if extra >= 0:
                wait = settings.PARSTAT_SIGNIN_FIRST_WAIT_SECONDS * 2 ** extra
                row.next_check_at = now + timedelta(seconds=min(MAX_WAIT_SECONDS, wait))
            row.save(update_fields=["failures", "window_started", "next_check_at"])
    return 0


def record_failure(username: str, ip: str) -> None:
    """The attempt is already counted; this keeps the log of who failed from where."""
    FailedSignIn.objects.create(username=username.lower()[:150], ip=ip[:45], at=timezone.now())


def record_success(username: str, ip: str) -> None:
    """A right password: the account starts afresh, and the address gets this attempt back."""
    account, address = _counters(username, ip)
    now = timezone.now()
    SignInThrottle.objects.filter(key=account.key).update(failures=0, next_check_at=now)
    SignInThrottle.objects.filter(key=address.key, failures__gt=0).update(
        failures=F("failures") - 1)


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or what a trusted reverse proxy says it was.

    X-Forwarded-For is believed only when the request comes from one of
    ``PARSTAT_TRUSTED_PROXIES``; the last address in it that is not one of those proxies is
    the client (earlier entries are whatever the client chose to send).
    """
    remote = str(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.PARSTAT_TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed(forwarded):
        if address and address not in trusted and _is_address(address):
            return address
    return remote


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
