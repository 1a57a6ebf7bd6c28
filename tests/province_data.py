"""A province report approved by its leader over the accepted seed report: what the package
tests (building, receiving, two servers) start from."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parstat.province.models import ProvinceReport
from parstat.province.workflow import ProvinceStep, do_open_province_report, do_province_step
from parstat.reporting.actions import Actor, CellUpdate, do_set_values
from parstat.reporting.models import Report, Source
from parstat.reporting.values import CellValue
from parstat.reporting.workflow import Step, do_transition
from parstat.units.models import OrgUnit


def actor(user: Any) -> Actor:
    return Actor(user=user, source=Source.FORM, origin="127.0.0.1")


def set_number(report: Report, code: str, number: int, by: Actor) -> None:
    indicator = report.template.indicators.get(code=code)
    do_set_values(report, [CellUpdate(indicator, CellValue(number=Decimal(number)))],
                  acting_user=by)


def accept_seed(seed_report: Report, system: Actor) -> Report:
    """The seed report corrected (so it may be submitted), submitted and accepted."""
    set_number(seed_report, "VII.5.f", 100, system)
    set_number(seed_report, "III.4.c.2", 0, system)
    do_transition(seed_report, Step.SUBMIT, acting_user=system, text="Đã kiểm tra")
    do_transition(seed_report, Step.ACCEPT, acting_user=system)
    seed_report.refresh_from_db()
    return seed_report


def approve_province(accepted: Report, office: Any, leader: Any) -> ProvinceReport:
    root = OrgUnit.objects.get(code="ST")
    report = do_open_province_report(root, accepted.period, accepted.template,
                                     acting_user=actor(office))
    do_province_step(report, ProvinceStep.SUBMIT, acting_user=actor(office))
    do_province_step(report, ProvinceStep.APPROVE, acting_user=actor(leader))
    report.refresh_from_db()
    return report
