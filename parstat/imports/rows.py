"""What every reader gives the matcher: the table's rows as text, with their place in the file."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

ROMAN = re.compile(r"^(?:I|II|III|IV|V|VI|VII|VIII|IX|X)$")
# A section row typed into one merged cell: "I. Công tác chỉ đạo điều hành CCHC".
ROMAN_LABEL = re.compile(r"^(?P<numeral>I|II|III|IV|V|VI|VII|VIII|IX|X)[.:)]?\s+(?P<label>\S.*)$")
TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class FileRow:
    row: int  # line (text) or row (sheet) number, 1-based, as a person would find it
    stt: str
    label: str  # as the file has it, tags removed
    unit: str
    value: str  # the value cell's text, untouched ("1.327", "32,5", "", "Có")
    note: str
    is_section: bool = False
    bare_number: bool = False  # the value cell held a spreadsheet number without a % format
    # (text, bare number) of every column that may hold the values, the table's value columns
    # in order; ``value`` is the one read (the first, until the report's period chooses).
    values: tuple[tuple[str, bool], ...] = ()
    # Value columns the row's own table lacks (a continuation whose header does not show
    # them): the value is unknown, not blank.
    unmapped: frozenset[int] = frozenset()
    value_unknown: bool = False

    def reading(self, column: int) -> FileRow:
        """This row with value column ``column`` (an index into ``values``) as its value."""
        if column in self.unmapped or column >= len(self.values):
            return replace(self, value="", bare_number=False, value_unknown=True)
        text, bare = self.values[column]
        if (text, bare) == (self.value, self.bare_number) and not self.value_unknown:
            return self  # already reads that column (the first, usually): frozen, so shared
        return replace(self, value=text, bare_number=bare)


@dataclass(frozen=True)
class DocumentFacts:
    """From the header: "Ban hành kèm theo Báo cáo số 81/BC-SKHĐT ngày 17/3/2023 của …"."""

    number: str = ""
    issued_on: date | None = None
    issuer: str = ""


@dataclass
class FileTable:
    """One table of a file that has the header of an indicator table. A file may hold several
    (a table of contents, a task table, the indicator table, on several sheets): the first one
    read carries them all in ``candidates`` (itself included) for the content to decide."""

    rows: list[FileRow] = field(default_factory=list)
    document: DocumentFacts = field(default_factory=DocumentFacts)
    period_words: StatedPeriod | None = None  # "quý III năm 2024" in the title, if any
    where: str = ""  # "bảng 2 của tài liệu", "trang tính «Bảng 1»"
    value_columns: list[Any] = field(default_factory=list)  # grid.ValueColumn
    candidates: list[FileTable] = field(default_factory=list)


@dataclass(frozen=True)
class StatedPeriod:
    """The period a file says it reports, in its own title ("quý III năm 2024")."""

    code: str
    text: str


def clean_cell(text: str) -> str:
    """A cell's text without markup: tags dropped, entities decoded, NFC, outer space stripped."""
    if not text:
        return ""
    if "<" in text:  # TAG needs one; most cells have none, and the scan is the cost
        text = TAG.sub("", text)
    text = html.unescape(text)
    return unicodedata.normalize("NFC", text).replace("\u00a0", " ").strip()


DOCUMENT = re.compile(
    r"Báo cáo số\s+(?P<number>[^\s,]+)\s+ngày\s+(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})"
    r"\s*[/.-]\s*(?P<year>\d{4})\s*(?:của\s+)?(?P<issuer>[^*\n]*)",
    re.IGNORECASE,
)
# Words that make a sentence cite another document rather than state the file's own:
# "Tiếp theo Báo cáo số 102/BC-SCT …", "Căn cứ Báo cáo số …", "Thực hiện Báo cáo số …".
CITING = re.compile(r"(?:tiếp theo|căn cứ|thực hiện|theo|bổ sung|thay thế|đính chính|"
                    r"trả lời|phúc đáp)\s+(?:nội dung\s+)?(?:của\s+)?$", re.IGNORECASE)
ATTACHED = re.compile(r"kèm theo\s*$", re.IGNORECASE)
# The heading of a Decree 30 document: "Số: 81/BC-SKHĐT" under the issuer, and the place and
# date line "Sóc Trăng, ngày 17 tháng 3 năm 2023".
OWN_NUMBER = re.compile(r"\bSố\s*:\s*(?P<number>\d+[^\s,;]*/[^\s,;]+)", re.IGNORECASE)
HEADING_DATE = re.compile(r"ngày\s+(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s+năm\s+"
                          r"(?P<year>\d{4})", re.IGNORECASE)
PROVINCE_PREFIX = re.compile(r"^(?:UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s+(?P<place>(?:TỈNH|"
                             r"THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG)\s+\S+(?:\s+\S+)?)\s+"
                             r"(?P<issuer>(?:SỞ|BAN|VĂN PHÒNG|THANH TRA|PHÒNG|ỦY BAN|UBND)\b.*)$",
                             re.IGNORECASE)


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("*", " ").split())


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def read_document_facts(header: str) -> DocumentFacts:
    """Facts of the first sentence of ``header`` naming a report that does not cite it."""
    text = _flat(header)
    for match in DOCUMENT.finditer(text):
        before = text[:match.start()]
        if CITING.search(before) and not ATTACHED.search(before):
            continue
        issuer = match["issuer"].strip(" .,;:()")
        return DocumentFacts(number=match["number"],
                             issued_on=_date(match["year"], match["month"], match["day"]),
                             issuer=issuer)
    return DocumentFacts()


