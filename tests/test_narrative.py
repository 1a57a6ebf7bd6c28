"""The narrative report: outline as data, texts saved and audited like values, locked like
values, pasted text reduced to words, figures of the table rendered from the current values."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from parstat.errors import ParstatError
from parstat.narrative.actions import (
    do_set_narrative,
    do_submit_with_document,
    parse_document_date,
)
from parstat.narrative.figures import figures_of
from parstat.narrative.models import NarrativeChange, NarrativeText, OutlineSection
from parstat.narrative.outline import load_outline, outline_for
from parstat.narrative.text import Block, blocks, clean
from parstat.reporting.actions import CellUpdate, do_set_values
from parstat.reporting.models import ReportState
from parstat.reporting.values import CellValue
from parstat.reporting.workflow import do_accept_report, do_submit_report

pytestmark = pytest.mark.django_db

TASKS = "Hoàn thành {{I.1.b}}/{{I.1.a}} nhiệm vụ, đạt {{I.1}} %."


@pytest.fixture
def outline(db):  # type: ignore[no-untyped-def]
    return load_outline()


def _set(report, code: str, number: int | None, actor):  # type: ignore[no-untyped-def]
    indicator = report.template.indicators.get(code=code)
    value = CellValue(number=None if number is None else Decimal(number))
    return do_set_values(report, [CellUpdate(indicator, value)], acting_user=actor)


@pytest.fixture
def clean_report(seed_report, system):  # type: ignore[no-untyped-def]
    """The seed with its two errors corrected (as in test_workflow)."""
    _set(seed_report, "VII.5.f", 100, system)
    _set(seed_report, "III.4.c.2", 0, system)
    return seed_report


def test_it_loads_the_demo_outline_of_the_seven_areas_labelled_as_an_example(outline):
    assert outline == ("B1-SN", 11)
    sections = list(OutlineSection.objects.filter(family="B1-SN").order_by("position"))
    assert [s.key for s in sections][:3] == ["I", "II", "II.1"]
    assert [s.level for s in sections if s.key.startswith("II.")] == [2] * 6
    assert all(s.synthetic for s in sections)
    assert "{{I.1.b}}" in sections[0].guidance


def test_it_keeps_real_installations_free_of_the_demo_outline(template):
    assert OutlineSection.objects.count() == 0
    assert outline_for(template) == []


def test_it_reloads_an_outline_in_place(outline):
    first = set(OutlineSection.objects.values_list("pk", flat=True))
    assert load_outline() == ("B1-SN", 11)
    assert set(OutlineSection.objects.values_list("pk", flat=True)) == first


def test_it_keeps_only_the_words_of_text_pasted_from_word():
    pasted = ("Trong quý,\u00a0đơn vị đã:\r\n\u2022\tban hành kế hoạch;\r\n\uf0b7  kiểm tra "
              "02 đơn vị.\r\n\r\n\r\n\u200bKết\u00adquả\x0btốt.")
    assert clean(pasted) == ("Trong quý, đơn vị đã:\n- ban hành kế hoạch;\n- kiểm tra 02 đơn vị."
                             "\n\nKếtquả\ntốt.")
    assert blocks(clean(pasted)) == [Block("p", "Trong quý, đơn vị đã:"),
                                     Block("li", "ban hành kế hoạch;"),
                                     Block("li", "kiểm tra 02 đơn vị."),
                                     Block("p", "Kếtquả"), Block("p", "tốt.")]


def test_it_saves_a_section_once_and_audits_who_changed_what(seed_report, outline, alice_at_form):
    change = do_set_narrative(seed_report, "I", "Đã ban hành kế hoạch.", acting_user=alice_at_form)
    assert change is not None
    assert (change.old_text, change.new_text, change.version) == ("", "Đã ban hành kế hoạch.", 1)
    assert (change.actor, change.source, change.origin) == ("alice", "form", "203.0.113.7")
    assert do_set_narrative(seed_report, "I", "Đã ban hành kế hoạch.",
                            acting_user=alice_at_form) is None
    second = do_set_narrative(seed_report, "I", "Đã ban hành 2 kế hoạch.",
                              acting_user=alice_at_form, expected_version=1)
    assert second is not None and second.old_text == "Đã ban hành kế hoạch."
    stored = NarrativeText.objects.get(report=seed_report, key="I")
    assert (stored.text, stored.version) == ("Đã ban hành 2 kế hoạch.", 2)
    assert NarrativeChange.objects.filter(report=seed_report).count() == 2


def test_it_does_not_make_the_tables_saves_look_stale(seed_report, outline, alice_at_form):
    version = seed_report.version
    do_set_narrative(seed_report, "I", "Văn bản.", acting_user=alice_at_form)
    seed_report.refresh_from_db()
    assert seed_report.version == version


def test_it_removes_a_text_cleared_to_nothing(seed_report, outline, system):
    do_set_narrative(seed_report, "III", "Tốt.", acting_user=system)
    change = do_set_narrative(seed_report, "III", "  \n ", acting_user=system)
    assert change is not None and change.new_text == ""
    assert not NarrativeText.objects.filter(report=seed_report, key="III").exists()


def test_it_refuses_a_text_changed_meanwhile_and_says_what_it_reads(seed_report, outline,
                                                                      system, alice_at_form):
    do_set_narrative(seed_report, "I", "Bản của hệ thống.", acting_user=system)
    with pytest.raises(ParstatError) as refused:
        do_set_narrative(seed_report, "I", "Bản của Alice.", acting_user=alice_at_form,
                         expected_version=0)
    assert refused.value.code == "narrative.stale"
    assert "Bản của hệ thống." in refused.value.message and "system" in refused.value.message
    assert NarrativeText.objects.get(report=seed_report, key="I").text == "Bản của hệ thống."


def test_it_refuses_a_figure_the_table_does_not_have(seed_report, outline, system):
    with pytest.raises(ParstatError) as refused:
        do_set_narrative(seed_report, "I", "Đạt {{I.99}} %.", acting_user=system)
    assert refused.value.code == "narrative.unknown_figure"
    assert "I.99" in refused.value.message and "B1-SN-2023" in refused.value.message
    assert not NarrativeText.objects.filter(report=seed_report).exists()


def test_it_refuses_a_key_outside_the_outline(seed_report, outline, system):
    with pytest.raises(ParstatError) as refused:
        do_set_narrative(seed_report, "IX", "x", acting_user=system)
    assert refused.value.code == "narrative.unknown_key"


def test_it_refuses_a_control_character(seed_report, outline, system):
    with pytest.raises(ParstatError) as refused:
        do_set_narrative(seed_report, "I", "a\x07b", acting_user=system)
    assert refused.value.code == "narrative.control_character" and "U+0007" in \
        refused.value.message


def test_it_locks_the_text_once_submitted_but_takes_the_same_text_again(clean_report, outline,
                                                                         system):
    do_set_narrative(clean_report, "I", "Đủ.", acting_user=system)
    do_submit_report(clean_report, acting_user=system, explanation="Mục VII chỉ tính trực tuyến")
    assert do_set_narrative(clean_report, "I", "Đủ.", acting_user=system) is None
    with pytest.raises(ParstatError) as refused:
        do_set_narrative(clean_report, "I", "Khác.", acting_user=system)
    assert refused.value.code == "narrative.locked"
    do_accept_report(clean_report, acting_user=system)
    with pytest.raises(ParstatError):
        do_set_narrative(clean_report, "signer_name", "Nguyễn Văn A", acting_user=system)


def test_it_renders_figures_from_the_current_values(seed_report, outline, system):
    do_set_narrative(seed_report, "I", TASKS, acting_user=system)
    # The seed: 40 planned tasks, 13 done, the rate left blank and derived (32,5).
    assert figures_of(seed_report).render(TASKS) == "Hoàn thành 13/40 nhiệm vụ, đạt 32,5 %."
    _set(seed_report, "I.1.b", 20, system)
    assert figures_of(seed_report).render(TASKS) == "Hoàn thành 20/40 nhiệm vụ, đạt 50 %."
    assert NarrativeText.objects.get(report=seed_report, key="I").text == TASKS


def test_it_shows_a_blank_figure_as_blank_never_as_zero(seed_report, outline, system):
    _set(seed_report, "I.1.a", None, system)
    rendered = figures_of(seed_report).render("{{I.1.a}} nhiệm vụ")
    assert rendered == "[I.1.a: trống] nhiệm vụ"
    _set(seed_report, "I.1.a", 0, system)
    assert figures_of(seed_report).render("{{I.1.a}} nhiệm vụ") == "0 nhiệm vụ"


def test_it_numbers_the_report_as_it_is_sent(clean_report, outline, system):
    report = do_submit_with_document(clean_report, number="81/BC-SKHĐT",
                                     issued_on=date(2023, 3, 17), acting_user=system,
                                     explanation="Mục VII chỉ tính trực tuyến").report
    assert report.state == ReportState.SUBMITTED
    assert (report.document_number, report.document_date) == ("81/BC-SKHĐT", date(2023, 3, 17))
    assert report.document_issuer == "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng"


def test_it_leaves_the_number_as_it_was_when_the_submission_is_refused(seed_report, outline,
                                                                       system):
    before = (seed_report.document_number, seed_report.document_date)  # read from the seed file
    with pytest.raises(ParstatError) as refused:
        do_submit_with_document(seed_report, number="99/BC-SKHĐT",
                                issued_on=date(2023, 3, 20), acting_user=system, explanation="x")
    assert refused.value.code == "workflow.has_errors"
    seed_report.refresh_from_db()
    assert seed_report.state == "draft"
    assert (seed_report.document_number, seed_report.document_date) == before
    assert before == ("81/BC-SKHĐT", date(2023, 3, 17))


def test_it_reads_a_document_date_as_the_form_or_a_person_writes_it():
    assert parse_document_date("2023-03-17") == date(2023, 3, 17)
    assert parse_document_date("17/03/2023") == date(2023, 3, 17)
    assert parse_document_date("") is None
    with pytest.raises(ParstatError) as refused:
        parse_document_date("32/13/2023")
    assert refused.value.code == "document.date_invalid"


def test_it_loads_no_demo_outline_without_demo(db):
    from django.core.management import call_command

    call_command("init", verbosity=0, stdout=io.StringIO())
    assert not OutlineSection.objects.exists()


def test_it_keeps_one_line_parts_on_one_line_and_recipients_one_a_line(seed_report, system):
    do_set_narrative(seed_report, "summary", "Kết quả CCHC\r\nquý I", acting_user=system)
    do_set_narrative(seed_report, "recipients", "Sở Nội vụ;\r\nLưu: VT.", acting_user=system)
    texts = dict(NarrativeText.objects.filter(report=seed_report).values_list("key", "text"))
    assert texts == {"summary": "Kết quả CCHC quý I", "recipients": "Sở Nội vụ;\nLưu: VT."}
