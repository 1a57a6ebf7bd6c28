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

from parstat.audit import Acted
from parstat.catalog.models import Indicator, Template
from parstat.reporting.models import Period, Report, StoredNumber
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
    # While submitted: the code of the approval level it waits at
    # (settings.PARSTAT_PROVINCE_APPROVAL_LEVELS, parstat.province.levels); blank otherwise.
    level = models.CharField(_("cấp duyệt đang chờ"), max_length=30, blank=True)
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
    # No approval level configured: the office's submission is itself the approval.
    SUBMITTED_FINAL = "submit_final", _("Trình và chốt số liệu (không qua cấp duyệt)")
    # An approval level agreed and passed the report to the next level.
    PASSED = "passed", _("Đồng ý, trình cấp duyệt tiếp theo")
    APPROVED = "approved", _("Lãnh đạo tỉnh duyệt")
    RETURNED = "returned", _("Lãnh đạo tỉnh trả lại")
    REOPENED = "reopened", _("Mở lại để sửa")
    SENT = "sent", _("Gửi lên cấp trên")


class ProvinceReportEvent(Acted):
    """Audit of the province report's life: who, when, from where, old and new state."""

    report = models.ForeignKey(ProvinceReport, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=ProvinceAction.choices)
    old_state = models.CharField(max_length=12, blank=True)
    new_state = models.CharField(max_length=12, blank=True)
    # The approval level the report waited at before the step and waits at after it (codes).
    old_level = models.CharField(max_length=30, blank=True)
    new_level = models.CharField(max_length=30, blank=True)
    detail = models.JSONField(default=dict, blank=True)  # reason, snapshot, document number
    happened_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["happened_at", "id"]

    def __str__(self) -> str:
        return f"{self.happened_at:%d/%m/%Y %H:%M} {self.actor}: {self.action}"


# ---- the province package, sent upward and received by another installation ----

class SentPackage(models.Model):
    """The package a province report was sent as, kept byte for byte so that what was sent can
    be downloaded (and sent again) identical. One per approval: a report reopened and approved
    again is sent as a new package."""

    report = models.ForeignKey(ProvinceReport, on_delete=models.CASCADE,
                               related_name="sent_packages")
    snapshot = models.OneToOneField(ProvinceSnapshot, on_delete=models.PROTECT,
                                    related_name="sent_package")
    version = models.PositiveIntegerField()  # the province report's version it carries
    sha256 = models.CharField(max_length=64)  # of the .zip
    data = models.BinaryField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report} v{self.version} · {self.sha256[:12]}"


class ReceivedPackage(models.Model):
    """A province's package as another installation sent it: the .zip kept whole, and what it
    says parsed (its totals as :class:`ReceivedTotal`, blank as NULL). The newest version of a
    province's report for a period and table is in force; an older one is kept with
    ``superseded_at`` set."""

    province_code = models.CharField(_("mã tỉnh"), max_length=40)
    province_name = models.CharField(_("tên tỉnh"), max_length=300)
    period_code = models.CharField(_("kỳ báo cáo"), max_length=8, db_index=True)
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("biểu mẫu"))
    version = models.PositiveIntegerField(_("phiên bản"))
    state = models.CharField(_("trạng thái"), max_length=12)
    document_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    approved_at = models.DateTimeField()
    approved_by = models.CharField(max_length=150, blank=True)
    scope = models.CharField(max_length=12)
    scope_size = models.PositiveIntegerField()
    expected = models.PositiveIntegerField()
    received = models.PositiveIntegerField()
    narrative = models.JSONField(default=dict)
    content_sha256 = models.CharField(max_length=64)  # of package.json: the package's identity
    zip_sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    received_at = models.DateTimeField()
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.PROTECT, related_name="+")
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("gói số liệu đã nhận")
        verbose_name_plural = _("gói số liệu đã nhận")
        ordering = ["province_code", "-version"]
        constraints = [models.UniqueConstraint(
            fields=["province_code", "period_code", "template", "version"],
            name="received_package_unique")]

    def __str__(self) -> str:
        return f"{self.province_code} · {self.period_code} · {self.template_id} v{self.version}"


class ReceivedTotal(models.Model):
    package = models.ForeignKey(ReceivedPackage, on_delete=models.CASCADE,
                                related_name="totals")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    number = StoredNumber(null=True)  # NULL: the province left the row blank
    units = models.PositiveIntegerField()
    not_applicable = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["package", "indicator"],
                                               name="received_total_unique")]

    def __str__(self) -> str:
        return f"{self.package} · {self.indicator_id}: {self.number}"


class ReceivedReport(models.Model):
    """A unit report the province's totals counted, as the package lists it."""

    package = models.ForeignKey(ReceivedPackage, on_delete=models.CASCADE,
                                related_name="reports")
    unit_code = models.CharField(max_length=40)
    unit_name = models.CharField(max_length=300)
    state = models.CharField(max_length=12)
    version = models.PositiveIntegerField()
    submitted_at = models.DateTimeField(null=True)
    accepted_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.package} · {self.unit_code} v{self.version}"


class PackageAction(models.TextChoices):
    RECEIVED = "received", _("Nhận gói số liệu")
    REPLACED = "replaced", _("Nhận phiên bản mới thay phiên bản cũ")


class PackageEvent(Acted):
    """Audit of receiving: who stored which package, and which older version it replaced."""

    package = models.ForeignKey(ReceivedPackage, on_delete=models.CASCADE,
                                related_name="events")
    action = models.CharField(max_length=12, choices=PackageAction.choices)
    replaced = models.ForeignKey(ReceivedPackage, null=True, on_delete=models.PROTECT,
                                 related_name="+")
    detail = models.JSONField(default=dict, blank=True)
    happened_at = models.DateTimeField()

    class Meta:
        ordering = ["happened_at", "id"]

    def __str__(self) -> str:
        return f"{self.happened_at:%d/%m/%Y %H:%M} {self.actor}: {self.action}"
