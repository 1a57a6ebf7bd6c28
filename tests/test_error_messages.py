"""Every user error is a gettext string keyed by its code; its parameters' words follow it.

The Vietnamese text is the msgid and the code its context (``parstat.errors.MESSAGES``); the
English lives in the compiled catalogue. A reason, a document fact, an action or a report state
is passed as a code and said in the message's own language, so an English message carries no
Vietnamese fragment except the data it quotes (labels, unit names, file names in «…»).
"""

from __future__ import annotations

import gettext
import re
import string
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from parstat.api.errors import validation_errors
from parstat.errors import IN_INDICATOR, MESSAGES, TERMS, ParstatError
from parstat.reporting.models import ReportState
from parstat.units.models import UnitKind
from tests.test_api_helpers import *  # noqa: F403 (fixtures)
from tests.test_api_helpers import ApiClient

pytestmark = pytest.mark.django_db

COMPILED = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.mo"
VIETNAMESE = re.compile(r"[À-ỹĐđ]")
QUOTED = re.compile(r"«[^»]*»")


def _vietnamese_outside_quotes(text: str) -> list[str]:
    return VIETNAMESE.findall(QUOTED.sub("", text))


def _fields(text: str) -> list[str]:
    return sorted(name for _lit, name, _spec, _conv in string.Formatter().parse(text)
                  if name is not None)


def _english_catalogue() -> gettext.GNUTranslations:
    with COMPILED.open("rb") as mo:
        return gettext.GNUTranslations(mo)


@pytest.mark.parametrize("table", [MESSAGES, TERMS, IN_INDICATOR],
                         ids=["MESSAGES", "TERMS", "IN_INDICATOR"])
def test_every_message_and_term_has_an_english_translation_with_its_placeholders(table):
    english = _english_catalogue()
    for code, lazy in table.items():
        context, vietnamese = lazy._args  # type: ignore[attr-defined]  # pgettext_lazy(code, vi)
        assert context == code
        translated = english._catalog.get(f"{code}\x04{vietnamese}")  # type: ignore[attr-defined]
        assert translated, f"{code} has no English in django.mo"
        assert _fields(translated) == _fields(vietnamese), code
        with translation.override("en"):
            assert str(lazy) == translated


def test_messages_and_terms_keep_their_codes_apart():
    assert not set(MESSAGES) & set(TERMS)
    assert {code.split(".")[0] for code in TERMS} == {"action", "attribute", "reason", "where"}


def test_an_unknown_code_is_refused():
    with pytest.raises(KeyError):
        ParstatError("no.such_code")


@pytest.mark.parametrize("code, params", [
    ("import.confirm_invalid", {"code": "I.1.a", "reason": "confirm.taken"}),
    ("import.unit_unknown", {"name": "a.docx", "reason": "unit.no_match"}),
    ("import.zip_bomb", {"name": "a.docx", "reason": "zip.ratio", "member": "word/document.xml",
                         "ratio": 900, "limit": 100}),
    ("import.corrupt", {"name": "a.docx", "reason": "corrupt.no_main_part"}),
    ("document.field_too_long", {"attribute": "issuer", "limit": 300, "text": "Ủy ban…"}),
    ("users.disagreeing_rows", {"username": "lan", "attribute": "full_name", "first": 2}),
    ("permission.denied", {"action": "reopen"}),
    ("report.locked", {"unit": "ST", "period": "2023Q1", "state": ReportState.SUBMITTED}),
    ("unit.no_template", {"code": "ST-X", "kind": UnitKind.DISTRICT}),
    ("value.not_applicable", {"code": "I.1", "label": "Tasks", "kind": UnitKind.COMMUNE}),
])
def test_a_reason_carrying_error_says_its_reason_in_each_language(code, params):
    error = ParstatError(code, **params)
    assert _vietnamese_outside_quotes(error.message_en) == [], error.message_en
    assert f"{params.get('reason')}" not in error.message + error.message_en  # said, not its code
    assert error.message != error.message_en
    with translation.override("en"):
        assert error.localized == error.message_en == str(error.in_language("en"))
    assert error.localized == error.message == str(error)  # Vietnamese outside a request


