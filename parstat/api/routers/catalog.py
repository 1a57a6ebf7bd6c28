"""Reference data: templates (indicators, rules, formulas), units (tree, successors), periods."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Path, Query, Router

from parstat.accounts.permissions import visible_units
from parstat.catalog.models import Indicator, Rule, Section, Template
from parstat.errors import ParstatError
from parstat.reporting.models import Period
from parstat.reporting.periods import find_period
from parstat.units.models import OrgUnit

from ..access import user_of, visible_unit
from ..pagination import paginate
from ..schemas import (
    ChoiceOut,
    Code,
    Error,
    IndicatorOut,
    Page,
    PageQuery,
    PeriodCode,
    PeriodOut,
    PeriodQuery,
    RuleOut,
    SectionOut,
    TemplateOut,
    TemplateSummary,
    UnitDetail,
    UnitOut,
    UnitQuery,
)

router = Router()
READ_ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: Error}


def _template_summary(t: Template) -> dict[str, Any]:
    return {"code": t.code, "name": t.name, "edition": t.edition, "appendix": t.appendix,
            "title": t.title, "unit_kinds": list(t.unit_kinds or [])}


@router.get("/templates", response={200: Page[TemplateSummary], **READ_ERRORS},
            tags=["templates"], summary="List templates")
def list_templates(request: HttpRequest, page: Query[PageQuery]) -> dict[str, Any]:
    return paginate(Template.objects.order_by("code"), page, _template_summary)


@router.get("/templates/{code}", response={200: TemplateOut, **READ_ERRORS},
            tags=["templates"], summary="A template with its sections, indicators and rules")
def get_template(request: HttpRequest, code: Path[Code]) -> dict[str, Any]:
    template = Template.objects.filter(code=code).first()
    if template is None:
        raise ParstatError("template.not_found", code=code)
    sections = list(Section.objects.filter(template=template).order_by("position"))
    numerals = {s.pk: s.numeral for s in sections}
    indicators = Indicator.objects.filter(template=template).order_by("position")
    return {
        **_template_summary(template),
        "sections": [SectionOut(numeral=s.numeral, label=s.label, position=s.position)
                     for s in sections],
        "indicators": [IndicatorOut(
            code=i.code, section=numerals[i.section_id], stt=i.stt, label=i.label, unit=i.unit,
            kind=i.kind, aggregation=i.aggregation, cumulative=i.cumulative, formula=i.formula,
            choices=[ChoiceOut(value=int(c["value"]), label=str(c["label"]))
                     for c in i.choices],
            level=i.level, position=i.position) for i in indicators],
        "rules": [RuleOut(code=r.code, left=r.left, operator=r.operator, right=r.right,
                          severity=r.severity, missing=r.missing, message=r.message)
                  for r in Rule.objects.filter(template=template).order_by("position")],
    }


def _unit(u: OrgUnit) -> dict[str, Any]:
    return {"code": u.code, "name": u.name, "kind": u.kind,
            "parent": u.parent.code if u.parent else None, "valid_from": u.valid_from,
            "valid_to": u.valid_to, "successor": u.successor.code if u.successor else None,
            "synthetic": u.synthetic}


@router.get("/units", response={200: Page[UnitOut], **READ_ERRORS}, tags=["units"],
            summary="List the units the caller may see")
def list_units(request: HttpRequest, filters: Query[UnitQuery],
               page: Query[PageQuery]) -> dict[str, Any]:
    units = visible_units(user_of(request)).select_related("parent", "successor")
    if filters.parent:
        units = units.filter(parent__code=filters.parent)
    if filters.kind:
        units = units.filter(kind=filters.kind)
    if filters.valid_on:
        units = units.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=filters.valid_on),
                             Q(valid_to__isnull=True) | Q(valid_to__gte=filters.valid_on))
    return paginate(units.order_by("code"), page, _unit)


@router.get("/units/{code}", response={200: UnitDetail, **READ_ERRORS}, tags=["units"],
            summary="A unit, its children, predecessors and successor")
def get_unit(request: HttpRequest, code: Path[Code]) -> dict[str, Any]:
    unit = visible_unit(request, code)
    visible = visible_units(user_of(request))
    return {
        **_unit(unit),
        "children": list(visible.filter(parent=unit).order_by("code")
                         .values_list("code", flat=True)),
        "predecessors": list(OrgUnit.objects.filter(successor=unit).order_by("code")
                             .values_list("code", flat=True)),
        "current_successor": unit.current_successor().code,
    }


def _period(p: Period) -> dict[str, Any]:
    return {"code": p.code, "year": p.year, "kind": p.kind, "start": p.start, "end": p.end,
            "deadline": p.deadline}


@router.get("/periods", response={200: Page[PeriodOut], **READ_ERRORS}, tags=["periods"],
            summary="List report periods")
def list_periods(request: HttpRequest, filters: Query[PeriodQuery],
                 page: Query[PageQuery]) -> dict[str, Any]:
    periods = Period.objects.order_by("year", "end")
    if filters.year:
        periods = periods.filter(year=filters.year)
    return paginate(periods, page, _period)


@router.get("/periods/{code}", response={200: PeriodOut, **READ_ERRORS}, tags=["periods"],
            summary="A report period: data window and deadline")
def get_period(request: HttpRequest, code: Path[PeriodCode]) -> dict[str, Any]:
    return _period(find_period(code))
