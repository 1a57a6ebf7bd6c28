"""Creating people and giving them roles: the CLI, the demo and the admin pages share this."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from parstat.accounts.models import Membership, Role
from parstat.units.models import OrgUnit

DEMO_PASSWORD = "demo"


@transaction.atomic
def ensure_user(username: str, *, password: str | None, roles: tuple[tuple[str, str], ...] | list[tuple[str, str]] = (),
                administrator: bool = False, full_name: str = "") -> object:
    """Create or update ``username`` with the given (unit code, role) pairs."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    if password is not None:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    if full_name:
        user.first_name = full_name[:150]
    user.is_staff = user.is_superuser = administrator or user.is_superuser
    user.save()
    for unit_code, role in roles:
        Membership.objects.get_or_create(user=user, unit=OrgUnit.objects.get(code=unit_code),
                                         role=Role(role))
    return user


def ensure_demo_accounts(seed_unit: str, demo_province: str, seed_province: str) -> list[str]:
    """One account per role, password "demo", as README lists them."""
    ensure_user("demo-reporter", password=DEMO_PASSWORD, full_name="Người báo cáo (minh họa)",
                roles=[(seed_unit, Role.REPORTER)])
    ensure_user("demo-approver", password=DEMO_PASSWORD, full_name="Lãnh đạo đơn vị (minh họa)",
                roles=[(seed_unit, Role.APPROVER)])
    # The demo province's Home Affairs office; it also consolidates the seed's real province so
    # that the whole workflow can be walked through on the real report.
    ensure_user("demo-consolidator", password=DEMO_PASSWORD,
                full_name="Sở Nội vụ — tổng hợp (minh họa)",
                roles=[(demo_province, Role.CONSOLIDATOR), (seed_province, Role.CONSOLIDATOR)])
    # The province's leader approves the province's report (parstat.province.workflow) and
    # reads every unit's reports and totals below (a viewer there: the analysis pages, the
    # periods, the reports), as a province's leaders do.
    ensure_user("demo-leader", password=DEMO_PASSWORD, full_name="Lãnh đạo tỉnh (minh họa)",
                roles=[(demo_province, Role.APPROVER), (seed_province, Role.APPROVER),
                       (demo_province, Role.VIEWER), (seed_province, Role.VIEWER)])
    ensure_user("demo-admin", password=DEMO_PASSWORD, full_name="Quản trị (minh họa)",
                administrator=True)
    return ["demo-reporter", "demo-approver", "demo-consolidator", "demo-leader", "demo-admin"]
