"""Import fidelity (issue #9): on a generated corpus no value is stored wrong or lost, and each
layout that broke imports is read right, refused with a reason, or asked about."""

from __future__ import annotations

import io
import json
import random
from dataclasses import replace
from decimal import Decimal
from io import StringIO

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx.enum.text import WD_BREAK

from parstat.errors import ParstatError
from parstat.imports.batch import PeriodOverrides, import_batch
from parstat.imports.grid import MAX_ROWS
from parstat.imports.service import ImportChoices, import_upload
from parstat.reporting.models import Report, ReportState, Value
from tests.fidelity_corpus import (
    STANDARD,
    Layout,
    _word_table,
    corpus,
    save_docx,
    save_xlsx,
    sheet_rows,
    template_lines,
    with_values,
)
from tests.fidelity_score import run_import, score, unit_for
from tests.test_api_helpers import *  # noqa: F403 (fixtures)

# Reports are filed into periods `parstat init` makes: every test here has them.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("periods")]


@pytest.fixture(scope="module")
def files():  # type: ignore[no-untyped-def]
    return {f.name: f for f in corpus()}


@pytest.mark.parametrize("seed", [9, 3])  # other values and wordings in the same layouts
def test_it_stores_no_value_wrong_and_loses_none_on_the_corpus(units, files, system, seed):
    totals: dict[str, int] = {}
    for corpus_file in (files.values() if seed == 9 else corpus(seed)):
        result = score(corpus_file, *run_import(corpus_file, system))
        assert result.counts["wrong"] == 0, (corpus_file.name, result.wrong)
        assert result.counts["lost"] == 0, (corpus_file.name, result.lost)
        for outcome, count in result.counts.items():
            totals[outcome] = totals.get(outcome, 0) + count
    values = sum(totals.values())
    assert len(files) >= 10 and values > 1000
    assert totals["right"] / values >= 0.95, totals


def test_it_scores_a_value_read_from_the_wrong_column_as_wrong(units, files, system):
    # The scorer can fail: forcing the plan column (column 4) stores last plan's numbers.
    corpus_file = files["01-toc-plan-ratio.docx"]
    report = import_upload(corpus_file.data, corpus_file.name, unit_code=unit_for(corpus_file),
                           period_code=corpus_file.period, choices=ImportChoices(value_column=4),
                           acting_user=system)
    assert report.value_column["header"] == "Kế hoạch năm"
    assert score(corpus_file, report, None).counts["wrong"] > 50


def test_it_reads_the_indicator_table_after_a_table_of_contents_and_says_why(units, files,
                                                                               system):
    corpus_file = files["01-toc-plan-ratio.docx"]
    report = import_upload(corpus_file.data, corpus_file.name, unit_code="ST-SKHDT",
                           period_code="2024Q3", dry_run=True, acting_user=system)
    assert report.table["where"] == "bảng 3 của tài liệu"
    assert report.table["reason"] == ("bảng 3 của tài liệu: 178 dòng khớp nhãn chỉ tiêu của "
                                      "biểu mẫu, nhiều nhất trong 2 bảng")
    assert [c["matching"] for c in report.table["candidates"]] == [0, 178]
    assert report.value_column["header"] == "Kết quả thống kê"
    assert not report.missing and not report.unmatched


def test_it_takes_the_document_facts_from_the_heading_not_a_cited_report(units, files, system):
    corpus_file = files["01-toc-plan-ratio.docx"]
    report = import_upload(corpus_file.data, corpus_file.name, unit_code="ST-SKHDT",
                           period_code="2024Q3", dry_run=True, acting_user=system)
    assert report.document.number == "120/BC-SKHĐT"
    assert report.document.issued_on.isoformat() == "2024-09-18"
    assert report.proposed.unit is not None and report.proposed.unit.code == "ST-SKHDT"
    assert report.proposed.period == "2024Q3"  # 18/9: the window of Q3 closed on 14/9
    assert not report.warnings  # its title says quý III năm 2024: the period imported into


