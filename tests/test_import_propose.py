"""The unit and the period a file proposes from its header, and the command line using them."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from parstat.imports.propose import propose_period, propose_unit, unit_from_file_name
from parstat.imports.rows import document_facts_from_lines
from parstat.reporting.models import Report
from tests.import_fixtures import seed_docx

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("issued", "period"), [
    (date(2023, 3, 17), "2023Q1"),  # the seed: the window of quarter I closed on 14/3
    (date(2023, 3, 14), "2023Q1"),
    (date(2023, 3, 13), "2022"),  # before the cut-off: the last closed window is the year 2022
    (date(2023, 6, 20), "2023S1"),
    (date(2023, 9, 18), "2023Q3"),
    (date(2024, 1, 5), "2023"),
])
def test_the_period_is_the_last_window_closed_before_the_report(db, issued, period):
    assert propose_period(issued) == period


def test_the_unit_is_the_registered_issuer(units):
    guess = propose_unit("Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng", date(2023, 3, 17))
    assert guess is not None and guess.code == "ST-SKHDT" and guess.score == 100


def test_a_unit_no_longer_valid_on_the_report_date_is_not_proposed(units):
    assert propose_unit("Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng", date(2025, 8, 1)) is None


def test_an_issuer_that_reads_like_no_unit_proposes_nothing(units):
    assert propose_unit("Ủy ban nhân dân huyện Mỹ Xuyên") is None


def test_file_names_name_units_by_code_or_by_name(units):
    assert unit_from_file_name("st-stc_2023Q1.xlsx").code == "ST-STC"
    assert unit_from_file_name("So Tai chinh tinh Soc Trang.docx").code == "ST-STC"
    assert unit_from_file_name("bang1.docx") is None


def test_the_issuer_stops_at_the_end_of_its_line():
    facts = document_facts_from_lines([
        "Ban hành kèm theo Báo cáo số 12/BC-STP ngày 20/6/2023 của Sở Tư pháp",
        "Đơn vị tính: theo từng chỉ tiêu"])
    assert (facts.number, facts.issued_on, facts.issuer) == (
        "12/BC-STP", date(2023, 6, 20), "Sở Tư pháp")


def test_import_without_unit_and_period_uses_the_document(units, tmp_path):
    path = tmp_path / "bang1.docx"
    path.write_bytes(seed_docx())
    out = StringIO()
    call_command("import_report", str(path), "--json", stdout=out, stderr=StringIO())
    data = json.loads(out.getvalue())
    assert (data["unit"], data["period"]) == ("ST-SKHDT", "2023Q1")
    assert data["proposed"]["unit"]["code"] == "ST-SKHDT"
    assert data["proposed"]["unit_from"] == data["proposed"]["period_from"] == "document"
    report = Report.objects.get(unit__code="ST-SKHDT", period__code="2023Q1")
    assert report.document_date == date(2023, 3, 17)


def test_options_override_the_document(units, tmp_path):
    path = tmp_path / "bang1.docx"
    path.write_bytes(seed_docx())
    out = StringIO()
    call_command("import_report", str(path), "--unit", "ST-STC", "--period", "2023S1",
                 "--dry-run", stdout=out, stderr=StringIO())
    assert "→ đơn vị ST-STC, kỳ 2023S1" in out.getvalue()


def test_import_prints_fuzzy_matches_and_proposals(units, tmp_path):
    from tests.conftest import SEED_FILE

    text = SEED_FILE.read_text(encoding="utf-8").replace(
        "Số văn bản chỉ đạo CCHC đã ban hành", "Văn bản về CCHC do sở ban hành")
    path = tmp_path / "bang1.txt"
    path.write_text(text, encoding="utf-8")
    out = StringIO()
    call_command("import_report", str(path), "--dry-run", stdout=out, stderr=StringIO())
    assert "gợi ý" in out.getvalue() and "--confirm 14=I.1.c" in out.getvalue()
    out = StringIO()
    call_command("import_report", str(path), "--dry-run", "--confirm", "14=I.1.c", stdout=out,
                 stderr=StringIO())
    assert "Dòng không khớp: 0" in out.getvalue()


def test_facts_in_a_layout_table_above_the_word_table_are_read(units, system):
    import io

    import docx

    from parstat.imports.readers import read_upload

    source = docx.Document(io.BytesIO(seed_docx(title=[])))
    layout = source.add_table(rows=1, cols=2)
    layout.cell(0, 0).text = "Phụ lục kèm theo Báo cáo số 5/BC-STC ngày 19/9/2023 của Sở Tài chính"
    layout.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    body = source.element.body
    body.insert(0, layout._tbl)  # move it above the indicator table
    out = io.BytesIO()
    source.save(out)
    facts = read_upload(out.getvalue(), "bang1.docx").document
    assert (facts.number, facts.issuer) == ("5/BC-STC", "Sở Tài chính")
    assert propose_period(facts.issued_on) == "2023Q3"
