"""Vietnamese number parsing and formatting: "." groups thousands, "," marks decimals."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parstat.errors import ParstatError
from parstat.numbers import format_vn_number, parse_vn_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.327", "1327"),
        ("1.327.000", "1327000"),
        ("1.327,5", "1327.5"),
        ("32,5", "32.5"),
        ("32,50", "32.5"),
        ("1327,5", "1327.5"),
        ("0,5", "0.5"),
        ("100%", "100"),
        ("32,5 %", "32.5"),
        ("0", "0"),
        ("000", "0"),
        (" 40 ", "40"),
        ("1 327", "1327"),
        ("1\u00a0327", "1327"),
        ("1\u202f327", "1327"),
        ("1\u2009327", "1327"),
        ("\t1.327\n", "1327"),
        ("1\u200b327", "1327"),
        ("-5", "-5"),
        ("\u22125", "-5"),
        ("- 5", "-5"),
        ("-1.327,5", "-1327.5"),
        ("-0", "0"),
        ("12.345.678.901.234.567.890.123.456.789", "12345678901234567890123456789"),
    ],
)
def test_parse_reads_vietnamese_notation(text: str, expected: str) -> None:
    value = parse_vn_number(text)
    assert isinstance(value, Decimal)
    assert value == Decimal(expected)
    # Normalised: "1.327" is Decimal('1327'), not 1.327E+3; no trailing fraction zeros, no -0.
    assert str(value) == expected


@pytest.mark.parametrize("text", ["", " ", "\t", "\u00a0\u202f", "\n"])
def test_blank_is_none_not_zero(text: str) -> None:
    assert parse_vn_number(text) is None


@pytest.mark.parametrize("text", ["1.5", "2.25", "1.32.7", "0.327", "1.2345", "1.327.0", "1.5,2",
                                  "1.5%", "-2.25"])
def test_dot_that_cannot_group_thousands_is_ambiguous(text: str) -> None:
    with pytest.raises(ParstatError) as caught:
        parse_vn_number(text)
    assert caught.value.code == "number.ambiguous"
    assert caught.value.params["text"] == text


@pytest.mark.parametrize(
    "text",
    ["abc", "1,2,3", "5 người", "1e5", "+", "+5", "%", "-", "-%", "1..2", "½", "∞", "NaN",
     "Infinity", "5%%", "%5", "--5", "1,", ",5", ".5", "5.", "1.327,", "٣", "1,5.3", "0x10"],
)
def test_anything_else_is_invalid(text: str) -> None:
    with pytest.raises(ParstatError) as caught:
        parse_vn_number(text)
    assert caught.value.code == "number.invalid"
    assert caught.value.params["text"] == text
    assert text in caught.value.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1327, "1.327"),
        (Decimal("32.5"), "32,5"),
        (Decimal("32.50"), "32,5"),
        (1327000, "1.327.000"),
        (Decimal("1.327E+6"), "1.327.000"),
        (Decimal("-1327.5"), "-1.327,5"),
        (None, ""),
        (0, "0"),
        (Decimal("-0"), "0"),
        (Decimal("5.000"), "5"),
        (Decimal("0.0001"), "0,0001"),
        (999, "999"),
        (-1000, "-1.000"),
        (123456789, "123.456.789"),
    ],
)
def test_format_writes_vietnamese_notation(value: Decimal | int | None, expected: str) -> None:
    assert format_vn_number(value) == expected


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Decimal("32.5"), 2, "32,50"),
        (Decimal("32.456"), 2, "32,46"),
        (Decimal("2.5"), 0, "3"),  # half-up, not banker's rounding
        (Decimal("0.125"), 2, "0,13"),
        (Decimal("-2.5"), 0, "-3"),
        (Decimal("-0.001"), 2, "0,00"),
        (1327, 1, "1.327,0"),
        (Decimal("1234567.891"), 1, "1.234.567,9"),
        (Decimal("9" * 30 + ".5"), 0, "1" + ".000" * 10),
    ],
)
def test_format_with_fixed_decimals(value: Decimal | int, decimals: int, expected: str) -> None:
    assert format_vn_number(value, decimals) == expected


@pytest.mark.parametrize("value", [1.5, True, "12"])
def test_format_refuses_float_bool_and_text(value: object) -> None:
    with pytest.raises(TypeError):
        format_vn_number(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity")])
def test_format_refuses_non_finite(value: Decimal) -> None:
    with pytest.raises(ValueError):
        format_vn_number(value)


def test_format_refuses_negative_decimals() -> None:
    with pytest.raises(ValueError):
        format_vn_number(5, -1)


SANE = st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=4,
                   allow_nan=False, allow_infinity=False)


@given(SANE)
def test_format_then_parse_round_trips(value: Decimal) -> None:
    assert parse_vn_number(format_vn_number(value)) == value


@given(st.integers(min_value=-10**20, max_value=10**20))
def test_integers_round_trip_exactly(value: int) -> None:
    parsed = parse_vn_number(format_vn_number(value))
    assert parsed == value
    assert str(parsed) == str(value)


@given(SANE, st.integers(min_value=0, max_value=6))
def test_fixed_decimals_print_exactly_that_many(value: Decimal, decimals: int) -> None:
    text = format_vn_number(value, decimals)
    assert len(text.partition(",")[2]) == decimals
    parsed = parse_vn_number(text)
    assert parsed is not None
    assert abs(parsed - value) <= Decimal(1).scaleb(-decimals) / 2
