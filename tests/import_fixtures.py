"""Report files built by the tests: the seed table as Word, Excel and CSV, and hostile files.

The seed text is read into rows once; each builder renders rows the way offices type them:
Word with a merged two-row header, bold section rows merged across the columns, an empty row
and the table split over two Word tables; Excel with title rows, merged cells, numbers stored
as numbers or as text, a percentage cell and a formula with its cached value; CSV with a BOM and
semicolons. Variants change the rows before rendering.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

import docx
import openpyxl
from docx.enum.text import WD_BREAK
from openpyxl.styles import Font

from parstat.imports.rows import clean_cell
from tests.seed_expectations import SEED as SEED_FILE

HEADER = ["STT", "Chỉ tiêu thống kê", "Đơn vị tính", "Kết quả thống kê", "Ghi chú"]
SUB_HEADER = ["", "", "", "Số lượng/tỷ lệ", ""]
TITLE = ["PHỤ LỤC 2", "BẢNG 1",
         "Ban hành kèm theo Báo cáo số 81/BC-SKHĐT ngày 17/3/2023 của Sở Kế hoạch và Đầu tư "
         "tỉnh Sóc Trăng"]


@dataclass(frozen=True)
class SeedRow:
    cells: tuple[str, str, str, str, str]
    section: bool = False

    def with_value(self, value: str) -> SeedRow:
        stt, label, unit, _old, note = self.cells
        return replace(self, cells=(stt, label, unit, value, note))

    def with_label(self, label: str) -> SeedRow:
        stt, _old, unit, value, note = self.cells
        return replace(self, cells=(stt, label, unit, value, note))

    @property
    def label(self) -> str:
        return self.cells[1]


Rows = list[SeedRow]


def seed_table_rows() -> Rows:
    """The seed's sections and indicator rows, markup removed."""
    lines = SEED_FILE.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("STT\t")) + 2
    rows = []
    for line in lines[start:]:
        cells = [clean_cell(c) for c in line.split("\t")] + [""] * 5
        if cells[1]:
            rows.append(SeedRow(tuple(cells[:5]), section="<b>" in line))  # type: ignore[arg-type]
    return rows


def find(rows: Rows, label: str, occurrence: int = 0) -> int:
    return [i for i, r in enumerate(rows) if r.label == label][occurrence]


# --- variants -------------------------------------------------------------------------------

def decomposed(rows: Rows) -> Rows:
    return [replace(r, cells=tuple(unicodedata.normalize("NFD", c) for c in r.cells))  # type: ignore[arg-type]
            for r in rows]


def in_words(rows: Rows) -> Rows:
    """Flags written "Có", the survey form "Trực tuyến", instead of 1 and 0."""
    words = {"Có = 1; Không = 0": "Có", "Không = 0; Có = 1": "Có",
             "Trực tuyến = 0 Phát phiếu = 1 Kết hợp = 2": "Trực tuyến"}
    return [r.with_value(words[r.cells[2]]) if r.cells[2] in words and r.cells[3] else r
            for r in rows]


# --- Word -----------------------------------------------------------------------------------

def seed_docx(rows: Rows | None = None, *, split_at: int | None = None,
              title: list[str] | None = None) -> bytes:
    rows = seed_table_rows() if rows is None else rows
    document = docx.Document()
    for line in TITLE if title is None else title:
        document.add_paragraph().add_run(line).bold = True
    cut = len(rows) if split_at is None else split_at
    _word_table(document, rows[:cut], two_row_header=True)
    if split_at is not None:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _word_table(document, rows[cut:], two_row_header=False)
    document.add_paragraph("Nơi nhận: Sở Nội vụ.")
    signatures = document.add_table(rows=1, cols=2)
    signatures.cell(0, 0).text, signatures.cell(0, 1).text = "NGƯỜI LẬP BIỂU", "GIÁM ĐỐC"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _word_table(document: docx.document.Document, rows: Rows, *, two_row_header: bool) -> None:
    header_rows = 2 if two_row_header else 1
    table = document.add_table(rows=header_rows + len(rows) + 1, cols=5)
    cells = [row.cells for row in table.rows]  # one walk of the grid: python-docx is slow per cell
    for column, text in enumerate(HEADER):
        cells[0][column].text = text
    if two_row_header:
        cells[1][3].text = SUB_HEADER[3]
        for column in (0, 1, 2, 4):
            cells[0][column].merge(cells[1][column])
    body = rows[:1] + [SeedRow(("", "", "", "", ""))] + rows[1:]  # an empty row, as people leave
    for index, row in enumerate(body, start=header_rows):
        if row.section:
            cells[index][0].paragraphs[0].add_run(row.cells[0]).bold = True
            merged = cells[index][1].merge(cells[index][4])
            merged.paragraphs[0].add_run(row.cells[1]).bold = True
            continue
        for column, text in enumerate(row.cells):
            if text:
                cells[index][column].paragraphs[0].add_run(text)


