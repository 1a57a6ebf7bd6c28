"""ADX (IHE QRPH Aggregate Data Exchange, the XML DHIS2 imports at /api/dataValueSets).

One ``<group>`` per report: ``orgUnit`` the unit code, ``period`` the data window as ISO 8601
start/duration, ``dataSet`` the template code, ``completeDate`` the submission date when the report
was submitted. One ``<dataValue>`` per stored numeric value, ``dataElement`` the indicator code; a
note (Ghi chú) rides along as ``<annotation>``. ADX values are numbers, so the text row (kind
``text``) is not sent (SDMX-CSV carries it). A blank is no ``dataValue`` at all, never 0.
See docs/exchange/sample.adx.xml.
"""

from __future__ import annotations

from datetime import datetime
from typing import TextIO
from xml.sax.saxutils import escape as escape_text
from xml.sax.saxutils import quoteattr

from parstat.exports.cells import plain_number
from parstat.exports.exchange import Exchange, iso_period

ADX_NAMESPACE = "urn:ihe:qrph:adx:2015"


def write_adx(exchange: Exchange, fp: TextIO, *, exported: datetime) -> None:
    fp.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    fp.write(f'<adx xmlns="{ADX_NAMESPACE}" exported={quoteattr(exported.isoformat())}>\n')
    if statement := exchange.scope_statement():
        # A comment, which every ADX reader skips: ADX has no field for it. "--" may not occur.
        fp.write(f"  <!-- parstat {statement.replace('--', '- -')} -->\n")
    for group in exchange.groups:
        attributes = [f"orgUnit={quoteattr(group.unit_code)}",
                      f"period={quoteattr(iso_period(group.period_start, group.period_end))}",
                      f"dataSet={quoteattr(group.template_code)}"]
        if group.submitted_on:
            attributes.append(f"completeDate={quoteattr(group.submitted_on.isoformat())}")
        fp.write(f"  <group {' '.join(attributes)}>\n")
        if group.synthetic:
            fp.write("    <!-- dữ liệu minh họa: synthetic demo data, not real figures -->\n")
        for item in group.values:
            if isinstance(item.value, str):
                continue
            head = (f"    <dataValue dataElement={quoteattr(item.code)} "
                    f"value={quoteattr(plain_number(item.value))}")
            if item.note:
                fp.write(f"{head}><annotation>{escape_text(item.note)}</annotation></dataValue>\n")
            else:
                fp.write(f"{head}/>\n")
        fp.write("  </group>\n")
    fp.write("</adx>\n")
