"""Organisation units: the tree of who reports, with their lives and successors.

Units are never deleted when they merge or close (see DOMAIN.md, the 2025 reorganisation): they get
a ``valid_to`` date and a ``successor``, their reports stay filed under them, and analytics can
follow the successor links to today's structure.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from parstat.audit import Acted


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DEPARTMENT = "department", _("Sở, ngành")
    HOME_AFFAIRS = "home_affairs", _("Sở Nội vụ (cơ quan tổng hợp)")
    DISTRICT = "district", _("Huyện, thị xã, thành phố thuộc tỉnh")
    COMMUNE = "commune", _("Xã, phường, thị trấn")


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def restrict(self, user: Any, action: str = "view") -> OrgUnitQuerySet:
        """The units whose reports ``user``'s roles allow ``action`` on; decided by
        :func:`parstat.accounts.permissions.restrict_units` (imported when called: the
        permissions depend on the units, not the other way round)."""
        from parstat.accounts.permissions import restrict_units

        return restrict_units(self, user, action)  # type: ignore[return-value]

    def valid_on(self, day: date) -> OrgUnitQuerySet:
        return self.filter(models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
                           models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))


class OrgUnit(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    kind = models.CharField(_("loại"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", verbose_name=_("đơn vị cấp trên"))
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="predecessors", verbose_name=_("đơn vị kế thừa"))
    synthetic = models.BooleanField(_("dữ liệu minh họa"), default=False)
    # The unit's contact address: reminders go to it when it is an e-mail address.
    contact = models.CharField(_("liên hệ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def is_valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to)

    def current_successor(self) -> OrgUnit:
        """Follow successor links to the unit that holds this one's place today."""
        unit, seen = self, {self.pk}
        while unit.successor_id is not None and unit.successor_id not in seen:
            seen.add(unit.successor_id)
            unit = unit.successor  # type: ignore[assignment]
        return unit


class UnitChangeKind(models.TextChoices):
    CREATED = "created", _("Tạo đơn vị")
    CHANGED = "changed", _("Sửa thông tin")
    MERGED = "merged", _("Sáp nhập")


class UnitChange(Acted):
    """Audit of the registry: who created, changed or merged a unit, when, from which file."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="changes",
                             verbose_name=_("đơn vị"))
    kind = models.CharField(_("loại thay đổi"), max_length=10, choices=UnitChangeKind.choices)
    detail = models.JSONField(_("chi tiết"), default=dict)  # field → [old, new]
    happened_at = models.DateTimeField(_("lúc"), db_index=True)

    class Meta:
        verbose_name = _("lịch sử đơn vị")
        verbose_name_plural = _("lịch sử đơn vị")
        ordering = ["happened_at", "id"]

    def __str__(self) -> str:
        return f"{self.happened_at:%d/%m/%Y %H:%M} {self.actor}: {self.kind} {self.unit_id}"
