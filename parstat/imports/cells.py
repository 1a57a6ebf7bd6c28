"""What a file's value cell says, before :func:`parstat.reporting.values.parse_cell` reads it.

Offices write values in words and with their own habits; a few of these are certain for the
row's kind of value and are read, everything else is left to ``parse_cell`` (which refuses what
it cannot read). Never is a number stored that the cell does not say:

- a flag row ("Có = 1; Không = 0"): "x" / "✓" (a tick) and "Đạt" are its yes, "Không đạt" its
  no, "Không có" its no only when the flag's choices are "Có" and "Không" ("Không có" in a
  "Tốt = 1; Có vi phạm = 0" row would mean "no violation": refused as unclear);
- a count: "05 văn bản" is 5 when the words are the row's own unit (the template's or the
  file's unit cell); other words are refused;
- "2,000" in a count: refused, unless the file writes its numbers the English way throughout
  (a "1,327,000" or "1,327.5" somewhere and no Vietnamese "1.327" or "32,5"), then read as 2000
  and the summary says that convention was assumed (a rate "32.5" is then 32,5);
- a spreadsheet number without a % format in a percent row (0.99907, 1): a fraction Excel
  computed, refused, not 1 %.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import pgettext_lazy

from parstat.catalog.models import Indicator, Kind
from parstat.errors import ParstatError
from parstat.imports.rows import FileRow
from parstat.numbers import format_vn_number, parse_vn_number

ENGLISH_GROUPS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3}){2,}(?:\.[0-9]+)?|[0-9]{1,3}(?:,[0-9]{3})+"
                            r"\.[0-9]+|[0-9]+\.[0-9]{1,2}")
VIETNAMESE_GROUPS = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3}){2,}(?:,[0-9]+)?|[0-9]{1,3}(?:\.[0-9]{3})+"
                               r",[0-9]+|[0-9]+,(?:[0-9]{1,2}|[0-9]{4,})")
COMMA_THOUSANDS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")
ENGLISH_DECIMAL = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)\.[0-9]+%?")
NUMBER_AND_WORDS = re.compile(r"(?P<number>[0-9][0-9.,]*)\s+(?P<words>\D+)")
TICKS = frozenset({"x", "✓", "✔", "☑", "v"})
YES_LABELS = frozenset({"có", "tốt", "đã thực hiện", "đạt"})
NO_LABELS = frozenset({"không", "chưa thực hiện", "không đạt", "có vi phạm"})


def fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@dataclass(frozen=True)
class NumberConvention:
    """How the file writes its numbers: "vi" (1.327 · 32,5), "en" (1,327 · 32.5) or "" unknown."""

    name: str = ""
    evidence: str = ""  # a cell that shows it

    def as_dict(self) -> dict[str, str]:
        return {"convention": self.name, "evidence": self.evidence}


def file_convention(texts: Iterable[str]) -> NumberConvention:
    english = vietnamese = ""
    for text in texts:
        compact = "".join(text.split()).rstrip("%")
        if not english and ENGLISH_GROUPS.fullmatch(compact):
            english = text
        if not vietnamese and VIETNAMESE_GROUPS.fullmatch(compact):
            vietnamese = text
    if english and not vietnamese:
        return NumberConvention("en", english)
    if vietnamese and not english:
        return NumberConvention("vi", vietnamese)
    return NumberConvention()


def cell_text(indicator: Indicator, row: FileRow, convention: NumberConvention) -> str:
    """The text ``parse_cell`` should read for ``row``'s value: the cell's own text, or what its
    words certainly mean for this row; refuses (ParstatError) what is not certain."""
    text = unicodedata.normalize("NFC", row.value).strip()
    if not text:
        return text
    if indicator.kind == Kind.PERCENT and row.bare_number:
        _check_bare_fraction(indicator, text)
    if indicator.kind == Kind.FLAG and indicator.choices:
        return _flag_text(indicator, text)
    if indicator.kind in (Kind.COUNT, Kind.GROUP):
        text = _count_words(indicator, row, text)
        if convention.name == "en" and COMMA_THOUSANDS.fullmatch("".join(text.split())):
            return text.replace(",", "")
    if indicator.kind in (Kind.PERCENT, Kind.DECIMAL) and convention.name == "en":
        compact = "".join(text.split())
        if ENGLISH_DECIMAL.fullmatch(compact):
            return compact.replace(",", "").replace(".", ",")
    return text


def _check_bare_fraction(indicator: Indicator, text: str) -> None:
    try:
        number = parse_vn_number(text)
    except ParstatError:
        return
    if number is not None and Decimal(0) < number <= Decimal(1):
        raise ParstatError("value.percent_fraction", code=indicator.code, label=indicator.label,
                           text=text, shown=format_vn_number(number * 100))


def _flag_text(indicator: Indicator, text: str) -> str:
    word = fold(text)
    labels = {fold(str(c["label"])): c for c in indicator.choices}
    if word in labels or any(ch.isdigit() for ch in word):
        return text  # a choice's own word or number: parse_cell reads it
    yes = [c for c in indicator.choices if fold(str(c["label"])) in YES_LABELS]
    no = [c for c in indicator.choices if fold(str(c["label"])) in NO_LABELS]
    if word in TICKS or word == "đạt":
        if len(yes) == 1:
            return str(yes[0]["label"])
        raise _unclear(indicator, text, "tick_no_yes")
    if word == "không đạt" and len(no) == 1:
        return str(no[0]["label"])
    if word == "không có":
        if set(labels) == {"có", "không"}:
            return str(labels["không"]["label"])
        raise _unclear(indicator, text, "not_certain")
    return text  # parse_cell refuses it, listing the choices


def _count_words(indicator: Indicator, row: FileRow, text: str) -> str:
    match = NUMBER_AND_WORDS.fullmatch(text)
    if match is None:
        if any(ch.isalpha() for ch in text) and any(ch.isdigit() for ch in text):
            raise _unclear(indicator, text, "unit_words")
        return text
    words = fold(match["words"]).strip(" .")
    units = {fold(u) for u in (indicator.unit, row.unit) if u}
    if words in units:
        return match["number"]
    raise _unclear(indicator, text, "unit_words")


_PERCENT_RANGE = pgettext_lazy("expected kind", "{kind}, từ 0 đến 100")


def expected_kind(indicator: Indicator) -> str:
    """What the indicator takes, said to a person: "Có = 1; Không = 0", "Số đếm (Nhiệm vụ)"."""
    return str(_expected(indicator))


def _expected(indicator: Indicator) -> str | Promise:
    """:func:`expected_kind`, said in the language of whatever message it goes into."""
    if indicator.choices:
        return "; ".join(f"{c['label']} = {c['value']}" for c in indicator.choices)
    kind = Kind(indicator.kind).label
    if indicator.kind == Kind.PERCENT:
        return format_lazy(_PERCENT_RANGE, kind=kind)
    return format_lazy("{} ({})", kind, indicator.unit) if indicator.unit else kind


def _unclear(indicator: Indicator, text: str, reason: str) -> ParstatError:
    """``value.words_unclear`` for one of the reasons ``words.…`` of ``parstat.errors.TERMS``."""
    return ParstatError("value.words_unclear", code=indicator.code, label=indicator.label,
                        text=text, expected=_expected(indicator), reason=f"words.{reason}")
