"""What the endpoints do, beyond reading their input: every change goes through a ``do_…``.

Views parse the request, find the report through :mod:`parstat.api.access` and call one of
these; these read cells with :func:`parstat.reporting.actions.parse_cells` and change data only
through :mod:`parstat.reporting.actions` and :mod:`parstat.reporting.workflow`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import QuerySet

from parstat.errors import ParstatError
from parstat.reporting.actions import (
    Actor,
    CellInput,
    CellUpdate,
    SetValuesResult,
    do_set_values_in,
    lock_report,
    parse_cells,
)
from parstat.reporting.models import Report, ReportEvent
from parstat.reporting.workflow import Step, do_transition

from .errors import ApiError, FieldError


def sends_value(item: Any) -> bool:
    """Does the item carry a value? ``"value": null`` clears it; no ``value`` key at all (a note
    alone) leaves the stored value as it is."""
    return "value" in item.model_fields_set


def parse_updates(report: Report, items: Sequence[Any]) -> list[CellUpdate]:
    """Every item parsed first (:func:`parse_cells`); any error anywhere refuses the whole
    request, listing them all."""
    parsed = parse_cells(report.template, [
        CellInput(item.indicator, item.value if sends_value(item) else None, item.note,
                  keep_value=not sends_value(item)) for item in items])
    if parsed.refusals:
        errors = [FieldError(r.error, f"values[{r.index}].{r.part}") for r in parsed.refusals]
        raise ApiError(errors, summary=ParstatError("values.invalid", count=len(errors)),
                       status=422)
    return parsed.updates


def set_values(reports: QuerySet[Report], report_id: int, items: Sequence[Any], *,
               version: int, actor: Actor,
               require: Callable[[Report], None]) -> SetValuesResult:
    """All or none: report ``report_id`` of ``reports`` (those the user may see) read once,
    under its lock (``do_set_values_in``); ``require`` asks the user's roles of it; every item
    parsed; then the write (atomic, version-checked). ``report.hidden`` when the report is not
    among ``reports``."""
    def read(report: Report) -> Sequence[CellUpdate]:
        require(report)
        return parse_updates(report, items)

    try:
        return do_set_values_in(reports, report_id, read, acting_user=actor,
                                expected_version=version)
    except Report.DoesNotExist:
        raise ParstatError("report.hidden", id=report_id) from None


def transition(report: Report, step: Step, *, version: int, actor: Actor,
               text: str = "") -> ReportEvent:
    """One workflow step, refused with ``report.stale`` when the report moved on since
    ``version``. ``text`` is the explanation (submit) or the reason (return, reopen)."""
    return do_transition(report, step, acting_user=actor, text=text, expected_version=version)


def check_version(report: Report | None, version: int | None) -> None:
    """For writes that have no version check of their own (file import): lock and compare."""
    if report is not None and version is not None:
        lock_report(report, expected_version=version)
