"""Totals say what they count: a stated scope of report states, what it left out, rates' spread.

Province A of tests/consolidation_data.py, with its three departments in three states:
A-S1 accepted, A-S2 submitted, A-S3 still a draft.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from xml.etree import ElementTree

import openpyxl
import pypdfium2
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from parstat.analytics.consolidation import consolidate, spread_mean
from parstat.analytics.states import StateScope, default_scope
from parstat.exports.service import ExportRequest, export_bytes, filename, table_for
from parstat.reporting.models import Report
from parstat.reporting.periods import ensure_period
from parstat.reporting.workflow import do_accept_report, do_submit_report
from parstat.units.models import OrgUnit
from tests.consolidation_data import ACTOR, file_report, province_a

ACCEPTED, SUBMITTED, ALL = StateScope.ACCEPTED, StateScope.SUBMITTED, StateScope.ALL


def _report(code: str) -> Report:
    return Report.objects.get(unit__code=code, period__code="2024Q1")


@pytest.fixture
def province(template):  # type: ignore[no-untyped-def]
    province = province_a(template)
    # I.7.c "Tỷ lệ hài lòng" is a percentage typed by hand (aggregation none).
    for code, rate in (("A-S1", 80), ("A-S2", 95.5), ("A-S3", 60)):
        file_report(template, OrgUnit.objects.get(code=code), "2024Q1", {"I.7.c": rate})
    do_submit_report(_report("A-S1"), acting_user=ACTOR, explanation="đã rà soát")
    do_accept_report(_report("A-S1"), acting_user=ACTOR)
    do_submit_report(_report("A-S2"), acting_user=ACTOR, explanation="đã rà soát")
    return province


def _q1():  # type: ignore[no-untyped-def]
    return ensure_period("2024Q1")


@pytest.mark.parametrize(("scope", "plan", "units", "left_out"), [
    (ACCEPTED, Decimal(40), 1, [("A-S2", "submitted"), ("A-S3", "draft")]),
    (SUBMITTED, Decimal(50), 2, [("A-S3", "draft")]),
    (ALL, Decimal(100), 3, []),
])
def test_it_counts_only_the_reports_in_its_scope_and_names_those_left_out(
        province, scope, plan, units, left_out):
    result = consolidate(province, _q1(), states=scope)
    assert (result.total("I.1.a").value, result.total("I.1.a").units) == (plan, units)
    assert [(o.unit.code, o.state) for o in result.left_out] == left_out
    assert result.states == scope


def test_it_recomputes_a_rate_only_from_the_reports_in_scope(province):
    # Accepted only: A-S1 alone, 13 / 40 × 100.
    assert consolidate(province, _q1(), states=ACCEPTED).total("I.1").value == Decimal("32.5")


def test_its_coverage_counts_received_units_among_those_expected(province):
    # A and A-SNV consolidate and owe nothing: 3 departments expected, 2 sent their report.
    for scope in StateScope:
        result = consolidate(province, _q1(), states=scope)
        assert (result.received, result.expected) == (2, 3)


def test_it_shows_a_rate_typed_by_hand_as_mean_minimum_and_maximum(province):
    total = consolidate(province, _q1(), states=ALL).total("I.7.c")
    assert total.value is None  # never summed
    assert total.spread is not None
    assert (total.spread.mean, total.spread.minimum, total.spread.maximum) == (
        Decimal("78.5"), Decimal(60), Decimal("95.5"))  # (80 + 95.5 + 60) / 3 = 78.5
    assert total.units == 3
    accepted = consolidate(province, _q1(), states=ACCEPTED).total("I.7.c").spread
    assert accepted is not None and (accepted.mean, accepted.minimum) == (Decimal(80), Decimal(80))


def test_it_leaves_a_rate_nobody_answered_blank(province):
    total = consolidate(province, _q1(), states=ALL).total("I.3.a")
    assert (total.value, total.spread, total.units) == (None, None, 0)


def test_official_documents_default_to_accepted_and_the_rest_to_received():
    assert [default_scope(f) for f in ("docx", "pdf")] == [ACCEPTED, ACCEPTED]
    assert {default_scope(f) for f in ("json", "csv", "xlsx", "adx", "sdmx")} == {SUBMITTED}


def _request(fmt: str, states: StateScope | None = None, **extra: bool) -> ExportRequest:
    return ExportRequest("A", "2024Q1", fmt, consolidated=True, states=states, **extra)


def test_the_json_says_its_scope_what_it_left_out_and_the_spread(province):
    data = json.loads(export_bytes(_request("json")), parse_float=Decimal)
    assert data["scope"] == {"code": "submitted", "label": "Báo cáo đã gửi và đã tiếp nhận"}
    assert data["provisional"] is False
    assert data["left_out"] == {"count": 1, "reports": [
        {"unit": "A-S3", "name": "Đơn vị A-S3", "state": "draft"}]}
    assert (data["units_expected"], data["units_received"], data["units_reporting"]) == (3, 2, 2)
    rows = {row["code"]: row for row in data["indicators"]}
    assert rows["I.1.a"]["value"] == 50
    assert rows["I.7.c"]["value"] is None
    assert rows["I.7.c"]["spread"] == {"mean": Decimal("87.8"), "minimum": 80,
                                       "maximum": Decimal("95.5")}  # (80 + 95.5) / 2 = 87.75
    assert "spread" not in rows["I.1.a"]


def test_the_csv_carries_scope_left_out_and_spread_on_every_line(province):
    rows = list(csv.DictReader(io.StringIO(export_bytes(_request("csv", ALL)).decode())))
    assert {(r["scope"], r["left_out"]) for r in rows} == {("all", "0")}
    rate = next(r for r in rows if r["code"] == "I.7.c")
    assert (rate["value"], rate["mean"], rate["minimum"], rate["maximum"]) == (
        "", "78.5", "60", "95.5")
    accepted = list(csv.DictReader(io.StringIO(export_bytes(_request("csv", ACCEPTED)).decode())))
    assert {r["left_out"] for r in accepted} == {"2"}
    assert next(r for r in accepted if r["code"] == "I.1.a")["value"] == "40"


def _docx_text(body: bytes) -> str:
    document = Document(io.BytesIO(body))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _pdf_text(body: bytes) -> str:
    """The text of every page, lines joined: a heading may wrap anywhere on the page."""
    document = pypdfium2.PdfDocument(body)
    text = " ".join(page.get_textpage().get_text_range() for page in document)
    return " ".join(text.split())


def _xlsx_text(body: bytes) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


READERS = {"docx": _docx_text, "pdf": _pdf_text, "xlsx": _xlsx_text}


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_an_official_document_counts_accepted_reports_by_default_and_says_so(province, fmt):
    text = READERS[fmt](export_bytes(_request(fmt)))
    assert "Phạm vi số liệu: Chỉ báo cáo đã tiếp nhận; đã cộng 1 báo cáo; để ngoài 2 báo cáo" in text
    assert "A-S2 (đã gửi), A-S3 (đang soạn)" in text
    assert "Số đơn vị có báo cáo: 2/3" in text
    assert "SỐ LIỆU TẠM TÍNH" not in text


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_totals_with_drafts_carry_the_provisional_mark(province, fmt):
    text = READERS[fmt](export_bytes(_request(fmt, ALL)))
    assert "SỐ LIỆU TẠM TÍNH" in text
    assert "Phạm vi số liệu: Tất cả báo cáo, kể cả đang soạn (tạm tính)" in text
    assert "Trung bình 78,5 (thấp nhất 60, cao nhất 95,5)" in text  # I.7.c, labelled, not summed


@pytest.mark.parametrize("fmt", ["docx", "pdf", "xlsx"])
def test_received_totals_carry_no_provisional_mark(province, fmt):
    text = READERS[fmt](export_bytes(_request(fmt, SUBMITTED)))
    assert "SỐ LIỆU TẠM TÍNH" not in text
    assert "Phạm vi số liệu: Báo cáo đã gửi và đã tiếp nhận" in text


def test_a_provisional_file_is_named_so(province):
    assert filename(_request("xlsx", ALL)) == "A_2024Q1_tong-hop_tam-tinh.xlsx"
    assert filename(_request("xlsx")) == "A_2024Q1_tong-hop.xlsx"


def test_adx_sends_only_the_reports_in_scope_and_says_what_it_left_out(province):
    body = export_bytes(_request("adx"))
    root = ElementTree.fromstring(body)
    groups = [g.attrib["orgUnit"] for g in root.findall("{urn:ihe:qrph:adx:2015}group")]
    assert groups == ["A-S1", "A-S2"]
    assert ("<!-- parstat phạm vi số liệu: submitted (Báo cáo đã gửi và đã tiếp nhận); "
            "để ngoài vì trạng thái: 1 báo cáo: A-S3 (draft) -->") in body.decode()


def test_sdmx_sends_only_the_reports_in_scope_with_scope_and_left_out_on_each_line(province):
    rows = list(csv.DictReader(io.StringIO(export_bytes(_request("sdmx", ACCEPTED)).decode())))
    assert {r["REF_AREA"] for r in rows} == {"A-S1"}
    assert {(r["TOTAL_SCOPE"], r["LEFT_OUT"]) for r in rows} == {("accepted", "2")}


def test_a_units_own_exchange_file_is_unchanged_by_scopes(province):
    rows = list(csv.DictReader(io.StringIO(export_bytes(
        ExportRequest("A-S3", "2024Q1", "sdmx")).decode())))
    assert rows and "TOTAL_SCOPE" not in rows[0]  # one unit's report, whatever its state


def test_the_command_line_takes_a_scope(province, capsys):
    call_command("export_report", "--unit", "A", "--period", "2024Q1", "--format", "json",
                 "--consolidated", "--scope", "accepted")
    data = json.loads(capsys.readouterr().out)
    assert data["scope"]["code"] == "accepted" and data["left_out"]["count"] == 2
    call_command("export_report", "--unit", "A", "--period", "2024Q1", "--format", "json",
                 "--consolidated")
    assert json.loads(capsys.readouterr().out)["scope"]["code"] == "submitted"


def test_the_command_line_refuses_a_scope_without_consolidated(province):
    with pytest.raises(CommandError, match="--scope"):
        call_command("export_report", "--unit", "A-S1", "--period", "2024Q1", "--format", "json",
                     "--scope", "all")


def test_the_by_unit_columns_are_the_reports_in_scope(province):
    table = table_for(_request("json", SUBMITTED, by_unit=True))
    assert [c.code for c in table.unit_columns] == ["A-S1", "A-S2"]


def test_a_rates_mean_keeps_the_decimals_its_values_carry():
    # One unit's 99,99 %: the mean is 99,99, not a 100 beside a minimum and maximum of 99,99.
    assert spread_mean(Decimal("99.99"), 1, Decimal("99.99"), Decimal("99.99")) == \
        Decimal("99.99")
    assert spread_mean(Decimal("160"), 2, Decimal(60), Decimal(100)) == Decimal("80.0")
    assert spread_mean(Decimal("235.5"), 3, Decimal(60), Decimal("95.5")) == Decimal("78.5")


@given(st.lists(st.decimals(min_value=0, max_value=100, places=4), min_size=1, max_size=30))
def test_a_rates_mean_lies_between_its_minimum_and_maximum(rates):
    low, high = min(rates), max(rates)
    mean = spread_mean(sum(rates), len(rates), low, high)
    assert low <= mean <= high
    exact = sum(rates) / len(rates)
    assert abs(mean - exact) <= Decimal("0.05")  # never coarser than one decimal
