"""An .xlsx's cells read straight from its XML, exactly as openpyxl reads them, several times faster.

openpyxl builds an object for every element it meets; for a report table that is most of an
import's time (#16). This reader walks the same parts with ElementTree's C parser (which openpyxl
uses too, through many Python objects per cell) and gives, for every worksheet,
the rows openpyxl's read-only ``iter_rows`` gives after ``reset_dimensions``: the same row
numbering (missing rows as empty rows, a row met twice read once), the same columns (a cell
without a reference is the one after the previous), the same values (cached results of formulas,
shared and inline strings with their runs and without phonetic guides, numbers cast the same way,
dates by the same number formats and epoch) and the same number format per cell.

It reads only what it knows. Anything else (a workbook part elsewhere than ``xl/workbook.xml``,
a dialog or macro sheet, an unknown namespace on a known element, a style reference that is not
a number, a value that does not parse, XML that is not well formed) raises :class:`Unsupported`,
and the caller reads the file with openpyxl instead, whose answer, refusal included, then holds.
``tests/test_import_sheetxml.py`` holds the two readers equal over generated workbooks.

openpyxl's own public helpers decide what is a date format and turn serial numbers into dates,
so the two cannot drift apart there. It is only given a package that has passed
:mod:`parstat.imports.safety` (no DTD and so no entity in any part, sizes bounded), as openpyxl
is; big parts (a sheet, the shared strings) are read as a stream, element by element.
"""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.etree.ElementTree import Element, ParseError, XMLPullParser, fromstring

