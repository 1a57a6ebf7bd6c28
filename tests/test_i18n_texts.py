"""Texts made in Python (history lines, refusals, findings) said in the reader's language.

The audit rows keep data; the words around them are made when a page shows them, so an English
reader gets English words around the same values, notes and reasons, and a Vietnamese reader the
Vietnamese ones. Some English wordings below are the translations the lead adds to the .po
(listed in the i18n report): until then those tests fail, showing the Vietnamese msgid.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from parstat.audit import Source
from parstat.reporting.actions import Actor, CellUpdate, do_set_values
from parstat.reporting.values import CellValue
from parstat.reporting.workflow import do_transition
from tests.test_api_helpers import *  # noqa: F403 (fixtures)

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def changed_and_sent(seed_report, system, personas):  # type: ignore[no-untyped-def]
    """The seed with a value cleared, a note written and its errors corrected, then sent after
    its deadline (2023Q1's) with an explanation of its warnings."""
    indicators = {i.code: i for i in seed_report.template.indicators.all()}
    do_set_values(seed_report, [
        CellUpdate(indicators["VII.5.f"], CellValue(number=Decimal(100))),
        CellUpdate(indicators["III.4.c.2"], CellValue(number=Decimal(0))),
        CellUpdate(indicators["I.1.a"], CellValue(), note="Kế hoạch số 06/KH-SKHĐT"),
    ], acting_user=system)
    approver = Actor(user=personas["approver"], source=Source.FORM, origin="tests")
    return do_transition(seed_report, "submit", acting_user=approver,
                         text="Số hồ sơ mục VII chỉ tính TTHC trực tuyến").report


def history_page(client, report, **headers):  # type: ignore[no-untyped-def]
    url = reverse("web:report_history", args=[report.pk])
    return client.get(url, HTTP_HX_REQUEST="true", **headers).content.decode()


def test_it_says_a_cleared_value_and_a_note_in_english_on_the_history(sign_in, changed_and_sent):
    page = history_page(sign_in("reporter"), changed_and_sent, **EN)
    assert ("<td>I.1.a: «40» → «blank»; note «Kế hoạch số 06/KH-SKHĐT ngày 16/01/2023» → "
            "«Kế hoạch số 06/KH-SKHĐT»</td>") in page
    assert "trống" not in page and "ghi chú" not in page


def test_it_says_an_explained_late_submission_in_english_on_the_history(sign_in,
                                                                       changed_and_sent):
    page = history_page(sign_in("reporter"), changed_and_sent, **EN)
    assert ("<td>Submit report (explanation of warnings: Số hồ sơ mục VII chỉ tính TTHC trực "
            "tuyến) — late</td>") in page
    assert "giải trình cảnh báo" not in page and "trễ hạn" not in page


def test_it_keeps_the_history_in_vietnamese_for_a_vietnamese_reader(sign_in, changed_and_sent):
    page = history_page(sign_in("reporter"), changed_and_sent)
    assert ("<td>I.1.a: «40» → «trống»; ghi chú «Kế hoạch số 06/KH-SKHĐT ngày 16/01/2023» → "
            "«Kế hoạch số 06/KH-SKHĐT»</td>") in page
    assert ("<td>Gửi báo cáo (giải trình cảnh báo: Số hồ sơ mục VII chỉ tính TTHC trực tuyến)"
            " — trễ hạn</td>") in page
    assert "blank" not in page and "late" not in page


def test_it_says_a_refused_stale_write_in_each_language(seed_report, system):
    from parstat.reporting.actions import stale_error

    seen = seed_report.version
    i_1_a = seed_report.template.indicators.get(code="I.1.a")
    do_set_values(seed_report, [CellUpdate(i_1_a, CellValue())], acting_user=system)
    seed_report.refresh_from_db()
    error = stale_error(seed_report, seen)
    assert error.message == (
        f"Báo cáo đã được system thay đổi trong lúc anh/chị sửa (phiên bản {seen} → "
        f"{seen + 1}): I.1.a: «40» → «trống». Xem các thay đổi đó, rồi giữ số liệu đã lưu hoặc "
        "lưu lại số của anh/chị.")
    assert f"(version {seen} → {seen + 1}): I.1.a: «40» → «blank»." in error.message_en
    assert "trống" not in error.message_en


def test_it_says_who_changed_a_report_when_no_value_says_it_in_each_language(seed_report,
                                                                            system):
    from parstat.reporting.actions import do_set_document, stale_error

    seen = seed_report.version
    do_set_document(seed_report, number="82/BC-SKHĐT", issued_on=None, issuer="SKHĐT",
                    acting_user=system)
    seed_report.refresh_from_db()
    error = stale_error(seed_report, seen)
    assert error.message.startswith("Báo cáo đã được người khác thay đổi trong lúc")
    assert ": trạng thái hoặc thông tin văn bản." in error.message
    assert error.message_en.startswith("someone else changed the report while you were")
    assert ": its state or document details." in error.message_en


@pytest.fixture
def mistyped_rate(seed_report, system):  # type: ignore[no-untyped-def]
    """The seed with its rate I.1 typed as 50 where its formula gives 13 / 40 × 100 = 32,5."""
    i_1 = seed_report.template.indicators.get(code="I.1")
    do_set_values(seed_report, [CellUpdate(i_1, CellValue(number=Decimal(50)))],
                  acting_user=system)
    seed_report.refresh_from_db()
    return seed_report


def test_it_says_a_formula_finding_in_the_readers_language(sign_in, mistyped_rate):
    client = sign_in("reporter")
    url = reverse("web:report_detail", args=[mistyped_rate.pk])
    en, vi = client.get(url, **EN).content.decode(), client.get(url).content.decode()
    assert "I.1 = 50, but 13 / 40 × 100 = 32,5" in en and "50, nhưng 13" not in en
    assert "I.1 = 50, nhưng 13 / 40 × 100 = 32,5" in vi and ", but " not in vi


def test_it_stores_a_formula_finding_as_data_and_vietnamese_never_english(mistyped_rate):
    stored = [f for f in mistyped_rate.findings if f["rule"] == "formula:I.1"]
    assert stored == [{"rule": "formula:I.1", "severity": "error",
                       "message": "I.1 = 50, nhưng 13 / 40 × 100 = 32,5", "codes": ["I.1"],
                       "text": "formula",
                       "params": {"code": "I.1", "typed": "50", "formula": "13 / 40 × 100",
                                  "result": "32,5"},
                       "left": "50", "right": "32.5"}]


def test_it_gives_a_formula_finding_in_both_languages_in_the_api(api, mistyped_rate):
    body = api["reporter"].get(f"/reports/{mistyped_rate.pk}").json()
    found = [f for f in body["findings"] if f["rule"] == "formula:I.1"]
    assert found == [{"rule": "formula:I.1", "severity": "error",
                      "message": "I.1 = 50, nhưng 13 / 40 × 100 = 32,5",
                      "message_en": "I.1 = 50, but 13 / 40 × 100 = 32,5", "codes": ["I.1"]}]


def test_it_says_a_rates_spread_in_the_readers_language_but_keeps_documents_vietnamese():
    from django.utils import translation

    from parstat.analytics.consolidation import spread_said, spread_text

    spread = (Decimal("32.5"), Decimal(10), Decimal(50))
    with translation.override("en"):
        assert spread_said(*spread) == "Mean 32,5 (lowest 10, highest 50)"
        assert spread_text(*spread) == "Trung bình 32,5 (thấp nhất 10, cao nhất 50)"
    assert spread_said(*spread) == "Trung bình 32,5 (thấp nhất 10, cao nhất 50)"


def test_it_says_a_kind_finding_in_the_readers_language(template):
    from django.utils import translation

    from parstat.rules.evaluate import all_findings, compile_template, derive_and_compute

    compiled = compile_template(template)
    values = {"I.1.a": Decimal(40), "I.1.b": Decimal(13), "I.1": Decimal(150)}
    derived, computed = derive_and_compute(compiled, values)
    [kind] = [f for f in all_findings(compiled, values, derived, computed)
              if f.rule == "kind:I.1"]
    label = template.indicators.get(code="I.1").label
    assert kind.message == f"Chỉ tiêu I.1 ({label}): tỷ lệ 150% nằm ngoài khoảng 0–100."
    assert kind.localized == kind.message  # Vietnamese outside any English request
    with translation.override("en"):
        assert kind.localized == f"Indicator I.1 ({label}): the rate 150% is outside 0–100."


def test_it_labels_the_documents_own_parts_in_the_readers_language(sign_in, seed_report):
    client = sign_in("reporter")
    url = reverse("web:narrative", args=[seed_report.pk])
    en, vi = client.get(url, **EN).content.decode(), client.get(url).content.decode()
    for vietnamese, english in (("Trích yếu (dòng dưới tiêu đề)", "Summary (the line under the title)"),
                                ("Chức vụ người ký", "Title of the signer"),
                                ("Họ và tên người ký", "Full name of the signer")):
        assert f'class="heading">{vietnamese}</label>' in vi
        assert f'class="heading">{english}</label>' in en and vietnamese not in en
