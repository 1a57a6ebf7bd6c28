"""The official document as .docx, laid out per Decree 30/2020/NĐ-CP.

A4 (landscape only when a consolidated table shown unit by unit is too wide for portrait),
margins top/bottom 20 mm, left 30 mm, right 15 mm, Times New Roman 13 pt, page numbers centred
in the top margin from the second page on; the appendix heading ("PHỤ LỤC 2", the table's title,
"(Ban hành kèm theo Báo cáo số … ngày … của …)"), the two-row header with "Kết quả thống kê"
merged over its sub-column (repeated on every page), and the printed STT.
:func:`write_report_docx` writes the whole report (heading block, narrative, "Nơi nhận",
signature) with that appendix on its own page; :func:`write_docx` the appendix alone.
"""

from __future__ import annotations

from typing import BinaryIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell

from parstat.exports.decree30 import (
    ISSUER_RULE,
    MOTTO,
    MOTTO_RULE,
    NATIONAL_NAME,
    RECIPIENTS,
    SIGNATURE_HINT,
    SUMMARY_RULE,
    UNSET,
    ReportDocument,
)
from parstat.exports.decree30 import issuer_lines as split_issuer
from parstat.exports.layout import (
    SYNTHETIC_BANNER,
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
    _widths(grid, widths)


def _widths(grid: object, widths_mm: list[float] | tuple[float, ...]) -> None:
    """Column widths on the grid and on every cell: Word reads the cells, LibreOffice the grid."""
    for column, width in zip(grid.columns, widths_mm, strict=True):  # type: ignore[attr-defined]
        column.width = Mm(width)
    for row in grid.rows:  # type: ignore[attr-defined]
        for index, cell in enumerate(row.cells):
            cell.width = Mm(widths_mm[index])


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


def _new_document() -> object:
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    # East-Asian font slot too, or Word may substitute for Vietnamese glyphs.
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    _tag_vietnamese(document)
    return document


def _appendix(document: object, table: ReportTable, cols: tuple[Column, ...],
              width: float) -> None:
    """The appendix heading and its table, from the current paragraph on."""
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
    document.add_paragraph()  # type: ignore[attr-defined]
    # A table shown unit by unit may need a smaller type to fit; the body text stays 13 pt.
    size = BODY_PT if len(cols) <= 5 else 11 if len(cols) <= 9 else 9
    _table(document, table, cols, width, size)


def build_document(table: ReportTable) -> object:
    """The appendix table alone (``parstat export --appendix-only``, consolidated tables)."""
    cols = columns(table)
    landscape = sum(c.width_mm for c in cols) > A4_MM[0] - 45
    document = _new_document()
    width = _setup_page(document, landscape)
    _appendix(document, table, cols, width)
    return document


def write_docx(table: ReportTable, fp: BinaryIO) -> None:
    build_document(table).save(fp)  # type: ignore[attr-defined]


# The whole report (Decree 30/2020, appendix I, form of a "báo cáo"): parstat.exports.decree30.
RED = RGBColor(0xC0, 0, 0)


def _paragraph(container: object, text: str = "", *, align: str = "left", bold: bool = False,
               italic: bool = False, size: float = BODY_PT, color: RGBColor | None = None,
               first_line_mm: float = 0, space_after: float = 0) -> object:
    paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = {"justify": WD_ALIGN_PARAGRAPH.JUSTIFY, **_ALIGN}[align]
    paragraph.paragraph_format.space_after = Pt(space_after)
    if first_line_mm:
        paragraph.paragraph_format.first_line_indent = Mm(first_line_mm)
    if text:
        run = paragraph.add_run(text)
        run.font.name, run.font.size, run.bold, run.italic = FONT, Pt(size), bold, italic
        if color is not None:
            run.font.color.rgb = color
    return paragraph


def _borderless(document: object, widths_mm: tuple[float, float]) -> object:
    grid = document.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    grid.autofit = False
    _widths(grid, widths_mm)
    return grid


def _cell_lines(cell: _Cell, lines: list[tuple[str, dict]]) -> None:
    """Lines into a cell, its first (empty) paragraph reused."""
    first = cell.paragraphs[0]
    for index, (text, style) in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.alignment = _ALIGN[style.get("align", "center")]
        paragraph.paragraph_format.space_after = Pt(0)
        for part, line in enumerate(text.split("\n")):  # a line break where the text has one
            run = paragraph.add_run()
            if part:
                run.add_break()
            run.add_text(line)
            run.font.name, run.font.size = FONT, Pt(style.get("size", BODY_PT))
            run.bold, run.italic = style.get("bold", False), style.get("italic", False)


def _draft_header(document: object, mark: str) -> None:
    """DỰ THẢO in the first page's header and beside the page number on the others."""
    section = document.sections[0]  # type: ignore[attr-defined]
    first = section.first_page_header.paragraphs[0]
    first.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = first.add_run(mark)
    run.font.name, run.font.size, run.bold, run.font.color.rgb = FONT, Pt(14), True, RED
    other = section.header.add_paragraph()
    other.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = other.add_run(mark)
    run.font.name, run.font.size, run.bold, run.font.color.rgb = FONT, Pt(11), True, RED


def build_report_document(doc: ReportDocument) -> object:
    """The whole report: heading block, title, sections, "Nơi nhận", signature, appendix."""
    cols = columns(doc.table)
    document = _new_document()
    width = _setup_page(document, landscape=False)
    if doc.mark:
        _draft_header(document, doc.mark)
    if doc.synthetic:
        _paragraph(document, SYNTHETIC_BANNER, align="center", bold=True, color=RED)
    # Heading block: the issuer on the left, the national name and motto on the right.
    head = _borderless(document, (width * 0.4, width * 0.6))
    left, right = head.rows[0].cells  # type: ignore[attr-defined]
    issuer_lines: list[tuple[str, dict]] = []
    if doc.governing_body:
        issuer_lines.append((doc.governing_body, {"size": 12}))
    issuer_lines += [("\n".join(split_issuer(doc.issuer)), {"size": 12, "bold": True}),
                     (ISSUER_RULE, {"size": 12}),
                     (doc.number_line, {})]
    _cell_lines(left, issuer_lines)
    _cell_lines(right, [(NATIONAL_NAME, {"size": 12, "bold": True}),
                        (MOTTO, {"bold": True}), (MOTTO_RULE, {}),
                        (doc.place_date_line, {"italic": True})])
    _paragraph(document, "", space_after=6)
    _paragraph(document, doc.title, align="center", bold=True, size=14)
    _paragraph(document, doc.summary, align="center", bold=True, size=14)
    _paragraph(document, SUMMARY_RULE, align="center", size=14, space_after=12)
    for section in doc.sections:
        _paragraph(document, section.heading, align="justify", bold=True, first_line_mm=10,
                   space_after=6)
        for block in section.blocks:
            text = f"- {block.text}" if block.kind == "li" else block.text
            _paragraph(document, text, align="justify", size=14, first_line_mm=10,
                       space_after=6)
    _paragraph(document, "", space_after=6)
    foot = _borderless(document, (width * 0.5, width * 0.5))
    recipients, signature = foot.rows[0].cells  # type: ignore[attr-defined]
    _cell_lines(recipients, [(RECIPIENTS, {"align": "left", "size": 12, "bold": True,
                                            "italic": True})]
                + [(f"- {line}", {"align": "left", "size": 11}) for line in doc.recipients])
    _cell_lines(signature, [(doc.signer_title or UNSET, {"bold": True}),
                            (SIGNATURE_HINT, {"italic": True, "size": 12}),
                            ("", {}), ("", {}), ("", {}),
                            (doc.signer_name or UNSET, {"bold": True})])
    _paragraph(document).add_run().add_break(WD_BREAK.PAGE)  # type: ignore[attr-defined]
    _appendix(document, doc.table, cols, width)
    return document


def write_report_docx(doc: ReportDocument, fp: BinaryIO) -> None:
    build_report_document(doc).save(fp)  # type: ignore[attr-defined]