from openpyxl.styles.numbers import (
    BUILTIN_FORMATS,
    BUILTIN_FORMATS_REVERSE,
    builtin_format_code,
    is_date_format,
    is_timedelta_format,
)
from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH, from_excel, from_ISO8601

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKSHEET = OFFICE_RELS + "/worksheet"
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
# In the order openpyxl looks for them (macro template, template, macro book, book).
WORKBOOK_TYPES = (
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
WORKBOOK_PART = "xl/workbook.xml"
WORKBOOK_RELATIONS = "xl/_rels/workbook.xml.rels"
STYLES_PART = "xl/styles.xml"  # openpyxl reads the styles from this name, whatever the rels say
SHEET_STATES = (None, "visible", "hidden", "veryHidden")
CHUNK = 64 * 1024
_ROW, _V, _IS, _SI, _T = MAIN + "row", MAIN + "v", MAIN + "is", MAIN + "si", MAIN + "t"
_DIGITS = "0123456789"
_FALSE = ("", "false", "f", "0")  # openpyxl's Bool: these are false, any other text true
_READ_ERRORS = (ParseError, zipfile.BadZipFile, OSError, EOFError, KeyError, ValueError,
                IndexError)

# The text of a value that is not a string (a number, with its number format; a bool, a date):
# a string is the cell's text as it is.
CellText = Callable[[Any, "str | None"], str]


class Unsupported(Exception):
    """The file uses something this reader does not read the way openpyxl does."""


@dataclass(frozen=True)
class Styles:
    number_formats: tuple[str, ...]  # by the cell's style index (its ``s``)
    dates: frozenset[int]  # style indexes whose number format makes a number a date
    durations: frozenset[int]  # … a duration (``[h]:mm``)


@dataclass(frozen=True)
class Book:
    archive: zipfile.ZipFile
    sheets: tuple[tuple[str, str], ...]  # (title, part) of each worksheet, in the book's order
    strings: tuple[str, ...]
    styles: Styles
    epoch: datetime


def open_book(archive: zipfile.ZipFile) -> Book:
    """The book's worksheets, shared strings, number formats and epoch (openpyxl's load)."""
    try:
        return _open_book(archive)
    except _READ_ERRORS as error:
        raise Unsupported(f"{type(error).__name__}: {error}") from None


def _open_book(archive: zipfile.ZipFile) -> Book:
    parts = set(archive.namelist())
    overrides = _content_types(archive)
    if _workbook_part(overrides) != "/" + WORKBOOK_PART:
        raise Unsupported("workbook part")
    epoch, sheets = _workbook(fromstring(archive.read(WORKBOOK_PART)))
    relations = _relations(fromstring(archive.read(WORKBOOK_RELATIONS)), WORKBOOK_RELATIONS)
    found: list[tuple[str, str]] = []
    for title, relation_id in sheets:
        if not relation_id:
            continue  # openpyxl drops such a sheet with a warning
        kind, target = relations[relation_id]
        if target not in parts or "chartsheet" in kind:
            continue
        if kind != WORKSHEET:
            raise Unsupported(f"sheet of type {kind}")
        found.append((title, target))
    strings_part = next((part for part, kind in overrides if kind == SHARED_STRINGS), None)
    strings = _shared_strings(archive, strings_part[1:]) if strings_part else ()
    if STYLES_PART not in parts:
        raise Unsupported("no styles")
    return Book(archive, tuple(found), strings, _styles(fromstring(archive.read(STYLES_PART))),
                epoch)


def sheet_rows(book: Book, part: str, cell_text: CellText) -> Iterator[list[str]]:
    """The sheet's rows from the first, each a list of its cells' texts up to its last one
    that is not empty (openpyxl's row with its trailing empty cells left off), read as needed:
    a string as it is, any other value as ``cell_text`` writes it (``cell_text(None, None)``,
    "", is the text of an empty cell)."""
    rows = _Rows(book, cell_text)
    try:
        with book.archive.open(part) as stream:
            for row in _elements(stream, _ROW):
                yield from rows.add(row)
    except _READ_ERRORS as error:
        raise Unsupported(f"{part}: {type(error).__name__}: {error}") from None


def _elements(stream: Any, tag: str) -> Iterator[Element]:
    """Each ``tag`` element of a part once it has ended, cleared once used (openpyxl's
    iterparse), so that a big part is never held whole."""
    parser = XMLPullParser(("end",))
    while chunk := stream.read(CHUNK):
        parser.feed(chunk)
        yield from _ended(parser, tag)
    parser.close()
    yield from _ended(parser, tag)


def _ended(parser: XMLPullParser, tag: str) -> Iterator[Element]:
    events: Iterator[Any] = parser.read_events()  # only "end" events: (name, element)
    for _event, element in events:
        if element.tag == tag:
            yield element
            element.clear()


class _Rows:
    """openpyxl's WorkSheetParser.parse_row/parse_cell and ReadOnlyWorksheet._cells_by_row/
    _get_row, with min_row = min_col = 1 and no maximum: missing rows come empty, a row
    numbered below the next is skipped, a row is as wide as its last cell's column."""

    def __init__(self, book: Book, cell_text: CellText) -> None:
        self.book, self.cell_text = book, cell_text
        self.blank = cell_text(None, None)
        self.row_number = 0  # openpyxl's row counter: the row's ``r``, or the previous + 1
        self.next_row = 1  # the number of the next row to hand out

    def add(self, row: Element) -> Iterator[list[str]]:
        self.row_number = _row_number(row.get("r"), self.row_number)
        cells: list[tuple[int, str]] = []
        column = 0
        for cell in row:
            reference = cell.get("r")
            column = _column(reference) if reference else column + 1
            cells.append((column, self._text(cell)))
        for _ in range(self.next_row, self.row_number):
            self.next_row += 1
            yield []
        if self.next_row <= self.row_number:
            self.next_row += 1
            yield self._texts(cells)

    def _texts(self, cells: list[tuple[int, str]]) -> list[str]:
        """The row's texts, without its trailing empty cells (see xlsx._sheet_grid): a
        formatted empty cell in column XFD makes no list of 16,384 texts."""
        if not cells:
            return []
        limit = cells[-1][0]  # openpyxl's: as wide as the last cell's column
        placed: dict[int, str] = {}
        for column, text in cells:
            if 1 <= column <= limit:
                placed[column] = text  # a column met twice: the later cell
        width = max((column for column, text in placed.items() if text), default=0)
        texts = [self.blank] * width
        for column, text in placed.items():
            if column <= width:
                texts[column - 1] = text
        return texts

    def _text(self, cell: Element) -> str:
        kind = cell.get("t", "n")
        style_text = cell.get("s")
        style = 0 if style_text is None else _style_index(style_text)
        value: Any
        if kind == "inlineStr":
            inline = cell.find(_IS)
            return self.blank if inline is None else _string(inline)
        value = cell.findtext(_V, None)
        if not value:
            return self.blank
        if kind == "s":
            return self.book.strings[int(value)]
        if kind == "n":
            value = _cast_number(value)
            styles = self.book.styles
            if style in styles.dates:
                try:
                    value = from_excel(value, self.book.epoch, timedelta=style in styles.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"  # openpyxl's reading of a date out of range
                return self.cell_text(value, None)
            if style >= len(styles.number_formats):
                raise Unsupported("style index")
            return self.cell_text(value, styles.number_formats[style])
        if kind == "b":
            return self.cell_text(bool(int(value)), None)
        if kind == "d":
            return self.cell_text(from_ISO8601(value), None)
        return value  # "str" (a formula's text), "e" (an error such as #N/A), others: as is


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _string(element: Element) -> str:
    """openpyxl's ``Text.from_tree(…).content``: the string's own ``<t>`` (the last, if
    several) and each run's ``<t>``, in any namespace; phonetic guides (``<rPh>``) left out."""
    if len(element) == 1 and element[0].tag == _T:
        return element[0].text or ""  # the usual string: one <t>, no runs
    plain: str | None = None
    runs: list[str] = []
    for child in element:
        local = _local(child.tag)
        if local == "t":
            plain = child.text
        elif local == "r":
            text = None
            for part in child:
                part_local = _local(part.tag)
                if part_local == "t":
                    text = part.text
                elif part_local != "rPr":
                    raise Unsupported(f"<{part_local}> in a run")
            if text is not None:
                runs.append(text)
        elif local not in ("rPh", "phoneticPr"):
            raise Unsupported(f"<{local}> in a string")
    return "".join(runs) if plain is None else plain + "".join(runs)


def _content_types(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    overrides = []
    for child in fromstring(archive.read("[Content_Types].xml")):
        if _local(child.tag) == "Override":
            if child.get("PartName") is None or child.get("ContentType") is None:
                raise Unsupported("content type without a part or type")
            overrides.append((child.get("PartName", ""), child.get("ContentType", "")))
    return overrides


def _workbook_part(overrides: list[tuple[str, str]]) -> str | None:
    for kind in WORKBOOK_TYPES:
        for part, part_kind in overrides:
            if part_kind == kind:
                return part
    return None  # openpyxl may still find it by the defaults: let it


def _workbook(root: Element) -> tuple[datetime, list[tuple[str, str | None]]]:
    """The epoch of the book's dates and its sheets (title, relation id), as openpyxl's
    WorkbookPackage reads them: the last <sheets>, every child of it a sheet."""
    properties: Element | None = None
    sheets: list[tuple[str, str | None]] = []
    for child in root:
        local = _local(child.tag)
        if local == "workbookPr":
            properties = child
        elif local == "sheets":
            sheets = [_sheet(sheet) for sheet in child]
    flag = properties.get("date1904") if properties is not None else None
    date1904 = flag is not None and flag not in _FALSE
    return (CALENDAR_MAC_1904 if date1904 else WINDOWS_EPOCH), sheets


def _sheet(sheet: Element) -> tuple[str, str | None]:
    name = sheet.get("name")
    if name is None or sheet.get("state") not in SHEET_STATES:
        raise Unsupported("sheet without a name or with an unknown state")
    _integer(sheet.get("sheetId"))
    return name, sheet.get(f"{{{OFFICE_RELS}}}id")


def _relations(root: Element, part: str) -> dict[str, tuple[str, str]]:
    """Id → (type, target as a part name), targets resolved as openpyxl's get_dependents."""
    relations: dict[str, tuple[str, str]] = {}
    parent = posixpath.split(posixpath.dirname(part))[0]
    for child in root:
        if _local(child.tag) != "Relationship":
            continue
        kind, target = child.get("Type"), child.get("Target")
        if kind is None or target is None:
            raise Unsupported("relation without a target or type")
        if child.get("TargetMode") != "External":
            target = (target[1:] if target.startswith("/")
                      else posixpath.normpath(posixpath.join(parent, target)))
        relations[child.get("Id", "")] = (kind, target)
    return relations


def _shared_strings(archive: zipfile.ZipFile, part: str) -> tuple[str, ...]:
    with archive.open(part) as stream:
        # openpyxl's read_string_table drops "x005F_" (Excel's escape of an underscore)
        return tuple(_string(si).replace("x005F_", "") for si in _elements(stream, _SI))


def _styles(root: Element) -> Styles:
    """Each cell style's number format, as openpyxl's Stylesheet._normalise_numbers sees it:
    the last <numFmts> and <cellXfs> count, each in any namespace."""
    custom: dict[int, str] = {}
    style_formats: list[int] = []
    for child in root:
        local = _local(child.tag)
        if local == "numFmts":
            custom = {}
            for number_format in child:
                if _local(number_format.tag) == "numFmt":
                    format_code = number_format.get("formatCode")
                    if format_code is None:
                        raise Unsupported("number format without a code")
                    custom[_integer(number_format.get("numFmtId"))] = format_code
        elif local == "cellXfs":
            style_formats = [_integer(xf.get("numFmtId", "0")) for xf in child
                             if _local(xf.tag) == "xf"]
    if not style_formats:
        raise Unsupported("no cell styles")  # openpyxl keeps its defaults then
    formats: list[str] = []
    dates, durations = set(), set()
    for index, number in enumerate(style_formats):
        code: str | None = custom.get(number)
        if code is not None:
            builtin = BUILTIN_FORMATS_REVERSE.get(code)
            shown = code if builtin is None else BUILTIN_FORMATS[builtin]
        else:
            code = builtin_format_code(number)
            shown = BUILTIN_FORMATS.get(number, "General")
        formats.append(shown)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
    return Styles(tuple(formats), frozenset(dates), frozenset(durations))


def _integer(text: str | None) -> int:
    try:
        return int(text or "")
    except ValueError:
        raise Unsupported(f"not a number: {text!r}") from None


def _style_index(text: str | None) -> int:
    if text is None:
        return 0
    if text == "":
        raise Unsupported("empty style")  # openpyxl would look the style up by ""
    return _integer(text)


def _row_number(text: str | None, previous: int) -> int:
    if text is None:
        return previous + 1
    try:
        return int(text)
    except ValueError:
        number = float(text)
        if not number.is_integer():
            raise Unsupported(f"row {text!r}") from None
        return int(number)


_COLUMNS: dict[str, int] = {}


def _column(reference: str) -> int:
    """The column of a reference such as "AB12", as openpyxl's coordinate_to_tuple reads it."""
    letters = reference.rstrip(_DIGITS)
    column = _COLUMNS.get(letters)
    if column is None or len(letters) == len(reference):
        if not (0 < len(letters) < len(reference) and len(letters) <= 3 and letters.isascii()
                and letters.isalpha() and letters.isupper()):
            raise Unsupported(f"reference {reference!r}")
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        _COLUMNS[letters] = column
    return column


def _cast_number(text: str) -> int | float:
    # openpyxl's worksheet reader: a decimal point or an exponent makes a float
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)
