"""The province's narrative page: the consolidator reads the units' texts side by side and writes
the province's; a viewer reads; anyone outside the province gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parstat.narrative.actions import do_set_narrative
from parstat.narrative.models import ConsolidatedNarrative
from parstat.narrative.outline import load_outline

pytestmark = pytest.mark.django_db
URL = reverse("web:province_narrative", args=["2023Q1", "ST"]) + "?scope=all"
SAVE = reverse("web:province_narrative_save", args=["2023Q1", "ST"])


@pytest.fixture
def written(seed_report, system):  # type: ignore[no-untyped-def]
    load_outline()
    do_set_narrative(seed_report, "I", "Hoàn thành {{I.1.b}}/{{I.1.a}} nhiệm vụ.",
                     acting_user=system)
    return seed_report


def test_it_shows_the_units_texts_and_the_consolidated_figures(sign_in, written):
    page = sign_in("consolidator").get(URL).content.decode()
    assert "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng" in page
    assert "<p>Hoàn thành 13/40 nhiệm vụ.</p>" in page
    assert '<td>I.1.a</td><td>Số nhiệm vụ đề ra trong kế hoạch</td><td class="num">40</td>' in page
    assert 'id="start-draft"' in page


def test_it_links_the_unit_narrative_to_the_province_page_for_its_consolidator(sign_in, written):
    page = sign_in("consolidator").get(reverse("web:narrative", args=[written.pk])).content
    assert 'id="province-link"' in page.decode()
    page = sign_in("reporter").get(reverse("web:narrative", args=[written.pk])).content
    assert 'id="province-link"' not in page.decode()


def test_it_answers_404_outside_the_province(sign_in, written):
    assert sign_in("outsider").get(URL).status_code == 404
    assert sign_in("reporter").get(URL).status_code == 404
    assert sign_in("outsider").post(SAVE, {"key": "I", "text": "x"}).status_code == 404


def test_it_saves_the_consolidators_text_and_refuses_the_viewers(sign_in, written):
    viewer = sign_in("viewer")
    assert "readonly" in viewer.get(URL).content.decode()
    assert viewer.post(SAVE, {"key": "I", "text": "x", "version": "0"}).status_code == 403
    response = sign_in("consolidator").post(SAVE, {"key": "I", "version": "0", "scope": "all",
                                                   "text": "Toàn tỉnh: {{I.1.b}} nhiệm vụ."})
    assert response.status_code == 200
    assert "<span class='figure' title='I.1.b'>13</span>" in response.content.decode()
    stored = ConsolidatedNarrative.objects.get(unit__code="ST", key="I")
    assert stored.text == "Toàn tỉnh: {{I.1.b}} nhiệm vụ."


def test_it_starts_the_draft_from_the_units_texts(sign_in, written):
    response = sign_in("consolidator").post(
        reverse("web:province_narrative_start", args=["2023Q1", "ST"]), {"scope": "all"})
    assert response.status_code == 302
    stored = ConsolidatedNarrative.objects.get(unit__code="ST", key="I")
    assert stored.text == "Sở Kế hoạch và Đầu tư tỉnh Sóc Trăng: Hoàn thành 13/40 nhiệm vụ."