def test_a_reason_term_takes_the_errors_other_parameters():
    error = ParstatError("import.zip_bomb", name="a.xlsx", reason="zip.total", total_mb="520,0",
                         limit_mb="500,0")
    assert "tổng dung lượng giải nén 520,0 MB, giới hạn 500,0 MB" in error.message
    assert "520,0 MB unpacked in all, over the limit of 500,0 MB" in error.message_en


def test_free_text_reasons_are_data_and_shown_as_they_are():
    error = ParstatError("push.refused", url="https://x", status=500, reason="confirm.taken!")
    assert error.message_en.endswith("confirm.taken!")


def test_the_words_of_a_validation_error_are_codes():
    [item] = validation_errors([{"loc": ("query", "limit"), "type": "greater_than_equal",
                                 "ctx": {"ge": 1}}])
    assert item.error.params == {"field": "limit", "reason": "api.ge", "ge": "1"}
    assert item.error.message == "Trường limit: phải lớn hơn hoặc bằng 1."
    assert item.error.message_en == "Field limit: must be at least 1."
    [odd] = validation_errors([{"loc": ("body", "payload", "x"), "type": "something_new"}])
    assert odd.error.message_en == "Field x: is not valid."


def test_an_english_api_error_carries_no_vietnamese_fragment(api, seed_report):
    english = ApiClient(None, "en")
    english.headers["Authorization"] = api["reporter"].headers["Authorization"]
    cases = [
        {"values": [{"indicator": "I.1.a", "value": "1"}]},
        {"version": 1, "values": []},
        {"version": 1, "values": [{"indicator": "I.1.a", "value": {"x": 1}}]},
        {"version": 1, "values": [{"indicator": "I.1.a", "valeu": 1}]},
        {"version": 1, "values": [{"indicator": "I.1.a", "value": "4\x000"}]},
        {"version": 1, "values": [{"indicator": "I 1 a", "value": "1"}]},
    ]
    for body in cases:
        answer = english.post(f"/reports/{seed_report.pk}/values", body).json()
        assert answer["code"] in ("api.invalid", "api.invalid_many"), answer
        for item in [answer, *answer["errors"]]:
            assert item["message"].isascii(), item
    vietnamese = api["reporter"].post(f"/reports/{seed_report.pk}/values", cases[0]).json()
    assert vietnamese["message"] == "Trường version: thiếu giá trị bắt buộc."


@pytest.mark.parametrize("header, language", [
    ("en", "en"), ("en-GB,en;q=0.9", "en"), ("fr, en;q=0.8, vi;q=0.5", "en"),
    ("vi-VN, en;q=0.8", "vi"), ("de", "vi"), ("", "vi"),
])
def test_the_api_chooses_the_language_the_way_django_does(api, header, language):
    client = ApiClient(None, header or None)
    answer = client.get("/reports").json()
    assert answer["code"] == "auth.required"
    with translation.override(language):
        assert answer["message"] == ParstatError("auth.required").localized


@pytest.mark.parametrize("formula", ["", "I.1 + ", "I.1 $ 2", "0,5 * I.1", "I.1 > (I.2 > 1)",
                                     "round(I.1, 1.5)", "if(I.1 > 0, 1, I.2 > 0)", "I.1 +) 2"])
def test_a_formula_error_gives_its_reason_in_english(formula):
    from parstat.rules.expressions import parse_expression

    with pytest.raises(ParstatError) as refused:
        parse_expression(formula)
    assert refused.value.code == "expression.syntax"
    assert refused.value.params["reason"].startswith("expression.")
    assert _vietnamese_outside_quotes(refused.value.message_en) == [], refused.value.message_en
    assert VIETNAMESE.search(refused.value.message)
