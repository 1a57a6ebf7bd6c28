"""The province's report and what its approval froze.

A :class:`ProvinceReport` is the report of a unit that consolidates others (the province, unit =
its Home Affairs office's root), on one table, for one period: the consolidated table over the
units below and the province's narrative (parstat.narrative.province). It has a workflow of its
own (draft → submitted to the province's leader → approved → sent), audited as
:class:`ProvinceReportEvent`. Approving it writes a :class:`ProvinceSnapshot`: every
consolidated total as it stood and every unit report it counted, with that report's version,
so that a unit report changed later is seen not to match what was approved.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from parstat.catalog.models import Indicator, Template
from parstat.reporting.models import Period, Report, Source, StoredNumber
from parstat.units.models import OrgUnit


class ProvinceState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Chờ lãnh đạo tỉnh duyệt")
    APPROVED = "approved", _("Lãnh đạo tỉnh đã duyệt")
    SENT = "sent", _("Đã gửi lên cấp trên")


class ProvinceReport(models.Model):
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="province_reports",
                             verbose_name=_("đơn vị"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("kỳ báo cáo"))
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("biểu mẫu"))
    # Which unit reports the totals count (a StateScope value): accepted ones, as an official
    # document prints, unless the office chose otherwise before submitting.
    scope = models.CharField(_("phạm vi trạng thái"), max_length=12, default="accepted")
    state = models.CharField(_("trạng thái"), max_length=12, choices=ProvinceState.choices,
                             default=ProvinceState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    document_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("báo cáo của tỉnh")
        verbose_name_plural = _("báo cáo của tỉnh")
        constraints = [models.UniqueConstraint(fields=["unit", "period", "template"],
                                               name="province_report_unique")]

    def __str__(self) -> str:
        return f"{self.unit.code} · {self.period.code} · {self.template.code}"

    @property
    def is_editable(self) -> bool:
        """Its narrative and scope change only while it is a draft."""
        return self.state == ProvinceState.DRAFT


class ProvinceSnapshot(models.Model):
    """What the province's leader approved: one per approval, never changed afterwards."""

    report = models.ForeignKey(ProvinceReport, on_delete=models.CASCADE,
                               related_name="snapshots")
    version = models.PositiveIntegerField()  # the province report's version it froze
    scope = models.CharField(max_length=12)
    approved_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")
    actor = models.CharField(max_length=150)
    narrative = models.JSONField(default=dict)  # outline key → the province's text
    scope_size = models.PositiveIntegerField()  # units below the province
    expected = models.PositiveIntegerField()  # units that owed a report
    received = models.PositiveIntegerField()  # of those, reports received
    # Set when the province report is reopened: the snapshot is history, no longer in force.
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-approved_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report} v{self.version}"


class SnapshotTotal(models.Model):
    """One consolidated total as approved; a blank (no unit answered) is a NULL number."""

    snapshot = models.ForeignKey(ProvinceSnapshot, on_delete=models.CASCADE,
                                 related_name="totals")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    number = StoredNumber(null=True)
    units = models.PositiveIntegerField()  # how many units' values it covers
    not_applicable = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)  # a choice row: stored code → units

    class Meta:
        constraints = [models.UniqueConstraint(fields=["snapshot", "indicator"],
                                               name="snapshot_total_unique")]

    def __str__(self) -> str:
        return f"{self.snapshot} · {self.indicator_id}: {self.number}"


class SnapshotReport(models.Model):
    """A unit report the approved totals counted, as it was then."""

    snapshot = models.ForeignKey(ProvinceSnapshot, on_delete=models.CASCADE,
                                 related_name="reports")
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    state = models.CharField(max_length=12)
    submitted_at = models.DateTimeField(null=True)
    accepted_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["snapshot", "report"],
                                               name="snapshot_report_unique")]

    def __str__(self) -> str:
        return f"{self.snapshot} · report {self.report_id} v{self.version}"


class ProvinceAction(models.TextChoices):
    CREATED = "created", _("Tạo báo cáo của tỉnh")
    SUBMITTED = "submitted", _("Trình lãnh đạo tỉnh")
    APPROVED = "approved", _("Lãnh đạo tỉnh duyệt")
    RETURNED = "returned", _("Lãnh đạo tỉnh trả lại")
    REOPENED = "reopened", _("Mở lại để sửa")
    SENT = "sent", _("Gửi lên cấp trên")


class ProvinceReportEvent(models.Model):
    """Audit of the province report's life: who, when, from where, old and new state."""

    report = models.ForeignKey(ProvinceReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=ProvinceAction.choices)
    old_state = models.CharField(max_length=12, blank=True)
    new_state = models.CharField(max_length=12, blank=True)
    detail = models.JSONField(default=dict, blank=True)  # reason, snapshot, document number
    happened_at = models.DateTimeField(db_index=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT,
                                   related_name="+")
    actor = models.CharField(max_length=150)
    source = models.CharField(max_length=8, choices=Source.choices)
    origin = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["happened_at", "id"]

    def __str__(self) -> str:
        return f"{self.happened_at:%d/%m/%Y %H:%M} {self.actor}: {self.action}"
