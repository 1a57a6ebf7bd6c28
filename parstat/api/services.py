"""What the endpoints do, beyond reading their input: every change goes through a ``do_…``.

Views parse the request, find the report through :mod:`parstat.api.access` and call one of
these; these parse values with :func:`parstat.reporting.values.parse_cell` and change data only
through :mod:`parstat.reporting.actions` and :mod:`parstat.reporting.workflow`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parstat.catalog.models import Indicator
from parstat.errors import ParstatError
from parstat.reporting.actions import (
    Actor,
    CellUpdate,
    SetValuesResult,
    do_set_values,
    lock_report,
)
from parstat.reporting.models import Report, ReportEvent
from parstat.reporting.values import CellValue, parse_cell
from parstat.reporting.workflow import Step, do_transition

from .errors import ApiError, FieldError


def parse_value(indicator: Indicator, raw: object) -> CellValue:
    """``parse_cell`` (which also refuses numbers too large to store)."""
    return parse_cell(indicator, raw)


def sends_value(item: Any) -> bool:
    """Does the item carry a value? ``"value": null`` clears it; no ``value`` key at all (a note
    alone) leaves the stored value as it is."""
    return "value" in item.model_fields_set


def parse_updates(report: Report, items: Sequence[Any]) -> list[CellUpdate]:
    """Every item parsed first; any error anywhere refuses the whole request, listing them all."""
    indicators = {i.code: i for i in Indicator.objects.filter(template=report.template)}
    errors: list[FieldError] = []
    updates: list[CellUpdate] = []
    first_at: dict[str, int] = {}
    for index, item in enumerate(items):
        field = f"values[{index}]"
        indicator = indicators.get(item.indicator)
        if indicator is None:
            errors.append(FieldError(ParstatError("value.unknown_indicator",
                                                  template=report.template.code,
                                                  code=item.indicator), f"{field}.indicator"))
            continue
        if indicator.code in first_at:
            errors.append(FieldError(ParstatError("values.duplicate", code=indicator.code,
                                                  first=first_at[indicator.code], index=index),
                                     f"{field}.indicator"))
            continue
        first_at[indicator.code] = index
        try:
            value = parse_value(indicator, item.value) if sends_value(item) else None
        except ParstatError as error:
            errors.append(FieldError(error, f"{field}.value"))
            continue
        try:
            updates.append(CellUpdate(indicator=indicator, value=value, note=item.note))
        except ParstatError as error:
            errors.append(FieldError(error, f"{field}.note"))
    if errors:
        raise ApiError(errors, summary=ParstatError("values.invalid", count=len(errors)),
                       status=422)
    return updates


def set_values(report: Report, items: Sequence[Any], *, version: int,
               actor: Actor) -> SetValuesResult:
    """All or none: parse every item, then one ``do_set_values`` (atomic, version-checked)."""
    updates = parse_updates(report, items)
    return do_set_values(report, updates, acting_user=actor, expected_version=version)


def transition(report: Report, step: Step, *, version: int, actor: Actor,
               text: str = "") -> ReportEvent:
    """One workflow step, refused with ``report.stale`` when the report moved on since
    ``version``. ``text`` is the explanation (submit) or the reason (return, reopen)."""
    return do_transition(report, step, acting_user=actor, text=text, expected_version=version)


def check_version(report: Report | None, version: int | None) -> None:
    """For writes that have no version check of their own (file import): lock and compare."""
    if report is not None and version is not None:
        lock_report(report, expected_version=version)