def test_it_picks_the_year_of_the_report_under_a_merged_header(units, files, system):
    corpus_file = files["02-tasks-two-years-nfd.docx"]
    report = import_upload(corpus_file.data, corpus_file.name, unit_code=unit_for(corpus_file),
                           period_code="2024", dry_run=True, acting_user=system)
    assert report.value_column["column"] == 5
    assert report.value_column["header"] == "Kết quả thực hiện Năm 2024"
    assert report.value_column["reason"] == "tiêu đề cột ghi năm 2024 của kỳ báo cáo"
    last_year = import_upload(corpus_file.data, corpus_file.name,
                              unit_code=unit_for(corpus_file), period_code="2023",
                              dry_run=True, acting_user=system)
    assert last_year.value_column["header"] == "Kết quả thực hiện Năm 2023"


def _two_unnamed_value_columns() -> bytes:
    lines = with_values(random.Random(3), template_lines())
    document = docx.Document()
    _word_table(document, lines, Layout(["stt", "label", "unit", "value", "previous"],
                                        headings={"value": "Kết quả", "previous": "Số liệu"}))
    return save_docx(document)


def test_it_asks_which_column_when_the_headers_cannot_tell(units, system):
    data = _two_unnamed_value_columns()
    preview = import_upload(data, "hai-cot.docx", unit_code="ST-SKHDT", period_code="2024",
                            dry_run=True, acting_user=system)
    assert [q["code"] for q in preview.questions] == ["import.value_column_ambiguous"]
    assert preview.questions[0]["option"] == "--value-column"
    assert "4 = «Kết quả»; 5 = «Số liệu»" in preview.questions[0]["message"]
    assert preview.counts.imported == 0 and not preview.matched
    with pytest.raises(ParstatError) as refused:
        import_upload(data, "hai-cot.docx", unit_code="ST-SKHDT", period_code="2024",
                      acting_user=system)
    assert refused.value.code == "import.value_column_ambiguous"
    assert not Value.objects.filter(report__unit__code="ST-SKHDT").exists()
    chosen = import_upload(data, "hai-cot.docx", unit_code="ST-SKHDT", period_code="2024",
                           choices=ImportChoices(value_column=4), acting_user=system)
    assert chosen.value_column["reason"] == "chọn theo yêu cầu (cột 4)"
    assert chosen.counts.imported > 90


def _same_table_twice() -> bytes:
    book = openpyxl.Workbook()
    lines = with_values(random.Random(4), template_lines())
    sheet_rows(book.active, lines, STANDARD, top=1)
    sheet_rows(book.create_sheet("Bản sao"), lines, STANDARD, top=1)
    return save_xlsx(book)


def test_it_asks_which_table_when_two_match_alike(units, system):
    data = _same_table_twice()
    preview = import_upload(data, "hai-bang.xlsx", unit_code="ST-SKHDT", period_code="2024",
                            dry_run=True, acting_user=system)
    assert [q["code"] for q in preview.questions] == ["import.table_ambiguous"]
    assert [c["where"] for c in preview.table["candidates"]] == ["trang tính «Sheet»",
                                                                 "trang tính «Bản sao»"]
    chosen = import_upload(data, "hai-bang.xlsx", unit_code="ST-SKHDT", period_code="2024",
                           dry_run=True, choices=ImportChoices(table=2), acting_user=system)
    assert chosen.table["where"] == "trang tính «Bản sao»" and not chosen.questions


def test_it_warns_when_the_title_states_another_period(units, files, system):
    corpus_file = files["08-wrong-period-2000.docx"]
    report = import_upload(corpus_file.data, corpus_file.name, unit_code=unit_for(corpus_file),
                           period_code="2024S1", dry_run=True, acting_user=system)
    assert [w["code"] for w in report.warnings] == ["import.period_mismatch"]
    assert report.warnings[0]["stated"] == "2024Q3"
    assert "quý III năm 2024" in report.warnings[0]["message"]


def test_a_batch_refuses_a_file_of_another_period_unless_forced_or_accepted(units, files,
                                                                             system, tmp_path):
    corpus_file = files["08-wrong-period-2000.docx"]
    (tmp_path / "ST-SKHDT_q3.docx").write_bytes(corpus_file.data)
    refused = import_batch(tmp_path, period_code="2024S1", dry_run=True, acting_user=system)
    assert refused.files[0].error is not None
    assert refused.files[0].error.code == "import.period_mismatch"
    forced = import_batch(tmp_path, period_code="2024S1", dry_run=True, acting_user=system,
                          overrides=PeriodOverrides(forced={"ST-SKHDT_q3.docx": "2024Q3"}))
    assert forced.files[0].report is not None and forced.files[0].report.period == "2024Q3"
    accepted = import_batch(tmp_path, period_code="2024S1", dry_run=True, acting_user=system,
                            overrides=PeriodOverrides(accepted=frozenset({"ST-SKHDT_q3.docx"})))
    assert accepted.files[0].report is not None and accepted.files[0].report.period == "2024S1"
    assert any("quý III năm 2024" in note for note in accepted.files[0].notes)


