"""A report's history as people read it: value changes and state changes, newest first.

The audit rows keep data (values, notes, reasons, flags); the words around them are made here,
when the history is shown, in the language of the request that shows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from parstat.reporting.models import Report, ReportEvent, ValueChange
from parstat.reporting.values import BLANK_WORD, display


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    source: str
    origin: str
    what: str  # "I.1.a: «40» → «41»", "Trả lại: Kiểm tra lại mục III" (in the reader's language)


def report_history(report: Report, *, limit: int = 200) -> list[HistoryEntry]:
    entries = [_value_entry(c) for c in ValueChange.objects.filter(report=report)
               .select_related("indicator").order_by("-id")[:limit]]
    entries += [_event_entry(e) for e in ReportEvent.objects.filter(report=report)
                .order_by("-id")[:limit]]
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries[:limit]


def history_count(report: Report, events: Sequence[ReportEvent] | None = None) -> int:
    """How many entries the whole history has (value changes and state changes); ``events``:
    the report's events when the caller has read them all already."""
    found = ReportEvent.objects.filter(report=report).count() if events is None else len(events)
    return ValueChange.objects.filter(report=report).count() + found


def _value_entry(change: ValueChange) -> HistoryEntry:
    old, new = change.old_value, change.new_value
    blank = str(BLANK_WORD)
    parts = []
    if old != new:
        parts.append(f"«{display(change.indicator, old) or blank}» → "
                     f"«{display(change.indicator, new) or blank}»")
    if change.old_note != change.new_note:
        parts.append(_("ghi chú «%(old)s» → «%(new)s»")
                     % {"old": change.old_note, "new": change.new_note})
    return HistoryEntry(at=change.changed_at, actor=change.actor,
                        source=change.get_source_display(), origin=change.origin,
                        what=f"{change.indicator.code}: {'; '.join(parts)}")


def _event_entry(event: ReportEvent) -> HistoryEntry:
    what = str(event.get_action_display())
    detail = event.detail or {}
    if detail.get("reason"):
        what += f": {detail['reason']}"
    if detail.get("explanation"):
        what += " (" + _("giải trình cảnh báo: %(text)s") % {"text": detail["explanation"]} + ")"
    if detail.get("late"):
        what += " — " + _("trễ hạn")
    return HistoryEntry(at=event.happened_at, actor=event.actor, source=event.get_source_display(),
                        origin=event.origin, what=what)
