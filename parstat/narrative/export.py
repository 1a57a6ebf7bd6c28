"""The whole report as a file: what ``parstat export --format docx|pdf`` of one unit's report
and the narrative page's download buttons write."""

from __future__ import annotations

import io
from typing import BinaryIO

from parstat.narrative.document import report_document
from parstat.reporting.models import Report

DOCUMENT_FORMATS = ("docx", "pdf")


def write_document(report: Report, fmt: str, fp: BinaryIO) -> None:
    if fmt not in DOCUMENT_FORMATS:
        raise ValueError(f"the whole report is written as docx or pdf, not {fmt!r}")
    document = report_document(report)
    if fmt == "docx":
        from parstat.exports.docx import write_report_docx

        write_report_docx(document, fp)
    else:
        from parstat.exports.pdf import write_report_pdf

        write_report_pdf(document, fp)


def document_bytes(report: Report, fmt: str) -> bytes:
    out = io.BytesIO()
    write_document(report, fmt, out)
    return out.getvalue()

