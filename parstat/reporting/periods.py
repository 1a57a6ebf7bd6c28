"""Report periods of the CCHC regime: codes, data windows and deadlines.

Codes: ``2023Q1`` (quarter I), ``2023S1`` (six months), ``2023Q3`` (quarter III, nine months),
``2023`` (the year). Windows and the deadline rule come from settings, so a province can change
them; each period's own dates are stored and may be edited afterwards.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.conf import settings

from parstat.errors import ParstatError
from parstat.reporting.models import Period, PeriodKind

PERIOD_CODE = re.compile(r"^(?P<year>\d{4})(?P<kind>Q1|S1|Q3)?$")


def parse_period_code(text: str) -> tuple[int, str]:
    match = PERIOD_CODE.match(text.strip().upper())
    if not match or not 2000 <= int(match["year"]) <= 2100:
        raise ParstatError("period.invalid", text=text)
    return int(match["year"]), match["kind"] or PeriodKind.Y


def period_code(year: int, kind: str) -> str:
    return str(year) if kind == PeriodKind.Y else f"{year}{kind}"


def default_window(year: int, kind: str) -> tuple[date, date]:
    (start_month, start_day), (end_month, end_day) = settings.PARSTAT_PERIOD_WINDOWS[kind]
    # A window whose first day comes after its last day in the calendar starts the year before
    # (15/12 → 14/3 for quarter I).
    start_year = year - 1 if (start_month, start_day) > (end_month, end_day) else year
    return date(start_year, start_month, start_day), date(year, end_month, end_day)


def add_working_days(day: date, count: int) -> date:
    while count > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day


def find_period(code: str) -> Period:
    """The stored period for ``code``. Reading never creates one: a period is a reporting cycle
    with its own deadline, made by ``parstat init`` or an administrator (a typo such as 2019Q1
    would otherwise become a period every unit is late for)."""
    year, kind = parse_period_code(code)
    canonical = period_code(year, kind)
    found = Period.objects.filter(code=canonical).first()
    if found is None:
        raise ParstatError("period.not_found", code=canonical, year=year)
    return found


def ensure_period(code: str) -> Period:
    """The stored period for ``code``, created with the default window and deadline if new.

    For ``parstat init`` and the demo generator only; everything else calls find_period."""
    year, kind = parse_period_code(code)
    canonical = period_code(year, kind)
    found = Period.objects.filter(code=canonical).first()
    if found:
        return found
    start, end = default_window(year, kind)
    deadline = add_working_days(end, settings.PARSTAT_DEADLINE_WORKING_DAYS)
    period, _created = Period.objects.get_or_create(
        code=canonical,
        defaults={"year": year, "kind": kind, "start": start, "end": end, "deadline": deadline},
    )
    return period


def periods_of_year(year: int) -> list[Period]:
    return [ensure_period(period_code(year, kind)) for kind in ("Q1", "S1", "Q3", "Y")]
