"""parse_cell and display against real indicators of the template B1-SN-2023."""

from __future__ import annotations

import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parstat.catalog.models import Indicator
from parstat.errors import ParstatError
from parstat.numbers import format_vn_number
from parstat.reporting.values import display, parse_cell

COUNT = "I.1.a"  # Số nhiệm vụ đề ra trong kế hoạch
PERCENT = "I.7.c"  # Tỷ lệ hài lòng trong kỳ báo cáo
FLAG = "I.3.e"  # Có = 1; Không = 0
GOOD_OR_BREACH = "I.8"  # Tốt = 1; Có vi phạm = 0
CHOICE = "I.7.b"  # Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2
TEXT = "I.9"  # Nhiệm vụ khác (nếu có)


@pytest.fixture
def ind(template):
    def get(code: str) -> Indicator:
        return Indicator.objects.get(template=template, code=code)
    return get


def number(indicator: Indicator, raw: object) -> Decimal | None:
    return parse_cell(indicator, raw).number


def refused(indicator: Indicator, raw: object, row: int | None = None) -> ParstatError:
    with pytest.raises(ParstatError) as caught:
        parse_cell(indicator, raw, row=row)
    return caught.value


def test_it_reads_thousands_dots_in_a_count(ind) -> None:
    assert number(ind(COUNT), "1.327") == 1327


def test_it_keeps_zero_as_a_value_not_blank(ind) -> None:
    cell = parse_cell(ind(COUNT), "0")
    assert not cell.is_blank
    assert cell.number == 0


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_it_reads_an_empty_cell_as_blank(ind, raw) -> None:
    assert parse_cell(ind(COUNT), raw).is_blank


def test_it_refuses_a_fraction_in_a_count(ind) -> None:
    assert refused(ind(COUNT), "1,5").code == "value.not_integer"


def test_it_refuses_a_negative_count(ind) -> None:
    assert refused(ind(COUNT), "-3").code == "value.negative"


@pytest.mark.parametrize(("raw", "expected"), [("32,5", "32.5"), ("100%", "100")])
def test_it_reads_a_percentage(ind, raw: str, expected: str) -> None:
    assert number(ind(PERCENT), raw) == Decimal(expected)


def test_it_refuses_a_percentage_above_100(ind) -> None:
    assert refused(ind(PERCENT), "120").code == "value.percent_range"


def test_it_keeps_a_percentage_as_typed_never_rounded(ind) -> None:
    assert number(ind(PERCENT), "33,33") == Decimal("33.33")
    assert number(ind(PERCENT), "33,3333") == Decimal("33.3333")


def test_it_refuses_more_decimals_than_are_stored_instead_of_rounding(ind) -> None:
    error = refused(ind(PERCENT), "33,33333", row=4)
    assert error.code == "value.too_precise"
    assert "33,33333" in error.message and "4 chữ số thập phân" in error.message
    assert "Dòng 4" in error.message and "never rounded" in error.message_en


@pytest.mark.parametrize(("raw", "expected"), [("Có", 1), ("có", 1), ("1", 1), ("Không", 0)])
def test_it_reads_a_flag_by_label_or_number(ind, raw: str, expected: int) -> None:
    assert number(ind(FLAG), raw) == expected


def test_it_reads_a_flag_by_its_own_labels(ind) -> None:
    assert number(ind(GOOD_OR_BREACH), "Có vi phạm") == 0


def test_it_refuses_a_flag_outside_its_choices(ind) -> None:
    assert refused(ind(FLAG), "2").code == "value.not_in_choices"


def test_it_reads_a_choice_by_label(ind) -> None:
    assert number(ind(CHOICE), "Kết hợp") == 2


def test_it_matches_a_choice_typed_in_decomposed_unicode(ind) -> None:
    assert number(ind(CHOICE), unicodedata.normalize("NFD", "Kết hợp")) == 2


