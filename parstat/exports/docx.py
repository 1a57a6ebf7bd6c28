"""The official document as .docx, laid out per Decree 30/2020/NĐ-CP.

A4 (landscape only when a consolidated table shown unit by unit is too wide for portrait),
margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman 13 pt, page numbers centred
in the top margin from the second page on; the appendix heading ("PHỤ LỤC 2", the table's title,
"(Ban hành kèm theo Báo cáo số … ngày … của …)"), the two-row header with "Kết quả thống kê"
merged over its sub-column (repeated on every page), and the printed STT.
"""

from __future__ import annotations

from typing import BinaryIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

from parstat.exports.layout import (
    Column,
    banners,
    body_rows,
    columns,
    coverage_line,
    document_line,
    header_rows,
    scope_line,
    shown,
    subtitle,
)
from parstat.exports.table import ReportTable

FONT = "Times New Roman"
BODY_PT = 13
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
A4_MM = (210, 297)
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _page_field(paragraph: object) -> None:
    """A PAGE field, so Word numbers each page itself."""
    run = paragraph.add_run()  # type: ignore[attr-defined]
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    run.font.name, run.font.size = FONT, Pt(BODY_PT)


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _write(cell: _Cell, text: str, *, size: float, bold: bool = False, italic: bool = False,
           align: str = "left") -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = _ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(0)
    lines = text.split("\n")
    for index, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
        if index < len(lines) - 1:
            run.add_break()


def _line(document: object, text: str, *, bold: bool = False, italic: bool = False,
          color: RGBColor | None = None) -> None:
    paragraph = document.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(BODY_PT), bold, italic
    if color is not None:
        run.font.color.rgb = color


def _setup_page(document: object, landscape: bool) -> float:
    """Decree 30 page; returns the width left for the table, in millimetres."""
    section = document.sections[0]  # type: ignore[attr-defined]
    short, long = A4_MM
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(long), Mm(short)) if landscape else (
        Mm(short), Mm(long))
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    # No number on the first page; centred at the top from the second (Decree 30, art. 15).
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(header)
    width = (long if landscape else short) - MARGINS_MM["left"] - MARGINS_MM["right"]
    return float(width)


def _fitted(cols: tuple[Column, ...], width: float) -> list[float]:
    total = sum(c.width_mm for c in cols)
    return [c.width_mm * width / total for c in cols]


def _table(document: object, table: ReportTable, cols: tuple[Column, ...], width: float,
           size: float) -> None:
    top, second = header_rows(cols)
    rows = body_rows(table)
    grid = document.add_table(rows=2, cols=len(cols))  # type: ignore[attr-defined]
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = _fitted(cols, width)
    start = 0
    for text, span in top:
        cell = grid.cell(0, start)
        if span > 1:
            cell = cell.merge(grid.cell(0, start + span - 1))
        elif not second[start]:
            cell = cell.merge(grid.cell(1, start))  # a plain column spans both header rows
        _write(cell, text, size=size, bold=True, align="center")
        start += span
    for index, title in enumerate(second):
        if title:
            _write(grid.cell(1, index), title, size=size, bold=True, align="center")
    for header_row in grid.rows[:2]:
        _repeat_header(header_row)
    for printed in rows:
        cells = grid.add_row().cells
        if printed.section:
            numeral, label = printed.cells
            _write(cells[0], shown(numeral), size=size, bold=True, align="center")
            merged = cells[1].merge(cells[len(cols) - 1])
            _write(merged, shown(label), size=size, bold=True)
            continue
        for index, (col, value) in enumerate(zip(cols, printed.cells, strict=True)):
            text = shown(value)
            if index == 1 and printed.level > 1:
                cells[index].paragraphs[0].paragraph_format.left_indent = Mm(3 * (printed.level - 1))
            _write(cells[index], text, size=size, align=col.align,
                   italic=printed.derived and index == 3)
    for row in grid.rows:
        for index, cell in enumerate(row.cells):
            cell.width = Mm(widths[index])


LANGUAGE = "vi-VN"


def _tag_vietnamese(document: object) -> None:
    """Tag the text Vietnamese (the defaults and every style that names a language), so that
    Word spell-checks it as Vietnamese, not as the template's English."""
    styles = document.styles.element  # type: ignore[attr-defined]
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
    if run_defaults is not None:
        rpr = run_defaults.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            run_defaults.append(rpr)
        if rpr.find(qn("w:lang")) is None:
            rpr.append(OxmlElement("w:lang"))
    for lang in styles.iter(qn("w:lang")):
        for side in ("w:val", "w:eastAsia"):
            lang.set(qn(side), LANGUAGE)


def build_document(table: ReportTable) -> object:
    cols = columns(table)
    landscape = sum(c.width_mm for c in cols) > A4_MM[0] - 45
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    # East-Asian font slot too, or Word may substitute for Vietnamese glyphs.
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    _tag_vietnamese(document)
    width = _setup_page(document, landscape)
    for text in (table.appendix, table.title):
        if text:
            _line(document, text, bold=True)
    _line(document, document_line(table), italic=True)
    _line(document, subtitle(table))
    if table.consolidated:
        _line(document, scope_line(table), bold=True)
        _line(document, coverage_line(table), italic=True)
    for banner in banners(table):
        _line(document, banner, bold=True, color=RGBColor(0xC0, 0, 0))
    document.add_paragraph()
    # A table shown unit by unit may need a smaller type to fit; the body text stays 13 pt.
    size = BODY_PT if len(cols) <= 5 else 11 if len(cols) <= 9 else 9
    _table(document, table, cols, width, size)
    return document


def write_docx(table: ReportTable, fp: BinaryIO) -> None:
    build_document(table).save(fp)  # type: ignore[attr-defined]
