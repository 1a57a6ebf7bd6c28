"""Which table a unit fills for a period, and how a row continues across editions.

The one home of "which template": the due list, starting a report, import, the API,
completeness and consolidation all ask :func:`template_for`.

- A unit fills the tables (families) of its kind (``Template.unit_kinds``), unless it has
  overrides (``UnitTemplate``): then exactly those.
- Of a family, the edition used for a period is the newest whose ``applies_from`` is on or before
  the period's last day. Periods before the first edition use the first edition: it is the only
  table there was.
- A report keeps the edition it was filled in; a new edition changes no stored report.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, F, QuerySet
from django.utils.translation import gettext_lazy as _

from parstat.catalog.models import Indicator, Mapping, Template, UnitTemplate
from parstat.ids import id_list

if TYPE_CHECKING:  # types only: reporting depends on the catalog, not the other way round
    from parstat.reporting.models import Period
    from parstat.units.models import OrgUnit


def families_for(unit: OrgUnit) -> list[str]:
    overrides = set(UnitTemplate.objects.filter(unit=unit).values_list("family", flat=True))
    # The templates are read only when the unit has no overrides.
    return owed_families(unit.kind, overrides or None,
                         Template.objects.values_list("family", "unit_kinds"))


def owed_families(kind: str, overrides: AbstractSet[str] | None,
                  editions: Iterable[tuple[str, list[str] | None]]) -> list[str]:
    """The families a unit of ``kind`` fills: exactly its ``overrides`` when it has any (None:
    it has none), else every family one of whose ``editions`` (family, unit kinds) lists its
    kind."""
    if overrides is not None:
        return sorted(overrides)
    return sorted({family for family, kinds in editions if kind in (kinds or [])})


def families_by_unit(units: Iterable[OrgUnit]) -> dict[int, list[str]]:
    """unit id → the families it owes (as :func:`families_for`), for many units in two queries:
    the families per unit kind once, the overrides in one query."""
    return families_by_kind((u.pk, u.kind) for u in units)


def families_by_kind(units: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    """The same, from (unit id, unit kind) pairs: no unit instance needed for thousands of
    units (the overrides' ids are bound as one parameter)."""

    kind_of = dict(units)
    by_kind = _families_of_kinds()
    overrides: dict[int, set[str]] = {}
    for unit_id, family in UnitTemplate.objects.filter(
            unit_id__in=id_list(kind_of)).values_list("unit_id", "family"):
        overrides.setdefault(unit_id, set()).add(family)
    return {pk: sorted(overrides[pk] if pk in overrides else by_kind.get(kind, set()))
            for pk, kind in kind_of.items()}


def _families_of_kinds() -> dict[str, set[str]]:
    by_kind: dict[str, set[str]] = {}
    for family, kinds in Template.objects.values_list("family", "unit_kinds"):
        for kind in kinds or []:
            by_kind.setdefault(kind, set()).add(family)
    return by_kind


def family_counts(units: QuerySet[OrgUnit]) -> Counter[str]:
    """How many of ``units`` owe each family (as :func:`families_for` decides), counted by the
    database: units per kind, less those with overrides, and the overrides per family. No row
    per unit comes back (a national table asks this of 4,000 units)."""
    by_kind = _families_of_kinds()
    overridden = UnitTemplate.objects.values("unit_id")
    owed: Counter[str] = Counter()
    for kind, n in (units.exclude(id__in=overridden).order_by().values_list("kind")
                    .annotate(n=Count("id"))):
        for family in by_kind.get(kind, ()):
            owed[family] += n
    for family, n in (UnitTemplate.objects.filter(unit__in=units.order_by().values("id"))
                      .order_by().values_list("family").annotate(n=Count("unit_id", distinct=True))):
        owed[family] += n
    return owed


# Oldest first; an edition with no day is the oldest (PostgreSQL would sort it last).
EDITION_ORDER = (F("applies_from").asc(nulls_first=True), "edition")


def in_force(editions: Iterable[Template], day: date) -> Template | None:
    """Of one family's ``editions`` (oldest first), the one in force for a period ending on
    ``day``: the newest that applies by then; the first edition before any applies."""
    chosen = None
    for edition in editions:
        if chosen is None or edition.applies_from is None or edition.applies_from <= day:
            chosen = edition
    return chosen


def edition_for(family: str, day: date) -> Template | None:
    """The edition of ``family`` in force for a period ending on ``day``."""
    return in_force(Template.objects.filter(family=family).order_by(*EDITION_ORDER), day)


def _editions_by_family() -> dict[str, list[Template]]:
    """Every edition, by family, oldest first (as :func:`in_force` takes them): one query."""
    by_family: dict[str, list[Template]] = {}
    for edition in Template.objects.order_by(*EDITION_ORDER):
        by_family.setdefault(edition.family, []).append(edition)
    return by_family


def editions_in_force(day: date) -> list[Template]:
    """Each table's edition in force for a period ending on ``day``, one per family, by
    family: what a period's page says the period uses."""
    by_family = _editions_by_family()
    found = (in_force(by_family[family], day) for family in sorted(by_family))
    return [edition for edition in found if edition is not None]


def templates_for(unit: OrgUnit, period: Period) -> list[Template]:
    """The editions ``unit`` fills for ``period``, by family: :func:`families_for`'s families,
    each's edition :func:`in_force`, from two plain queries (the unit's overrides, every
    edition). One query with the overrides as EXISTS subqueries was slower: Django takes
    longer to build it than SQLite to run the two."""
    overrides = set(UnitTemplate.objects.filter(unit_id=unit.pk).values_list("family",
                                                                             flat=True))
    by_family = _editions_by_family()
    families = owed_families(unit.kind, overrides or None, (
        (e.family, e.unit_kinds) for editions in by_family.values() for e in editions))
    found = (in_force(by_family[family], period.end) for family in families
             if family in by_family)
    return [t for t in found if t is not None]


def template_for(unit: OrgUnit, period: Period) -> Template | None:
    """The table ``unit`` owes for ``period``: its family's edition for that period (the first
    family by code when a unit fills several; ``templates_for`` lists them all)."""
    found = templates_for(unit, period)
    return found[0] if found else None


# Why an indicator's series breaks between two editions (Continuation.reason), in words.
BREAKS = {
    Mapping.SPLIT: _("tách thành nhiều chỉ tiêu"),
    Mapping.MERGED: _("gộp với chỉ tiêu khác"),
    Mapping.NEW: _("chỉ tiêu mới, không có ở ấn bản trước"),
    "meaning": _("đổi nội dung chỉ tiêu"),
    "dropped": _("bỏ ở ấn bản này"),
    "unrelated": _("không cùng bảng"),
}


def break_label(reason: str) -> str:
    """The words for a break of the series (``Continuation.reason``), in the reader's language."""
    return str(BREAKS.get(reason, reason))


@dataclass(frozen=True)
class Continuation:
    """What an indicator was in an older edition: the row it continues, or why it does not."""

    indicator: Indicator | None  # the older edition's row; None when the chain breaks
    reason: str  # "" when continued; else the Mapping that breaks it, or "meaning"


class Lineage:
    """Every edition of one table and all their rows, read once (two queries), so following
    many rows across editions (a pivot over periods, a ranking) asks the database nothing more."""

    def __init__(self, family: str) -> None:
        self.family = family
        self.templates = {t.pk: t for t in Template.objects.filter(family=family)}
        self.rows: dict[int, list[Indicator]] = {pk: [] for pk in self.templates}
        self.by_code: dict[tuple[int, str], Indicator] = {}
        for row in Indicator.objects.filter(template__family=family).order_by("position"):
            row.template = self.templates[row.template_id]  # no query when a caller asks
            self.rows[row.template_id].append(row)
            self.by_code[(row.template_id, row.code)] = row


def counterpart(indicator: Indicator, older: Template, lineage: Lineage | None = None
                ) -> Continuation:
    """Follow ``indicator`` back through the editions' mappings to its row in ``older``.

    Only a row kept or renamed continues a series; a split, a merger, a new row or a row whose
    meaning changed breaks it, so a series shows the break instead of joining unlike numbers."""
    lineage = lineage or Lineage(indicator.template.family)
    current = indicator
    while current.template_id != older.pk:
        template = lineage.templates.get(current.template_id)
        if template is None or template.previous_id is None:
            return Continuation(None, "unrelated")
        if current.breaks_series:
            return Continuation(None, "meaning" if current.mapping in (
                Mapping.SAME, Mapping.RENAMED) else current.mapping)
        if current.mapping not in (Mapping.SAME, Mapping.RENAMED) or len(current.mapped_from) != 1:
            return Continuation(None, current.mapping or Mapping.NEW)
        previous = lineage.by_code.get((template.previous_id, current.mapped_from[0]))
        if previous is None:
            return Continuation(None, Mapping.NEW)
        current = previous
    return Continuation(current, "")


def row_in(indicator: Indicator, edition: Template, lineage: Lineage | None = None
           ) -> Continuation:
    """``indicator``'s row in ``edition`` of the same family, older or newer: itself in its own
    edition, followed back through the mappings (``counterpart``) in an older one, and in a newer
    one the row whose chain leads back to it. ``indicator=None`` with the reason where the chain
    breaks (or "unrelated" for another family). Pass one ``Lineage`` of the family when asking
    of many rows."""
    if edition.pk == indicator.template_id:
        return Continuation(indicator, "")
    if edition.family != indicator.template.family:
        return Continuation(None, "unrelated")
    lineage = lineage or Lineage(edition.family)
    if (edition.applies_from or date.min) < (indicator.template.applies_from or date.min):
        return counterpart(indicator, edition, lineage)
    newer = lineage.by_code.get((edition.pk, indicator.code))
    if newer is not None and counterpart(newer, indicator.template, lineage).indicator == indicator:
        return Continuation(newer, "")
    for newer in lineage.rows.get(edition.pk, []):
        if newer.code != indicator.code and indicator.code in newer.mapped_from:
            found = counterpart(newer, indicator.template, lineage)
            return Continuation(None, found.reason or newer.mapping)
    return Continuation(None, "dropped")


def editions_of(templates: Iterable[Template]) -> dict[str, list[Template]]:
    """family → its editions, oldest first (for listings)."""
    out: dict[str, list[Template]] = {}
    for template in sorted(templates, key=lambda t: (t.family, t.applies_from or date.min)):
        out.setdefault(template.family, []).append(template)
    return out
