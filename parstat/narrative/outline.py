"""Report outlines as data: YAML beside the template, loaded into OutlineSection.

An outline file names its table (``family``) and lists its sections in order, each with a
``key``, a ``heading``, an optional ``level`` (2 for a sub-heading) and ``guidance``. The shipped
one (data/demo_outline.yaml) is a demonstration ("minh họa") following the seven CCHC areas, and
is loaded only by ``parstat init --demo``: a real installation loads its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from parstat.catalog.models import Template
from parstat.errors import ParstatError
from parstat.narrative.models import OutlineSection

DEMO_OUTLINE = Path(__file__).resolve().parent / "data" / "demo_outline.yaml"


@dataclass(frozen=True)
class DocumentPart:
    key: str
    heading: str | Promise  # as the page labels it (lazy: in the reader's language)
    figures: bool = False  # may hold {{CODE}} placeholders
    multiline: bool = False  # several lines kept (else one line: spaces and breaks folded)


# The document's own parts a unit writes besides the outline's sections (Decree 30/2020 layout).
# Their headings label the page's fields (in the reader's language), not the document's text.
DOCUMENT_PARTS = (
    DocumentPart("summary", _("Trích yếu (dòng dưới tiêu đề)"), figures=True),
    DocumentPart("place", _("Địa danh (dòng ngày tháng)")),
    DocumentPart("recipients", _("Nơi nhận"), multiline=True),
    DocumentPart("signer_title", _("Chức vụ người ký")),
    DocumentPart("signer_name", _("Họ và tên người ký")),
)
DOCUMENT_PART_KEYS = {part.key: part for part in DOCUMENT_PARTS}


def family_of(template: Template) -> str:
    return template.family or template.code


def outline_for(template: Template) -> list[OutlineSection]:
    return list(OutlineSection.objects.filter(family=family_of(template)).order_by("position"))


@transaction.atomic
def load_outline(path: Path = DEMO_OUTLINE) -> tuple[str, int]:
    """Load (or reload, in place) an outline file; returns its family and its section count.

    A section a reload drops leaves the outline; texts written under its key stay stored (they
    are keyed, not linked) and show again if the key comes back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    family = str(data["family"])
    synthetic = bool(data.get("synthetic", False))
    keys = []
    for position, entry in enumerate(data["sections"], start=1):
        key = str(entry["key"])
        if key in DOCUMENT_PART_KEYS or key in keys:
            raise ParstatError("template.invalid", template=family, where="part", key=key,
                               reason="template.part_repeated")
        keys.append(key)
        OutlineSection.objects.update_or_create(family=family, key=key, defaults={
            "position": position, "level": int(entry.get("level", 1)),
            "heading": str(entry["heading"]), "guidance": str(entry.get("guidance", "")).strip(),
            "synthetic": synthetic})
    OutlineSection.objects.filter(family=family).exclude(key__in=keys).delete()
    return family, len(keys)