def test_import_batch_takes_file_period_and_accept_period_options(units, files, tmp_path):
    (tmp_path / "ST-SKHDT_q3.docx").write_bytes(files["08-wrong-period-2000.docx"].data)
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_batch", str(tmp_path), "--period", "2024S1", "--dry-run",
                     stdout=out, stderr=StringIO())
    assert "THẤT BẠI [import.period_mismatch]" in out.getvalue()
    out = StringIO()
    with pytest.raises(CommandError):  # the file's ambiguous "2,000" is still a conflict
        call_command("import_batch", str(tmp_path), "--period", "2024S1", "--dry-run",
                     "--json", "--file-period", "ST-SKHDT_q3.docx=2024Q3", stdout=out,
                     stderr=StringIO())
    data = json.loads(out.getvalue())
    assert data["files"][0]["failed"] is False and data["files"][0]["conflicts"] == 1


def test_it_refuses_an_ambiguous_thousands_comma_with_what_to_write(units, files, system):
    corpus_file = files["08-wrong-period-2000.docx"]
    report = import_upload(corpus_file.data, corpus_file.name, unit_code=unit_for(corpus_file),
                           period_code="2024Q3", dry_run=True, acting_user=system)
    [conflict] = report.conflicts
    assert conflict["error"] == "value.thousands_comma" and conflict["text"] == "2,000"
    assert conflict["file"] == corpus_file.name and conflict["row"] > 0
    assert "hãy viết 2000 hoặc theo kiểu Việt Nam" in conflict["message"]
    assert "write 2000, or the Vietnamese way" in conflict["message_en"]


def test_it_assumes_the_english_convention_of_a_file_and_says_so(units, files, system):
    corpus_file = files["06-sheets-english-numbers.xlsx"]
    report = import_upload(corpus_file.data, corpus_file.name, unit_code=unit_for(corpus_file),
                           period_code=corpus_file.period, acting_user=system)
    assert [n["code"] for n in report.notes] == ["import.convention_assumed"]
    assert report.notes[0]["convention"] == "en" and not report.conflicts
    big = next(ln for ln in corpus_file.lines if ln.truth is not None and ln.truth >= 1000)
    assert "," in big.value
    stored = Value.objects.get(report__unit__code=unit_for(corpus_file),
                               indicator__code=big.code)
    assert stored.number == big.truth


def test_it_refuses_an_excel_fraction_in_a_percent_row(units, files, system):
    corpus_file = files["07-excel-fractions-columns.xlsx"]
    report = import_upload(corpus_file.data, corpus_file.name, unit_code=unit_for(corpus_file),
                           period_code=corpus_file.period, dry_run=True, acting_user=system)
    fractions = [c for c in report.conflicts if c["error"] == "value.percent_fraction"]
    assert len(fractions) == 7 and len(report.conflicts) == 7
    assert "trông như một phân số của Excel" in fractions[0]["message"]
    assert report.value_column["header"] == "Thực hiện kỳ báo cáo"


def test_a_dry_run_on_an_accepted_report_shows_the_whole_preview(units, files, system):
    corpus_file = files["03-split-plus-one-numbered.docx"]
    first = import_upload(corpus_file.data, corpus_file.name, unit_code="ST-SKHDT",
                          period_code=corpus_file.period, acting_user=system)
    Report.objects.filter(unit__code="ST-SKHDT").update(state=ReportState.ACCEPTED)
    edited = corpus_file.data.replace(b">7<", b">8<")  # previous-year cells: nothing changes
    again = import_upload(edited, corpus_file.name, unit_code="ST-SKHDT",
                          period_code=corpus_file.period, dry_run=True, acting_user=system)
    assert again.apply_refused is not None and again.apply_refused["code"] == "import.apply_locked"
    assert len(again.matched) == len(first.matched) == 178
    assert again.counts.unchanged == first.counts.imported + first.counts.unchanged


