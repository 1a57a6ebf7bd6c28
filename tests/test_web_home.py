"""Each role's home page: the reporter's periods due, the consolidator's and the administrator's
work queue, and a closed (merged) unit's history."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from parstat.reporting.models import Period
from parstat.reporting.periods import periods_of_year
from parstat.web.due import due_for
from parstat.web.queue import queue_periods, work_queue

pytestmark = pytest.mark.django_db


def counts(html: str) -> dict[str, int]:
    return {name: int(n) for name, n in re.findall(r'id="count-(\w+)">(\d+)<', html)}


def test_it_shows_the_consolidator_the_reports_waiting_for_a_decision(sign_in, submitted_report):
    html = sign_in("consolidator").get(reverse("web:home")).content.decode()
    assert counts(html)["waiting"] == 1
    assert reverse("web:report_detail", args=[submitted_report.pk]) in html
    assert "Xem và quyết định" in html


def test_it_lists_the_report_with_errors_as_a_finding_to_look_at(sign_in, seed_report):
    html = sign_in("consolidator").get(reverse("web:home")).content.decode()
    assert counts(html)["waiting"] == 0 and counts(html)["flagged"] == 1
    assert reverse("web:report_detail", args=[seed_report.pk]) + "#findings" in html
    assert "2 lỗi" in html


def test_it_shows_the_administrator_the_same_queue_without_deciding(sign_in, personas,
                                                                    submitted_report):
    html = sign_in("admin").get(reverse("web:home")).content.decode()
    assert counts(html)["waiting"] == 1
    assert "Quản trị viên chỉ theo dõi" in html
    assert "Xem và quyết định" not in html  # the link says what the administrator can do
    assert work_queue(personas["admin"]).may_decide is False


def test_it_leaves_out_of_the_queue_what_another_province_sent(sign_in, submitted_report):
    html = sign_in("outsider").get(reverse("web:home")).content.decode()
    assert counts(html)["waiting"] == 0


def test_it_gives_a_reporter_no_queue(sign_in, seed_report):
    html = sign_in("reporter").get(reverse("web:home")).content.decode()
    assert counts(html) == {}


def test_it_counts_expected_units_without_a_received_report_as_late_after_the_deadline(
        personas, seed_report):
    # 20 March 2023: the first quarter is past its deadline, the half-year is coming.
    queue = work_queue(personas["consolidator"], today=date(2023, 3, 20))
    assert queue_periods(date(2023, 3, 20))[0].code == "2023Q1"
    late = {(m.unit.code, m.period.code) for m in queue.late}
    assert ("ST-SKHDT", "2023Q1") in late  # its report is a draft: not received
    assert all(m.period.code == "2023Q1" for m in queue.late)
    seed_row = next(m for m in queue.missing if m.unit.code == "ST-SKHDT"
                    and m.period.code == "2023Q1")
    assert seed_row.report == seed_report


def test_it_does_not_expect_a_unit_that_closed_before_the_period(personas):
    queue = work_queue(personas["consolidator"], today=date(2026, 12, 2))
    assert "ST-SKHDT" not in {m.unit.code for m in queue.missing}


def test_it_tells_a_reporter_of_a_merged_unit_its_successor_and_recent_reports(
        sign_in, seed_report):
    html = sign_in("reporter").get(reverse("web:home")).content.decode()
    assert ("đơn vị đã sáp nhập vào Sở Tài chính tỉnh Sóc Trăng "
            "(nay là Sở Tài chính thành phố Cần Thơ)") in html
    assert reverse("web:report_detail", args=[seed_report.pk]) in html
    assert "Quý I/2023" in html


def test_it_asks_a_closed_unit_for_a_period_it_lived_in_only_partly(personas):
    # The seed's department closed on 16 February 2025, inside the first quarter's window
    # (15/12/2024 → 14/3/2025): it still owes that quarter, and nothing after it.
    periods_of_year(2025)
    periods = {item.period.code for item in due_for(personas["reporter"], today=date(2026, 12, 2))}
    assert {"2025Q1", "2025S1", "2025"} <= periods and "2025Q3" not in periods
    assert Period.objects.filter(code="2025Q3").exists()


def test_it_offers_report_filters_as_names_not_codes(sign_in, seed_report):
    html = sign_in("consolidator").get(reverse("web:report_list")).content.decode()
    assert '<option value="2023Q1">Quý I/2023</option>' in html
    assert '<option value="ST-SKHDT">Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng</option>' in html
    assert 'class="option-search" data-select="unit-filter"' in html


def test_it_filters_the_report_list_by_the_chosen_period_and_unit(sign_in, seed_report):
    client = sign_in("consolidator")
    found = client.get(reverse("web:report_list"), {"period": "2023Q1", "unit": "ST-SKHDT"})
    assert found.status_code == 200
    assert reverse("web:report_detail", args=[seed_report.pk]) in found.content.decode()
    none = client.get(reverse("web:report_list"), {"period": "2023S1", "unit": "ST-SKHDT"})
    assert reverse("web:report_detail", args=[seed_report.pk]) not in none.content.decode()


def test_it_offers_no_unit_another_province_cannot_see(sign_in, seed_report):
    html = sign_in("outsider").get(reverse("web:report_list")).content.decode()
    assert "ST-SKHDT" not in html


def test_it_keeps_a_closed_units_older_report_in_view_beside_newer_drafts(personas, seed_report,
                                                                         system):
    from parstat.catalog.editions import template_for
    from parstat.reporting.actions import get_or_create_report
    from parstat.web.due import closed_units

    periods_of_year(2024)
    unit = seed_report.unit
    for period in Period.objects.filter(year=2024):
        get_or_create_report(unit, template_for(unit, period), period, acting_user=system)
    [closed] = closed_units(personas["reporter"], today=date(2026, 12, 2))
    assert len(closed.recent) == 5 and closed.recent[-1] == seed_report


def test_it_shows_a_viewer_the_provinces_queue_to_watch(sign_in, personas, submitted_report):
    # A province's leader (a viewer there) reads what the office receives, without deciding.
    html = sign_in("viewer").get(reverse("web:home")).content.decode()
    assert counts(html)["waiting"] == 1
    assert reverse("web:report_detail", args=[submitted_report.pk]) in html
    assert "Anh/chị theo dõi" in html and "Xem và quyết định" not in html
    assert work_queue(personas["viewer"]).may_decide is False
