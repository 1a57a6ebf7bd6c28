"""ADX and SDMX-CSV 2.0: what the code writes is what docs/exchange/ shows, and blanks stay out."""

from __future__ import annotations

import csv
import io
import os
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.core.management import call_command

from parstat.analytics.states import StateScope
from parstat.exports.exchange import iso_period
from parstat.exports.service import ExportRequest, export
from parstat.reporting.models import Value
from tests.consolidation_data import province_a

DOCS = Path(__file__).resolve().parent.parent / "docs" / "exchange"
SAMPLE_EXPORTED = datetime(2023, 3, 20, 8, 0, tzinfo=UTC)
NS = {"adx": "urn:ihe:qrph:adx:2015"}


ALL = StateScope.ALL  # province A's reports are drafts


def _write(fmt: str, unit: str = "ST-SKHDT", period: str = "2023Q1", **options: object) -> str:
    out = io.StringIO(newline="")
    export(ExportRequest(unit, period, fmt, **options), out,  # type: ignore[arg-type]
           exported=SAMPLE_EXPORTED)
    return out.getvalue()


@pytest.mark.parametrize("fmt,name", [("adx", "sample.adx.xml"), ("sdmx", "sample.sdmx.csv")])
def test_it_keeps_the_documented_sample_equal_to_what_the_code_writes(seed_report, fmt, name):
    written = _write(fmt)
    path = DOCS / name
    if os.environ.get("PARSTAT_WRITE_SAMPLES"):  # regenerate after a deliberate change
        path.write_text(written, encoding="utf-8", newline="")
    assert path.read_bytes().decode("utf-8") == written  # bytes: CRLF line ends kept


def test_it_writes_the_window_as_an_iso_period(seed_report):
    assert iso_period(seed_report.period.start, seed_report.period.end) == "2022-12-15/P90D"


def test_it_sends_every_stored_number_and_no_blank_as_adx(seed_report):
    root = ElementTree.fromstring(_write("adx"))
    group = root.find("adx:group", NS)
    assert group is not None
    assert group.attrib == {"orgUnit": "ST-SKHDT", "period": "2022-12-15/P90D",
                            "dataSet": "B1-SN-2023"}
    sent = {v.attrib["dataElement"]: v.attrib["value"] for v in group.findall("adx:dataValue", NS)}
    stored = Value.objects.filter(report=seed_report, number__isnull=False)
    assert len(sent) == stored.count()
    assert sent["III.4.c"] == "111" and sent["VII.3.a"] == "1327"
    assert "I.1" not in sent  # derived here, blank in the report: the receiver derives it
    assert "I.2.b" not in sent  # blank: no dataValue at all, never 0


def test_it_carries_a_note_as_an_adx_annotation(seed_report):
    root = ElementTree.fromstring(_write("adx"))
    notes = {v.attrib["dataElement"]: v.findtext("adx:annotation", namespaces=NS)
             for v in root.iter("{urn:ihe:qrph:adx:2015}dataValue")}
    assert notes["I.1.a"] == "Kế hoạch số 06/KH-SKHĐT ngày 16/01/2023"


def test_it_writes_sdmx_csv_2_with_sdmx_identifiers(seed_report):
    rows = list(csv.DictReader(io.StringIO(_write("sdmx"))))
    assert list(rows[0])[:3] == ["STRUCTURE", "STRUCTURE_ID", "ACTION"]
    first = rows[0]
    assert (first["STRUCTURE"], first["STRUCTURE_ID"], first["ACTION"]) == (
        "dataflow", "PARSTAT:B1-SN-2023(1.0)", "I")
    by_code = {r["INDICATOR"]: r for r in rows}
    assert by_code["VII_3_a"]["OBS_VALUE"] == "1327"
    assert by_code["VII_3_a"]["TIME_PERIOD"] == "2022-12-15/P90D"
    assert "I_2_b" not in by_code and all("." not in code for code in by_code)


def test_it_exports_every_unit_below_as_its_own_group(template):
    province_a(template)
    root = ElementTree.fromstring(_write("adx", "A", "2024Q1", consolidated=True, states=ALL))
    groups = [g.attrib["orgUnit"] for g in root.findall("adx:group", NS)]
    assert groups == ["A-S1", "A-S2", "A-S3"]
    zero = root.find("adx:group[@orgUnit='A-S1']/adx:dataValue[@dataElement='III.7.a']", NS)
    assert zero is not None and zero.attrib["value"] == "0"  # a reported zero is sent


def test_it_keeps_text_in_sdmx_and_escapes_formula_looking_text(template):
    province_a(template)
    rows = list(csv.DictReader(io.StringIO(_write("sdmx", "A", "2024Q1", consolidated=True, states=ALL))))
    texts = {r["REF_AREA"]: r["OBS_VALUE"] for r in rows if r["INDICATOR"] == "I_9"}
    assert texts == {"A-S1": "Số hóa hồ sơ", "A-S3": "'=HYPERLINK(\"x\")"}
    assert Decimal(next(r for r in rows if r["INDICATOR"] == "I_1_a")["OBS_VALUE"]) == 40


def test_it_exports_adx_from_the_command_line(seed_report, tmp_path):
    call_command("export_report", "--unit", "ST-SKHDT", "--period", "2023Q1", "--format", "adx",
                 "-o", str(tmp_path / "out.adx.xml"))
    root = ElementTree.parse(tmp_path / "out.adx.xml").getroot()
    assert root.tag == "{urn:ihe:qrph:adx:2015}adx" and "exported" in root.attrib