def test_a_preview_lists_old_and_new_of_each_change(units, system):
    rows = with_values(random.Random(5), template_lines())
    document = docx.Document()
    _word_table(document, rows, STANDARD)
    import_upload(save_docx(document), "a.docx", unit_code="ST-SKHDT", period_code="2024",
                  acting_user=system)
    target = next(ln for ln in rows if ln.kind == "count" and ln.truth is not None)
    changed = [replace(ln, value="12345") if ln is target else ln for ln in rows]
    document = docx.Document()
    _word_table(document, changed, STANDARD)
    preview = import_upload(save_docx(document), "a.docx", unit_code="ST-SKHDT",
                            period_code="2024", dry_run=True, acting_user=system)
    from parstat.numbers import format_vn_number

    assert preview.changes == [{"row": preview.changes[0]["row"], "code": target.code,
                                "label": preview.changes[0]["label"],
                                "old": format_vn_number(target.truth), "new": "12.345"}]


def test_it_refuses_a_file_of_too_many_rows_before_reading_it(units, system):
    lines = ["STT;Chỉ tiêu thống kê;Đơn vị tính;Kết quả thống kê;Ghi chú"]
    lines += [f"{n};Dòng {n};Người;{n};" for n in range(MAX_ROWS + 1)]
    with pytest.raises(ParstatError) as refused:
        import_upload("\n".join(lines).encode(), "lon.csv", unit_code="ST-SKHDT",
                      period_code="2024", dry_run=True, acting_user=system)
    assert refused.value.code == "import.too_many_rows"
    assert refused.value.params["limit"] == MAX_ROWS


def test_import_takes_table_and_value_column_options_and_json_carries_questions(units,
                                                                              tmp_path):
    path = tmp_path / "hai-cot.docx"
    path.write_bytes(_two_unnamed_value_columns())
    out = StringIO()
    with pytest.raises(CommandError) as asked:
        call_command("import_report", str(path), "--unit", "ST-SKHDT", "--period", "2024",
                     "--dry-run", "--json", stdout=out, stderr=StringIO())
    answer = json.loads(out.getvalue())
    assert answer["questions"][0]["code"] == "import.value_column_ambiguous"
    assert answer["questions"][0]["message_en"].startswith("File hai-cot.docx: cannot tell")
    assert "--value-column" in str(asked.value)
    out = StringIO()
    call_command("import_report", str(path), "--unit", "ST-SKHDT", "--period", "2024",
                 "--value-column", "5", "--table", "1", stdout=out, stderr=StringIO())
    assert "Cột số liệu: cột 5 «Số liệu» (chọn theo yêu cầu (cột 5))" in out.getvalue()


def test_values_in_words_are_read_only_when_certain(units, files, system):
    corpus_file = files["05-words-notes-wording.docx"]
    report = import_upload(corpus_file.data, corpus_file.name, unit_code=unit_for(corpus_file),
                           period_code=corpus_file.period, acting_user=system)
    words = {m["text"]: m["read_as"] for m in report.matched if "read_as" in m}
    assert set(words) & {"x", "Đạt", "Không có", "Không đạt"}
    assert all(text in ("Có", "Không") or text.isdigit() for text in words.values())
    assert not report.conflicts and not report.unmatched


@pytest.mark.parametrize(("code", "text", "read"), [
    ("I.1.c", "05 văn bản", Decimal(5)),  # the row's own unit word
    ("I.3.e", "x", Decimal(1)),  # a tick in a "Có = 1; Không = 0" row
    ("I.3.e", "Không có", Decimal(0)),
    ("I.8", "Đạt", Decimal(1)),  # "Tốt = 1; Có vi phạm = 0": Đạt is its yes
])
def test_it_reads_a_value_in_words_that_is_certain(template, code, text, read):
    from parstat.catalog.models import Indicator
    from parstat.imports.cells import NumberConvention, cell_text
    from parstat.imports.rows import FileRow
    from parstat.reporting.values import parse_cell

    indicator = Indicator.objects.get(template=template, code=code)
    row = FileRow(row=7, stt="", label=indicator.label, unit="", value=text, note="")
    assert parse_cell(indicator, cell_text(indicator, row, NumberConvention())).number == read


