"""Periods, reports, their values, and the audit trail of every change.

State changes happen only through the ``do_…`` functions in :mod:`parstat.reporting.actions`,
each atomic and each writing audit rows; nothing else writes these tables.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from parstat.audit import Acted
from parstat.audit import Source as Source  # where the reports' callers have always found it
from parstat.catalog.models import Indicator, Template
from parstat.units.models import OrgUnit


class PeriodKind(models.TextChoices):
    Q1 = "Q1", _("Quý I")
    S1 = "S1", _("6 tháng")
    Q3 = "Q3", _("Quý III (9 tháng)")
    Y = "Y", _("Năm")


class Period(models.Model):
    code = models.CharField(_("mã"), max_length=8, unique=True)  # 2023Q1, 2023S1, 2023Q3, 2023
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại kỳ"), max_length=2, choices=PeriodKind.choices)
    start = models.DateField(_("số liệu từ ngày"))
    end = models.DateField(_("số liệu đến ngày"))
    deadline = models.DateField(_("hạn nộp"))

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["year", "end"]

    def __str__(self) -> str:
        return self.code


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")  # also where a returned report goes back to
    SUBMITTED = "submitted", _("Đã gửi")
    ACCEPTED = "accepted", _("Đã tiếp nhận")  # locked until a consolidator reopens it


class ReportQuerySet(models.QuerySet["Report"]):
    def restrict(self, user: Any, action: str = "view") -> ReportQuerySet:
        """The reports ``user`` may take ``action`` on now; decided by
        :func:`parstat.accounts.permissions.restrict_reports` (imported when called: the
        permissions depend on the reports, not the other way round)."""
        from parstat.accounts.permissions import restrict_reports

        return restrict_reports(self, user, action)  # type: ignore[return-value]


class Report(models.Model):
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="reports",
                             verbose_name=_("đơn vị"))
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="reports",
                                 verbose_name=_("biểu mẫu"))
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="reports",
                               verbose_name=_("kỳ báo cáo"))
    state = models.CharField(_("trạng thái"), max_length=12, choices=ReportState.choices,
                             default=ReportState.DRAFT)
    # Bumped on every change, so a writer holding an older version can be refused, not obeyed.
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    document_number = models.CharField(_("số văn bản"), max_length=60, blank=True)
    document_date = models.DateField(_("ngày văn bản"), null=True, blank=True)
    document_issuer = models.CharField(_("cơ quan ban hành"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("dữ liệu minh họa"), default=False)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    # Against the period's deadline at the moment of (the latest) submission.
    submitted_late = models.BooleanField(_("gửi trễ hạn"), default=False)
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    # The live totals' group this report's values are counted in (parstat.analytics.totals):
    # its unit's parent (the unit itself at the top) when it was last counted; None = not yet.
    totals_group = models.IntegerField(null=True, blank=True, editable=False)
    # The report's findings (errors, warnings) as of its last change, stored by the actions that
    # change its values so lists of reports need not evaluate every report; None = not yet.
    error_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    warning_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The findings themselves, as of the same moment (rule, severity, message, codes, left,
    # right; numbers as exact text), so the quality page lists them without evaluating.
    findings = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["period__year", "period__end", "unit__code"]
        constraints = [models.UniqueConstraint(fields=["unit", "template", "period"],
                                               name="report_unique_unit_template_period")]
        # A recount of the live totals reads one group's reports (parstat.analytics.totals).
        indexes = [models.Index(fields=["period", "template", "totals_group"],
                                name="report_totals_group")]

    def __str__(self) -> str:
        return f"{self.unit.code} · {self.period.code} · {self.template.code}"

    @property
    def is_locked(self) -> bool:
        return self.state == ReportState.ACCEPTED

    @property
    def is_editable(self) -> bool:
        return self.state == ReportState.DRAFT


class StoredNumber(models.DecimalField):
    """The column of every stored number: DecimalField(20, 4), read without ever failing.

    What may be stored is checked before the database (``parstat.reporting.values``: 15 digits,
    4 decimals). A row written before those checks, or by hand, may hold more; Django's SQLite
    reader then fails quantizing it to ``max_digits`` and every page showing the report would
    answer 500. Reading with room to spare shows the value instead (the rules flag it).
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_digits", 20)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    @cached_property
    def context(self) -> decimal.Context:
        return decimal.Context(prec=self.max_digits + 20)


class Value(models.Model):
    """One cell of a report. No row, or a row with ``number`` and ``text`` both null, is blank.

    A row may exist with a blank value to hold a note ("Ghi chú"). Zero is stored as 0.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values",
                               verbose_name=_("báo cáo"))
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values",
                                  verbose_name=_("chỉ tiêu"))
    number = StoredNumber(_("giá trị số"), null=True, blank=True)
    # NULL, not "", is the blank text value: an empty string would be a value someone typed.
    text = models.TextField(_("giá trị chữ"), null=True, blank=True)  # noqa: DJ001
    note = models.TextField(_("ghi chú"), blank=True, default="")

    class Meta:
        verbose_name = _("giá trị")
        verbose_name_plural = _("giá trị")
        constraints = [models.UniqueConstraint(fields=["report", "indicator"],
                                               name="value_unique_report_indicator")]
        indexes = [models.Index(fields=["indicator", "report"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} = {self.content}"

    @property
    def is_blank(self) -> bool:
        return self.number is None and self.text is None

    @property
    def content(self) -> Decimal | str | None:
        return self.number if self.number is not None else self.text


class ValueChange(Acted):
    """Audit of one value or note change: who, when, from where, old and new."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="value_changes")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    old_number = StoredNumber(null=True)
    old_text = models.TextField(null=True)  # noqa: DJ001 (NULL is blank, as in Value)
    new_number = StoredNumber(null=True)
    new_text = models.TextField(null=True)  # noqa: DJ001
    old_note = models.TextField(default="")
    new_note = models.TextField(default="")
    changed_at = models.DateTimeField(db_index=True)
    version = models.PositiveIntegerField(default=0)  # the report's version this change made

    class Meta:
        verbose_name = _("lịch sử thay đổi giá trị")
        verbose_name_plural = _("lịch sử thay đổi giá trị")
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.changed_at:%d/%m/%Y %H:%M} {self.actor}: {self.old_value} → {self.new_value}"

    @property
    def old_value(self) -> Decimal | str | None:
        return self.old_number if self.old_number is not None else self.old_text

    @property
    def new_value(self) -> Decimal | str | None:
        return self.new_number if self.new_number is not None else self.new_text


