"""Reading one cell's text as a typed value of its indicator's kind.

Every entry point (file import, form, API, CLI) goes through :func:`parse_cell`, so "1.327",
"32,5", "100%", "Có" mean the same everywhere, and a blank stays blank.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy

from parstat.catalog.models import Indicator, Kind
from parstat.errors import ParstatError
from parstat.numbers import format_vn_number, parse_vn_number

# A blank value where it is said in words (history, refusals, findings, the form's placeholder):
# a blank is not «», an empty text. Lazy: said in the language it is read in.
BLANK_WORD = gettext_lazy("trống")

# What a stored number may hold, checked at every entry point before the database sees it.
# 15 significant digits is what every layer keeps exactly: Excel, a float on the way through
# SQLite's REAL storage, and JSON readers. Four decimals is the column's scale
# (Value.number is DecimalField(20, 4)). A value beyond either is refused, never rounded.
MAX_DIGITS = 15
MAX_DECIMALS = 4
LARGEST = Decimal(10) ** MAX_DIGITS  # the first integer too large: 999.999.999.999.999 is the last
# One limit for every text a person can type into a cell: text values and notes alike.
MAX_TEXT = 4000
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
            number = _number(indicator, text)
    if indicator.kind == Kind.TEXT:
        return _text(indicator, text)
    assert number is not None
    return CellValue(number=_check_number(indicator, number, text))


def _number(indicator: Indicator, text: str) -> Decimal | None:
    """``text`` read as a Vietnamese number; a refusal names the indicator as the value
    refusals do (the same code, said of the cell: errors.IN_INDICATOR)."""
    try:
        return parse_vn_number(text)
    except ParstatError as error:
        raise ParstatError(error.code, code=indicator.code, label=indicator.label,
                           **error.params) from None


def _looks_numeric(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _text(indicator: Indicator, text: str) -> CellValue:
    return CellValue(text=checked_text(text, code=indicator.code))


# C0 control characters other than tab, line feed and carriage return mean nothing in a table
# cell, and PostgreSQL refuses NUL in text outright: refuse them with a message, before storage.
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r") | {"\x7f"}


def checked_text(text: str, *, code: str, limit: int = MAX_TEXT) -> str:
    """A text value or note as it will be stored, or a refusal naming the indicator."""
    if len(text) > limit:
        raise ParstatError("value.too_long", code=code, limit=limit)
    bad = next((ch for ch in text if ch in _CONTROL), None)
    if bad is not None:
        raise ParstatError("value.control_character", code=code, char=f"U+{ord(bad):04X}")
    return text


def parse_note(indicator: Indicator, raw: str | None, *, row: int | None = None) -> str | None:
    """A note ("Ghi chú") as stored: NFC, trimmed, within MAX_TEXT, no control characters.
    ``None`` (no note given) stays ``None``: it leaves the stored note as it is."""
    if raw is None:
        return None
    text = unicodedata.normalize("NFC", raw).strip()
    try:
        return checked_text(text, code=indicator.code)
    except ParstatError as error:
        raise error.located(row=row, indicator=indicator.code) from None


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
        raise ParstatError("value.too_large", digits=MAX_DIGITS, **facts)
    decimals = decimal_places(number)
    if decimals > MAX_DECIMALS or integer_digits(number) + decimals > MAX_DIGITS:
        raise ParstatError("value.too_precise", decimals=MAX_DECIMALS, digits=MAX_DIGITS,
                           **facts)
    try:
        parse_number_for_kind = _KIND_CHECKS[indicator.kind]
    except KeyError:
        return number
    return parse_number_for_kind(indicator, number, facts)


def storable(number: Decimal) -> bool:
    """Within what every layer stores exactly (see MAX_DIGITS)."""
    decimals = decimal_places(number)
    return (number.is_finite() and abs(number) < LARGEST and decimals <= MAX_DECIMALS
            and integer_digits(number) + decimals <= MAX_DIGITS)


def decimal_places(number: Decimal) -> int:
    """Decimals the number really has: 32.50 has one, 1327 and 1.327E+6 none."""
    return len(format(abs(number), "f").partition(".")[2].rstrip("0"))


def integer_digits(number: Decimal) -> int:
    whole = format(abs(number), "f").partition(".")[0].lstrip("0")
    return len(whole)


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
    if Decimal(0) < number < Decimal(1) and decimal_places(number) >= FRACTION_DECIMALS \
            and "%" not in facts["text"]:
        raise ParstatError("value.percent_fraction", **facts,
                           shown=format_vn_number(number * 100))
    # Kept as said (32,46 stays 32,46): a rate is never rounded on the way in.
    return number


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