@pytest.mark.parametrize(("code", "text", "error"), [
    ("I.1.c", "05 hồ sơ", "value.words_unclear"),  # not the row's unit
    ("I.8", "Không có", "value.words_unclear"),  # "no violation" would be Tốt: not certain
    ("I.1.c", "2,000", "value.thousands_comma"),
    ("I.1.c", "Không có", "number.invalid"),  # a count is never read from words
])
def test_it_refuses_a_value_in_words_that_is_not_certain(template, code, text, error):
    from parstat.catalog.models import Indicator
    from parstat.imports.cells import NumberConvention, cell_text
    from parstat.imports.rows import FileRow
    from parstat.reporting.values import parse_cell

    indicator = Indicator.objects.get(template=template, code=code)
    row = FileRow(row=7, stt="", label=indicator.label, unit="", value=text, note="")
    with pytest.raises(ParstatError) as refused:
        parse_cell(indicator, cell_text(indicator, row, NumberConvention()))
    assert refused.value.code == error


def test_the_web_preview_offers_the_column_choice_and_shows_old_and_new(sign_in, units,
                                                                        tmp_path, settings):
    from django.urls import reverse

    settings.PARSTAT_UPLOAD_DIR = tmp_path
    client = sign_in("reporter")
    from parstat.catalog.editions import template_for
    from parstat.reporting.actions import Actor, get_or_create_report
    from parstat.reporting.models import Source
    from parstat.reporting.periods import ensure_period
    from parstat.units.models import OrgUnit

    unit = OrgUnit.objects.get(code="ST-SKHDT")
    period = ensure_period("2024")
    report, _ = get_or_create_report(unit, template_for(unit, period), period,
                                     acting_user=Actor(source=Source.CLI, origin="tests"))
    upload = io.BytesIO(_two_unnamed_value_columns())
    upload.name = "hai-cot.docx"
    page = client.post(reverse("web:upload", args=[report.pk]), {"file": upload})
    html = page.content.decode()
    assert page.status_code == 200 and 'name="value_column"' in html
    assert "Áp dụng</button>" not in html  # nothing to apply before the question is answered
    token = page.context["token"]
    again = client.post(reverse("web:upload_apply", args=[report.pk]),
                        {"token": token, "value_column": "4", "action": "preview"})
    assert again.status_code == 200 and "Áp dụng</button>" in again.content.decode()
    assert again.context["preview"]["value_column"]["column"] == 4
    assert "→" in again.content.decode() and 'class="list changes"' in again.content.decode()
    done = client.post(reverse("web:upload_apply", args=[report.pk]),
                       {"token": token, "value_column": "4"})
    assert done.status_code == 302
    assert Value.objects.filter(report=report).count() > 90


def test_the_api_carries_the_question_and_takes_the_answer(api, seed_report):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(**fields: str):  # type: ignore[no-untyped-def]
        form = {"unit": "ST-SKHDT", "period": "2024", "file": SimpleUploadedFile(
            "hai-cot.docx", _two_unnamed_value_columns()), **fields}
        return api["reporter"].upload("/imports", form)

    asked = upload(dry_run="true")
    assert asked.status_code == 200, asked.content
    body = asked.json()
    assert body["summary"]["questions"] == 1
    assert body["questions"][0]["code"] == "import.value_column_ambiguous"
    assert [c["column"] for c in body["value_column"]["candidates"]] == [4, 5]
    refused = upload()
    assert refused.status_code == 422 and refused.json()["code"] == "import.value_column_ambiguous"
    answered = upload(value_column="4")
    assert answered.status_code == 200, answered.content
    assert answered.json()["value_column"]["header"] == "Kết quả"
    assert answered.json()["summary"]["imported"] > 90


@pytest.mark.parametrize(("typed", "template_label"), [
    ("4.1. Số TTHC được công bố mới", "Số TTHC được công bố mới"),
    ("a) Số văn bản chỉ đạo cải cách hành chính đã ban hành",
     "Số văn bản chỉ đạo CCHC đã ban hành"),
    ("+ Số văn bản quy phạm pháp luật đã rà soát", "Số VBQPPL đã rà soát"),
    ("* Kiểm tra CCHC", "Kiểm tra CCHC"),
    ("(3) Thực hiện nhiệm vụ Ủy ban nhân dân huyện giao", "Thực hiện nhiệm vụ UBND tỉnh giao"),
])
def test_labels_fold_numbering_abbreviations_and_wording(typed, template_label):
    from parstat.imports.matcher import normalise_label

    assert normalise_label(typed) == normalise_label(template_label)


