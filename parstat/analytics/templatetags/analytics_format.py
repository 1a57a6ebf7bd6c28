"""Filters of the analytics pages: cells shown the Vietnamese way, blank as nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from parstat.exports.layout import shown
from parstat.reporting.models import ReportState

register = template.Library()


@register.filter
def cell(value: Any) -> str:
    """A value as the printed table shows it: 1.327, 32,5; blank as "" (never 0)."""
    if isinstance(value, float):
        value = Decimal(str(round(value, 2)))
    return shown(value)


@register.filter
def signed(value: Any) -> str:
    if value is None:
        return ""
    text = shown(value)
    return f"+{text}" if value > 0 else text


@register.filter
def state_label(state: str) -> str:
    return str(ReportState(state).label) if state in ReportState.values else state
