"""The fast .xlsx reader (parstat.imports.sheetxml) reads every cell as openpyxl does, or steps
aside: over workbooks openpyxl writes with random values and formats, over hand-written XML in
the shapes other programs write (shared strings with runs and phonetic guides, cells and rows
without references, rows out of order, prefixed namespaces, formulas' cached values, the 1904
epoch), and over files LibreOffice saved (tests/data/libreoffice)."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parstat.errors import ParstatError
from parstat.imports import sheetxml
from parstat.imports.readers import read_upload
from parstat.imports.xlsx import (
    cell_text,
    read_xlsx_table,
    value_text,
    without_trailing_blanks,
)
from tests.fidelity_corpus import corpus

LIBREOFFICE = Path(__file__).parent / "data" / "libreoffice"
Sheets = list[tuple[str, list[list[str]]]]


def by_openpyxl(data: bytes) -> Sheets:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True,
                                  keep_links=False)
    try:
        out = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()
            out.append((sheet.title, [without_trailing_blanks([cell_text(c) for c in row])
                                      for row in sheet.iter_rows(min_row=1)]))
        return out
    finally:
        book.close()


def by_sheetxml(data: bytes) -> Sheets:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = sheetxml.open_book(archive)
        return [(title, list(sheetxml.sheet_rows(book, part, value_text)))
                for title, part in book.sheets]


def assert_same_or_aside(data: bytes) -> bool:
    """The two readers agree, or the fast one declines; True when it read the file."""
    try:
        fast = by_sheetxml(data)
    except sheetxml.Unsupported:
        return False
    assert fast == by_openpyxl(data)
    return True


# --- workbooks openpyxl writes ----------------------------------------------------------------

NUMBER_FORMATS = ["General", "0", "0.00", "0%", "0.00%", "#,##0", "#,##0.00", "dd/mm/yyyy",
                  "d-mmm-yy", "h:mm:ss", "[h]:mm", "mm:ss", "0.0E+00", '#,##0 "người"',
                  '0.0" %"', "@", "yyyy-mm-dd h:mm"]
values = st.one_of(
    st.none(),
    st.integers(-10**12, 10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.decimals(min_value=-10**6, max_value=10**6, places=3).map(float),
    st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12),
    st.sampled_from(["", " ", "x_x000D_y", "_x005F_x", "Tỷ lệ", "99,5", "1.250", "  lề  "]),
    st.booleans(),
    st.dates(min_value=date(1901, 1, 1), max_value=date(2100, 1, 1)),
    st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2100, 1, 1)),
    st.times(),
)
cells = st.tuples(st.integers(1, 30), st.integers(1, 8), values, st.sampled_from(NUMBER_FORMATS))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets=st.lists(st.lists(cells, max_size=40), min_size=1, max_size=3),
       date1904=st.booleans(), hidden=st.booleans())
def test_it_reads_what_openpyxl_writes_as_openpyxl_reads_it(
        sheets: list[list[tuple[int, int, Any, str]]], date1904: bool, hidden: bool) -> None:
    book = openpyxl.Workbook()
    book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904 if date1904 else \
        openpyxl.utils.datetime.CALENDAR_WINDOWS_1900
    book.remove(book.active)
    for number, placed in enumerate(sheets):
        sheet = book.create_sheet(f"Trang {number + 1}")
        if hidden and number == 0 and len(sheets) > 1:
            sheet.sheet_state = "hidden"
        for row, column, value, number_format in placed:
            if isinstance(value, str):
                value = "".join(ch for ch in value if ch.isprintable()) or None
            cell = sheet.cell(row=row, column=column, value=value)
            cell.number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    assert assert_same_or_aside(buffer.getvalue())  # openpyxl's own files: never set aside


# --- XML as other programs write it -----------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRINGS = [
    "<si><t>Chỉ tiêu</t></si>",
    '<si><t xml:space="preserve">  Số liệu  </t></si>',
    "<si><r><t>Tỷ </t></r><r><rPr><b/><sz val=\"11\"/></rPr><t>lệ</t></r></si>",
    "<si><t>漢字</t><rPh sb=\"0\" eb=\"1\"><t>かんじ</t></rPh><phoneticPr fontId=\"1\"/></si>",
    "<si><t>a_x000D_b</t></si>",
    "<si><t>x_x005F_x000D_y</t></si>",
    "<si><t/></si>",
    "<si><r><t>chỉ run</t></r></si>",
    "<si><t><![CDATA[1 < 2 & 3]]></t></si>",
    "<si><t>&#272;&#417;n v&#7883;</t></si>",
]


def _cell(kind: str, reference: str | None, style: int | None) -> str:
    at = f' r="{reference}"' if reference else ""
    s = f' s="{style}"' if style is not None else ""
    return {
        "number": f"<c{at}{s}><v>40</v></c>",
        "fraction": f"<c{at}{s}><v>0.325</v></c>",
        "exponent": f"<c{at}{s}><v>1.5E-3</v></c>",
        "shared": f'<c{at}{s} t="s"><v>{{string}}</v></c>',
        "inline": f'<c{at}{s} t="inlineStr"><is><t>Nội dung</t></is></c>',
        "inline runs": f'<c{at}{s} t="inlineStr"><is><r><t>Kết </t></r><r><t>quả</t></r></is></c>',
        "formula": f"<c{at}{s}><f>SUM(A1:A2)</f><v>12.5</v></c>",
        "formula text": f'<c{at}{s} t="str"><f>A1&amp;"x"</f><v>40x</v></c>',
        "uncomputed": f"<c{at}{s}><f>SUM(A1:A2)</f></c>",
        "error": f'<c{at}{s} t="e"><v>#N/A</v></c>',
        "bool": f'<c{at}{s} t="b"><v>1</v></c>',
        "iso date": f'<c{at}{s} t="d"><v>2024-03-31T00:00:00</v></c>',
        "empty": f"<c{at}{s}/>",
        "empty value": f"<c{at}{s}><v></v></c>",
    }[kind]


KINDS = ["number", "fraction", "exponent", "shared", "inline", "inline runs", "formula",
         "formula text", "uncomputed", "error", "bool", "iso date", "empty", "empty value"]
# numFmtId 14 is a built-in date; 164 a custom percentage; 165 a custom date; 166 a custom code
# equal to a built-in one ("0.00%", built-in 10); 9 the built-in "0%".
STYLES_XML = (
    '<numFmts count="3"><numFmt numFmtId="164" formatCode="0.0%"/>'
    '<numFmt numFmtId="165" formatCode="dd/mm/yyyy"/><numFmt numFmtId="166" formatCode="0.00%"/>'
    '</numFmts><cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
    '<xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="9"/></cellXfs>'
)


def package(sheet_xml: str, *, prefix: str = "", date1904: str | None = None,
            strings: list[str] = STRINGS) -> bytes:
    """A minimal .xlsx as Excel lays it out, the sheet's and strings' XML given; ``prefix``:
    the main namespace bound to a prefix (``x:``) rather than as the default."""
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns{":" + prefix if prefix else ""}="{MAIN}"'
    pr = f'<{p}workbookPr date1904="{date1904}"/>' if date1904 is not None else ""
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://'
            'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
            'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main'
            '+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/'
            'sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<{p}workbook {ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships">{pr}<{p}sheets><{p}sheet name="Biểu 1" sheetId="1" r:id="rId1"/>'
            f"</{p}sheets></{p}workbook>"),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/></Relationships>'),
        "xl/styles.xml": f"<{p}styleSheet {ns}>{_prefixed(STYLES_XML, p)}</{p}styleSheet>",
        "xl/sharedStrings.xml": (f"<{p}sst {ns}>" + "".join(_prefixed(s, p) for s in strings)
                                 + f"</{p}sst>"),
        "xl/worksheets/sheet1.xml": (f"<{p}worksheet {ns}><{p}sheetData>"
                                     f"{_prefixed(sheet_xml, p)}</{p}sheetData></{p}worksheet>"),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _prefixed(xml: str, p: str) -> str:
    if not p:
        return xml
    for tag in ("si", "t", "r", "rPr", "b", "sz", "rPh", "phoneticPr", "numFmts", "numFmt",
                "cellXfs", "xf", "row", "c", "v", "f", "is"):
        xml = xml.replace(f"<{tag}>", f"<{p}{tag}>").replace(f"<{tag} ", f"<{p}{tag} ")
        xml = xml.replace(f"<{tag}/>", f"<{p}{tag}/>").replace(f"</{tag}>", f"</{p}{tag}>")
    return xml


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


written_cell = st.tuples(st.sampled_from(KINDS), st.integers(1, 30), st.booleans(),
                         st.one_of(st.none(), st.integers(0, 5)), st.integers(0, len(STRINGS) - 1))
written_row = st.tuples(st.one_of(st.none(), st.integers(1, 40)),
                        st.lists(written_cell, max_size=6))


def sheet_xml(rows: list[tuple[int | None, list[tuple[str, int, bool, int | None, int]]]]) -> str:
    out = []
    for number, row_cells in rows:
        r = f' r="{number}"' if number is not None else ""
        texts = []
        for kind, column, referenced, style, string in row_cells:
            reference = f"{_column_letters(column)}{number or 1}" if referenced else None
            texts.append(_cell(kind, reference, style).replace("{string}", str(string)))
        out.append(f"<row{r}>{''.join(texts)}</row>")
    return "".join(out)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(written_row, max_size=12), prefix=st.sampled_from(["", "x"]),
       date1904=st.sampled_from([None, "1", "0", "true", "false"]))
def test_it_reads_other_programs_xml_as_openpyxl_reads_it(
        rows: list[Any], prefix: str, date1904: str | None) -> None:
    """Rows with or without numbers, out of order or repeated; cells with or without
    references (a cell without one follows the previous); every kind of value."""
    assert assert_same_or_aside(package(sheet_xml(rows), prefix=prefix, date1904=date1904))


def test_it_reads_each_kind_of_value_as_the_table_needs_it() -> None:
    row = "".join(_cell(kind, f"{_column_letters(n + 1)}1", style).replace("{string}", "2")
                  for n, (kind, style) in enumerate([
                      ("number", None), ("fraction", 2), ("fraction", 4), ("number", 1),
                      ("number", 3), ("shared", None), ("inline runs", None),
                      ("formula", None), ("uncomputed", None), ("error", None), ("bool", None),
                      ("iso date", None), ("empty", None), ("fraction", 5)]))
    data = package(f'<row r="2">{row}</row>')
    assert assert_same_or_aside(data)
    assert by_sheetxml(data) == [("Biểu 1", [[], [
        "40", "32,5", "32,5", "09/02/1900", "09/02/1900", "Tỷ lệ", "Kết quả", "12,5", "",
        "#N/A", "1", "31/03/2024", "", "32,5"]])]


def test_it_numbers_rows_and_columns_as_openpyxl_does() -> None:
    """A row without ``r`` follows the previous; a row numbered below the next one is skipped;
    a cell without ``r`` follows the previous cell; a row is as wide as its last cell."""
    data = package('<row r="2"><c r="B2"><v>1</v></c><c><v>2</v></c></row>'
                   '<row><c r="A3"><v>3</v></c></row>'
                   '<row r="2"><c r="A2"><v>99</v></c></row>'
                   '<row r="5"><c r="C5"><v>5</v></c><c r="A5"><v>4</v></c></row>')
    assert assert_same_or_aside(data)
    assert by_sheetxml(data)[0][1] == [[], ["", "1", "2"], ["3"], [], ["4"]]


@pytest.mark.parametrize("flag, shown", [(None, "01/01/1900"), ("1", "02/01/1904"),
                                         ("true", "02/01/1904"), ("false", "01/01/1900")])
def test_it_dates_by_the_books_epoch(flag: str | None, shown: str) -> None:
    data = package('<row r="1"><c r="A1" s="1"><v>1</v></c></row>', date1904=flag)
    assert assert_same_or_aside(data)
    assert by_sheetxml(data)[0][1] == [[shown]]


@pytest.mark.parametrize("sheet, why", [
    ('<row r="1"><c r="A1" s=""><v>1</v></c></row>', "empty style"),
    ('<row r="1"><c r="A1" s="40"><v>1</v></c></row>', "style index"),
    ('<row r="1"><c r="a1"><v>1</v></c></row>', "reference"),
    ('<row r="1.5"><c r="A1"><v>1</v></c></row>', "row"),
    ('<row r="1"><c r="A1" t="s"><v>999</v></c></row>', "IndexError"),
])
def test_it_steps_aside_where_it_does_not_read_as_openpyxl(sheet: str, why: str) -> None:
    data = package(sheet)
    with pytest.raises(sheetxml.Unsupported, match=why):
        by_sheetxml(data)


HEADER = ('<row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is></c><c r="B1" '
          't="inlineStr"><is><t>Chỉ tiêu</t></is></c><c r="C1" t="inlineStr"><is><t>Kết quả'
          '</t></is></c></row>')


def without_styles(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member in source.infolist():
            if member.filename != "xl/styles.xml":
                archive.writestr(member, source.read(member))
    return buffer.getvalue()


def test_it_leaves_openpyxls_refusal_standing_where_it_steps_aside() -> None:
    """A style looked up by "" breaks openpyxl: the import refuses the file as damaged, as it
    did before this reader."""
    data = package(HEADER + '<row r="2"><c r="A2" s=""><v>1</v></c></row>')
    with pytest.raises(ParstatError) as refused:
        read_xlsx_table(data, "hỏng.xlsx")
    assert refused.value.code == "import.corrupt"


def test_it_ends_a_row_at_its_last_cell_that_holds_anything() -> None:
    """A formatted empty cell far right (Excel writes one for a bordered range) adds nothing."""
    data = package(HEADER + '<row r="2"><c r="A2"><v>1</v></c><c r="C2"><v>7</v></c>'
                   '<c r="XFD2" s="1"/></row>')
    assert by_sheetxml(data)[0][1][1] == ["1", "", "7"]
    assert assert_same_or_aside(data)


@pytest.mark.parametrize("fast", [True, False])
def test_it_refuses_a_value_far_to_the_right_saying_where(fast: bool) -> None:
    """A value in column XFD made every row 16,384 cells wide to walk (a 60 KB file took seconds
    and a gigabyte): refused, by both readers alike, naming the row."""
    data = package(HEADER + '<row r="2"><c r="A2"><v>1</v></c><c r="XFD2"><v>1</v></c></row>')
    with pytest.raises(ParstatError) as refused:
        read_xlsx_table(data if fast else without_styles(data), "rộng.xlsx")
    assert refused.value.code == "import.too_many_columns"
    assert refused.value.row == 2 and refused.value.params["count"] == 16384


def test_it_reads_a_book_without_styles_through_openpyxl() -> None:
    data = without_styles(package(HEADER + '<row r="2"><c r="A2"><v>1</v></c><c r="B2" '
                                  't="inlineStr"><is><t>Số văn bản</t></is></c><c r="C2"><v>7'
                                  '</v></c></row>'))
    with pytest.raises(sheetxml.Unsupported, match="no styles"):
        by_sheetxml(data)
    table = read_xlsx_table(data, "không-kiểu.xlsx")
    assert [(r.stt, r.label, r.value) for r in table.rows] == [("1", "Số văn bản", "7")]


# --- files LibreOffice saved ------------------------------------------------------------------

def test_it_reads_libreoffices_files_as_openpyxl_and_as_the_files_they_were_saved_from() -> None:
    """tests/data/libreoffice: the corpus's .xlsx files opened and saved again by LibreOffice
    Calc (shared strings, its own styles and number formats): the same cells by both readers,
    and the same table rows as the file each was saved from."""
    originals = {f.name: f.data for f in corpus() if f.name.endswith(".xlsx")}
    saved = sorted(LIBREOFFICE.glob("*.xlsx"))
    assert {p.name for p in saved} == set(originals)
    for path in saved:
        data = path.read_bytes()
        assert assert_same_or_aside(data), path.name
        assert _rows(read_upload(data, path.name)) == _rows(read_upload(originals[path.name],
                                                                        path.name)), path.name


def _rows(table: Any) -> list[tuple[Any, ...]]:
    return [(r.row, r.stt, r.label, r.unit, r.values, r.note) for r in table.rows]


def test_it_types_values_as_openpyxl_does() -> None:
    """value_text, the one home of how a value reads, for both readers."""
    assert value_text(None, None) == ""
    assert value_text(0.325, "0.0%") == "32,5"
    assert value_text(0.325, "General") == "0,325"
    assert value_text(40, None) == "40"
    assert value_text(True, None) == "1"
    assert value_text(datetime(2024, 3, 31), None) == "31/03/2024"
    assert value_text(time(7, 30), None) == "07:30:00"


@pytest.mark.parametrize("value, number_format, text", [
    (1e300, "General", "1" + "0" * 300),
    (12345678901234567890123456789012, "0%", "1234567890123456789012345678901200"),
    (float("inf"), "General", "inf"),
    (0.1, "0%", "10"),
    (1.5e-3, "General", "0,0015"),
    (-0.0, "General", "-0"),
])
def test_it_writes_numbers_out_exactly_however_long(value: float, number_format: str,
                                                    text: str) -> None:
    """Decimal's arithmetic rounds at 28 digits and refused a float of 1E+300 outright: the
    import then crashed. Now every digit is kept, and the value's own check decides."""
    assert value_text(value, number_format) == text
