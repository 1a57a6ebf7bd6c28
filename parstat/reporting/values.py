"""Reading one cell's text as a typed value of its indicator's kind.

Every entry point (file import, form, API, CLI) goes through :func:`parse_cell`, so "1.327",
"32,5", "100%", "Có" mean the same everywhere, and a blank stays blank.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from parstat.catalog.models import Indicator, Kind
from parstat.errors import ParstatError
from parstat.numbers import format_vn_number, parse_vn_number

MAX_TEXT = 4000
LARGEST = Decimal(10) ** 16  # Value.number is DecimalField(20, 4): sixteen integer digits
ONE_DECIMAL = Decimal("0.1")
# "2,000": a comma and exactly three digits is a Vietnamese decimal (2,000 = 2) or an English
# thousands separator (2,000 = 2000). In a count either reading is a whole number, so the text
# alone cannot tell: refused (an importer may resolve it from the file's own convention).
THOUSANDS_COMMA = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
# "0,99907" in a percent row is an Excel fraction (99,907 %) far likelier than 0,99907 %.
FRACTION_DECIMALS = 3


@dataclass(frozen=True)
class CellValue:
    number: Decimal | None = None
    text: str | None = None

    @property
    def is_blank(self) -> bool:
        return self.number is None and self.text is None

    @property
    def content(self) -> Decimal | str | None:
        return self.number if self.number is not None else self.text


BLANK = CellValue()


def fold(text: str) -> str:
    """Compare-form of a word: NFC, case-folded, inner spaces folded."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def parse_cell(indicator: Indicator, raw: object, *, row: int | None = None) -> CellValue:
    """``raw`` is the text a person typed (or a number a spreadsheet stored).

    Every refusal names the row (when given), the indicator and the text.
    """
    try:
        return _parse_cell(indicator, raw)
    except ParstatError as error:
        raise error.located(row=row, indicator=indicator.code) from None


def _parse_cell(indicator: Indicator, raw: object) -> CellValue:
    if raw is None:
        return BLANK
    if isinstance(raw, bool):
        raw = int(raw)
    if isinstance(raw, int | Decimal | float):
        text = repr(raw) if isinstance(raw, float) else str(raw)
        number: Decimal | None = Decimal(text)
    else:
        text = unicodedata.normalize("NFC", str(raw)).strip()
        if not text:
            return BLANK
        if indicator.kind == Kind.TEXT:
            return _text(indicator, text)
        number = _choice_by_label(indicator, text) if indicator.choices else None
        if number is None and indicator.choices and not _looks_numeric(text):
            raise ParstatError("value.not_in_choices", code=indicator.code,
                               label=indicator.label, text=text, choices=_choices_text(indicator))
        if number is None:
            number = parse_vn_number(text)
    if indicator.kind == Kind.TEXT:
        return _text(indicator, text)
    assert number is not None
    return CellValue(number=_check_number(indicator, number, text))


def _looks_numeric(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _text(indicator: Indicator, text: str) -> CellValue:
    if len(text) > MAX_TEXT:
        raise ParstatError("value.too_long", code=indicator.code, limit=MAX_TEXT)
    return CellValue(text=text)


def _choice_by_label(indicator: Indicator, text: str) -> Decimal | None:
    wanted = fold(text)
    for choice in indicator.choices:
        if fold(str(choice["label"])) == wanted:
            return Decimal(str(choice["value"]))
    return None


def _choices_text(indicator: Indicator) -> str:
    return "; ".join(f"{c['label']} = {c['value']}" for c in indicator.choices)


def _check_number(indicator: Indicator, number: Decimal, text: str) -> Decimal:
    facts: dict[str, Any] = {"code": indicator.code, "label": indicator.label, "text": text}
    if not number.is_finite() or abs(number) >= LARGEST:
        raise ParstatError("value.too_large", **facts)
    try:
        parse_number_for_kind = _KIND_CHECKS[indicator.kind]
    except KeyError:
        return number
    return parse_number_for_kind(indicator, number, facts)


def _count(indicator: Indicator, number: Decimal, facts: dict) -> Decimal:
    if THOUSANDS_COMMA.fullmatch(_bare_digits(facts["text"])):
        raise ParstatError("value.thousands_comma", **facts,
                           plain=facts["text"].replace(",", "").strip())
    if number != number.to_integral_value():
        raise ParstatError("value.not_integer", **facts)
    if number < 0:
        raise ParstatError("value.negative", **facts)
    return number.quantize(Decimal(1))


def _percent(indicator: Indicator, number: Decimal, facts: dict) -> Decimal:
    if not Decimal(0) <= number <= Decimal(100):
        raise ParstatError("value.percent_range", **facts)
    if Decimal(0) < number < Decimal(1) and _decimals(number) >= FRACTION_DECIMALS \
            and "%" not in facts["text"]:
        raise ParstatError("value.percent_fraction", **facts,
                           shown=format_vn_number(number * 100))
    # The official table prints rates with one decimal; more digits are noise from a calculator.
    return number.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _decimals(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _bare_digits(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def _listed(indicator: Indicator, number: Decimal, facts: dict) -> Decimal:
    allowed = {Decimal(str(c["value"])) for c in indicator.choices}
    if number not in allowed:
        raise ParstatError("value.not_in_choices", choices=_choices_text(indicator), **facts)
    return number.quantize(Decimal(1))


def _group(indicator: Indicator, number: Decimal, facts: dict) -> Decimal:
    if number < 0:
        raise ParstatError("value.negative", **facts)
    return number


_KIND_CHECKS: dict[str, Callable[[Indicator, Decimal, dict], Decimal]] = {
    Kind.COUNT: _count,
    Kind.PERCENT: _percent,
    Kind.FLAG: _listed,
    Kind.CHOICE: _listed,
    Kind.GROUP: _group,
}


def display(indicator: Indicator, value: Decimal | str | None) -> str:
    """How a value reads to a person: 1.327, 32,5, "Có (1)", or "" for blank."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if indicator.choices:
        label = indicator.choice_label(int(value))
        if label:
            return f"{label} ({format_vn_number(value)})"
    return format_vn_number(value)