# --- Excel ----------------------------------------------------------------------------------

def seed_xlsx(rows: Rows | None = None, *, title: list[str] | None = None) -> bytes:
    rows = seed_table_rows() if rows is None else rows
    title = TITLE if title is None else title
    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active["A1"] = "Điền số liệu vào trang Bảng 1."
    sheet = book.create_sheet("Bảng 1")
    for number, line in enumerate(title, start=1):
        sheet.cell(number, 1, line).font = Font(bold=True)
        sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=5)
    top = len(title) + 2
    for column, text in enumerate(HEADER, start=1):
        sheet.cell(top, column, text)
        if column != 4:
            sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1,
                              end_column=column)
    sheet.cell(top + 1, 4, SUB_HEADER[3])
    for number, row in enumerate(rows, start=top + 2):
        _sheet_row(sheet, number, row)
    out = io.BytesIO()
    book.save(out)
    return _with_cached_formula(out.getvalue())


def _sheet_row(sheet: openpyxl.worksheet.worksheet.Worksheet, number: int, row: SeedRow) -> None:
    stt, label, unit, value, note = row.cells
    sheet.cell(number, 1, int(stt) if stt.isdigit() else stt or None)
    sheet.cell(number, 2, label)
    if row.section:
        sheet.cell(number, 2).font = Font(bold=True)
        sheet.merge_cells(start_row=number, start_column=2, end_row=number, end_column=5)
        return
    sheet.cell(number, 3, unit or None)
    sheet.cell(number, 5, note or None)
    sheet.cell(number, 4, _excel_value(value, unit, number))
    if unit == "%" and value == "100":
        sheet.cell(number, 4).number_format = "0%"


def _excel_value(value: str, unit: str, number: int) -> object:
    """Numbers as numbers on even rows, as typed text on odd rows; 100% as the fraction 1."""
    if not value or not re.fullmatch(r"[\d.,]+", value):
        return value or None
    if value == "40":
        return "=39+1"  # a formula; its cached value is written in by _with_cached_formula
    if unit == "%" and value == "100":
        return 1
    if number % 2:
        return value
    amount = Decimal(value.replace(".", "").replace(",", "."))
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def _with_cached_formula(data: bytes) -> bytes:
    """Give the formula the value Excel would have cached (openpyxl writes none)."""
    return rewrite_zip(data, lambda name, body: re.sub(
        rb"<f>39\+1</f><v\s*/>|<f>39\+1</f><v></v>|<f>39\+1</f>", b"<f>39+1</f><v>40</v>", body)
        if name.startswith("xl/worksheets/") else body)


# --- text -----------------------------------------------------------------------------------

def seed_csv(rows: Rows | None = None, *, delimiter: str = ";", bom: bool = True) -> bytes:
    rows = seed_table_rows() if rows is None else rows
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    for line in TITLE:
        writer.writerow([line])
    writer.writerows([HEADER, SUB_HEADER, *(list(r.cells) for r in rows)])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


# --- packages and hostile files -------------------------------------------------------------

def rewrite_zip(data: bytes, change: Callable[[str, bytes], bytes],
                extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, change(item.filename, source.read(item)))
        for name, body in (extra or {}).items():
            target.writestr(name, body)
    return out.getvalue()


BILLION_LAUGHS = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n')


def with_billion_laughs(data: bytes, part: str) -> bytes:
    def poison(name: str, body: bytes) -> bytes:
        if name != part:
            return body
        root = body[body.index(b"?>") + 2:] if body.startswith(b"<?xml") else body
        return BILLION_LAUGHS + root.replace(b">", b">&lol3;", 1)
    return rewrite_zip(data, poison)


def zip_bomb(inner_name: str = "word/document.xml", size: int = 150 * 1024 * 1024) -> bytes:
    """A package whose part inflates to ``size`` bytes of zeros from ~150 KB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        target.writestr("[Content_Types].xml", b"<Types/>")
        with target.open(inner_name, "w", force_zip64=True) as stream:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                stream.write(chunk)
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, body in files.items():
            target.writestr(name, body)
    return out.getvalue()


def ole_file(stream_name: str) -> bytes:
    """Enough of an OLE compound file (old .doc/.xls, or encrypted Office) to be recognised."""
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + stream_name.encode("utf-16-le")
            + b"\0" * 1024)
