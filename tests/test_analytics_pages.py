"""The analytics pages: signed-in only, each user's subtree only, every download through exports."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.templatetags.static import static

from parstat.accounts.models import Membership, Role
from parstat.reporting.models import Report
from parstat.reporting.periods import ensure_period
from parstat.reporting.workflow import do_submit_report
from parstat.units.models import OrgUnit
from tests.consolidation_data import ACTOR, file_report, province_a, province_b

PAGES = ("consolidated", "completeness", "series", "quality", "pivot")


@pytest.fixture
def provinces(template):  # type: ignore[no-untyped-def]
    return province_a(template), province_b(template)


def _user(name: str, unit, role: str):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user(name, password="pw-" + name)
    Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def an(provinces, client):  # type: ignore[no-untyped-def]
    """Chị An, consolidator of the home-affairs office of province A (signed in)."""
    client.force_login(_user("an", provinces[0], Role.CONSOLIDATOR))
    return client


def _url(name: str, **query: str) -> str:
    """A page's address; province A's reports are drafts, so a unit's page counts them all
    unless the test names another scope (scope="" leaves the page's default)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    if query:
        query.setdefault("scope", "all")
    query = {k: v for k, v in query.items() if v != "" or k != "scope"}
    return reverse(f"analytics:{name}") + ("?" + urlencode(query) if query else "")


@pytest.mark.parametrize("page", PAGES)
def test_it_asks_for_sign_in_first(db, client, page):
    response = client.get(_url(page))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("page", PAGES)
def test_it_shows_each_page_to_a_consolidator(an, page):
    response = an.get(_url(page, unit="A", period="2024Q1"))
    assert response.status_code == 200
    assert "A-S1" in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_it_never_shows_another_provinces_units(an, page):
    body = an.get(_url(page, unit="A", period="2024Q1")).content.decode()
    assert "B-S1" not in body and "777" not in body
    assert an.get(_url(page, unit="B", period="2024Q1")).status_code == 404
    assert an.get(_url(page, unit="B-S1", period="2024Q1")).status_code == 404


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx", "docx", "pdf", "adx", "sdmx"])
def test_it_refuses_downloads_of_another_province(an, fmt):
    for unit in ("B", "B-S1"):
        for consolidated in ("1", ""):
            url = _url("download", unit=unit, period="2024Q1", format=fmt,
                       consolidated=consolidated)
            assert an.get(url).status_code == 404


def test_it_downloads_the_consolidated_json_through_the_export_code(an):
    response = an.get(_url("download", unit="A", period="2024Q1", format="json",
                           consolidated="1", by_unit="1"))
    data = json.loads(response.content)
    rows = {r["code"]: r for r in data["indicators"]}
    assert (rows["I.1.a"]["value"], rows["I.1.a"]["units"]) == (100, 3)
    assert set(rows["I.1.a"]["by_unit"]) == {"A-S1", "A-S2", "A-S3"}
    assert response["Content-Disposition"].startswith("inline; filename=\"A_2024Q1_tong-hop")


def test_it_downloads_a_units_own_report(an):
    response = an.get(_url("download", unit="A-S1", period="2024Q1", format="csv"))
    assert response.status_code == 200
    assert "I.1.a" in response.content.decode()


def test_it_downloads_the_pivot_as_xlsx_and_csv(an):
    xlsx = an.get(_url("pivot", unit="A", period="2024Q1", section="I", format="xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    # Title, unit and period, scope, the provisional and demo marks, then the header.
    headers = {c.value for row in sheet.iter_rows(max_row=9) for c in row}
    assert {"A-S1", "A-S2", "A-S3"} <= headers and "B-S1" not in headers
    text = an.get(_url("pivot", unit="A", period="2024Q1", section="I", format="csv"))
    rows = list(csv.reader(io.StringIO(text.content.decode())))
    assert rows[0] == ["code", "label", "unit", "A-S1", "A-S2", "A-S3"]
    assert all(r[0].startswith("I.") for r in rows[1:])


def test_it_pivots_over_periods(an):
    body = an.get(_url("pivot", unit="A", period="2024Q1", by="periods")).content.decode()
    assert "<th>2024Q1</th>" in body


def test_it_draws_the_series_with_the_local_chart_library_and_the_numbers(an):
    body = an.get(_url("series", unit="A", period="2024Q1", indicator="I.1.a")).content.decode()
    assert static("vendor/chart-4.6.1.umd.min.js") in body  # hashed once collected
    # Nothing loaded from elsewhere (a random CSRF token may well contain the letters "cdn").
    assert re.search(r'(?:src|href)="(?:https?:)?//', body) is None
    assert '"values": [100.0]' in body  # the number the chart draws is also in the table
    assert '<td class="num">100</td>' in body


def test_it_lists_missing_reports_with_contacts(an):
    body = an.get(_url("completeness", unit="A", period="2024Q1")).content.decode()
    assert "Văn thư A-S3" in body and "Đang soạn, chưa gửi" in body


def test_it_lets_a_reporter_see_only_their_own_unit(provinces, client):
    from parstat.units.models import OrgUnit

    client.force_login(_user("binh", OrgUnit.objects.get(code="A-S2"), Role.REPORTER))
    body = client.get(_url("consolidated", period="2024Q1")).content.decode()
    assert "A-S2" in body and "A-S1" not in body
    assert client.get(_url("consolidated", unit="A", period="2024Q1")).status_code == 404


def test_it_opens_the_analysis_on_an_indicator_with_values(an):
    # I.1 (the first row) is a formula row nobody stores: the page opens on I.1.a instead.
    body = an.get(_url("series", unit="A", period="2024Q1")).content.decode()
    assert "<h1>I.1.a Số nhiệm vụ đề ra trong kế hoạch</h1>" in body
    assert 'id="series-chart"' in body and "no-chart" not in body


def test_it_says_why_it_draws_no_chart_for_an_indicator_blank_everywhere(an):
    body = an.get(_url("series", unit="A", period="2024Q1", indicator="I.2.a")).content.decode()
    assert 'id="series-chart"' not in body and 'id="ranking-chart"' not in body
    assert "Không vẽ biểu đồ chuỗi thời gian: chưa kỳ nào có số liệu" in body
    assert "Không vẽ biểu đồ xếp hạng: chưa đơn vị nào có số liệu của chỉ tiêu này cho Quý I/2024" in body


def test_it_names_aggregations_periods_and_units_in_words(an):
    from parstat.units.models import OrgUnit

    body = an.get(_url("series", unit="A", period="2024Q1", indicator="I.1.a")).content.decode()
    assert "cách tổng hợp: Cộng." in body
    chart = json.loads(body.split('id="chart-data" type="application/json">')[1].split("</script>")[0])
    assert "<td>Quý I/2024</td>" in body and chart["labels"] == ["Quý I/2024"]
    name = OrgUnit.objects.get(code="A-S1").name
    assert f"<td>{name}</td>" in body and "<td>A-S1</td>" not in body
    assert name in chart["ranking_labels"] and "A-S1" not in chart["ranking_labels"]
    assert '<option value="2024Q1" selected>Quý I/2024</option>' in body


def _quality(client, **query: str) -> str:  # type: ignore[no-untyped-def]
    return client.get(_url("quality", unit="ST", period="2023Q1", **query)).content.decode()


def test_it_links_each_finding_to_its_row_in_the_report(sign_in, seed_report):
    body = _quality(sign_in("consolidator"))
    assert "Kết quả kiểm tra (3)" in body
    assert f'href="/reports/{seed_report.pk}/#row-III_4_c"' in body
    assert f'href="/reports/{seed_report.pk}/#row-VII_5_f"' in body


@pytest.mark.parametrize(("query", "count"), [
    ({"severity": "error"}, 2), ({"severity": "warning"}, 1), ({"section": "VII"}, 2),
    ({"section": "I"}, 0), ({"of": "ST-SKHDT"}, 3), ({"of": "ST-STC"}, 0),
    ({"of": "ST-SKHDT", "severity": "error", "section": "III"}, 2)])
def test_it_filters_findings_by_unit_section_and_severity(sign_in, seed_report, query, count):
    assert f"Kết quả kiểm tra ({count})" in _quality(sign_in("consolidator"), **query)


def test_it_pages_the_findings_keeping_the_filters_and_the_outliers_page(sign_in, seed_report,
                                                                          monkeypatch):
    monkeypatch.setattr("parstat.analytics.views.FINDINGS_PER_PAGE", 2)
    client = sign_in("consolidator")
    first = _quality(client, page="1")
    assert "Kết quả kiểm tra (3)" in first  # the count is of all of them, not of the page
    assert first.count('<tr><td>Sở Kế hoạch và Đầu tư') == 2
    assert 'id="finding-pager"' in first and "Trang 1/2" in first
    assert "&amp;page=1&amp;" in first and "fpage=2#findings" in first  # outliers page kept
    second = _quality(client, fpage="2")
    assert second.count('<tr><td>Sở Kế hoạch và Đầu tư') == 1
    assert 'rel="prev"' in second


def test_it_shows_a_list_rows_first_texts_and_how_many_more(an, monkeypatch):
    monkeypatch.setattr("parstat.analytics.views.LISTED_ON_PAGE", 1)
    body = an.get(_url("consolidated", unit="A", period="2024Q1")).content.decode()
    row = re.search(r'<td class="num">((?:<div>A-S\d: [^<]*</div>)+)'
                    r'(<div class="listed-more">[^<]*</div>)?</td>', body)
    assert row is not None
    assert row.group(1).count("<div>") == 1  # one text on the page
    assert row.group(2) == '<div class="listed-more">… và 1 đơn vị khác (có đủ trong tệp tải về)</div>'


def test_it_lists_only_consolidating_units_in_a_long_picker(an, monkeypatch):
    monkeypatch.setattr("parstat.analytics.views.PICKER_ALL", 1)
    body = an.get(_url("consolidated", unit="A", period="2024Q1")).content.decode()
    assert re.findall(r'<option value="(A[\w-]*)"', body) == ["A"]
    # A unit left out of the picker is still asked by its code, and is then listed.
    leaf = an.get(_url("completeness", unit="A-S1", period="2024Q1"))
    assert leaf.status_code == 200
    assert re.findall(r'<option value="(A[\w-]*)"', leaf.content.decode()) == ["A", "A-S1"]


def test_it_opens_a_begun_period_nobody_has_filed_in_yet(an):
    # Deadline day: the office looks before the first report of the quarter comes in.
    ensure_period("2024S1")
    table = an.get(_url("consolidated", unit="A", period="2024S1"))
    assert table.status_code == 200
    assert '<option value="2024S1" selected>' in table.content.decode()
    missing = an.get(_url("completeness", unit="A", period="2024S1"))
    assert missing.status_code == 200
    body = missing.content.decode()
    assert all(code in body for code in ("A-S1", "A-S2", "A-S3"))  # all three still owe it
    assert an.get(_url("quality", unit="A", period="2024S1")).status_code == 200


def test_it_opens_on_the_newest_period_with_a_received_report(an, template):
    ensure_period("2024")  # begun, nobody filed: offered, not opened on
    file_report(template, OrgUnit.objects.get(code="A-S1"), "2024S1", {"I.1.a": 3})  # a draft
    body = an.get(_url("consolidated")).content.decode()
    assert '<option value="2024">' in body
    assert '<option value="2024S1" selected>' in body  # no report received: the newest filed
    do_submit_report(Report.objects.get(unit__code="A-S2", period__code="2024Q1"),
                     acting_user=ACTOR, explanation="đã rà soát")
    assert '<option value="2024Q1" selected>' in an.get(_url("consolidated")).content.decode()


def test_its_findings_count_the_reports_of_the_scope_asked(sign_in, seed_report):
    # The seed report is a draft: its findings are not among the accepted reports'.
    client = sign_in("consolidator")
    assert "Kết quả kiểm tra (3)" in _quality(client, scope="all")
    assert "Kết quả kiểm tra (0)" in _quality(client, scope="accepted")
    # Each finding says the state of the report it comes from.
    assert '<small class="state state-draft">Đang soạn</small>' in _quality(client, scope="all")


def test_the_demo_province_leader_reads_the_provinces_reports_and_totals(seed_report, personas,
                                                                       client):
    from parstat.accounts.users import ensure_demo_accounts

    ensure_demo_accounts("ST-SKHDT", "DEMO", "ST")
    client.force_login(get_user_model().objects.get(username="demo-leader"))
    table = client.get(_url("consolidated", unit="ST", period="2023Q1"))
    assert table.status_code == 200
    assert "Sở Kế hoạch và Đầu tư" in table.content.decode()  # the unit below, counted
    assert f'href="/reports/{seed_report.pk}/"' in client.get("/reports/").content.decode()
