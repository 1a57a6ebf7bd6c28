"""What every reader gives the matcher: the table's rows as text, with their place in the file."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

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


@dataclass(frozen=True)
class DocumentFacts:
    """From the header: "Ban hành kèm theo Báo cáo số 81/BC-SKHĐT ngày 17/3/2023 của …"."""

    number: str = ""
    issued_on: date | None = None
    issuer: str = ""


@dataclass
class FileTable:
    rows: list[FileRow] = field(default_factory=list)
    document: DocumentFacts = field(default_factory=DocumentFacts)


def clean_cell(text: str) -> str:
    """A cell's text without markup: tags dropped, entities decoded, NFC, outer space stripped."""
    text = html.unescape(TAG.sub("", text))
    return unicodedata.normalize("NFC", text).replace("\u00a0", " ").strip()


DOCUMENT = re.compile(
    r"Báo cáo số\s+(?P<number>[^\s,]+)\s+ngày\s+(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})"
    r"\s*[/.-]\s*(?P<year>\d{4})\s*(?:của\s+)?(?P<issuer>[^*\n]*)",
    re.IGNORECASE,
)


def read_document_facts(header: str) -> DocumentFacts:
    text = " ".join(unicodedata.normalize("NFC", header).replace("*", " ").split())
    match = DOCUMENT.search(text)
    if not match:
        return DocumentFacts()
    try:
        issued_on = date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        issued_on = None
    issuer = match["issuer"].strip(" .,;:()")
    return DocumentFacts(number=match["number"], issued_on=issued_on, issuer=issuer)


def document_facts_from_lines(lines: list[str]) -> DocumentFacts:
    """Facts from the title lines above a table: the line naming the report, and the next one
    when the issuer wraps onto it (as in the seed), but not the lines after that."""
    for index, line in enumerate(lines):
        if not DOCUMENT.search(" ".join(unicodedata.normalize("NFC", line).split())):
            continue
        facts = read_document_facts(line)
        if facts.issuer:
            return facts
        return read_document_facts(" ".join(lines[index:index + 2]))
    return DocumentFacts()
