"""The provincial office's draft of the province's narrative, built from its units' reports.

Per section of the outline: the units' texts side by side (each rendered from its own values),
the consolidated figures those texts and the guidance name (totals over a stated scope of
report states, with how many units they cover), and the province's own text, which the office
edits into one. The province's text may name figures as ``{{CODE}}`` too; they render from the
consolidated totals. Changes go through :func:`do_set_province_narrative`, audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from parstat.analytics.consolidation import Consolidation, consolidate
from parstat.analytics.states import StateScope
from parstat.audit import SOMEONE_ELSE
from parstat.catalog.models import Indicator, Template
from parstat.errors import ParstatError
from parstat.narrative.actions import checked_narrative, part_in
from parstat.narrative.figures import Figures, codes_in, figure_text, figures_of
from parstat.narrative.models import (
    ConsolidatedNarrative,
    ConsolidatedNarrativeChange,
    NarrativeText,
)
from parstat.narrative.outline import DOCUMENT_PARTS, DocumentPart, family_of, outline_for
from parstat.province.models import ProvinceReport
from parstat.province.workflow import lock_province_report, refuse_unless_editable
from parstat.reporting.actions import Actor
from parstat.reporting.models import Period
from parstat.units.models import OrgUnit


@dataclass(frozen=True)
class UnitText:
    unit_code: str
    unit_name: str
    state: str  # the report's state label
    text: str  # rendered from the unit's own values


@dataclass(frozen=True)
class DraftFigure:
    code: str
    label: str
    total: str  # the consolidated value as a sentence reads it; blank as "[CODE: trống]"
    units: int  # how many units' values it covers


@dataclass(frozen=True)
class DraftSection:
    key: str
    heading: str
    guidance: str
    level: int
    units: list[UnitText]
    figures: list[DraftFigure]
    text: str  # the province's own text as stored
    version: int


@dataclass(frozen=True)
class DraftPart:
    part: DocumentPart
    text: str
    version: int


@dataclass(frozen=True)
class ProvinceDraft:
    root: OrgUnit
    period: Period
    template: Template  # the table the consolidation adds up (and its outline)
    scope: StateScope
    counted: int  # reports whose texts and values are shown
    sections: list[DraftSection]
    figures: Figures  # the consolidated totals, for the province's own {{CODE}}
    parts: list[DraftPart]  # the document's own parts (summary, place, recipients, signer)


def consolidated_figures(consolidation: Consolidation) -> Figures:
    totals: dict[str, Decimal | str | None] = {t.indicator.code: t.value
                                               for t in consolidation.totals}
    indicators = {t.indicator.code: t.indicator for t in consolidation.totals}
    return Figures(indicators=indicators, lookup=totals.get)


def province_draft(root: OrgUnit, period: Period, *,
                   states: StateScope = StateScope.SUBMITTED,
                   allowed: set[int] | None = None) -> ProvinceDraft:
    consolidation = consolidate(root, period, states=states, allowed=allowed)
    template = consolidation.template
    family = family_of(template)
    reports = list(consolidation.counted_reports()
                   .select_related("unit", "period", "template").order_by("unit__code"))
    texts: dict[tuple[int, str], str] = {
        (report_id, key): text for report_id, key, text in NarrativeText.objects.filter(
            report__in=reports).values_list("report_id", "key", "text")}
    unit_figures = {r.pk: figures_of(r) for r in reports
                    if any(report_id == r.pk for report_id, _ in texts)}
    totals = {t.indicator.code: t for t in consolidation.totals}
    stored = {c.key: c for c in ConsolidatedNarrative.objects.filter(unit=root, period=period,
                                                                     family=family)}
    sections = []
    for section in outline_for(template):
        written = [(r, texts[(r.pk, section.key)]) for r in reports if (r.pk, section.key) in texts]
        codes = dict.fromkeys(codes_in(section.guidance))
        for _report, text in written:
            codes.update(dict.fromkeys(codes_in(text)))
        figures = [_figure(totals[code].indicator, totals[code].value, totals[code].units)
                   for code in codes if code in totals]
        mine = stored.get(section.key)
        sections.append(DraftSection(
            key=section.key, heading=section.heading, guidance=section.guidance,
            level=section.level,
            units=[UnitText(r.unit.code, r.unit.name, r.get_state_display(),
                            unit_figures[r.pk].render(text)) for r, text in written],
            figures=figures, text=mine.text if mine else "", version=mine.version if mine else 0))
    parts = [DraftPart(part, stored[part.key].text if part.key in stored else "",
                       stored[part.key].version if part.key in stored else 0)
             for part in DOCUMENT_PARTS]
    return ProvinceDraft(root=root, period=period, template=template, scope=states,
                         counted=len(reports), sections=sections,
                         figures=consolidated_figures(consolidation), parts=parts)


def _figure(indicator: Indicator, value: Decimal | None, units: int) -> DraftFigure:
    return DraftFigure(code=indicator.code, label=indicator.label,
                       total=figure_text(indicator, value), units=units)


@transaction.atomic
def do_set_province_narrative(root: OrgUnit, period: Period, template: Template, key: str,
                              text: str, *, acting_user: Actor,
                              expected_version: int | None = None
                              ) -> ConsolidatedNarrativeChange | None:
    """Store the province's text under ``key``; None when unchanged; ``narrative.stale`` when
    the text changed after ``expected_version``."""
    template_family = family_of(template)
    part = part_in(template, key)
    new_text = checked_narrative(template, part, text)
    # Locking the province unit's row orders two writers of the same province.
    OrgUnit.objects.select_for_update().get(pk=root.pk)
    report = ProvinceReport.objects.filter(unit=root, period=period, template=template).first()
    if report is not None:  # submitted, approved or sent: the text is what was approved
        refuse_unless_editable(lock_province_report(report))
    stored = ConsolidatedNarrative.objects.filter(unit=root, period=period,
                                                  family=template_family, key=key).first()
    old_text, current = (stored.text, stored.version) if stored else ("", 0)
    if old_text == new_text:
        return None
    if expected_version is not None and expected_version != current:
        last = (ConsolidatedNarrativeChange.objects.filter(unit=root, period=period, key=key,
                                                           family=template_family)
                .order_by("-id").first())
        raise ParstatError("narrative.stale", heading=part.heading,
                           actor=last.actor if last else SOMEONE_ELSE, expected=expected_version,
                           current=current, current_text=old_text[:200])
    now = timezone.now()
    if stored is None:
        ConsolidatedNarrative.objects.create(unit=root, period=period, family=template_family,
                                             key=key, text=new_text, version=1, updated_at=now)
    elif not new_text:
        stored.delete()
    else:
        ConsolidatedNarrative.objects.filter(pk=stored.pk).update(
            text=new_text, version=current + 1, updated_at=now)
    return ConsolidatedNarrativeChange.objects.create(
        unit=root, period=period, family=template_family, key=key, old_text=old_text,
        new_text=new_text, version=current + 1, changed_at=now, **acting_user.audit_fields())


@transaction.atomic
def do_start_province_draft(draft: ProvinceDraft, *, acting_user: Actor) -> int:
    """Fill every section the province has not written yet with its units' texts, each
    paragraph led by the unit's name, for the office to edit into one; returns how many."""
    filled = 0
    for section in draft.sections:
        if section.text or not section.units:
            continue
        joined = "\n".join(f"{unit.unit_name}: {line}" if not line.startswith("- ") else line
                           for unit in section.units for line in unit.text.split("\n")
                           if line.strip())
        if do_set_province_narrative(draft.root, draft.period, draft.template, section.key, joined,
                                     acting_user=acting_user, expected_version=0):
            filled += 1
    return filled