class EventAction(models.TextChoices):
    """What happened to a report (its values' changes are ValueChange rows, not events)."""

    CREATED = "created", _("Tạo báo cáo")
    DOCUMENT = "document", _("Ghi thông tin văn bản")
    SUBMITTED = "submitted", _("Gửi báo cáo")
    ACCEPTED = "accepted", _("Tiếp nhận")
    RETURNED = "returned", _("Trả lại")
    REOPENED = "reopened", _("Mở lại")


class ReportEvent(Acted):
    """Audit of a report's own life: created, document facts, state transitions."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=40, choices=EventAction.choices)
    old_state = models.CharField(max_length=12, blank=True)
    new_state = models.CharField(max_length=12, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    happened_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("lịch sử báo cáo")
        verbose_name_plural = _("lịch sử báo cáo")
        ordering = ["happened_at", "id"]

    def __str__(self) -> str:
        return f"{self.happened_at:%d/%m/%Y %H:%M} {self.actor}: {self.action}"


class TotalsGroup(models.Model):
    """One lock per (period, template, group): writers of one group take turns recounting it,
    so no recount misses another writer's values; writers of other groups never wait."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="+")
    group = models.IntegerField()  # a unit id (see Report.totals_group)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["period", "template", "group"],
                                               name="totals_group_unique")]

    def __str__(self) -> str:
        return f"{self.period_id} · {self.template_id} · {self.group}"


class ExactSum(models.DecimalField):
    """A live total's sum, exact on both databases: PostgreSQL's numeric(34, 4), and on SQLite
    the decimal's text. SQLite gives a decimal column REAL storage, which keeps 15 significant
    digits: one value fits (``values.MAX_DIGITS``), but a sum of many may not, and a province's
    total of 1.000.000.000.000.000 read back as 1,00000000000000E+15 would be a wrong number
    nobody was told of. Read as a Decimal from either."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max_digits", 34)
        kwargs.setdefault("decimal_places", 4)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    @cached_property
    def context(self) -> decimal.Context:  # room to spare, as StoredNumber: quantizing never fails
        return decimal.Context(prec=self.max_digits + 20)

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "sqlite":
            return "text"
        return f"numeric({self.max_digits}, {self.decimal_places})"

    def get_internal_type(self) -> str:
        # Not "DecimalField": SQLite's reader would take the text for a float and round it.
        # The column type comes from db_type above, on every database.
        return "ExactSum"

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None:
            return None
        number = self.to_python(value)
        if connection.vendor != "sqlite":
            return number
        # Written with its four decimals, as numeric(34, 4) keeps it: the same text whichever
        # way the row came (a save, a restore from PostgreSQL), so a copy compares equal.
        return str(number.quantize(decimal.Decimal(1).scaleb(-self.decimal_places),
                                   context=self.context))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> decimal.Decimal | None:
        return stored_sum(value)


def stored_sum(value: Any) -> decimal.Decimal | None:
    """An ``ExactSum`` column's value as a database cursor gives it: a Decimal (PostgreSQL), the
    text ``ExactSum`` wrote (SQLite), or None. A part SQLite stored before the column held text
    (a REAL then) reads as the number it held; the migration to text recounts them all."""
    if value is None or isinstance(value, decimal.Decimal):
        return value
    return decimal.Decimal(value if isinstance(value, str) else repr(value))


class TotalPart(models.Model):
    """What one group's reports in one state add up to for one indicator (the live totals,
    parstat.analytics.totals). A consolidated table adds up these parts instead of the values."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="+")
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="+")
    group = models.IntegerField()
    state = models.CharField(max_length=12, choices=ReportState.choices)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    answered = models.PositiveIntegerField(default=0)  # non-blank numbers
    texts = models.PositiveIntegerField(default=0)  # non-blank texts
    # Sums of thousands of 15-digit values need more room than one value's column.
    total = ExactSum(null=True)
    low = ExactSum(null=True)
    high = ExactSum(null=True)
    counts = models.JSONField(default=dict)  # choice code ("1", "2") → how many answered it
    covered = models.PositiveIntegerField(default=0)  # formula rows: reports that qualify
    sums = models.JSONField(default=dict)  # formula rows: input id → exact sum, as text

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["period", "template", "group", "state", "indicator"],
            name="total_part_unique")]

    def __str__(self) -> str:
        return f"{self.group} · {self.state} · {self.indicator_id}: {self.total} ({self.answered})"
