"""Values of many units and periods at once, in DHIS2's dataValueSets spirit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from parstat.accounts.permissions import reports_for_user
from parstat.errors import ParstatError
from parstat.reporting.models import Value
from parstat.reporting.periods import parse_period_code, period_code

from ..access import actor_of, user_of
from ..datavalues import Summary, import_data_values
from ..errors import error_item
from ..pagination import paginate
from ..schemas import (
    DataValueOut,
    DataValueQuery,
    DataValueQueryFlags,
    DataValueSetIn,
    DataValueSummary,
    Error,
    Page,
    PageQuery,
)

router = Router(tags=["dataValues"])


def _value(v: Value) -> dict[str, Any]:
    content: Decimal | str | None = v.number if v.number is not None else v.text
    return {"unit": v.report.unit.code, "period": v.report.period.code,
            "template": v.report.template.code, "indicator": v.indicator.code,
            "value": content, "note": v.note}


@router.get("", response={200: Page[DataValueOut], 401: Error, 422: Error},
            summary="Stored values of the reports the caller may see")
def list_values(request: HttpRequest, filters: Query[DataValueQuery],
                page: Query[PageQuery]) -> dict[str, Any]:
    """The shape `POST /dataValues` takes: fetch from one parstat, send to another. Blank
    cells are absent (a row with only a note has `value: null`)."""
    values = Value.objects.filter(report__in=reports_for_user(user_of(request))).select_related(
        "report__unit", "report__period", "report__template", "indicator")
    if filters.unit:
        values = values.filter(report__unit__code=filters.unit)
    if filters.period:
        values = values.filter(
            report__period__code=period_code(*parse_period_code(filters.period)))
    if filters.indicator:
        values = values.filter(indicator__code=filters.indicator)
    if filters.template:
        values = values.filter(report__template__code=filters.template)
    ordered = values.order_by("report__unit__code", "report__period__year",
                              "report__period__end", "indicator__position", "id")
    return paginate(ordered, page, _value)


@router.post("", response={200: DataValueSummary, 401: Error, 404: Error, 409: DataValueSummary,
                           422: Error},
             summary="Send values of many units and periods; answers an import summary")
def send_values(request: HttpRequest, payload: DataValueSetIn,
                flags: Query[DataValueQueryFlags]) -> Status[dict[str, Any]]:
    """Each value: `{"unit", "period", "indicator", "value", "note"}`. The answer counts
    `imported` (blank → value), `updated` (changed or cleared) and `ignored` (already so, or
    refused), and lists every conflict with its `index` in `dataValues`. With `atomic=true`
    (default) one conflict stores nothing and the answer is 409; with `atomic=false` the values
    without conflicts are stored. Sending the same payload again changes nothing."""
    result = import_data_values(payload.dataValues, user=user_of(request),
                                actor=actor_of(request), template_code=payload.template,
                                dry_run=flags.dry_run, atomic=flags.atomic)
    status = 409 if result.status == "ERROR" else 200
    return Status(status, _summary(request, result))


def _summary(request: HttpRequest, result: Summary) -> dict[str, Any]:
    refused = (ParstatError("datavalues.conflicts", count=len(result.conflicts))
               if result.status == "ERROR" else None)
    return {
        "status": result.status,
        "code": refused.code if refused else None,
        "message": refused.localized if refused else None,
        "field": None, "dry_run": result.dry_run, "atomic": result.atomic,
        "importCount": {"imported": result.imported, "updated": result.updated,
                        "ignored": result.ignored},
        "conflicts": [{"index": c.index, **{k: v for k, v in error_item(c.error, c.field).items()
                                            if k in ("code", "message", "field")}}
                      for c in result.conflicts],
    }
