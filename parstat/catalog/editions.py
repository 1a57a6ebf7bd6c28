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

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from parstat.catalog.models import Indicator, Mapping, Template, UnitTemplate

if TYPE_CHECKING:  # types only: reporting depends on the catalog, not the other way round
    from parstat.reporting.models import Period
    from parstat.units.models import OrgUnit


def families_for(unit: OrgUnit) -> list[str]:
    overrides = sorted(UnitTemplate.objects.filter(unit=unit).values_list("family", flat=True))
    if overrides:
        return overrides
    return sorted({t.family for t in Template.objects.only("family", "unit_kinds")
                   if unit.kind in (t.unit_kinds or [])})


def families_by_unit(units: Iterable[OrgUnit]) -> dict[int, list[str]]:
    """unit id → the families it owes (as :func:`families_for`), for many units in two queries:
    the families per unit kind once, the overrides in one query."""
    return families_by_kind((u.pk, u.kind) for u in units)


def families_by_kind(units: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    """The same, from (unit id, unit kind) pairs: no unit instance needed for thousands of
    units (the overrides' ids are bound as one parameter)."""
    from parstat.analytics.scope import id_list  # a query helper; analytics reads the catalog

    kind_of = dict(units)
    by_kind: dict[str, set[str]] = {}
    for family, kinds in Template.objects.values_list("family", "unit_kinds"):
        for kind in kinds or []:
            by_kind.setdefault(kind, set()).add(family)
    overrides: dict[int, set[str]] = {}
    for unit_id, family in UnitTemplate.objects.filter(
            unit_id__in=id_list(kind_of)).values_list("unit_id", "family"):
        overrides.setdefault(unit_id, set()).add(family)
    return {pk: sorted(overrides[pk] if pk in overrides else by_kind.get(kind, set()))
            for pk, kind in kind_of.items()}


def edition_for(family: str, day: date) -> Template | None:
    """The edition of ``family`` in force for a period ending on ``day``."""
    editions = list(Template.objects.filter(family=family).order_by("applies_from", "edition"))
    if not editions:
        return None
    chosen = editions[0]
    for edition in editions:
        if edition.applies_from is None or edition.applies_from <= day:
            chosen = edition
    return chosen


def templates_for(unit: OrgUnit, period: Period) -> list[Template]:
    found = [edition_for(family, period.end) for family in families_for(unit)]
    return [t for t in found if t is not None]


def template_for(unit: OrgUnit, period: Period) -> Template | None:
    """The table ``unit`` owes for ``period``: its family's edition for that period (the first
    family by code when a unit fills several; ``templates_for`` lists them all)."""
    found = templates_for(unit, period)
    return found[0] if found else None


@dataclass(frozen=True)
class Continuation:
    """What an indicator was in an older edition: the row it continues, or why it does not."""

    indicator: Indicator | None  # the older edition's row; None when the chain breaks
    reason: str  # "" when continued; else the Mapping that breaks it, or "meaning"


def counterpart(indicator: Indicator, older: Template) -> Continuation:
    """Follow ``indicator`` back through the editions' mappings to its row in ``older``.

    Only a row kept or renamed continues a series; a split, a merger, a new row or a row whose
    meaning changed breaks it, so a series shows the break instead of joining unlike numbers."""
    current = indicator
    while current.template_id != older.pk:
        template = current.template
        if template.previous_id is None:
            return Continuation(None, "unrelated")
        if current.breaks_series:
            return Continuation(None, "meaning" if current.mapping in (
                Mapping.SAME, Mapping.RENAMED) else current.mapping)
        if current.mapping not in (Mapping.SAME, Mapping.RENAMED) or len(current.mapped_from) != 1:
            return Continuation(None, current.mapping or Mapping.NEW)
        previous = Indicator.objects.filter(template_id=template.previous_id,
                                            code=current.mapped_from[0]).first()
        if previous is None:
            return Continuation(None, Mapping.NEW)
        current = previous
    return Continuation(current, "")


def row_in(indicator: Indicator, edition: Template) -> Continuation:
    """``indicator``'s row in ``edition`` of the same family, older or newer: itself in its own
    edition, followed back through the mappings (``counterpart``) in an older one, and in a newer
    one the row whose chain leads back to it. ``indicator=None`` with the reason where the chain
    breaks (or "unrelated" for another family)."""
    if edition.pk == indicator.template_id:
        return Continuation(indicator, "")
    if edition.family != indicator.template.family:
        return Continuation(None, "unrelated")
    if (edition.applies_from or date.min) < (indicator.template.applies_from or date.min):
        return counterpart(indicator, edition)
    for newer in Indicator.objects.filter(template=edition, code=indicator.code):
        found = counterpart(newer, indicator.template)
        if found.indicator == indicator:
            return Continuation(newer, "")
    for newer in Indicator.objects.filter(template=edition).exclude(code=indicator.code):
        if indicator.code in newer.mapped_from:
            found = counterpart(newer, indicator.template)
            return Continuation(None, found.reason or newer.mapping)
    return Continuation(None, "dropped")


def editions_of(templates: Iterable[Template]) -> dict[str, list[Template]]:
    """family → its editions, oldest first (for listings)."""
    out: dict[str, list[Template]] = {}
    for template in sorted(templates, key=lambda t: (t.family, t.applies_from or date.min)):
        out.setdefault(template.family, []).append(template)
    return out
