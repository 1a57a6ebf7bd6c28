"""The narrative page: who sees and writes it, saves as typed (statuses per refusal), the figure
preview, the submission with its number and date, the whole document downloaded."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from docx import Document

from parstat.narrative.models import NarrativeChange, NarrativeText
from parstat.narrative.outline import load_outline
from parstat.reporting.actions import CellUpdate, do_set_values
from parstat.reporting.values import CellValue

pytestmark = pytest.mark.django_db


@pytest.fixture
def outline(db):  # type: ignore[no-untyped-def]
    return load_outline()


def _page(report) -> str:  # type: ignore[no-untyped-def]
    return reverse("web:narrative", args=[report.pk])


def _save(client, report, key: str, text: str, version: int | str = ""):  # type: ignore[no-untyped-def]
    return client.post(reverse("web:narrative_save", args=[report.pk]),
                       {"key": key, "text": text, "version": version})


def test_it_shows_the_outline_with_its_guidance_and_a_figure_list(sign_in, seed_report, outline):
    page = sign_in("reporter").get(_page(seed_report)).content.decode()
    assert "I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH" in page
    assert "{{I.1.b}}/{{I.1.a}}" in page  # the guidance names figures as they are written
    assert '<option value="I.1.b">I.1.b — Số nhiệm vụ đã hoàn thành: 13</option>' in page
    assert 'id="text-II_1"' in page and 'id="text-I"' in page
    assert "DỰ THẢO" in page


def test_it_links_the_table_page_to_the_narrative(sign_in, seed_report):
    page = sign_in("reporter").get(reverse("web:report_detail", args=[seed_report.pk]))
    assert f'href="{_page(seed_report)}"' in page.content.decode()


def test_it_answers_404_outside_ones_units(sign_in, seed_report, outline):
    assert sign_in("outsider").get(_page(seed_report)).status_code == 404
    assert _save(sign_in("outsider"), seed_report, "I", "x").status_code == 404


def test_it_saves_a_part_as_typed_and_shows_its_figures(sign_in, seed_report, outline):
    response = _save(sign_in("reporter"), seed_report, "I", "Đạt {{I.1}} % kế hoạch.", 0)
    assert response.status_code == 200
    body = response.content.decode()
    assert "đã lưu" in body
    assert '<span class=\'figure\' title=\'I.1\'>32,5</span>' in body
    assert 'id="ver-I" name="version" value="1"' in body
    change = NarrativeChange.objects.get(report=seed_report)
    assert (change.actor, change.source, change.new_text) == ("reporter", "form",
                                                              "Đạt {{I.1}} % kế hoạch.")


def test_it_refuses_a_figure_not_in_the_table_with_422_and_keeps_nothing(sign_in, seed_report,
                                                                         outline):
    response = _save(sign_in("reporter"), seed_report, "I", "{{I.77}}", 0)
    assert response.status_code == 422
    assert "I.77" in response.content.decode()
    assert not NarrativeText.objects.exists()


def test_it_refuses_a_stale_part_with_409(sign_in, seed_report, outline):
    client = sign_in("reporter")
    assert _save(client, seed_report, "I", "Một.", 0).status_code == 200
    response = _save(client, seed_report, "I", "Hai.", 0)
    assert response.status_code == 409
    assert "Một." in response.content.decode()


def test_it_lets_a_viewer_read_but_not_write(sign_in, seed_report, outline):
    client = sign_in("viewer")
    page = client.get(_page(seed_report)).content.decode()
    assert "readonly" in page and 'id="figure-insert"' not in page
    assert _save(client, seed_report, "I", "x", 0).status_code == 403
    assert not NarrativeText.objects.exists()


def test_it_sends_the_report_with_its_number_and_date(sign_in, seed_report, outline, system):
    for code, number in (("VII.5.f", 100), ("III.4.c.2", 0)):  # the seed's two errors
        indicator = seed_report.template.indicators.get(code=code)
        do_set_values(seed_report, [CellUpdate(indicator, CellValue(number=Decimal(number)))],
                      acting_user=system)
    client = sign_in("approver")
    response = client.post(reverse("web:narrative_submit", args=[seed_report.pk]),
                           {"number": "82/BC-SKHĐT", "date": "2023-03-18",
                            "text": "Mục VII chỉ tính TTHC trực tuyến"})
    assert response.status_code == 302
    assert response["Location"] == _page(seed_report)
    seed_report.refresh_from_db()
    assert (seed_report.state, seed_report.document_number, seed_report.document_date) == (
        "submitted", "82/BC-SKHĐT", date(2023, 3, 18))


def test_it_refuses_the_reporter_sending(sign_in, seed_report, outline):
    response = sign_in("reporter").post(reverse("web:narrative_submit", args=[seed_report.pk]),
                                        {"number": "1/BC", "date": "2023-03-18"})
    assert response.status_code == 302
    seed_report.refresh_from_db()
    assert (seed_report.state, seed_report.document_number) == ("draft", "81/BC-SKHĐT")


def test_it_downloads_the_whole_report_as_word(sign_in, seed_report, outline):
    response = sign_in("viewer").get(reverse("web:narrative_download",
                                             args=[seed_report.pk, "docx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao_ST-SKHDT_2023Q1.docx"')
    lines = [p.text for p in Document(io.BytesIO(response.content)).paragraphs if p.text]
    assert "BÁO CÁO" in lines and "PHỤ LỤC 2" in lines
    assert sign_in("viewer").get(reverse("web:narrative_download",
                                         args=[seed_report.pk, "xlsx"])).status_code == 404
