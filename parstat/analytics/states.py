"""Which report states a total counts: one stated scope for every consolidation.

A total is only true of the reports it adds up, so every consolidation says which it took:

- ``accepted``: reports the consolidator accepted (locked); what an official document prints.
- ``submitted``: reports sent in, submitted or accepted: what has been received (the same
  reports completeness counts as received); the default of the pages, the API and the command
  line for every format but the official documents.
- ``all``: everything filed, drafts included: a provisional picture ("tạm tính"), marked
  "SỐ LIỆU TẠM TÍNH" wherever it is shown or printed.

Why these defaults: docs/analytics.md, "Which reports count".
"""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from parstat.reporting.models import ReportState

PROVISIONAL_MARK = "SỐ LIỆU TẠM TÍNH"
OFFICIAL_FORMATS = frozenset({"docx", "pdf"})


class StateScope(models.TextChoices):
    ACCEPTED = "accepted", _("Chỉ báo cáo đã tiếp nhận")
    SUBMITTED = "submitted", _("Báo cáo đã gửi và đã tiếp nhận")
    ALL = "all", _("Tất cả báo cáo, kể cả đang soạn (tạm tính)")

    @property
    def states(self) -> tuple[str, ...]:
        return _STATES[self.value]

    @property
    def provisional(self) -> bool:
        """Does the scope add up drafts, numbers a unit may still change?"""
        return ReportState.DRAFT in self.states

    @property
    def label_vi(self) -> str:
        """The label in Vietnamese whatever the page's language: documents are Vietnamese."""
        with translation.override("vi"):
            return str(self.label)


_STATES: dict[str, tuple[str, ...]] = {
    "accepted": (ReportState.ACCEPTED,),
    "submitted": (ReportState.SUBMITTED, ReportState.ACCEPTED),
    "all": (ReportState.DRAFT, ReportState.SUBMITTED, ReportState.ACCEPTED),
}

PAGE_DEFAULT = StateScope.SUBMITTED
OFFICIAL_DEFAULT = StateScope.ACCEPTED


def default_scope(fmt: str = "json") -> StateScope:
    """The scope when none is asked: accepted only for an official document, else received."""
    return OFFICIAL_DEFAULT if fmt in OFFICIAL_FORMATS else PAGE_DEFAULT


def scope_or_default(value: str | None, fmt: str = "json") -> StateScope:
    """The scope a query string or option names; an empty or unknown one gives the default."""
    if value in StateScope.values:
        return StateScope(value)
    return default_scope(fmt)
