"""What every export says, kept while its code is restructured (issue #15, item 1).

For the real seed report and a consolidated table of a small province (one column per unit,
drafts counted), the text content of each format is reduced to plain data: the CSV, JSON, ADX
and SDMX text, every non-empty cell of each .xlsx sheet, the .docx paragraphs and table cells,
the .pdf text of each page (pypdfium2), and the pivot's .xlsx and .csv. It is compared with the
content captured from the code before the restructuring (tests/export_content/*.json). A change
of what an export says must show up here as a deliberate change of those files: rewrite them
with ``PARSTAT_WRITE_EXPORT_CONTENT=1`` and read the diff. The .pdf's line and page breaks
depend on the fonts: `make setup` installs Liberation 2 (fonts-liberation2), which the PDF's
Times New Roman resolves to.
"""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pypdfium2
import pytest
from docx import Document

from parstat.analytics.pivot import pivot_by_unit
from parstat.analytics.states import StateScope
from parstat.exports.machine import write_pivot_csv
from parstat.exports.service import ExportRequest, export
from parstat.exports.xlsx import write_pivot_xlsx
from parstat.reporting.periods import find_period
from parstat.units.models import OrgUnit
from tests.consolidation_data import province_a

CAPTURED = Path(__file__).resolve().parent / "export_content"
EXPORTED = datetime(2024, 4, 20, 8, 30, tzinfo=UTC)
TEXT_FORMATS = ("json", "csv", "adx", "sdmx")
BINARY_FORMATS = ("xlsx", "docx", "pdf")


def _cell(value: Any) -> str:
    return f"{type(value).__name__}:{value}"


def xlsx_content(body: bytes) -> dict[str, Any]:
    workbook = openpyxl.load_workbook(io.BytesIO(body))
    return {ws.title: {"cells": [[c.coordinate, _cell(c.value)] for row in ws.iter_rows()
                                 for c in row if c.value is not None],
                       "comments": [[c.coordinate, c.comment.text] for row in ws.iter_rows()
                                    for c in row if c.comment is not None],
                       "merged": sorted(str(r) for r in ws.merged_cells.ranges)}
            for ws in workbook.worksheets}


def docx_content(body: bytes) -> dict[str, Any]:
    document = Document(io.BytesIO(body))
    return {"paragraphs": [p.text for p in document.paragraphs],
            "tables": [[[cell.text for cell in row.cells] for row in table.rows]
                       for table in document.tables]}


def pdf_content(body: bytes) -> list[str]:
    pdf = pypdfium2.PdfDocument(body)
    return [page.get_textpage().get_text_range() for page in pdf]


READ = {"xlsx": xlsx_content, "docx": docx_content, "pdf": pdf_content}


def content(request: ExportRequest) -> Any:
    if request.fmt in BINARY_FORMATS:
        binary = io.BytesIO()
        export(request, binary, exported=EXPORTED)
        return READ[request.fmt](binary.getvalue())
    text = io.StringIO(newline="")
    export(request, text, exported=EXPORTED)
    return text.getvalue().splitlines()


def _compare(name: str, found: Any) -> None:
    path = CAPTURED / f"{name}.json"
    if os.environ.get("PARSTAT_WRITE_EXPORT_CONTENT"):
        path.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert found == json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", TEXT_FORMATS + BINARY_FORMATS)
def test_the_seed_reports_export_says_what_it_said(seed_report, fmt):
    request = ExportRequest(seed_report.unit.code, seed_report.period.code, fmt)
    _compare(f"seed.{fmt}", content(request))


@pytest.mark.parametrize("fmt", TEXT_FORMATS + BINARY_FORMATS)
def test_a_consolidated_export_says_what_it_said(template, fmt):
    province_a(template)
    request = ExportRequest("A", "2024Q1", fmt, consolidated=True, by_unit=True,
                            states=StateScope.ALL)
    _compare(f"consolidated.{fmt}", content(request))


def test_the_pivots_exports_say_what_they_said(template):
    province_a(template)
    pivot = pivot_by_unit(OrgUnit.objects.get(code="A"), find_period("2024Q1"), template,
                          states=StateScope.ALL)
    binary, text = io.BytesIO(), io.StringIO(newline="")
    write_pivot_xlsx(pivot, binary, states=StateScope.ALL)
    write_pivot_csv(pivot, text)
    _compare("pivot", {"xlsx": xlsx_content(binary.getvalue()),
                       "csv": text.getvalue().splitlines()})
