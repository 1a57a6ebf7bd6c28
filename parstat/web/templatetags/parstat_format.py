from __future__ import annotations

from decimal import Decimal

from django import template

from parstat.numbers import format_vn_number

register = template.Library()


@register.filter
def vn_number(value: object) -> str:
    """1327 → 1.327, 32.5 → 32,5; text as it is; blank as an empty string (never 0)."""
    if value is None:
        return ""
    if isinstance(value, Decimal | int):
        return format_vn_number(Decimal(value))
    return str(value)


@register.filter
def vn_date(value: object) -> str:
    return value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else ""
