"""The official document as PDF (WeasyPrint), the same layout as the .docx.

Decree 30/2020/NĐ-CP: A4, margins 20/15/20/30 mm (top/right/bottom/left), Times New Roman 13 pt
(Liberation Serif, its metric twin, where Times is not installed), page number centred at the top
from the second page; the header row repeats on every page.
"""

from __future__ import annotations

from html import escape
from typing import BinaryIO

from parstat.exports.layout import (
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

CSS = """
@page { size: A4 %(orientation)s; margin: 20mm 15mm 20mm 30mm;
        @top-center { content: counter(page); font: 13pt "Times New Roman", "Liberation Serif", serif; } }
@page :first { @top-center { content: none; } }
body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 13pt; color: #000; }
p.head { text-align: center; margin: 0; }
p.banner { text-align: center; margin: 0; color: #c00000; font-weight: bold; }
table { border-collapse: collapse; width: 100%%; margin-top: 6mm; font-size: %(size)spt; }
thead { display: table-header-group; }
th, td { border: 0.5pt solid #000; padding: 1mm 1.5mm; vertical-align: top; }
th { text-align: center; vertical-align: middle; font-weight: bold; }
td.center { text-align: center; } td.right { text-align: right; } td.left { text-align: left; }
tr.section td { font-weight: bold; }
td.derived { font-style: italic; }
td { white-space: pre-line; }
"""


def build_html(table: ReportTable) -> str:
    cols = columns(table)
    landscape = sum(c.width_mm for c in cols) > A4_PORTRAIT_WIDTH_MM
    size = 13 if len(cols) <= 5 else 11 if len(cols) <= 9 else 9
    top, second = header_rows(cols)
    parts = [f"<!doctype html><html lang='vi'><head><meta charset='utf-8'><style>"
             f"{CSS % {'orientation': 'landscape' if landscape else 'portrait', 'size': size}}"
             "</style></head><body>"]
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
    parts.append("<table><colgroup>")
    parts.extend(f"<col style='width:{c.width_mm * 100 / total_width:.2f}%'>" for c in cols)
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
    parts.append("</tbody></table></body></html>")
    return "".join(parts)


def write_pdf(table: ReportTable, fp: BinaryIO) -> None:
    from weasyprint import HTML  # imported here: loading it (pango, fonts) takes a moment

    HTML(string=build_html(table)).write_pdf(fp)
