"""The entry form's rows, built in Python (parstat/web/entry.py): the exact HTML of each kind of
row, text always escaped, and a form that reads a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parstat.catalog.layout import template_layout
from parstat.catalog.models import Indicator, Kind, Section
from parstat.reporting.actions import CellUpdate, do_set_values
from parstat.reporting.checks import evaluate_report
from parstat.reporting.values import BLANK
from parstat.rules.findings import Finding
from parstat.web.entry import EntryRow, EntrySection, RowChrome, entry_rows_html, row_html

EDIT = RowChrome.for_page(can_edit=True, save_url="/reports/7/cell/")
READ = RowChrome.for_page(can_edit=False, save_url="/reports/7/cell/")
SAVES = ('hx-post="/reports/7/cell/" hx-trigger="change" hx-target="#status-{dom}" '
         'hx-include="#report-version" hx-params="{field},version" '
         'hx-sync="#entry-form:queue all"')


def indicator(**fields: object) -> Indicator:
    defaults: dict[str, object] = {"code": "I.1.a", "stt": "a", "label": "Số nhiệm vụ",
                                   "unit": "Nhiệm vụ", "kind": Kind.COUNT, "level": 2}
    return Indicator(**{**defaults, **fields})


def test_it_builds_a_count_row_exactly():
    html = row_html(EntryRow(indicator(), text="1.327", note="ghi chú"), EDIT)
    assert html == (
        '<tr id="row-I_1_a" data-code="I.1.a" class="level2">\n<td>a</td>\n'
        '<td class="label"><label for="v-I_1_a">Số nhiệm vụ</label> <span class="code">I.1.a'
        '</span>\n<span class="row-findings" data-for="I.1.a"></span></td>\n'
        '<td class="unit">Nhiệm vụ</td>\n<td class="value">\n'
        '<input id="v-I_1_a" name="v:I.1.a" value="1.327" inputmode="decimal" placeholder="trống"'
        f' autocomplete="off" {SAVES.format(dom="I_1_a", field="v:I.1.a")}>\n</td>\n'
        '<td class="note"><textarea name="n:I.1.a" rows="1" aria-label="Ghi chú I.1.a" '
        f'placeholder="Ghi chú" tabindex="-1" {SAVES.format(dom="I_1_a", field="n:I.1.a")}>'
        'ghi chú</textarea></td>\n<td class="status" id="status-I_1_a"></td>\n</tr>\n')


def test_it_tells_a_blank_cell_from_a_zero():
    assert 'value="" inputmode' in row_html(EntryRow(indicator(), text="", note=""), EDIT)
    assert 'value="0" inputmode' in row_html(EntryRow(indicator(), text="0", note=""), EDIT)
    flag = indicator(kind=Kind.FLAG, choices=[{"value": 1, "label": "Có"},
                                              {"value": 0, "label": "Không"}])
    blank = row_html(EntryRow(flag, text="", note=""), EDIT)
    zero = row_html(EntryRow(flag, text="0", note=""), EDIT)
    assert '<option value="" selected>— trống —</option>' in blank
    assert '<option value="0">Không = 0</option>' in blank
    assert '<option value="">— trống —</option>' in zero
    assert '<option value="0" selected>Không = 0</option>' in zero


def test_it_escapes_every_piece_of_text():
    evil = '<script>"x"&\'</script>'
    row = EntryRow(indicator(label=evil, unit=evil, stt=evil,
                             kind=Kind.CHOICE, choices=[{"value": 1, "label": evil}]),
                   text=evil, note=evil, error=evil,
                   findings=[Finding(rule=evil, severity="error", message=evil, codes=("I.1.a",))])
    html = row_html(row, EDIT)
    assert "<script>" not in html and "&lt;script&gt;&quot;x&quot;&amp;&#x27;" in html
    assert html.count("&lt;script&gt;") == 8  # stt, label, unit, choice, note, error, badge ×2
    text = row_html(EntryRow(indicator(kind=Kind.TEXT), text=evil, note=""), EDIT)
    assert "<script>" not in text and ">&lt;script&gt;&quot;x&quot;&amp;&#x27;&lt;/script&gt;<" \
        in text


def test_a_page_that_cannot_edit_has_no_saving_fields():
    html = row_html(EntryRow(indicator(), text="5", note=""), READ)
    assert "hx-post" not in html and html.count(" readonly>") == 2
    select = row_html(EntryRow(indicator(kind=Kind.FLAG, choices=[{"value": 1, "label": "Có"}]),
                               text="1", note=""), READ)
    assert '<select id="v-I_1_a" name="v:I.1.a" disabled>' in select


def test_a_row_for_other_unit_kinds_is_greyed_and_takes_no_value():
    html = row_html(EntryRow(indicator(), text="", note="", applies=False), EDIT)
    assert 'class="level2 not-applicable"' in html
    assert '<td class="value">\n<span class="na">không áp dụng</span>\n</td>' in html
    assert 'name="v:I.1.a"' not in html and 'name="n:I.1.a"' in html


def test_a_refused_or_flagged_row_says_so():
    finding = Finding(rule="R08", severity="warning", message="Lớn hơn tổng", codes=("I.1.a",))
    html = row_html(EntryRow(indicator(), text="abc", note="", findings=[finding],
                             error="Không phải số"), EDIT)
    assert 'class="level2 flagged refused"' in html
    assert '<span class="badge-warning" title="Lớn hơn tổng">R08</span>' in html
    assert ('<td class="status" id="status-I_1_a"><span class="cell-error" role="alert">'
            'Không phải số</span></td>') in html


def test_a_formula_row_shows_its_value_beside_the_input():
    row = EntryRow(indicator(code="I.1", formula="I.1.b / I.1.a * 100", kind=Kind.PERCENT),
                   text="", note="", formula={"code": "I.1", "formula": "I.1.b / I.1.a * 100",
                                              "derived": "32,5", "computed": "", "mismatch": ""})
    assert ('<span id="derived-I_1" class="derived" title="Giá trị tính từ công thức: '
            'I.1.b / I.1.a * 100">= 32,5</span>\n</td>') in row_html(row, EDIT)


def test_sections_head_their_rows():
    section = Section(numeral="I", label="Công tác <chỉ đạo>", position=1)
    html = entry_rows_html([EntrySection(section, [EntryRow(indicator(), text="", note="")])],
                           EDIT)
    assert html.startswith('<tr class="section"><td>I</td><td colspan="5">Công tác '
                           '&lt;chỉ đạo&gt;</td></tr>\n<tr id="row-I_1_a"')




@pytest.mark.django_db
def test_the_form_reads_the_same_few_queries_however_many_values(sign_in, seed_report,
                                                                 system):
    client = sign_in("reporter")
    url = reverse("web:report_detail", args=[seed_report.pk])
    client.get(url)  # the template's indicators are read once, then kept

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    full = queries()
    template = seed_report.template
    do_set_values(seed_report, [CellUpdate(i, BLANK, note="")
                                 for i in template.indicators.all()],
                  acting_user=system)
    assert not seed_report.values.exists()
    assert queries() == full <= 9  # session, user, roles, report, values, history, events…


@pytest.mark.django_db
def test_evaluating_a_report_reads_its_values_in_one_query(seed_report):
    template_layout(seed_report.template)
    with CaptureQueriesContext(connection) as captured:
        evaluation = evaluate_report(seed_report)
    assert len(captured) == 1 and len(evaluation.stored) > 50
    value = evaluation.stored["I.1.b"]
    assert value.number == 13  # with the template's shared indicator, not one read per value
    assert value.indicator is template_layout(seed_report.template).by_code["I.1.b"]


@pytest.mark.django_db
def test_the_template_layout_is_read_once_per_source_hash(seed_report):
    template = seed_report.template
    first = template_layout(template)
    with CaptureQueriesContext(connection) as captured:
        assert template_layout(template) is first
    assert len(captured) == 0
    template.source_sha256 = "0" * 64  # what reloading a changed file does
    assert template_layout(template) is not first
    codes = [i.code for i in first.indicators]
    assert codes == list(template.indicators.order_by("position").values_list("code", flat=True))