def test_a_trailing_note_in_parentheses_does_not_stop_a_match(units, system):
    lines = with_values(random.Random(6), template_lines())
    noted = [replace(ln, label=ln.label.replace(" (nếu có)", "")) for ln in lines]
    assert sum(1 for a, b in zip(lines, noted, strict=True) if a.label != b.label) > 10
    document = docx.Document()
    _word_table(document, noted, STANDARD)
    report = import_upload(save_docx(document), "a.docx", unit_code="ST-SKHDT",
                           period_code="2024", dry_run=True, acting_user=system)
    assert not report.unmatched and not report.missing
    assert all(m["method"] == "exact" for m in report.matched)


def test_the_heading_number_line_of_a_sheet_gives_the_facts(units, files, system):
    corpus_file = files["12-unaccented-reworded.xlsx"]
    report = import_upload(corpus_file.data, corpus_file.name, unit_code=unit_for(corpus_file),
                           period_code=corpus_file.period, dry_run=True, acting_user=system)
    assert report.document.number == "88/BC-SKHĐT"  # not the cited 7/BC-UBND
    assert report.document.issued_on.isoformat() == "2024-03-15"
    assert report.document.issuer == "SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH SÓC TRĂNG"


def test_a_numbering_line_under_the_header_is_not_a_row(units, system):
    lines = ["STT;Chỉ tiêu thống kê;Đơn vị tính;Kết quả thống kê;Ghi chú", "(1);(2);(3);(4);(5)",
             "I;Công tác chỉ đạo điều hành CCHC;;;", "1;Số nhiệm vụ đề ra trong kế hoạch;"
             "Nhiệm vụ;40;"]
    report = import_upload("\n".join(lines).encode(), "a.csv", unit_code="ST-SKHDT",
                           period_code="2024", dry_run=True, acting_user=system)
    assert [m["code"] for m in report.matched] == ["I.1.a"] and not report.unmatched


def test_a_continuation_repeating_its_header_in_other_words_is_read_on(units, system):
    lines = with_values(random.Random(7), template_lines())
    document = docx.Document()
    _word_table(document, lines[:90], STANDARD)
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _word_table(document, lines[90:], Layout(["stt", "label", "unit", "value"], headings={
        "label": "Nội dung", "unit": "ĐVT", "value": "Số liệu"}))
    report = import_upload(save_docx(document), "a.docx", unit_code="ST-SKHDT",
                           period_code="2024", dry_run=True, acting_user=system)
    assert len(report.matched) == 178 and not report.unmatched and not report.conflicts
    assert report.table["candidates"] == [{"table": 1, "where": "bảng 1 của tài liệu",
                                           "rows": 178, "matching": 178}]


def test_the_period_the_title_states_is_proposed_before_the_date(units, system):
    lines = ["Báo cáo kết quả CCHC quý I năm 2024 (gửi muộn)",
             "Ban hành kèm theo Báo cáo số 5/BC-SKHĐT ngày 20/6/2024 của Sở Kế hoạch và Đầu tư "
             "tỉnh Sóc Trăng",
             "STT;Chỉ tiêu thống kê;Đơn vị tính;Kết quả thống kê;Ghi chú",
             "1;Số nhiệm vụ đề ra trong kế hoạch;Nhiệm vụ;40;"]
    report = import_upload("\n".join(lines).encode(), "muon.csv", dry_run=True,
                           acting_user=system)
    # The date (20/6) alone would say 2024S1; the title says quý I.
    assert report.period == "2024Q1" and report.proposed.period_from == "document"
    assert report.unit == "ST-SKHDT" and not report.warnings


def test_a_table_cut_by_a_heading_is_read_whole(units, files, system):
    corpus_file = files["14-cut-by-a-heading.docx"]
    report = import_upload(corpus_file.data, corpus_file.name, unit_code=unit_for(corpus_file),
                           period_code=corpus_file.period, dry_run=True, acting_user=system)
    assert report.table["parts"] == [1, 2] and len(report.matched) == 178
    assert report.table["reason"].endswith("(các phần khác nhau của một bảng)")
    rows = [m["row"] for m in report.matched]
    assert len(set(rows)) == len(rows)  # the second part's rows numbered on
    # Read alone, the first part leaves the second's values out, and the score says so.
    alone = import_upload(corpus_file.data, corpus_file.name, unit_code=unit_for(corpus_file),
                          period_code=corpus_file.period, choices=ImportChoices(table=1),
                          acting_user=system)
    assert score(corpus_file, alone, None).counts["lost"] > 30


