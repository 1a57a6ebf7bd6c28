"""Which periods the analysis pages offer a person, and which one they open on."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q

from parstat.accounts.permissions import reports_for_user
from parstat.reporting.models import Period

from .expected import RECEIVED_STATES


def offered_periods(user: Any, today: date) -> tuple[list[Period], Period | None]:
    """The periods whose reporting window has begun, and any other in which ``user`` sees a
    report, newest first; and the one a page opens on when none is asked: the newest in which
    a report the person sees was received, else the newest holding one, else the newest begun.

    A begun period is offered before anyone has opened a report in it: on deadline day the
    completeness page must list who has not started, not answer "not found"."""
    visible = reports_for_user(user)
    # Each period asks whether a report the person sees is in it (a few index look-ups per
    # period), not which periods tens of thousands of reports are in.
    periods: list[Period] = list(Period.objects.annotate(
        seen=Exists(visible.filter(period=OuterRef("pk"))),
        received=Exists(visible.filter(period=OuterRef("pk"), state__in=RECEIVED_STATES)),
    ).filter(Q(start__lte=today) | Q(seen=True)).order_by("-year", "-end"))
    opened = (next((p for p in periods if p.received), None)  # type: ignore[attr-defined]
              or next((p for p in periods if p.seen), None)  # type: ignore[attr-defined]
              or (periods[0] if periods else None))
    return periods, opened
