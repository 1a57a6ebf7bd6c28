"""The narrative report a table is the appendix of: its outline (data beside the template) and
each report's written sections, with the audit of every change.

Texts change only through :func:`parstat.narrative.actions.do_set_narrative`.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from parstat.audit import Acted
from parstat.reporting.models import Period, Report
from parstat.units.models import OrgUnit


class OutlineSection(models.Model):
    """One heading of a report outline ("I. CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC"), with guidance.

    An outline belongs to a table (``family``: every edition of "B1-SN" shares it) and is loaded
    from YAML (parstat/narrative/data/); ``synthetic`` marks the demonstration outline.
    """

    family = models.CharField(_("bảng"), max_length=40, db_index=True)
    key = models.CharField(_("mã mục"), max_length=40)  # "I", "I.1", "ket-luan"
    position = models.PositiveIntegerField(_("thứ tự"))
    level = models.PositiveSmallIntegerField(_("cấp"), default=1)  # 1 heading, 2 sub-heading
    heading = models.CharField(_("tiêu đề"), max_length=300)
    guidance = models.TextField(_("hướng dẫn"), blank=True, default="")
    synthetic = models.BooleanField(_("minh họa"), default=False)

    class Meta:
        verbose_name = _("mục đề cương")
        verbose_name_plural = _("mục đề cương")
        ordering = ["family", "position"]
        constraints = [models.UniqueConstraint(fields=["family", "key"],
                                               name="outline_unique_family_key")]

    def __str__(self) -> str:
        return f"{self.family} {self.key}. {self.heading}"


class NarrativeText(models.Model):
    """What a unit wrote under one key of its report: an outline section's text, or one of the
    document's own parts (summary line, "Nơi nhận", signer). No row is an empty text."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="narrative_texts")
    key = models.CharField(max_length=40)
    text = models.TextField()
    # Bumped on every change of this text, so a page holding an older one is refused, not obeyed.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("nội dung báo cáo")
        verbose_name_plural = _("nội dung báo cáo")
        constraints = [models.UniqueConstraint(fields=["report", "key"],
                                               name="narrative_unique_report_key")]

    def __str__(self) -> str:
        return f"{self.report} · {self.key}"


class NarrativeChange(Acted):
    """Audit of one text change: who, when, from where, old and new (like ValueChange)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="narrative_changes")
    key = models.CharField(max_length=40)
    old_text = models.TextField(default="")
    new_text = models.TextField(default="")
    version = models.PositiveIntegerField()  # the text's version this change made
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("lịch sử nội dung báo cáo")
        verbose_name_plural = _("lịch sử nội dung báo cáo")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.changed_at:%d/%m/%Y %H:%M} {self.actor}: {self.key}"


class ConsolidatedNarrative(models.Model):
    """The province's own text under one outline key, written by its consolidating office from
    its units' texts (parstat.narrative.province). No row is an empty text."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    family = models.CharField(max_length=40)
    key = models.CharField(max_length=40)
    text = models.TextField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("nội dung báo cáo tổng hợp")
        verbose_name_plural = _("nội dung báo cáo tổng hợp")
        constraints = [models.UniqueConstraint(fields=["unit", "period", "family", "key"],
                                               name="consolidated_narrative_unique")]

    def __str__(self) -> str:
        return f"{self.unit.code} · {self.period.code} · {self.key}"


class ConsolidatedNarrativeChange(Acted):
    """Audit of one change of the province's text (like NarrativeChange)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+")
    family = models.CharField(max_length=40)
    key = models.CharField(max_length=40)
    old_text = models.TextField(default="")
    new_text = models.TextField(default="")
    version = models.PositiveIntegerField()
    changed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.changed_at:%d/%m/%Y %H:%M} {self.actor}: {self.unit.code} {self.key}"
