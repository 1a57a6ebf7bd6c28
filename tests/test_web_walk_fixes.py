"""What a browser walk-through of the reporter's, the consolidator's and the leader's pages
found, each fixed and held here: overdue reports still owed, the submitter's explanation beside
its warning, the wording of counts, refusals, names and states, and read-only text as text."""

from __future__ import annotations

import html
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from parstat.reporting.actions import Actor, CellUpdate, do_set_values
from parstat.reporting.models import Source
from parstat.reporting.periods import periods_of_year
from parstat.reporting.values import CellValue
from parstat.reporting.workflow import do_transition
from parstat.web.due import due_for

pytestmark = pytest.mark.django_db


def due_rows(html: str) -> list[tuple[str, str]]:
    """(period name, state) of each row of the reporter's due table, in order."""
    table = html[html.index('<table class="list due">'):]
    table = table[:table.index("</table>")]
    return re.findall(r"<tr class=\"[^\"]*\">\s*<td>[^<]*</td>\s*<td>([^<]*)</td>\s*<td>.*?</td>"
                      r"\s*<td>([^<]*)", table, flags=re.S)


def test_it_lists_every_owed_period_not_done_however_old(sign_in, submitted_report):
    # The seed's department lived from before 2023 to 16/02/2025: it owes every period whose
    # window it lived in, partly (2025's first quarter, half-year and year), none after.
    for year in (2023, 2024, 2025):
        periods_of_year(year)
    rows = due_rows(sign_in("reporter").get(reverse("web:home")).content.decode())
    assert rows == [
        ("6 tháng đầu năm 2023", "Chưa lập"), ("Quý III/2023", "Chưa lập"),
        ("Năm 2023", "Chưa lập"), ("Quý I/2024", "Chưa lập"),
        ("6 tháng đầu năm 2024", "Chưa lập"), ("Quý III/2024", "Chưa lập"),
        ("Năm 2024", "Chưa lập"), ("Quý I/2025", "Chưa lập"),
        ("6 tháng đầu năm 2025", "Chưa lập"), ("Năm 2025", "Chưa lập"),
        ("Quý I/2023", "Đã gửi · gửi trễ"),  # done: after every period still owed
    ]


def test_it_keeps_only_the_latest_done_periods_for_context(personas, submitted_report):
    periods_of_year(2023)
    today = date(2026, 12, 2)
    with_done = [(i.period.code, i.is_done) for i in due_for(personas["reporter"], today=today)]
    assert with_done == [("2023S1", False), ("2023Q3", False), ("2023", False),
                         ("2023Q1", True)]
    without = [i.period.code for i in due_for(personas["reporter"], today=today, recent_done=0)]
    assert without == ["2023S1", "2023Q3", "2023"]


def test_it_counts_reports_not_units_on_the_consolidators_home(sign_in, seed_report):
    html = sign_in("consolidator").get(reverse("web:home")).content.decode()
    assert "báo cáo chưa gửi (kể cả chưa đến hạn)" in html
    assert "báo cáo quá hạn chưa gửi" in html
    assert "đơn vị chưa gửi" not in html and "đơn vị quá hạn" not in html
    assert '<h2 id="missing">Báo cáo chưa gửi (' in html


def warning_item(html: str, rule: str) -> str:
    """The findings list's item of warning ``rule``, its markup whole."""
    found = re.search(rf'<li class="warning"><b>Cảnh báo {rule}</b>.*?</li>', html, flags=re.S)
    assert found, rule
    return found.group(0)