def test_a_refused_import_says_so_in_json_too(units, tmp_path):
    path = tmp_path / "hai-cot.docx"
    path.write_bytes(_two_unnamed_value_columns())
    out = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_report", str(path), "--unit", "ST-SKHDT", "--period", "2024",
                     "--json", stdout=out, stderr=StringIO())
    answer = json.loads(out.getvalue())
    assert answer["file"] == "hai-cot.docx"
    assert answer["error"]["code"] == "import.value_column_ambiguous"
    assert "choose the column (--value-column N" in answer["error"]["message_en"]
    assert str(refused.value).startswith("[import.value_column_ambiguous]")


def test_a_batch_dry_run_fails_a_file_with_an_open_question(units, system, tmp_path):
    (tmp_path / "ST-SKHDT.xlsx").write_bytes(_same_table_twice())
    result = import_batch(tmp_path, period_code="2024", dry_run=True, acting_user=system)
    assert result.files[0].failed
    assert result.files[0].error is not None
    assert result.files[0].error.code == "import.table_ambiguous"


def test_the_web_preview_of_an_accepted_report_says_applying_would_be_refused(
        sign_in, seed_report, tmp_path, settings):
    from django.urls import reverse

    from tests.import_fixtures import seed_docx

    settings.PARSTAT_UPLOAD_DIR = tmp_path
    Report.objects.filter(pk=seed_report.pk).update(state=ReportState.ACCEPTED)
    client = sign_in("reporter")
    upload = io.BytesIO(seed_docx())
    upload.name = "bang1.docx"
    page = client.post(reverse("web:upload", args=[seed_report.pk]), {"file": upload})
    html = page.content.decode()
    assert page.status_code == 200 and 'class="errors apply-refused"' in html
    assert "áp dụng sẽ bị từ chối" in html and "Áp dụng</button>" not in html
    assert page.context["preview"]["summary"]["matched"] == 178
    applied = client.post(reverse("web:upload_apply", args=[seed_report.pk]),
                          {"token": page.context["token"]})
    # Refused as the preview said, even though the file changes no value (409, as the API).
    assert applied.status_code == 409 and "web/upload.html" in [t.name for t in applied.templates]


@pytest.mark.parametrize(("period", "header", "others"), [
    ("2024S1", "Kết quả 6 tháng năm 2024", ["Quý I năm 2024", "Quý III/2024", "Năm 2023"]),
    ("2024Q3", "Quý III/2024", ["Quý II/2024", "Quý I năm 2024"]),
    ("2024S1", "Quý II năm 2024", ["Quý III năm 2024", "Quý I năm 2024"]),  # ii is not iii
    ("2024Q1", "Quý I năm 2024", ["Quý II năm 2024", "Năm 2023"]),
    ("2024", "Năm 2024", ["Quý III năm 2024", "Năm 2023"]),
])
def test_the_value_column_names_the_report_period(period, header, others):
    from parstat.imports.choose import choose_value_column
    from parstat.imports.grid import ValueColumn

    columns = [ValueColumn(3 + n, text) for n, text in enumerate([*others, header])]
    choice = choose_value_column(columns, period, "a.xlsx", None)
    assert choice.question is None and choice.index is not None
    assert columns[choice.index].header == header


def test_the_table_read_is_said_in_english_too(units, files, system):
    corpus_file = files["11-two-sheets-two-years.xlsx"]
    report = import_upload(corpus_file.data, corpus_file.name, unit_code=unit_for(corpus_file),
                           period_code="2024", dry_run=True, acting_user=system)
    assert report.table["reason_en"] == (
        "sheet «Năm 2024»: 178 rows match the template's labels; the table like it names "
        "another year, this one 2024, the report's")


def test_a_number_without_a_label_is_listed_not_dropped(units, system):
    lines = ["STT;Chỉ tiêu thống kê;Đơn vị tính;Kết quả thống kê;Ghi chú",
             "I;Công tác chỉ đạo điều hành CCHC;;;",
             "1;Số nhiệm vụ đề ra trong kế hoạch;Nhiệm vụ;40;", ";;Nhiệm vụ;12;", ";;;;"]
    report = import_upload("\n".join(lines).encode(), "a.csv", unit_code="ST-SKHDT",
                           period_code="2024", dry_run=True, acting_user=system)
    assert [(u["row"], u["file_label"], u["value"]) for u in report.unmatched] == [(4, "", "12")]
