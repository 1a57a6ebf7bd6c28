"""The one registry of export formats: code, content type, file extension, binary or text,
and the writer. The export service, the download pages, the API and ``parstat export`` all read
it; a new format is one entry here.

A table format writes a :class:`parstat.exports.table.ReportTable` (a unit's or a consolidated
table); an exchange format (ADX, SDMX) writes the stored values of
:func:`parstat.exports.exchange.exchange_groups`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parstat.exports.adx import write_adx
from parstat.exports.docx import write_docx
from parstat.exports.exchange import Exchange
from parstat.exports.machine import write_csv, write_json
from parstat.exports.pdf import write_pdf
from parstat.exports.sdmx import write_sdmx
from parstat.exports.table import ReportTable
from parstat.exports.xlsx import write_xlsx

TableWriter = Callable[[ReportTable, Any], None]
ExchangeWriter = Callable[[Exchange, Any, datetime], None]


@dataclass(frozen=True)
class Format:
    code: str
    content_type: str
    extension: str
    binary: bool  # the writer takes a bytes stream; otherwise a text stream (UTF-8 on the wire)
    write_table: TableWriter | None = None
    write_exchange: ExchangeWriter | None = None


def _adx(exchange: Exchange, fp: Any, exported: datetime) -> None:
    write_adx(exchange, fp, exported=exported)


def _sdmx(exchange: Exchange, fp: Any, exported: datetime) -> None:
    write_sdmx(exchange, fp)  # SDMX-CSV carries no export time


FORMATS: dict[str, Format] = {f.code: f for f in (
    Format("json", "application/json; charset=utf-8", ".json", False, write_table=write_json),
    Format("csv", "text/csv; charset=utf-8", ".csv", False, write_table=write_csv),
    Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx",
           True, write_table=write_xlsx),
    Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
           ".docx", True, write_table=write_docx),
    Format("pdf", "application/pdf", ".pdf", True, write_table=write_pdf),
    Format("adx", "application/adx+xml; charset=utf-8", ".adx.xml", False, write_exchange=_adx),
    Format("sdmx", "application/vnd.sdmx.data+csv; version=2.0.0; charset=utf-8", ".sdmx.csv",
           False, write_exchange=_sdmx),
)}


def get_format(code: str) -> Format:
    """The registered format, or ValueError for an unknown code (edges check FORMATS first)."""
    try:
        return FORMATS[code]
    except KeyError:
        raise ValueError(f"unknown export format {code!r}") from None
