"""The indicator table as data: templates, their sections, indicators and validation rules.

The database copy is loaded from ``parstat/catalog/data/*.yaml`` by :mod:`parstat.catalog.loader`;
the YAML file is the single source of the table.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COUNT = "count", _("Số đếm")
    DECIMAL = "decimal", _("Số thập phân")
    PERCENT = "percent", _("Tỷ lệ %")
    FLAG = "flag", _("Có/Không (1/0)")
    CHOICE = "choice", _("Lựa chọn")
    TEXT = "text", _("Văn bản")
    GROUP = "group", _("Nhóm chỉ tiêu")


NUMERIC_KINDS = frozenset({Kind.COUNT, Kind.DECIMAL, Kind.PERCENT, Kind.FLAG, Kind.CHOICE,
                           Kind.GROUP})


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng")
    COUNT_ONES = "count_ones", _("Đếm số đơn vị trả lời 1")
    CHOICE_COUNTS = "choice_counts", _("Đếm theo từng lựa chọn")
    FORMULA = "formula", _("Tính lại theo công thức")
    LIST = "list", _("Liệt kê")
    NONE = "none", _("Không cộng dồn")


class Severity(models.TextChoices):
    ERROR = "error", _("Lỗi")
    WARNING = "warning", _("Cảnh báo")


class MissingStrategy(models.TextChoices):
    SKIP_IF_ANY_MISSING = "skip_if_any_missing", _("Bỏ qua khi thiếu một giá trị")
    SKIP_IF_ALL_MISSING = "skip_if_all_missing", _("Bỏ qua khi thiếu tất cả giá trị")
    NEVER_SKIP = "never_skip", _("Luôn kiểm tra (ô trống tính là 0)")


class Mapping(models.TextChoices):
    """How a row of an edition stands to the rows of the edition before it."""

    SAME = "same", _("Giữ nguyên")
    RENAMED = "renamed", _("Đổi tên")
    SPLIT = "split", _("Tách từ một chỉ tiêu")
    MERGED = "merged", _("Gộp từ nhiều chỉ tiêu")
    NEW = "new", _("Chỉ tiêu mới")


class Template(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    # The table across its editions ("B1-SN"); an edition is one issue of it ("B1-SN-2023").
    family = models.CharField(_("bảng"), max_length=40, db_index=True, default="")
    edition = models.PositiveIntegerField(_("năm ban hành"))
    # Used for the periods that end on or after this day, until the next edition's day.
    applies_from = models.DateField(_("áp dụng từ"), null=True, blank=True)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="next_editions", verbose_name=_("ấn bản trước"))
    synthetic = models.BooleanField(_("dữ liệu minh họa"), default=False)
    appendix = models.CharField(_("phụ lục"), max_length=100, blank=True)
    title = models.CharField(_("tiêu đề bảng"), max_length=100, blank=True)
    unit_kinds = models.JSONField(_("loại đơn vị áp dụng"), default=list)
    columns = models.JSONField(_("tiêu đề cột"), default=dict)
    source_sha256 = models.CharField(_("mã băm tệp nguồn"), max_length=64)
    loaded_at = models.DateTimeField(_("nạp lúc"), auto_now=True)

    class Meta:
        verbose_name = _("biểu mẫu")
        verbose_name_plural = _("biểu mẫu")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Section(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="sections",
                                 verbose_name=_("biểu mẫu"))
    numeral = models.CharField(_("số La Mã"), max_length=8)
    label = models.CharField(_("tên phần"), max_length=300)
    position = models.PositiveIntegerField(_("thứ tự"))

    class Meta:
        verbose_name = _("phần")
        verbose_name_plural = _("phần")
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "numeral"],
                                               name="section_unique_numeral")]

    def __str__(self) -> str:
        return f"{self.numeral}. {self.label}"


class Indicator(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="indicators",
                                 verbose_name=_("biểu mẫu"))
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="indicators",
                                verbose_name=_("phần"))
    code = models.CharField(_("mã"), max_length=40)
    stt = models.CharField(_("STT"), max_length=10, blank=True)
    label = models.TextField(_("chỉ tiêu"))
    unit = models.CharField(_("đơn vị tính"), max_length=200, blank=True)
    measure = models.CharField(_("đại lượng thực đếm"), max_length=100, blank=True)
    kind = models.CharField(_("loại giá trị"), max_length=10, choices=Kind.choices)
    aggregation = models.CharField(_("cách tổng hợp"), max_length=16,
                                   choices=Aggregation.choices)
    cumulative = models.BooleanField(_("lũy kế trong năm"), default=False)
    formula = models.CharField(_("công thức"), max_length=500, blank=True)
    # How a value typed into a formula row that disagrees with its formula is reported.
    formula_check = models.CharField(_("mức độ khi giá trị nhập khác công thức"), max_length=8,
                                     choices=Severity.choices, default=Severity.ERROR)
    choices = models.JSONField(_("các lựa chọn"), default=list, blank=True)
    level = models.PositiveSmallIntegerField(_("cấp"))
    position = models.PositiveIntegerField(_("thứ tự"))
    comment = models.TextField(_("ghi chú thiết kế"), blank=True)
    # The unit kinds the row applies to; empty: every kind that fills the template. Another
    # kind sees the row as "không áp dụng", never as missing.
    unit_kinds = models.JSONField(_("loại đơn vị áp dụng"), default=list, blank=True)
    # Codes of the previous edition's rows this one continues, and how (see Mapping).
    mapped_from = models.JSONField(_("từ chỉ tiêu của ấn bản trước"), default=list, blank=True)
    mapping = models.CharField(_("quan hệ với ấn bản trước"), max_length=8,
                               choices=Mapping.choices, blank=True)
    # Same place in the table but not the same quantity: a series stops here, never joins.
    breaks_series = models.BooleanField(_("đổi nghĩa (ngắt chuỗi số liệu)"), default=False)

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "code"],
                                               name="indicator_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def applies_to(self, unit_kind: str) -> bool:
        return not self.unit_kinds or unit_kind in self.unit_kinds

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS

    def choice_label(self, value: object) -> str:
        for choice in self.choices:
            if str(choice["value"]) == str(value):
                return str(choice["label"])
        return ""


class Rule(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="rules",
                                 verbose_name=_("biểu mẫu"))
    code = models.CharField(_("mã"), max_length=20)
    left = models.CharField(_("vế trái"), max_length=500)
    operator = models.CharField(_("phép so sánh"), max_length=2)
    right = models.CharField(_("vế phải"), max_length=500)
    severity = models.CharField(_("mức độ"), max_length=8, choices=Severity.choices)
    missing = models.CharField(_("khi thiếu giá trị"), max_length=24,
                               choices=MissingStrategy.choices,
                               default=MissingStrategy.SKIP_IF_ANY_MISSING)
    message = models.TextField(_("thông báo"))
    position = models.PositiveIntegerField(_("thứ tự"))

    class Meta:
        verbose_name = _("quy tắc kiểm tra")
        verbose_name_plural = _("quy tắc kiểm tra")
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "code"],
                                               name="rule_unique_code")]

    def __str__(self) -> str:
        return f"{self.code}: {self.left} {self.operator} {self.right}"


class UnitTemplate(models.Model):
    """A unit that fills a table other than its kind's (e.g. a department that files the
    communes' table). A unit with such rows fills exactly those tables."""

    unit = models.ForeignKey("units.OrgUnit", on_delete=models.CASCADE,
                             related_name="template_overrides", verbose_name=_("đơn vị"))
    family = models.CharField(_("bảng"), max_length=40)

    class Meta:
        verbose_name = _("biểu mẫu riêng của đơn vị")
        verbose_name_plural = _("biểu mẫu riêng của đơn vị")
        constraints = [models.UniqueConstraint(fields=["unit", "family"],
                                               name="unit_template_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.family}"


class TemplateChange(models.Model):
    """An erratum: the wording of an edition that already has reports, corrected in place."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="changes",
                                 verbose_name=_("biểu mẫu"))
    detail = models.JSONField(_("chi tiết"), default=dict)  # code → field → [old, new]
    happened_at = models.DateTimeField(_("lúc"))

    class Meta:
        verbose_name = _("đính chính biểu mẫu")
        verbose_name_plural = _("đính chính biểu mẫu")
        ordering = ["happened_at", "id"]

    def __str__(self) -> str:
        return f"{self.template_id} {self.happened_at:%d/%m/%Y}"
