"""Figures of a report's own table written into its text as placeholders: ``{{I.1.b}}``.

A placeholder names an indicator by its code and is rendered from the report's current values
each time the text is shown or printed, so "{{I.1.b}}/{{I.1.a}} nhiệm vụ, đạt {{I.1}} %" reads
"13/40 nhiệm vụ, đạt 32,5 %" and follows the table when a value changes. A blank value is shown
as blank, never as 0.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from parstat.catalog.models import Indicator
from parstat.numbers import format_vn_number
from parstat.reporting.checks import Evaluation, evaluate_report
from parstat.reporting.models import Report

FIGURE = re.compile(r"\{\{\s*([^{}\s]+)\s*\}\}")
BLANK_FIGURE = "[{code}: trống]"  # seen, so a missing number cannot pass as written


def codes_in(text: str) -> list[str]:
    return [match.group(1) for match in FIGURE.finditer(text)]


def figure_text(indicator: Indicator, value: Decimal | str | None) -> str:
    """A value as a sentence reads it: 1.327, 32,5, a flag or choice by its label."""
    if value is None:
        return BLANK_FIGURE.format(code=indicator.code)
    if isinstance(value, str):
        return value
    if indicator.choices:
        label = indicator.choice_label(int(value))
        if label:
            return str(label)
    return format_vn_number(value)  # as the form shows it: every decimal stored, none added


@dataclass(frozen=True)
class Figures:
    """The figures of one report (or of a consolidated table), read once for all its texts."""

    indicators: dict[str, Indicator]
    lookup: Callable[[str], Decimal | str | None]  # code → the value now (None: blank)
    evaluation: Evaluation | None = None  # a unit's report: its evaluation, for its table

    def value(self, code: str) -> str | None:
        indicator = self.indicators.get(code)
        if indicator is None:
            return None
        return figure_text(indicator, self.lookup(code))

    def render(self, text: str, mark: Callable[[str, str], str] | None = None) -> str:
        """The text with each placeholder replaced by its figure (``mark(code, figure)`` wraps
        it, e.g. in HTML); an unknown code stays as written."""
        def replace(match: re.Match[str]) -> str:
            code = match.group(1)
            shown = self.value(code)
            if shown is None:
                return match.group(0)
            return mark(code, shown) if mark else shown
        return FIGURE.sub(replace, text)


def figures_of(report: Report) -> Figures:
    indicators = {i.code: i for i in Indicator.objects.filter(template=report.template)}
    evaluation = evaluate_report(report)
    return Figures(indicators=indicators, lookup=evaluation.value_of, evaluation=evaluation)
