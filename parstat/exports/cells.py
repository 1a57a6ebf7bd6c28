"""One cell of an export as machines read it: numbers exact and plain, text kept inert.

Shared by the JSON, CSV, XLSX, ADX and SDMX writers (what a person reads, "1.327", comes from
:mod:`parstat.vnformat`).
"""

from __future__ import annotations

from decimal import Decimal

from parstat.jsonexact import decimal_literal

# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def number(value: Decimal) -> int | Decimal:
    """A Decimal as a JSON/Excel number: integral values as int so 1327 never prints 1327.0;
    others stay Decimal, so no digit is lost on the way (see parstat.jsonexact)."""
    literal = decimal_literal(value)
    return int(literal) if "." not in literal else Decimal(literal)


def plain_number(value: Decimal) -> str:
    """"." decimal point, no grouping, no exponent, no trailing zeros: 1327, 32.5, -5, 0."""
    result = number(value)
    if isinstance(result, int):
        return str(result)
    return format(value.normalize(), "f")


def escape_text(text: str) -> str:
    """Prefix formula-looking text with "'" so a spreadsheet shows it instead of running it."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_value(value: Decimal | str | None) -> str:
    if value is None:
        return ""  # blank stays blank: distinct from "0"
    if isinstance(value, Decimal):
        return plain_number(value)  # numbers are never escaped: -5 must stay a number
    return escape_text(value)
