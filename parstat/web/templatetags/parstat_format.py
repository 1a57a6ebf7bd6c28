from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.db import models
from django.utils.translation import get_language

from parstat.catalog.models import Aggregation
from parstat.units.models import UnitKind
from parstat.vnformat import period_label, period_label_en
from parstat.vnformat import vn_date as _vn_date
from parstat.vnformat import vn_datetime as _vn_datetime
from parstat.vnformat import vn_number as _vn_number
from parstat.web.entry import domid

register = template.Library()


@register.filter
def vn_number(value: object) -> str:
    """1327 → 1.327, 32.5 → 32,5; text as it is; blank as an empty string (never 0)."""
    return _vn_number(value if value is None or isinstance(value, Decimal | int) else str(value))


@register.filter
def vn_date(value: object) -> str:
    return _vn_date(value) if isinstance(value, date) else ""


@register.filter
def vn_datetime(value: object) -> str:
    return _vn_datetime(value) if isinstance(value, datetime) else ""


@register.filter
def period_name(code: str) -> str:
    """2023Q1 → Quý I/2023, 2023 → Năm 2023; in English pages Q1 2023, Year 2023."""
    if (get_language() or "vi").startswith("en"):
        return period_label_en(str(code))
    return period_label(str(code))


register.filter("domid", domid)  # the entry form's rows spell their ids with it too


def _label(choices: type[models.TextChoices], code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return str(code)


@register.filter
def aggregation_label(code: str) -> str:
    """sum → "Cộng", count_ones → "Đếm số đơn vị trả lời 1", … (in the page's language)."""
    return _label(Aggregation, code)


@register.filter
def unit_kind_label(code: str) -> str:
    """department → "Sở, ngành" (in the page's language)."""
    return _label(UnitKind, code)


@register.filter
def findings_by_code(findings: list) -> str:
    """{"III.4.c": [["R08", "error", "…"], …], …} for the page script to mark rows."""
    import json

    by_code: dict[str, list[list[str]]] = {}
    for finding in findings:
        for code in finding.codes:
            by_code.setdefault(code, []).append([finding.rule, finding.severity,
                                                   finding.localized])
    return json.dumps(by_code, ensure_ascii=False)


@register.filter
def nfc(text: object) -> str:
    """Text in precomposed form (NFC): Django's own "Tiếng Việt" is decomposed, which some
    fonts draw with loose accents and which searches would not match."""
    import unicodedata

    return unicodedata.normalize("NFC", str(text))


@register.filter
def says_illustrative(name: object) -> bool:
    """Whether a name already says it is illustrative ("minh họa", as the demo's names end):
    a list then shows no "minh họa" badge beside it, to say it once."""
    return "minh họa" in nfc(name).casefold()