def test_it_names_the_row_when_refusing_a_non_number(ind) -> None:
    error = refused(ind(COUNT), "12abc", row=17)
    assert error.code == "number.invalid"
    assert "Dòng 17" in error.message
    assert "12abc" in error.message


def test_it_names_the_row_when_refusing_a_word(ind) -> None:
    error = refused(ind(COUNT), "abc", row=17)
    assert error.code == "number.invalid"
    assert "Dòng 17" in error.message
    assert "abc" in error.message


def test_it_refuses_an_english_decimal_point_as_ambiguous(ind) -> None:
    assert refused(ind(PERCENT), "1.5").code == "number.ambiguous"


def test_it_ignores_non_breaking_spaces(ind) -> None:
    assert number(ind(COUNT), "1\u00a0327") == 1327


@pytest.mark.parametrize(
    ("code", "raw", "expected"),
    [(COUNT, 5, "5"), (PERCENT, 32.5, "32.5"), (PERCENT, Decimal("32.5"), "32.5"),
     (COUNT, Decimal("1327"), "1327")],
)
def test_it_accepts_numbers_from_spreadsheets(ind, code: str, raw: object, expected: str) -> None:
    assert number(ind(code), raw) == Decimal(expected)


def test_it_keeps_the_text_of_a_text_indicator(ind) -> None:
    cell = parse_cell(ind(TEXT), "  Rà soát 1.327 hồ sơ  ")
    assert (cell.text, cell.number) == ("Rà soát 1.327 hồ sơ", None)


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_it_round_trips_a_formatted_count(value: int) -> None:
    # No database: a count indicator built in memory is enough for parse_cell.
    indicator = Indicator(code=COUNT, label="Số nhiệm vụ", kind="count", choices=[])
    assert parse_cell(indicator, format_vn_number(value)).number == value


def test_it_displays_a_count_with_thousands_dots(ind) -> None:
    assert display(ind(COUNT), Decimal(1327)) == "1.327"


def test_it_displays_a_percentage_with_a_decimal_comma(ind) -> None:
    assert display(ind(PERCENT), Decimal("32.5")) == "32,5"


def test_it_displays_a_flag_with_its_label(ind) -> None:
    assert display(ind(FLAG), Decimal(1)) == "Có (1)"


def test_it_displays_blank_as_empty(ind) -> None:
    assert display(ind(COUNT), None) == ""


def test_it_refuses_a_number_too_large_to_store(template) -> None:
    indicator = template.indicators.get(code="VII.3.a")
    with pytest.raises(ParstatError) as refused:
        parse_cell(indicator, "12345678901234567", row=9)
    assert refused.value.code == "value.too_large" and "Dòng 9" in refused.value.message
    # 16 digits went through SQLite's REAL rounded (…456 → …460) or broke reading: refused now.
    for raw in ("9999999999999999", "1234567890123456", "1.234.567.890.123.456"):
        with pytest.raises(ParstatError) as caught:
            parse_cell(indicator, raw)
        assert caught.value.code == "value.too_large"
    assert parse_cell(indicator, "999.999.999.999.999").number == Decimal("999999999999999")


def test_it_refuses_fifteen_digits_plus_decimals(template) -> None:
    indicator = template.indicators.get(code="VI.3")  # a group row: takes decimals
    with pytest.raises(ParstatError) as caught:
        parse_cell(indicator, "123.456.789.012.345,5")
    assert caught.value.code == "value.too_precise"
    assert parse_cell(indicator, "12.345.678.901,2345").number == Decimal("12345678901.2345")


@pytest.mark.parametrize("raw", ["a\x00b", "x\x07", "\x1b[31m"])
def test_it_refuses_control_characters_in_text(ind, raw: str) -> None:
    assert refused(ind(TEXT), raw).code == "value.control_character"


def test_it_keeps_tabs_and_line_breaks_in_text(ind) -> None:
    assert parse_cell(ind(TEXT), "dòng 1\ndòng\t2").text == "dòng 1\ndòng\t2"
