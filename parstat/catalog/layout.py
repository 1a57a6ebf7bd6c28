"""A template's indicators in table order, each with its section, read once per template.

The entry form, the cell save and the evaluation of a report all need the same ~180 indicators
of a template on every request; reading them (and a Section per row) from the database each
time was a good part of the form's time. Like ``rules.evaluate.compile_template``, the copy is
keyed on the template's source hash: reloading a changed template file reads it afresh (a
template's indicators change only through the loader, which writes a new hash).

The instances are shared between requests: read them, never change or save them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from parstat.catalog.models import Indicator, Template


@dataclass(frozen=True)
class TemplateLayout:
    indicators: tuple[Indicator, ...]  # by position, each with its section loaded
    by_id: dict[int, Indicator]
    by_code: dict[str, Indicator]


def template_layout(template: Template) -> TemplateLayout:
    return _layout(template.pk, template.source_sha256)


@lru_cache(maxsize=32)
def _layout(template_pk: int, source_sha256: str) -> TemplateLayout:
    indicators = tuple(Indicator.objects.filter(template_id=template_pk)
                       .select_related("section").order_by("position"))
    return TemplateLayout(indicators=indicators, by_id={i.pk: i for i in indicators},
                          by_code={i.code: i for i in indicators})
