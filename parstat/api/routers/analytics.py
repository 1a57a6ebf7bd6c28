"""Consolidated tables and completeness: the analytics functions, scoped to what the user sees."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from pydantic import Field

from parstat.accounts.permissions import visible_units
from parstat.analytics.completeness import Completeness, Tally, completeness
from parstat.analytics.states import StateScope, default_scope
from parstat.exports.machine import table_dict
from parstat.exports.service import FORMATS, ExportRequest, export_bytes, filename
from parstat.exports.service import table_for as export_table
from parstat.reporting.periods import find_period, parse_period_code, period_code

from ..access import user_of, visible_unit
from ..schemas import Code, Error, Input, PeriodCode

router = Router(tags=["analytics"])
ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: Error}


class ConsolidatedQuery(Input):
    unit: Code = Field(description="The unit whose units below are added up, e.g. ST.")
    period: PeriodCode
    template: Code | None = None
    today: bool = Field(False, description="Count merged units under today's successor.")
    by_unit: bool = Field(False, description="Add each unit's own value to every row.")
    format: Literal["json", "csv", "xlsx", "docx", "pdf", "adx", "sdmx"] = Field(
        "json", description="json answers the table; the others download a file.")
    scope: Literal["accepted", "submitted", "all"] | None = Field(
        None, description="Which reports the totals count: accepted only; submitted and "
                          "accepted (received); or all, drafts included (provisional). Default: "
                          "accepted for docx and pdf (official documents), submitted otherwise.")


class ScopeOut(Schema):
    code: Literal["accepted", "submitted", "all"]
    label: str = Field(description="In Vietnamese, as the documents print it.")


class LeftOutReportOut(Schema):
    unit: str
    name: str
    state: Literal["draft", "submitted", "accepted"]


class LeftOutOut(Schema):
    count: int = Field(description="Reports of the period the scope did not count, because of "
                                   "their state.")
    reports: list[LeftOutReportOut]


class ConsolidatedOut(Schema):
    template: dict[str, Any]
    unit: dict[str, Any]
    period: dict[str, Any]
    state: str
    synthetic: bool
    consolidated: bool
    scope: ScopeOut
    provisional: bool = Field(description="Drafts counted: the figures are provisional "
                                          "(\"SỐ LIỆU TẠM TÍNH\").")
    left_out: LeftOutOut
    units_expected: int = Field(description="Units that owe a report, as completeness counts.")
    units_received: int = Field(description="Of those, units whose report is submitted or "
                                            "accepted, as completeness counts.")
    today_structure: bool
    units_in_scope: int = Field(description="Units below the unit, whatever their kind or life.")
    units_reporting: int = Field(description="Reports the totals count.")
    indicators: list[dict[str, Any]] = Field(
        description="code, stt, section, label, unit, kind, aggregation, value (the total; "
                    "null is blank), units (how many units' values it covers), by_unit; for a "
                    "rate that is not added up (aggregation none, a percentage) value is null "
                    "and spread gives mean, minimum and maximum over the units that answered.")
    units: list[dict[str, Any]] = Field(default_factory=list)


@router.get("/consolidated", response={200: ConsolidatedOut, **ERRORS},
            summary="The consolidated table of every unit below a unit, for a period")
def consolidated(request: HttpRequest, query: Query[ConsolidatedQuery]) -> Any:
    """Totals by each indicator's aggregation, straight from the stored values (a value saved a
    moment ago is in the total), over the reports in the asked scope of states; the answer says
    the scope and how many reports it left out. Only units the caller may see are counted."""
    user = user_of(request)
    visible_unit(request, query.unit)
    canonical = period_code(*parse_period_code(query.period))
    allowed = set(visible_units(user).values_list("id", flat=True))
    states = StateScope(query.scope) if query.scope else default_scope(query.format)
    wanted = ExportRequest(unit_code=query.unit, period_code=canonical, fmt=query.format,
                           consolidated=True, by_unit=query.by_unit, today=query.today,
                           template_code=query.template, states=states)
    if query.format == "json":
        return table_dict(export_table(wanted, allowed))
    response = HttpResponse(export_bytes(wanted, allowed=allowed),
                            content_type=FORMATS[query.format].content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(wanted)}"'
    return response


class CompletenessQuery(Input):
    unit: Code = Field(description="The unit whose units below owe a report, e.g. ST.")
    period: PeriodCode


class TallyOut(Schema):
    expected: int
    received: int
    on_time: int
    late: int
    missing: int
    rate: float | None = Field(description="Share received, in percent; null when nothing was "
                                           "expected.")
    on_time_rate: float | None


class MissingOut(Schema):
    unit: str
    name: str
    parent: str | None
    contact: str
    draft: int | None = Field(description="Id of a report begun but not submitted.")


class LateOut(Schema):
    id: int
    unit: str
    submitted_at: datetime | None


class CompletenessOut(Schema):
    unit: str
    period: str
    deadline: date
    total: TallyOut
    by_kind: dict[str, TallyOut]
    by_parent: dict[str, TallyOut]
    missing: list[MissingOut]
    late: list[LateOut]


def _tally(tally: Tally) -> dict[str, Any]:
    return {"expected": tally.expected, "received": tally.received, "on_time": tally.on_time,
            "late": tally.late, "missing": tally.missing, "rate": tally.rate,
            "on_time_rate": tally.on_time_rate}


@router.get("/completeness", response={200: CompletenessOut, **ERRORS},
            summary="Who has sent the period's report, on time or late, and who has not")
def get_completeness(request: HttpRequest, query: Query[CompletenessQuery]) -> dict[str, Any]:
    """Expected units follow each unit's life (a unit closed before the period owes nothing);
    only units the caller may see are counted."""
    root = visible_unit(request, query.unit)
    period = find_period(query.period)
    allowed = set(visible_units(user_of(request)).values_list("id", flat=True))
    result: Completeness = completeness(root, period, allowed=allowed)
    return {
        "unit": root.code, "period": period.code, "deadline": period.deadline,
        "total": _tally(result.total),
        "by_kind": {kind: _tally(t) for kind, t in result.by_kind.items()},
        "by_parent": {code: _tally(t) for code, t in result.by_parent.items()},
        "missing": [{"unit": m.unit.code, "name": m.unit.name,
                     "parent": m.parent.code if m.parent else None, "contact": m.unit.contact,
                     "draft": m.draft.pk if m.draft else None} for m in result.missing],
        "late": [{"id": r.pk, "unit": r.unit.code, "submitted_at": r.submitted_at}
                 for r in result.late],
    }
