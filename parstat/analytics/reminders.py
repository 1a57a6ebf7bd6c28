"""Reminders of upcoming and passed deadlines for reports not yet received.

A reminder goes to each missing unit (see :mod:`parstat.analytics.completeness`) of each period
whose deadline is within ``ahead`` days (upcoming) or passed less than ``overdue`` days ago
(overdue), addressed to the unit's contact when it is an e-mail address and to the unit's
reporters and approvers. A unit with no address is still listed, so someone can phone it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from parstat.accounts.models import Membership, Role
from parstat.reporting.models import Period
from parstat.units.models import OrgUnit
from parstat.vnformat import period_label, vn_date

from .completeness import completeness


@dataclass(frozen=True)
class Reminder:
    unit: OrgUnit
    period: Period
    overdue: bool
    recipients: tuple[str, ...]
    draft: bool  # a report was begun but not submitted

    @property
    def subject(self) -> str:
        what = "Quá hạn" if self.overdue else "Sắp đến hạn"
        return f"[parstat] {what} nộp báo cáo CCHC {period_label(self.period.code)} — {self.unit.name}"

    @property
    def body(self) -> str:
        deadline = vn_date(self.period.deadline)
        state = ("Báo cáo đang soạn, chưa gửi." if self.draft else "Chưa có báo cáo.")
        lead = (f"Đã quá hạn nộp ({deadline})." if self.overdue
                else f"Hạn nộp: {deadline}.")
        return (f"Kính gửi {self.unit.name},\n\n"
                f"Báo cáo kết quả CCHC kỳ {period_label(self.period.code)} "
                f"(số liệu từ {vn_date(self.period.start)} đến {vn_date(self.period.end)}) "
                f"của đơn vị chưa được gửi. {state} {lead}\n\n"
                "Đề nghị đơn vị hoàn thành và gửi báo cáo trên hệ thống parstat.\n")


def due_periods(today: date, *, ahead: int, overdue: int) -> list[tuple[Period, bool]]:
    periods = Period.objects.filter(deadline__gte=today - timedelta(days=overdue),
                                    deadline__lte=today + timedelta(days=ahead))
    return [(p, p.deadline < today) for p in periods.order_by("deadline")]


def _addresses(units: Iterable[OrgUnit]) -> dict[int, list[str]]:
    units = list(units)
    out: dict[int, list[str]] = {u.pk: [u.contact.strip()] if "@" in u.contact else []
                                 for u in units}
    rows = (Membership.objects.filter(unit__in=units, role__in=(Role.REPORTER, Role.APPROVER),
                                      user__is_active=True)
            .exclude(user__email="").values_list("unit_id", "user__email"))
    for unit_id, email in rows:
        if email not in out[unit_id]:
            out[unit_id].append(email)
    return out


def reminders(today: date, *, ahead: int = 5, overdue: int = 30, root: OrgUnit | None = None,
              period: Period | None = None) -> list[Reminder]:
    roots = [root] if root else list(OrgUnit.objects.filter(parent__isnull=True).order_by("code"))
    chosen = [(period, period.deadline < today)] if period else due_periods(
        today, ahead=ahead, overdue=overdue)
    out: list[Reminder] = []
    for due, is_overdue in chosen:
        missing = [m for r in roots for m in completeness(r, due).missing]
        addresses = _addresses(m.unit for m in missing)
        out.extend(Reminder(unit=m.unit, period=due, overdue=is_overdue,
                            recipients=tuple(addresses[m.unit.pk]), draft=m.draft is not None)
                   for m in missing)
    return out
