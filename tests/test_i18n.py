"""Languages: Vietnamese first, English second; the catalogue is complete and compiled.

The source strings are Vietnamese, so Vietnamese needs no catalogue; English comes from
``parstat/locale/en/LC_MESSAGES/django.po`` and its compiled ``django.mo`` (committed, so that no
gettext tool is needed at run time).
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from parstat.errors import ParstatError

pytestmark = pytest.mark.django_db

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def po_entries(path: Path) -> list[dict[str, Any]]:
    """Each entry of a .po file: its flags and its fields (msgctxt, msgid, msgstr[0], …)."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        flags: set[str] = set()
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[key] += ast.literal_eval(line)
            else:
                key, _, text = line.partition(" ")
                fields[key] = ast.literal_eval(text)
        entries.append({"flags": flags, **fields})
    return entries


def po_catalog(path: Path) -> dict[object, str]:
    """The messages as ``gettext.GNUTranslations`` keys them (context joined by \\x04)."""
    catalog: dict[object, str] = {}
    for entry in po_entries(path):
        msgid = str(entry["msgid"])
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            for key, text in entry.items():
                if key.startswith("msgstr["):
                    catalog[(msgid, int(key[7:-1]))] = str(text)
        else:
            catalog[msgid] = str(entry["msgstr"])
    return catalog


def test_it_has_every_message_translated_and_none_fuzzy():
    entries = [e for e in po_entries(LC_MESSAGES / "django.po") if e["msgid"]]
    assert len(entries) > 250
    assert [e["msgid"] for e in entries if "fuzzy" in e["flags"]] == []
    untranslated = [e["msgid"] for e in entries
                    if any(not text for key, text in e.items() if key.startswith("msgstr"))]
    assert untranslated == []


def test_it_keeps_every_placeholder_in_the_translations():
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for entry in po_entries(LC_MESSAGES / "django.po"):
        wanted = sorted(placeholder.findall(str(entry["msgid"])))
        for key, text in entry.items():
            if key.startswith("msgstr") and entry["msgid"]:
                assert sorted(placeholder.findall(str(text))) == wanted, entry["msgid"]


def test_it_ships_a_compiled_catalogue_up_to_date_with_the_po():
    with (LC_MESSAGES / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    messages = po_catalog(LC_MESSAGES / "django.po")
    header = messages.pop("")  # msgfmt drops the POT-Creation-Date line of the header
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header
    assert compiled.ngettext("một", "nhiều", 1) == "một" and compiled.plural(2) == 1  # type: ignore[attr-defined]
    catalog = {k: v for k, v in compiled._catalog.items() if k != ""}  # type: ignore[attr-defined]
    assert catalog == messages, "django.mo is stale: run `parstat compilemessages --ignore=.venv`"


def test_it_speaks_vietnamese_by_default(sign_in, seed_report):
    client = sign_in("reporter")
    home = client.get(reverse("web:home")).content.decode()
    assert '<html lang="vi">' in home and "Việc cần làm" in home and "To do" not in home
    page = client.get(reverse("web:report_detail", args=[seed_report.pk])).content.decode()
    assert "Chỉ tiêu thống kê" in page and ">Indicator<" not in page


def test_it_speaks_english_when_the_browser_asks(client, sign_in, seed_report):
    login = client.get(reverse("web:login"), **EN).content.decode()
    assert '<html lang="en">' in login and "<h1>Sign in</h1>" in login and "Password" in login

    client = sign_in("reporter")
    home = client.get(reverse("web:home"), **EN).content.decode()
    assert "<h1>To do</h1>" in home and "Việc cần làm" not in home
    assert "Reports" in home and "Reporting periods" in home

    page = client.get(reverse("web:report_detail", args=[seed_report.pk]), **EN).content.decode()
    assert "Indicator</th>" in page and "Unit of measure</th>" in page and "Count/rate" in page
    assert "Chỉ tiêu thống kê" not in page
    # Data formats do not follow the reader's language: the page is the official table, whose
    # numbers (1.327, 32,5) and dates (dd/mm/yyyy) are Vietnamese whatever language the labels
    # are in, and a value typed in it is read the Vietnamese way too.
    assert 'value="1.327"' in page and "= 32,5" in page
    assert seed_report.period.deadline.strftime("%d/%m/%Y") in page
    # Indicator labels and units are data, never translated.
    assert seed_report.template.indicators.get(code="I.1.a").label in page


def test_it_keeps_the_language_chosen_in_the_switcher(sign_in):
    client = sign_in("reporter")
    response = client.post(reverse("web:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "<h1>To do</h1>" in client.get(reverse("web:home")).content.decode()
    client.post(reverse("web:set_language"), {"language": "vi", "next": "/"})
    assert "Việc cần làm" in client.get(reverse("web:home")).content.decode()


def test_it_shows_analytics_in_english_with_vietnamese_figures(sign_in, seed_report):
    client = sign_in("consolidator")
    url = reverse("analytics:completeness") + "?unit=ST&period=2023Q1"
    vi = client.get(url).content.decode()
    en = client.get(url, **EN).content.decode()
    assert "Report completeness" in en and "Tình hình nộp báo cáo" not in en
    rate = re.compile(r"\d+,\d %")  # the received rate, 0,0 % … 100,0 %: comma in both languages
    assert rate.findall(en) and rate.findall(en) == rate.findall(vi)


def test_it_shows_a_user_error_in_the_readers_language(sign_in, seed_report):
    client = sign_in("reporter")
    url = reverse("web:save_cell", args=[seed_report.pk])
    typed = {"v:I.1.b": "13,5", "version": seed_report.version}
    en = client.post(url, typed, **EN).content.decode()
    assert "is a count" in en and "«13,5» is not a whole number" in en
    vi = client.post(url, typed).content.decode()
    assert "là số đếm" in vi

    error = ParstatError("number.invalid", text="abc")
    with translation.override("en"):
        assert error.localized == error.message_en
        assert "Cannot read «abc» as a number" in error.localized
    assert error.localized == error.message  # Vietnamese outside any English request
