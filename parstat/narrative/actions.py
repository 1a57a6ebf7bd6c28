"""Every change to a report's narrative: one ``do_…`` function each, atomic, audited.

A text is locked like the report's values: only a draft takes changes. Texts carry their own
version (per part), not the report's: the table's saves merge cell by cell on the report's
version, and a paragraph typed beside them must not make those saves look stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from parstat.audit import SOMEONE_ELSE
from parstat.catalog.models import Indicator, Template
from parstat.errors import ParstatError
from parstat.narrative.figures import codes_in
from parstat.narrative.models import NarrativeChange, NarrativeText, OutlineSection
from parstat.narrative.outline import DOCUMENT_PART_KEYS, family_of
from parstat.narrative.text import MAX_TEXT, clean, first_control_character
from parstat.reporting.actions import Actor, do_set_document, lock_report
from parstat.reporting.models import Report, ReportEvent, ReportState
from parstat.reporting.workflow import Step, do_submit_report, lock_for_step


@dataclass(frozen=True)
class NarrativePart:
    """A key a report may hold text under: an outline section or a document part."""

    key: str
    heading: str | Promise  # an outline section's (data) or a document part's (lazy, said)
    figures: bool
    multiline: bool = True


def part_of(report: Report, key: str) -> NarrativePart:
    return part_in(report.template, key)


def part_in(template: Template, key: str) -> NarrativePart:
    """The part ``key`` of a report on ``template`` (a unit's or the province's)."""
    document_part = DOCUMENT_PART_KEYS.get(key)
    if document_part is not None:
        return NarrativePart(key, document_part.heading, document_part.figures,
                             document_part.multiline)
    family = family_of(template)
    section = OutlineSection.objects.filter(family=family, key=key).first()
    if section is None:
        raise ParstatError("narrative.unknown_key", key=key, family=family)
    return NarrativePart(key, section.heading, True)


def checked_narrative(template: Template, part: NarrativePart, raw: str) -> str:
    """The text as it will be stored, or the reason it is refused (before anything is written)."""
    text = clean(raw)
    if not part.multiline:
        text = " ".join(text.split())
    bad = first_control_character(text)
    if bad is not None:
        raise ParstatError("narrative.control_character", heading=part.heading, char=bad)
    if len(text) > MAX_TEXT:
        raise ParstatError("narrative.too_long", heading=part.heading, length=len(text),
                           limit=MAX_TEXT)
    codes = set(codes_in(text))
    if codes:
        known = set(Indicator.objects.filter(template=template, code__in=codes)
                    .values_list("code", flat=True))
        unknown = sorted(codes - known)
        if unknown:
            raise ParstatError("narrative.unknown_figure", heading=part.heading,
                               code=unknown[0], template=template.code)
    return text


@transaction.atomic
def do_set_narrative(report: Report, key: str, text: str, *, acting_user: Actor,
                     expected_version: int | None = None) -> NarrativeChange | None:
    """Store what a unit wrote under ``key``; returns the audit row, or None when unchanged.

    ``expected_version`` is the text's version the writer last saw (0: none yet); a text
    changed since is refused with what it now reads. Re-sending the stored text is never an
    error, even on a locked report."""
    part = part_of(report, key)
    new_text = checked_narrative(report.template, part, text)
    # The report's row lock orders this save with the workflow: no text slips in after a submit.
    locked = lock_report(report)
    stored = NarrativeText.objects.select_for_update().filter(report=locked, key=key).first()
    old_text = stored.text if stored else ""
    current_version = stored.version if stored else 0
    if old_text == new_text:
        return None
    if not locked.is_editable:
        raise ParstatError("narrative.locked", unit=locked.unit.name, period=locked.period.code,
                           state=locked.state)
    if expected_version is not None and expected_version != current_version:
        last = NarrativeChange.objects.filter(report=locked, key=key).order_by("-id").first()
        raise ParstatError("narrative.stale", heading=part.heading,
                           actor=last.actor if last else SOMEONE_ELSE, expected=expected_version,
                           current=current_version, current_text=old_text[:200])
    now = timezone.now()
    version = current_version + 1
    if stored is None:
        NarrativeText.objects.create(report=locked, key=key, text=new_text, version=version,
                                     updated_at=now)
    elif not new_text:
        stored.delete()  # an empty text is the absence of a row, as a blank value is
    else:
        NarrativeText.objects.filter(pk=stored.pk).update(text=new_text, version=version,
                                                          updated_at=now)
    return NarrativeChange.objects.create(
        report=locked, key=key, old_text=old_text, new_text=new_text, version=version,
        changed_at=now, **acting_user.audit_fields())


@transaction.atomic
def do_submit_with_document(report: Report, *, number: str, issued_on: date | None,
                            acting_user: Actor, explanation: str = "",
                            expected_version: int | None = None) -> ReportEvent:
    """Send a report and give it its document number and date in the same step, all or nothing
    (a refused submission keeps the number unset): the approver numbers the report as it goes
    out, and the document and its appendix print that one number."""
    locked = lock_for_step(report, Step.SUBMIT, ReportState.DRAFT,
                           expected_version=expected_version)
    if number.strip() or issued_on is not None:
        issuer = locked.document_issuer or locked.unit.name
        do_set_document(report, number=number, issued_on=issued_on, issuer=issuer,
                        acting_user=acting_user)
    return do_submit_report(report, acting_user=acting_user, explanation=explanation)


def parse_document_date(text: str) -> date | None:
    """A document date as the form sends it (2023-03-17) or as people write it (17/03/2023)."""
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ParstatError("document.date_invalid", text=text[:40])
