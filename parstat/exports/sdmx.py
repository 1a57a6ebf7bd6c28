"""SDMX-CSV 2.0 of a period's values (SDMX 3.0 CSV format, one observation per line).

Columns: ``STRUCTURE`` (``dataflow``), ``STRUCTURE_ID`` (``PARSTAT:<template>(1.0)``), ``ACTION``
(``I``, information), the dimensions ``REF_AREA`` (unit code), ``INDICATOR`` and ``TIME_PERIOD``,
the measure ``OBS_VALUE``, and the attributes ``UNIT_MEASURE`` (the printed unit), ``REPORT_PERIOD``
(our period code), ``REPORT_STATE`` and ``COMMENT`` (the note). SDMX identifiers allow only
letters, digits, ``_``, ``@``, ``$`` and ``-``, so an indicator code's dots become underscores
(``VII.5.b.2`` → ``VII_5_b_2``). ``TIME_PERIOD`` is the data window as an SDMX time range
(``2022-12-15/P90D``). A blank is no line, never 0. Consolidated, two more attributes on every
line: ``TOTAL_SCOPE`` (the scope of states: accepted, submitted or all) and ``LEFT_OUT`` (how
many reports that scope left out because of their state). See docs/exchange/sample.sdmx.csv.
"""

from __future__ import annotations

import csv
from typing import TextIO

from parstat.catalog.models import Indicator
from parstat.exports.cells import escape_text, plain_number
from parstat.exports.exchange import Exchange, iso_period

AGENCY = "PARSTAT"
HEADER = ("STRUCTURE", "STRUCTURE_ID", "ACTION", "REF_AREA", "INDICATOR", "TIME_PERIOD",
          "OBS_VALUE", "UNIT_MEASURE", "REPORT_PERIOD", "REPORT_STATE", "COMMENT")


SCOPE_HEADER = ("TOTAL_SCOPE", "LEFT_OUT")


def sdmx_id(code: str) -> str:
    return code.replace(".", "_")


def write_sdmx(exchange: Exchange, fp: TextIO) -> None:
    """RFC 4180 with CRLF ends, UTF-8; open ``fp`` with ``newline=""``."""
    groups = exchange.groups
    units = {(t, c): u for t, c, u in Indicator.objects.filter(
        template__code__in={g.template_code for g in groups})
        .values_list("template__code", "code", "unit")}
    scope = ([exchange.states.value, str(len(exchange.left_out))]
             if exchange.states is not None else [])
    writer = csv.writer(fp)
    writer.writerow([*HEADER, *(SCOPE_HEADER if scope else ())])
    for group in groups:
        structure = f"{AGENCY}:{sdmx_id(group.template_code)}(1.0)"
        period = iso_period(group.period_start, group.period_end)
        for item in group.values:
            value = (escape_text(item.value) if isinstance(item.value, str)
                     else plain_number(item.value))
            writer.writerow(["dataflow", structure, "I", escape_text(group.unit_code),
                             sdmx_id(item.code), period, value,
                             escape_text(units.get((group.template_code, item.code), "")),
                             group.period_code, group.state, escape_text(item.note), *scope])
