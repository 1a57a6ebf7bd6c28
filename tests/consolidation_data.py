"""A small province for consolidation tests: fixed units, fixed values, built through the actions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from parstat.catalog.models import Indicator, Template
from parstat.reporting.actions import Actor, CellUpdate, do_set_values, get_or_create_report
from parstat.reporting.models import Report, Source
from parstat.reporting.periods import ensure_period
from parstat.reporting.values import CellValue
from parstat.units.models import OrgUnit, UnitKind

ACTOR = Actor(source=Source.CLI, origin="tests")


def unit(code: str, kind: str = UnitKind.DEPARTMENT, parent: OrgUnit | None = None,
         **extra: object) -> OrgUnit:
    return OrgUnit.objects.create(code=code, name=f"Đơn vị {code}", kind=kind, parent=parent,
                                  **extra)


def sign_in_consolidator(client, unit: OrgUnit):  # type: ignore[no-untyped-def]
    """The persona "an", consolidator of ``unit``, signed in on the test ``client``; the user."""
    from django.contrib.auth import get_user_model

    from parstat.accounts.models import Membership, Role

    user = get_user_model().objects.create_user("an", password="pw-an-12345")
    Membership.objects.create(user=user, unit=unit, role=Role.CONSOLIDATOR)
    client.force_login(user)
    return user


def file_report(template: Template, who: OrgUnit, period_code: str,
                values: dict[str, object]) -> Report:
    """File ``values`` (code → number or text; None stays blank) as ``who``'s report."""
    period = ensure_period(period_code)
    report, _ = get_or_create_report(who, template, period, acting_user=ACTOR)
    by_code = {i.code: i for i in Indicator.objects.filter(template=template)}
    updates = []
    for code, value in values.items():
        if value is None:
            continue
        cell = CellValue(text=value) if isinstance(value, str) else CellValue(
            number=Decimal(str(value)))
        updates.append(CellUpdate(by_code[code], cell))
    do_set_values(report, updates, acting_user=ACTOR)
    return report


def province_a(template: Template) -> OrgUnit:
    """Province A: three departments and a home-affairs office, quarter I 2024.

    A-S1 and A-S2 give the plan figures; A-S3 gives the plan total only and leaves most blank.
    """
    province = unit("A", UnitKind.PROVINCE)
    unit("A-SNV", UnitKind.HOME_AFFAIRS, province, contact="snv@a.example")
    s1 = unit("A-S1", parent=province, contact="s1@a.example")
    s2 = unit("A-S2", parent=province, contact="s2@a.example")
    s3 = unit("A-S3", parent=province, contact="Văn thư A-S3, 0299 3822 000")
    file_report(template, s1, "2024Q1", {"I.1.a": 40, "I.1.b": 13, "I.5": 1, "I.7.b": 1,
                                         "I.9": "Số hóa hồ sơ", "VI.3.a": 1, "III.7.a": 0})
    file_report(template, s2, "2024Q1", {"I.1.a": 10, "I.1.b": 10, "I.5": 0, "I.7.b": 2,
                                         "VI.3.c": 2, "III.7.a": 0})
    file_report(template, s3, "2024Q1", {"I.1.a": 50, "I.7.b": 2, "I.9": "=HYPERLINK(\"x\")"})
    return province


def province_b(template: Template) -> OrgUnit:
    province = unit("B", UnitKind.PROVINCE)
    secret = unit("B-S1", parent=province, contact="s1@b.example")
    file_report(template, secret, "2024Q1", {"I.1.a": 777, "I.5": 1})
    return province


def merged_department(template: Template, province: OrgUnit) -> OrgUnit:
    """A department that merged into A-S1 on 1 March 2025, with its own 2024 report."""
    old = unit("A-OLD", parent=province, valid_to=date(2025, 2, 28),
               successor=OrgUnit.objects.get(code="A-S1"))
    file_report(template, old, "2024Q1", {"I.1.a": 5, "I.1.b": 5})
    return old
