"""How parstat writes things for Vietnamese readers: periods, dates and numbers.

Every edge (pages, exports, reminders, the command line, narrative documents) imports its
formatting from here, so "Quý I/2023", "17/03/2023" and "1.327" / "32,5" are spelled one way.
Numbers are formatted by :func:`parstat.numbers.format_vn_number`, kept beside its inverse
``parse_vn_number`` (the two are tested as a round trip) and re-exported here as
:func:`vn_number`; this module adds the words and dates around them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from parstat.numbers import format_vn_number

__all__ = ["format_vn_number", "period_label", "vn_date", "vn_datetime", "vn_number"]

_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def _period_parts(code: str) -> tuple[str, str | None, str | None] | None:
    """A period code's year, kind (Q, S or none for a year) and number; None when it is not
    one."""
    match = re.fullmatch(r"(\d{4})(?:([QS])([1-4]))?", code.strip())
    return match.groups() if match else None  # type: ignore[return-value]


def period_label(code: str) -> str:
    """Vietnamese name of a period code: "2023Q1" → "Quý I/2023", "2023" → "Năm 2023".

    Unknown codes come back unchanged: a readable code beats a crash in a people-facing title.
    """
    parts = _period_parts(code)
    if parts is None:
        return code
    year, kind, number = parts
    if kind is None:
        return f"Năm {year}"
    if kind == "Q":
        return f"Quý {_ROMAN[str(number)]}/{year}"
    if number in ("1", "2"):
        return f"6 tháng {'đầu' if number == '1' else 'cuối'} năm {year}"
    return code


def period_label_en(code: str) -> str:
    """The English name of a period code, for pages shown in English: "2023Q1" → "Q1 2023",
    "2023S1" → "First half of 2023", "2023" → "Year 2023". Documents keep the Vietnamese
    name (:func:`period_label`) whatever the page's language. Unknown codes come back
    unchanged."""
    parts = _period_parts(code)
    if parts is None:
        return code
    year, kind, number = parts
    if kind is None:
        return f"Year {year}"
    if kind == "Q":
        return f"Q{number} {year}"
    if number in ("1", "2"):
        return f"{'First' if number == '1' else 'Second'} half of {year}"
    return code


def vn_date(value: date | None) -> str:
    """dd/mm/yyyy, the form Vietnamese readers expect; "" when unknown."""
    return value.strftime("%d/%m/%Y") if value else ""


def vn_datetime(value: datetime | None) -> str:
    """dd/mm/yyyy hh:mm in the server's time zone; "" when unknown."""
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def vn_number(value: Decimal | int | str | None) -> str:
    """1327 → 1.327, 32.5 → 32,5; text as it is; blank as an empty string (never 0)."""
    if value is None:
        return ""
    if isinstance(value, Decimal | int):
        return format_vn_number(value)
    return str(value)