def document_facts_from_lines(lines: list[str]) -> DocumentFacts:
    """The document's own facts from the title lines above a table, best source first:

    1. "Ban hành kèm theo Báo cáo số 81/BC-SKHĐT ngày 17/3/2023 của …" (wrapped onto the next
       line or not): the appendix saying whose it is;
    2. the heading: "Số: 81/BC-SKHĐT" under the issuer's name, the date line beside it;
    3. any other sentence naming a report, unless it cites an earlier one ("Tiếp theo Báo cáo
       số 102/BC-SCT …", "Căn cứ …"), which is never the document's own number.
    """
    flat = [_flat(line) for line in lines]
    for index, line in enumerate(flat):
        match = DOCUMENT.search(line)
        if match and ATTACHED.search(line[:match.start()]):
            return _with_wrapped_issuer(flat, index)
    heading = _heading_facts(flat)
    if heading.number:
        return heading
    for index, line in enumerate(flat):
        if read_document_facts(line).number:
            return _with_wrapped_issuer(flat, index)
    return DocumentFacts()


def _with_wrapped_issuer(flat: list[str], index: int) -> DocumentFacts:
    facts = read_document_facts(flat[index])
    if facts.issuer:
        return facts
    return read_document_facts(" ".join(flat[index:index + 2]))


def _heading_facts(flat: list[str]) -> DocumentFacts:
    for line in flat:
        number = OWN_NUMBER.search(line)
        if number is None:
            continue
        issued_on = next((_date(m["year"], m["month"], m["day"]) for text in flat
                          if (m := HEADING_DATE.search(text))), None)
        return DocumentFacts(number=number["number"].rstrip("."), issued_on=issued_on,
                             issuer=_heading_issuer(line[:number.start()]))
    return DocumentFacts()


def _heading_issuer(text: str) -> str:
    """ "UBND TỈNH SÓC TRĂNG SỞ KẾ HOẠCH VÀ ĐẦU TƯ" → "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng"
    (case is folded when units are compared)."""
    text = text.strip(" .,;:-")
    match = PROVINCE_PREFIX.match(text)
    if match is None:
        return text
    return f"{match['issuer'].strip()} {match['place'].strip()}"


# "quý III năm 2024", "6 tháng đầu năm 2024", "9 tháng năm 2024", "năm 2024" in a title; a date
# ("ngày 17 tháng 3 năm 2023") or a cited document's year is not a period.
QUARTERS = {"i": "Q1", "1": "Q1", "ii": "S1", "2": "S1", "iii": "Q3", "3": "Q3", "iv": "", "4": ""}
STATED_QUARTER = re.compile(r"\bquý\s+(?P<q>iv|iii|ii|i|[1-4])\b[^\d]{0,12}?(?:năm\s+)?"
                            r"(?P<year>20\d\d)", re.IGNORECASE)
STATED_MONTHS = re.compile(r"\b(?P<m>6|sáu|9|chín)\s+tháng\b[^\d]{0,16}?(?:năm\s+)?"
                           r"(?P<year>20\d\d)", re.IGNORECASE)
STATED_YEAR = re.compile(r"(?<!tháng\s\d\s)(?<!tháng\s\d\d\s)\bnăm\s+(?P<year>20\d\d)\b",
                         re.IGNORECASE)
DATE_PHRASE = re.compile(r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+20\d\d|"
                         r"\d{1,2}\s*/\s*\d{1,2}\s*/\s*20\d\d", re.IGNORECASE)
TITLE_WORDS = ("báo cáo", "thống kê", "kết quả", "số liệu", "cải cách hành chính", "cchc")


def period_words_from_lines(lines: list[str]) -> StatedPeriod | None:
    """The period the title states, from the title lines that do not cite another document."""
    for line in (_flat(text) for text in lines):
        folded = line.casefold()
        if not any(word in folded for word in TITLE_WORDS) or CITING_ANYWHERE.search(line):
            continue
        bare = DATE_PHRASE.sub(" ", line)
        found = _stated(bare)
        if found is not None:
            return found
    return None


CITING_ANYWHERE = re.compile(r"\b(?:tiếp theo|căn cứ|kèm theo|theo)\s+(?:báo cáo|công văn|"
                             r"kế hoạch|quyết định|văn bản)\b", re.IGNORECASE)


def _stated(text: str) -> StatedPeriod | None:
    if match := STATED_QUARTER.search(text):
        kind = QUARTERS[match["q"].casefold()]
        return StatedPeriod(f"{match['year']}{kind}", match.group(0))
    if match := STATED_MONTHS.search(text):
        kind = "S1" if match["m"].casefold() in ("6", "sáu") else "Q3"
        return StatedPeriod(f"{match['year']}{kind}", match.group(0))
    if match := STATED_YEAR.search(text):
        return StatedPeriod(match["year"], match.group(0))
    return None
