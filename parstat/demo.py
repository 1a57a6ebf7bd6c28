"""A synthetic demo province, clearly labelled, with generated reports for 2023 and 2024.

Nothing here is real data: every unit and report made here carries ``synthetic=True`` and the
word "minh họa" in its name, and exports print a banner saying so. Values follow the template's
rules most of the time (parts are repaired to fit their whole), with a few deliberate
inconsistencies and blanks so that checks and completeness have something to show. The same
seed always gives the same data.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from parstat.catalog.editions import template_for
from parstat.catalog.models import Indicator, Kind
from parstat.errors import ParstatError
from parstat.reporting.actions import Actor, CellUpdate, do_set_values, get_or_create_report
from parstat.reporting.models import Period, Report, Source
from parstat.reporting.periods import periods_of_year
from parstat.reporting.values import CellValue
from parstat.reporting.workflow import do_accept_report, do_submit_report
from parstat.rules.evaluate import CompiledTemplate, compare, compile_template, rule_sides
from parstat.units.models import OrgUnit, UnitKind
from parstat.units.registry import SEED_PERIOD_CODE, SEED_UNIT_CODE, ensure_real_units

SEED_FILE = Path(__file__).parent / "seeds" / "000_6b98368d79752b38.txt"
DEMO_PROVINCE = "DEMO"
DEMO_SUFFIX = " (minh họa)"
DEMO_DEPARTMENTS = [
    "Sở Tư pháp", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Sở Xây dựng", "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường", "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ",
    "Sở Tài chính", "Sở Dân tộc và Tôn giáo", "Thanh tra tỉnh", "Văn phòng UBND tỉnh",
]
DEMO_YEARS = (2023, 2024)
LATEST_DEMO_PERIOD = "2024"
MONTHS = {"Q1": 3, "S1": 6, "Q3": 3, "Y": 12}  # length of each period's data window
DEMO_ACTOR = Actor(source=Source.DEMO, origin="parstat init --demo")


def ensure_demo_units() -> list[OrgUnit]:
    province, _ = OrgUnit.objects.update_or_create(code=DEMO_PROVINCE, defaults={
        "name": "Tỉnh Minh Họa (dữ liệu tổng hợp)", "kind": UnitKind.PROVINCE, "synthetic": True})
    OrgUnit.objects.update_or_create(code=f"{DEMO_PROVINCE}-SNV", defaults={
        "name": "Sở Nội vụ" + DEMO_SUFFIX, "kind": UnitKind.HOME_AFFAIRS, "parent": province,
        "synthetic": True, "contact": "cchc@snv.minhhoa.example"})
    departments = []
    for number, name in enumerate(DEMO_DEPARTMENTS, start=1):
        unit, _ = OrgUnit.objects.update_or_create(code=f"{DEMO_PROVINCE}-S{number:02d}", defaults={
            "name": name + DEMO_SUFFIX, "kind": UnitKind.DEPARTMENT, "parent": province,
            "synthetic": True, "contact": f"vanthu.s{number:02d}@minhhoa.example"})
        departments.append(unit)
    return departments


DEMO_COMMUNES = ["Xã An Bình", "Phường Hòa Thuận", "Xã Tân Phú"]
COMMUNES_FROM = date(2025, 7, 1)  # communes report to the province from the 2025 reorganisation


def ensure_demo_communes() -> list[OrgUnit]:
    """Three synthetic communes under the demo province, from 1 July 2025 (no reports made:
    the due list and completeness show what a commune owes, on the communes' demo table)."""
    province = OrgUnit.objects.get(code=DEMO_PROVINCE)
    communes = []
    for number, name in enumerate(DEMO_COMMUNES, start=1):
        unit, _ = OrgUnit.objects.update_or_create(code=f"{DEMO_PROVINCE}-X{number:02d}", defaults={
            "name": name + DEMO_SUFFIX, "kind": UnitKind.COMMUNE, "parent": province,
            "synthetic": True, "valid_from": COMMUNES_FROM,
            "contact": f"vanthu.x{number:02d}@minhhoa.example"})
        communes.append(unit)
    return communes


def demo_plan(departments: list[OrgUnit]) -> Iterator[tuple[OrgUnit, Period]]:
    """Which unit reports which period: nearly all, so completeness has a few gaps to show."""
    periods = [p for year in DEMO_YEARS for p in periods_of_year(year)]
    for index, unit in enumerate(departments):
        for period in periods:
            late_gap = period.code == "2024" and index in (3, 7)
            if late_gap or (period.code == "2024Q3" and index == 5):
                continue
            yield unit, period


def generate_values(compiled: CompiledTemplate, indicators: list[Indicator], rng: random.Random,
                    months: int) -> dict[str, Decimal]:
    size = rng.choice((0.5, 1, 1, 2, 4))  # departments differ a lot in size
    values: dict[str, Decimal] = {}
    for indicator in indicators:
        if indicator.formula or rng.random() < 0.15:
            continue  # derived rows stay blank so they are computed; some cells are not reported
        value = _draw(indicator, rng, size, months)
        if value is not None:
            values[indicator.code] = value
    _repair(compiled, values)
    if rng.random() < 0.15:
        _break_one_rule(compiled, values, rng)
    return values


def _draw(indicator: Indicator, rng: random.Random, size: float, months: int) -> Decimal | None:
    if indicator.kind == Kind.COUNT:
        scale = size * (months / 12 if not indicator.cumulative else 1)
        return Decimal(int(rng.expovariate(1 / max(1.0, 20 * scale))))
    if indicator.kind == Kind.PERCENT:
        return Decimal(str(round(rng.uniform(60, 100), 1)))
    if indicator.kind in (Kind.FLAG, Kind.CHOICE):
        weights = [4 if c["value"] == 1 else 1 for c in indicator.choices]
        return Decimal(rng.choices([c["value"] for c in indicator.choices], weights)[0])
    if indicator.kind == Kind.DECIMAL:
        return Decimal(str(round(rng.uniform(0, 100 * size), 2)))
    return None  # text and headings stay blank


def _repair(compiled: CompiledTemplate, values: dict[str, Decimal]) -> None:
    """Make parts fit their whole: raise a lone whole, or else lower a lone part, until rules pass."""
    for _ in range(6):
        changed = False
        for rule in compiled.rules:
            if rule.operator not in ("<=", ">="):
                continue
            sides = rule_sides(rule, values)
            if sides is None or compare(sides[0], rule.operator, sides[1]):
                continue
            part, whole = (rule.left, rule.right) if rule.operator == "<=" else (rule.right, rule.left)
            if len(whole.codes) == 1:
                values[next(iter(whole.codes))] = max(sides)
                changed = True
            elif len(part.codes) == 1:
                values[next(iter(part.codes))] = min(sides)
                changed = True
        if not changed:
            return


def _break_one_rule(compiled: CompiledTemplate, values: dict[str, Decimal],
                    rng: random.Random) -> None:
    candidates = [r for r in compiled.rules if r.operator == "<=" and len(r.left.codes) == 1
                  and all(values.get(c) is not None for c in r.codes)]
    if candidates:
        rule = rng.choice(candidates)
        (code,) = rule.left.codes
        right = rule.right.evaluate(values)
        if isinstance(right, Decimal):
            values[code] = right + 1 + Decimal(rng.randint(0, 20))


def load_demo(progress: bool = True) -> dict[str, int]:
    from tqdm import tqdm

    departments = ensure_demo_units()
    ensure_demo_communes()
    plan = list(demo_plan(departments))
    tables: dict[int, tuple[CompiledTemplate, list[Indicator]]] = {}
    written = 0
    for unit, period in tqdm(plan, desc="Dữ liệu minh họa", unit="báo cáo", disable=not progress):
        template = template_for(unit, period)
        assert template is not None, "the department template must be loaded first"
        if template.pk not in tables:
            tables[template.pk] = (compile_template(template), list(
                Indicator.objects.filter(template=template).order_by("position")))
        compiled, indicators = tables[template.pk]
        by_code = {i.code: i for i in indicators}
        rng = random.Random(f"{unit.code}/{period.code}")
        values = generate_values(compiled, indicators, rng, MONTHS[period.kind])
        report, created = get_or_create_report(unit, template, period, acting_user=DEMO_ACTOR)
        updates = [CellUpdate(by_code[code], CellValue(number=value)) for code, value in values.items()]
        written += do_set_values(report, updates, acting_user=DEMO_ACTOR).imported
        if created:
            _send_like_a_department(report, rng)
    return {"units": len(departments), "reports": len(plan), "values": written}


def _send_like_a_department(report: Report, rng: random.Random) -> None:
    """Past periods: most reports were sent around the deadline and accepted; the latest
    period is still being filled. Reports with errors stay drafts, as the workflow demands."""
    if report.period.code == LATEST_DEMO_PERIOD or rng.random() < 0.1:
        return
    deadline = datetime.combine(report.period.deadline, time(16, 0),
                                tzinfo=timezone.get_current_timezone())
    sent = deadline + timedelta(days=rng.choice((-3, -2, -1, -1, 0, 0, 0, 1, 3)))
    try:
        do_submit_report(report, acting_user=DEMO_ACTOR, explanation="Dữ liệu minh họa", at=sent)
    except ParstatError:
        return
    if rng.random() < 0.85:
        do_accept_report(report, acting_user=DEMO_ACTOR, at=sent + timedelta(days=2))


def load_seed_report() -> dict:
    from parstat.imports.service import import_file

    ensure_real_units()
    periods_of_year(int(SEED_PERIOD_CODE[:4]))  # the demo makes its periods, as init does
    actor = Actor(source=Source.IMPORT, origin="parstat init --demo")
    result = import_file(SEED_FILE, unit_code=SEED_UNIT_CODE, period_code=SEED_PERIOD_CODE,
                         acting_user=actor)
    return result.as_dict()
