"""The read-only pages of the reporting core."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parstat.reporting.actions import CellUpdate, do_set_values
from parstat.reporting.models import Report
from parstat.reporting.values import BLANK

pytestmark = pytest.mark.django_db


def test_it_lists_the_loaded_report(client, seed_report):
    page = client.get(reverse("web:report_list")).content.decode()
    assert "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng" in page and "2023Q1" in page
    assert "81/BC-SKHĐT" in page


def test_it_shows_the_report_as_its_table(client, seed_report):
    page = client.get(reverse("web:report_detail", args=[seed_report.pk])).content.decode()
    assert "1.327" in page and "32,5" in page  # Vietnamese numbers; I.1 derived
    assert "Giá trị tính từ công thức" in page
    assert "2 lỗi, 1 cảnh báo" in page
    assert "https://cchc.soctrang.gov.vn/" in page and "<a href=\"https://cchc" not in page


def test_it_shows_notes_as_text_never_as_markup(client, seed_report, system):
    indicator = seed_report.template.indicators.get(code="I.2")
    do_set_values(seed_report, [CellUpdate(indicator, BLANK, note="<script>alert(1)</script>")],
                  acting_user=system)
    page = client.get(reverse("web:report_detail", args=[seed_report.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_answers_404_for_a_report_that_does_not_exist(client, db):
    assert not Report.objects.filter(pk=999).exists()
    assert client.get(reverse("web:report_detail", args=[999])).status_code == 404
