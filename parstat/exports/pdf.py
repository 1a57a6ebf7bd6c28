"""The official document as PDF (WeasyPrint), the same layout as the .docx.

Decree 30/2020/NĐ-CP: A4, margins 20/15/20/30 mm (top/right/bottom/left), Times New Roman 13 pt
(Liberation Serif, its metric twin, where Times is not installed), page number centred at the top
from the second page; the header row repeats on every page.
"""

from __future__ import annotations

from html import escape
from typing import BinaryIO

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

A4_PORTRAIT_WIDTH_MM = 210 - 30 - 15

# A unit's own table is laid out "fixed": its columns have their widths (<col>, from the layout
# every format shares), so WeasyPrint skips measuring every cell's narrowest and widest content
# (the automatic layout's first pass, about a sixth of a PDF's time: bench/pdf_bench.py, which
# sets GRID_LAYOUT = "auto" to measure the layout as it was). Its pages come out the same, pixel
# for pixel, as long as no word is wider than its column (one that is breaks inside its cell,
# overflow-wrap, where the automatic layout widened the column). The last column takes what the
# others leave: rounded widths summing to 100.01 % would make a fixed table overflow its page.
# Consolidated tables keep the automatic layout: with one column per unit it departs from the
# given widths (a 3-unit table gives its last unit twice the others' width), so a fixed layout
# would change how they look (tests/export_content/consolidated.pdf.json).
GRID_LAYOUT = "fixed"


def _fixed(table: ReportTable) -> bool:
    return GRID_LAYOUT == "fixed" and not table.consolidated

CSS = """
@page { size: A4 %(orientation)s; margin: 20mm 15mm 20mm 30mm;
        @top-center { content: counter(page); font: 13pt "Times New Roman", "Liberation Serif", serif; } }
@page :first { @top-center { content: none; } }
body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 13pt; color: #000; }
p.head { text-align: center; margin: 0; }
p.banner { text-align: center; margin: 0; color: #c00000; font-weight: bold; }
table.grid { border-collapse: collapse; width: 100%%; margin-top: 6mm; font-size: %(size)spt; }
table.fixed { table-layout: fixed; } table.fixed td { overflow-wrap: break-word; }
thead { display: table-header-group; }
table.grid th, table.grid td { border: 0.5pt solid #000; padding: 1mm 1.5mm; vertical-align: top; }
th { text-align: center; vertical-align: middle; font-weight: bold; }
td.center { text-align: center; } td.right { text-align: right; } td.left { text-align: left; }
tr.section td { font-weight: bold; }
td.derived { font-style: italic; }
td { white-space: pre-line; }
"""


def _style(landscape: bool, size: int) -> str:
    return CSS % {"orientation": "landscape" if landscape else "portrait", "size": size}