@pytest.mark.parametrize("persona", ["consolidator", "reporter", "approver"])
def test_it_shows_the_submitters_explanation_beside_the_warning_it_explains(
        sign_in, submitted_report, persona):
    response = sign_in(persona).get(reverse("web:report_detail", args=[submitted_report.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    item = warning_item(html, "R26")
    sent = submitted_report.submitted_at.astimezone(timezone.get_current_timezone())
    assert (f'<p class="explanation"><b>Giải trình của đơn vị</b> (approver, '
            f'{sent:%d/%m/%Y %H:%M}): Đã rà soát</p>') in item, item
    assert 'id="submit-explanation"' not in html  # beside its warning, not apart


@pytest.fixture
def returned_report(submitted_report, personas):  # type: ignore[no-untyped-def]
    """The submitted seed, returned by the consolidator."""
    consolidator = Actor(user=personas["consolidator"], source=Source.FORM, origin="tests")
    return do_transition(submitted_report, "return", acting_user=consolidator,
                         text="Kiểm tra mục VII").report


def test_it_no_longer_shows_the_explanation_once_the_report_is_returned(sign_in,
                                                                        returned_report):
    html = sign_in("consolidator").get(
        reverse("web:report_detail", args=[returned_report.pk])).content.decode()
    assert "Giải trình của đơn vị" not in warning_item(html, "R26")


def test_it_says_a_returned_draft_was_returned_not_when_it_was_sent(sign_in, returned_report):
    html = sign_in("reporter").get(
        reverse("web:report_detail", args=[returned_report.pk])).content.decode()
    facts = re.search(r'<p class="facts">.*?</p>', html, flags=re.S).group(0)  # type: ignore[union-attr]
    assert re.search(r'id="report-state">Đang soạn</span> · bị trả lại lúc '
                     r'\d\d/\d\d/\d{4} \d\d:\d\d \(consolidator\)</p>$', facts), facts
    assert "gửi lúc" not in facts


def cell_error(client, report, code: str, text: str) -> str:  # type: ignore[no-untyped-def]
    response = client.post(reverse("web:save_cell", args=[report.pk]),
                           {f"v:{code}": text, "version": report.version})
    assert response.status_code == 422
    found = re.search(r'<span class="cell-error" role="alert">(.*?)</span>',
                      response.content.decode(), flags=re.S)
    assert found, response.content.decode()
    return html.unescape(found.group(1))


@pytest.mark.parametrize(("code", "text", "said"), [
    ("I.3.c", "abc", "không nhận «abc»: hãy viết số theo kiểu Việt Nam, ví dụ 1.327 hoặc 32,5."),
    ("I.3.c", "1.5", "không rõ nghĩa với «1.5»: dấu chấm dùng để phân cách hàng nghìn (1.327), "
                     "dấu phẩy để ghi phần thập phân (32,5)."),
    ("I.4.a", "-5", "không nhận số âm: «-5»."),
])
def test_it_words_every_cell_refusal_the_same_way(sign_in, seed_report, code, text, said):
    indicator = seed_report.template.indicators.get(code=code)
    error = cell_error(sign_in("reporter"), seed_report, code, text)
    assert error == f"Chưa lưu: Chỉ tiêu {code} ({indicator.label}) {said}"
    # "Chưa lưu:" and the one before the advice or the text: no "chỉ tiêu I.3.c: Không …"
    assert error.replace(indicator.label, "").count(":") == 2


@pytest.fixture
def demo_report(personas, system):  # type: ignore[no-untyped-def]
    """A report of a demo department (synthetic, its name ending «(minh họa)»)."""
    from parstat.catalog.editions import template_for
    from parstat.reporting.actions import get_or_create_report
    from parstat.reporting.periods import ensure_period
    from parstat.units.models import OrgUnit

    unit = OrgUnit.objects.get(code="DEMO-S01")
    period = ensure_period("2023Q1")
    report, _ = get_or_create_report(unit, template_for(unit, period), period,
                                     acting_user=system)
    assert report.synthetic and unit.name.endswith(" (minh họa)")
    return report


def test_it_says_minh_hoa_once_beside_a_demo_units_name(sign_in, demo_report):
    client = sign_in("outsider")
    name = demo_report.unit.name
    for url in (reverse("web:period_detail", args=["2023Q1"]),
                reverse("web:report_list") + "?period=2023Q1"):
        page = client.get(url)
        assert page.status_code == 200
        text = page.content.decode()
        assert name in text, url
        assert f'{name}</a> <span class="badge">' not in text, url
        assert f'{name} <span class="badge">' not in text, url


def test_it_keeps_the_badge_for_a_synthetic_unit_whose_name_does_not_say_it(sign_in,
                                                                            demo_report):
    unit = demo_report.unit
    unit.name = "Sở Thử nghiệm"
    unit.save(update_fields=["name"])
    text = sign_in("outsider").get(reverse("web:period_detail", args=["2023Q1"])).content.decode()
    assert 'Sở Thử nghiệm <span class="badge">minh họa</span>' in text


def test_it_names_the_period_on_the_history_page(sign_in, seed_report):
    page = sign_in("reporter").get(reverse("web:report_history", args=[seed_report.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "<title>Lịch sử thay đổi · Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng · Quý I/2023" in text
    assert "← Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng · Quý I/2023</a>" in text
    assert "2023Q1</" not in text and "· 2023Q1" not in text


PROVINCE_URL = reverse("web:province_narrative", args=["2023Q1", "ST"]) + "?scope=all"


@pytest.fixture
def province_written(seed_report, system, personas):  # type: ignore[no-untyped-def]
    from parstat.narrative.actions import do_set_narrative
    from parstat.narrative.outline import load_outline

    load_outline()
    do_set_narrative(seed_report, "I", "Hoàn thành {{I.1.b}}/{{I.1.a}} nhiệm vụ.",
                     acting_user=system)
    return seed_report


def textareas(html: str) -> list[str]:
    return re.findall(r"<textarea [^>]*>", html)


def test_it_shows_the_leader_the_province_texts_as_read_only_text(sign_in, province_written):
    page = sign_in("leader").get(PROVINCE_URL)
    assert page.status_code == 200
    fields = textareas(page.content.decode())
    assert fields and 'id="start-draft"' not in page.content.decode()
    # Each reads as text (narrative.css: textarea[readonly] has no box) and says when empty.
    assert all(" readonly" in f and 'placeholder="(chưa có nội dung)"' in f for f in fields)


def test_it_keeps_the_province_texts_editable_for_its_consolidator(sign_in, province_written):
    fields = textareas(sign_in("consolidator").get(PROVINCE_URL).content.decode())
    assert fields and not any(" readonly" in f or "placeholder=" in f for f in fields)


def test_it_styles_read_only_parts_as_text():
    from pathlib import Path

    import parstat

    css = (Path(parstat.__file__).parent / "narrative/static/narrative/narrative.css").read_text()
    rule = css[css.index("form.part textarea[readonly] {"):]
    rule = rule[:rule.index("}")]
    assert "border: none" in rule and "resize: none" in rule and "background: transparent" in rule
    # A part whose text has a preview (figures filled in) shows the preview alone.
    assert "form.part:has(.preview:not(:empty)) textarea[readonly] { display: none; }" in css


def test_it_dates_the_explanation_when_the_report_was_sent(sign_in, seed_report, system):
    # A submission loaded from history (the demo's) is recorded now but was sent back then.
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from parstat.reporting.workflow import do_submit_report

    for code, number in (("VII.5.f", 100), ("III.4.c.2", 0)):
        indicator = seed_report.template.indicators.get(code=code)
        do_set_values(seed_report, [CellUpdate(indicator, CellValue(number=Decimal(number)))],
                      acting_user=system)
    sent = datetime(2023, 3, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    do_submit_report(seed_report, acting_user=system, explanation="Mục VII chỉ tính TTHC trực tuyến",
                     at=sent)
    html = sign_in("consolidator").get(
        reverse("web:report_detail", args=[seed_report.pk])).content.decode()
    assert ("<b>Giải trình của đơn vị</b> (system, 15/03/2023 09:30): "
            "Mục VII chỉ tính TTHC trực tuyến</p>") in warning_item(html, "R26")


def test_it_shows_an_explanation_that_explains_no_warning_apart(sign_in, seed_report, system,
                                                                 personas):
    from parstat.reporting.checks import evaluate_report

    received = seed_report.values.get(indicator__code="III.7.a").number
    for code, number in (("VII.5.f", Decimal(100)), ("III.4.c.2", Decimal(0)),
                         ("VII.5.d", received)):  # R26: the two counts of files agree
        indicator = seed_report.template.indicators.get(code=code)
        do_set_values(seed_report, [CellUpdate(indicator, CellValue(number=number))],
                      acting_user=system)
    seed_report.refresh_from_db()
    assert not evaluate_report(seed_report).findings
    approver = Actor(user=personas["approver"], source=Source.FORM, origin="tests")
    do_transition(seed_report, "submit", acting_user=approver, text="Số liệu đã đối chiếu")
    html = sign_in("consolidator").get(
        reverse("web:report_detail", args=[seed_report.pk])).content.decode()
    found = re.search(r'<p class="explanation" id="submit-explanation"><b>Giải trình khi gửi</b> '
                      r'\(approver, [0-9/: ]+\): Số liệu đã đối chiếu</p>', html)
    assert found, html[html.index('id="findings"'):][:1500]


def test_it_owes_the_periods_expected_py_expects(personas, seed_report):
    from parstat.analytics.expected import expected_unit_ids, lived_during
    from parstat.reporting.models import Period
    from parstat.units.models import OrgUnit

    for year in (2022, 2023, 2024, 2025, 2026):
        periods_of_year(year)
    units = list(OrgUnit.objects.filter(code__in=["ST-SKHDT", "DEMO-S01", "ST"]))
    for period in Period.objects.all():
        expected = set(expected_unit_ids([u.pk for u in units], period))
        owed = {u.pk for u in units if u.code != "ST" and lived_during(u, period)}
        assert owed == expected, period.code  # the province only consolidates: never expected
    owed = {i.period.code for i in due_for(personas["reporter"], today=date(2026, 12, 31))}
    assert "2025" in owed and "2025Q3" not in owed and "2022Q1" in owed


def test_it_reads_the_reporters_home_in_the_same_queries_however_many_periods_began(
        sign_in, seed_report):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = sign_in("reporter")
    counted = []
    for year in (2023, 2024, 2025):
        periods_of_year(year)
        client.get(reverse("web:home"))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("web:home")).status_code == 200
        counted.append(len(captured.captured_queries))
    assert counted[0] == counted[1] == counted[2], counted


@pytest.mark.parametrize("returned", [False, True])
def test_it_reads_the_reports_events_once_for_its_page(sign_in, submitted_report, personas,
                                                       returned):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from parstat.reporting.models import ReportEvent

    if returned:
        consolidator = Actor(user=personas["consolidator"], source=Source.FORM, origin="tests")
        do_transition(submitted_report, "return", acting_user=consolidator, text="Xem lại")
    client = sign_in("consolidator")
    url = reverse("web:report_detail", args=[submitted_report.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    table = ReportEvent._meta.db_table
    reads = [q for q in captured.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert len(reads) == 1, reads
    events = ReportEvent.objects.filter(report=submitted_report).count()
    assert page.context["history_count"] == submitted_report.value_changes.count() + events
