"""Numbers as Vietnamese tables write them: "." groups thousands, "," marks decimals.

"1.327" is one thousand three hundred twenty-seven, "32,5" is thirty-two and a half. Only
:class:`~decimal.Decimal` is used: a float would turn 32,5 % into 32.4999… somewhere in a total.
A blank cell is ``None``, never 0, so that "not reported" and "zero" stay distinct.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Context, Decimal

from parstat.errors import ParstatError

# Zero-width characters are not whitespace for str.isspace(), yet copy-paste from Word and web
# pages leaves them inside numbers; they carry no meaning, so they are dropped like spaces.
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_UNICODE_MINUS = "\u2212"

# Digits only, optional decimal part: "1327", "32,5".
_PLAIN = re.compile(r"(?P<int>[0-9]+)(?:,(?P<frac>[0-9]+))?")
# Thousands grouped by dots: the first group has 1-3 digits and no leading zero ("0.327" would be
# an English decimal in disguise), every later group exactly 3.
_GROUPED = re.compile(r"(?P<int>[1-9][0-9]{0,2}(?:\.[0-9]{3})+)(?:,(?P<frac>[0-9]+))?")
# Digits with dots that are not thousands groups ("1.5", "2.25", "1.32.7"): probably an English
# decimal point, but we refuse to guess.
_DOTTED = re.compile(r"[0-9]+(?:\.[0-9]+)+(?:,[0-9]+)?")


def parse_vn_number(text: str) -> Decimal | None:
    """Read a number written the Vietnamese way; ``None`` for a blank cell.

    Raises ``ParstatError`` ``number.ambiguous`` for dots that cannot be thousands separators and
    ``number.invalid`` for anything else that is not a number.
    """
    compact = "".join(ch for ch in text if not ch.isspace() and ch not in _INVISIBLE)
    if not compact:
        return None
    body = compact.replace(_UNICODE_MINUS, "-")
    negative = body.startswith("-")
    if negative:
        body = body[1:]
    if body.endswith("%"):
        body = body[:-1]
    match = _PLAIN.fullmatch(body) or _GROUPED.fullmatch(body)
    if match is None:
        code = "number.ambiguous" if _DOTTED.fullmatch(body) else "number.invalid"
        raise ParstatError(code, text=text)
    return _exact_decimal(match["int"].replace(".", ""), match["frac"] or "", negative)


def _exact_decimal(int_digits: str, frac_digits: str, negative: bool) -> Decimal:
    # Trailing zeros are stripped on the string, not with Decimal.normalize(): normalize() rounds
    # to the context precision and writes 1327000 as 1.327E+6.
    frac_digits = frac_digits.rstrip("0")
    value = Decimal(f"{int_digits}.{frac_digits}" if frac_digits else int_digits)
    # copy_negate() is exact (unary minus rounds to the context); zero keeps no sign.
    return value.copy_negate() if negative and value else value


def format_vn_number(value: Decimal | int | None, decimals: int | None = None) -> str:
    """Write a number the Vietnamese way: 1327 -> "1.327", 32.5 -> "32,5", None -> "".

    Integral values print without decimals and others with their significant decimals, unless
    ``decimals`` asks for exactly that many (rounded half-up, as people round by hand).
    """
    if value is None:
        return ""
    number = _as_decimal(value)
    if decimals is None:
        digits = _strip_fraction_zeros(format(number, "f"))
    else:
        digits = format(_round_half_up(number, decimals), "f")
    return _group(digits)


def _as_decimal(value: Decimal | int) -> Decimal:
    # bool is an int, but True printed as "1" is the Yes/No confusion DHIS2 users suffer from.
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"format_vn_number takes a Decimal or an int, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(f"cannot format {number} as a Vietnamese number")
    return number


def _round_half_up(number: Decimal, decimals: int) -> Decimal:
    if decimals < 0:
        raise ValueError("decimals must be zero or more")
    # Enough precision that quantize() never fails on a large value.
    context = Context(prec=max(28, number.adjusted() + decimals + 2), rounding=ROUND_HALF_UP)
    return number.quantize(Decimal(1).scaleb(-decimals), context=context)


def _strip_fraction_zeros(digits: str) -> str:
    if "." not in digits:
        return digits
    return digits.rstrip("0").rstrip(".")


def _group(digits: str) -> str:
    """Turn plain fixed-point text ("-1327.5") into Vietnamese notation ("-1.327,5")."""
    sign = "-" if digits.startswith("-") else ""
    int_part, _, frac_part = digits.lstrip("-").partition(".")
    head = len(int_part) % 3 or 3
    groups = [int_part[:head]] + [int_part[i:i + 3] for i in range(head, len(int_part), 3)]
    text = ".".join(groups) + ("," + frac_part if frac_part else "")
    # A value that rounds to zero ("-0,00") shows no sign.
    if sign and text.strip("0.,"):
        return sign + text
    return text