def _appendix_html(table: ReportTable) -> list[str]:
    cols = columns(table)
    top, second = header_rows(cols)
    parts = []
    for text in (table.appendix, table.title):
        if text:
            parts.append(f"<p class='head'><b>{escape(text)}</b></p>")
    parts.append(f"<p class='head'><i>{escape(document_line(table))}</i></p>")
    parts.append(f"<p class='head'>{escape(subtitle(table))}</p>")
    if table.consolidated:
        parts.append(f"<p class='head'><b>{escape(scope_line(table))}</b></p>")
        parts.append(f"<p class='head'><i>{escape(coverage_line(table))}</i></p>")
    parts.extend(f"<p class='banner'>{escape(banner)}</p>" for banner in banners(table))
    total_width = sum(c.width_mm for c in cols)
    fixed = _fixed(table)
    parts.append(f"<table class='grid{' fixed' if fixed else ''}'><colgroup>")
    widths = [f" style='width:{c.width_mm * 100 / total_width:.2f}%'" for c in cols]
    if fixed:
        widths[-1] = ""
    parts.extend(f"<col{width}>" for width in widths)
    parts.append("</colgroup><thead><tr>")
    start = 0
    for text, span in top:
        if span > 1:
            parts.append(f"<th colspan='{span}'>{escape(text)}</th>")
        elif second[start]:
            parts.append(f"<th>{escape(text)}</th>")
        else:
            parts.append(f"<th rowspan='2'>{escape(text)}</th>")
        start += span
    parts.append("</tr><tr>")
    parts.extend(f"<th>{escape(title)}</th>" for title in second if title)
    parts.append("</tr></thead><tbody>")
    for printed in body_rows(table):
        if printed.section:
            numeral, label = printed.cells
            parts.append(f"<tr class='section'><td class='center'>{escape(shown(numeral))}</td>"
                         f"<td colspan='{len(cols) - 1}'>{escape(shown(label))}</td></tr>")
            continue
        parts.append("<tr>")
        for index, (col, value) in enumerate(zip(cols, printed.cells, strict=True)):
            classes = col.align + (" derived" if printed.derived and index == 3 else "")
            indent = (f" style='padding-left:{1.5 + 3 * (printed.level - 1)}mm'"
                      if index == 1 and printed.level > 1 else "")
            parts.append(f"<td class='{classes}'{indent}>{escape(shown(value))}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    return parts


def build_html(table: ReportTable) -> str:
    """The appendix table alone (``parstat export --appendix-only``, consolidated tables)."""
    cols = columns(table)
    landscape = sum(c.width_mm for c in cols) > A4_PORTRAIT_WIDTH_MM
    size = 13 if len(cols) <= 5 else 11 if len(cols) <= 9 else 9
    return (f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><style>"
            f"{_style(landscape, size)}</style></head><body>"
            + "".join(_appendix_html(table)) + "</body></html>")


REPORT_CSS = """
@page { @top-right { content: "%(mark)s"; color: #c00000; font: bold 11pt "Times New Roman",
        "Liberation Serif", serif; } }
@page :first { @top-right { content: "%(mark)s"; font-size: 14pt; } }
table.layout { width: 100%%; border-collapse: collapse; margin: 0; font-size: 13pt; }
table.layout td { border: none; padding: 0; vertical-align: top; text-align: center; }
table.layout p { margin: 0; }
.small { font-size: 12pt; } .tiny { font-size: 11pt; }
p.title { text-align: center; font-weight: bold; font-size: 14pt; margin: 6mm 0 0 0; }
p.summary { text-align: center; font-weight: bold; font-size: 14pt; margin: 0; }
p.summary-rule { text-align: center; font-size: 14pt; line-height: 1; margin: 0 0 6mm 0; }
p.body, p.heading { text-align: justify; text-indent: 10mm; margin: 0 0 3mm 0; font-size: 14pt; }
p.heading { font-weight: bold; font-size: 13pt; }
td.recipients, td.recipients p { text-align: left; }
div.appendix { page-break-before: always; }
"""


def build_report_html(doc: ReportDocument) -> str:
    """The whole report (Decree 30/2020), the same document as the .docx."""
    style = _style(False, 13) + REPORT_CSS % {"mark": doc.mark}
    parts = [f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><style>{style}"
             "</style></head><body>"]
    if doc.synthetic:
        parts.append(f"<p class='banner'>{escape(SYNTHETIC_BANNER)}</p>")
    governing = (f"<p class='small'>{escape(doc.governing_body)}</p>"
                 if doc.governing_body else "")
    issuer = "<br>".join(escape(line) for line in split_issuer(doc.issuer))
    parts.append(
        "<table class='layout heading'><tr>"
        f"<td style='width:42%'>{governing}<p class='small'><b>{issuer}</b></p>"
        f"<p class='small'>{ISSUER_RULE}</p><p>{escape(doc.number_line)}</p></td>"
        f"<td style='width:58%'><p class='small'><b>{escape(NATIONAL_NAME)}</b></p>"
        f"<p><b>{escape(MOTTO)}</b></p><p>{MOTTO_RULE}</p>"
        f"<p><i>{escape(doc.place_date_line)}</i></p></td></tr></table>")
    parts.append(f"<p class='title'>{escape(doc.title)}</p>"
                 f"<p class='summary'>{escape(doc.summary)}</p>"
                 f"<p class='summary-rule'>{SUMMARY_RULE}</p>")
    for section in doc.sections:
        parts.append(f"<p class='heading'>{escape(section.heading)}</p>")
        for block in section.blocks:
            text = f"- {block.text}" if block.kind == "li" else block.text
            parts.append(f"<p class='body'>{escape(text)}</p>")
    recipients = "".join(f"<p class='tiny'>- {escape(line)}</p>" for line in doc.recipients)
    parts.append(
        "<table class='layout signature' style='margin-top:6mm'><tr>"
        f"<td class='recipients' style='width:50%'><p class='small'><b><i>{RECIPIENTS}</i></b></p>"
        f"{recipients}</td>"
        f"<td style='width:50%'><p><b>{escape(doc.signer_title or UNSET)}</b></p>"
        f"<p class='small'><i>{SIGNATURE_HINT}</i></p>"
        "<p style='height:22mm'></p>"
        f"<p><b>{escape(doc.signer_name or UNSET)}</b></p></td></tr></table>")
    parts.append("<div class='appendix'>")
    parts.extend(_appendix_html(doc.table))
    parts.append("</div></body></html>")
    return "".join(parts)


def write_pdf(table: ReportTable, fp: BinaryIO) -> None:
    from weasyprint import HTML  # imported here: loading it (pango, fonts) takes a moment

    HTML(string=build_html(table)).write_pdf(fp)


def write_report_pdf(doc: ReportDocument, fp: BinaryIO) -> None:
    from weasyprint import HTML

    HTML(string=build_report_html(doc)).write_pdf(fp)
