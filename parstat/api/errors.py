"""Every API error as one JSON shape: ``{"code", "message", "field", "errors"}``.

``code`` is the stable code of :mod:`parstat.errors`; ``message`` is in the client's language,
as Django's ``LocaleMiddleware`` chose it (``Accept-Language``; Vietnamese unless it prefers
English); ``field`` names the offending input
("values[3].value", "version", "limit") when there is one; ``errors`` lists every error when a
request has several (a form with three bad values answers all three at once).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from parstat.errors import TERMS, ParstatError
from parstat.http_status import status_for

logger = logging.getLogger("parstat.api")

# The input field an error is about, when the code alone tells it.
FIELD_BY_CODE: dict[str, str] = {
    "report.stale": "version",
    "workflow.reason_required": "reason",
    "workflow.explain_warnings": "explanation",
    "period.invalid": "period",
    "unit.not_found": "unit",
    "template.not_found": "template",
    "period.not_found": "period",
}


@dataclass
class FieldError:
    """One error about one input field."""

    error: ParstatError
    field: str | None = None


class ApiError(Exception):
    """One or more errors to answer with, and the status to answer them with."""

    def __init__(self, errors: Sequence[FieldError], *, summary: ParstatError | None = None,
                 status: int | None = None) -> None:
        if not errors and summary is None:
            raise ValueError("an ApiError needs at least one error")
        self.errors = list(errors)
        self.summary = summary or self.errors[0].error
        self.field = None if summary is not None else self.errors[0].field
        self.status = status or status_for(self.summary.code)
        super().__init__(self.summary.message)

    @classmethod
    def of(cls, error: ParstatError, field: str | None = None) -> ApiError:
        return cls([FieldError(error, field)])


def error_item(error: ParstatError, field: str | None) -> dict[str, Any]:
    return {"code": error.code, "message": error.localized,
            "field": field if field is not None else FIELD_BY_CODE.get(error.code),
            "indicator": error.indicator}


def error_body(request: HttpRequest, error: ParstatError, *, field: str | None = None,
               errors: Iterable[FieldError] = ()) -> dict[str, Any]:
    body = error_item(error, field)
    body["errors"] = [error_item(e.error, e.field) for e in errors]
    return body


# pydantic error type -> the reason ``api.…`` of parstat.errors.TERMS; {…} are fields of its ctx.
PYDANTIC_REASONS: dict[str, str] = {
    "missing": "api.missing",
    "int_parsing": "api.whole_number", "int_type": "api.whole_number",
    "int_from_float": "api.whole_number",
    "float_parsing": "api.number", "float_type": "api.number",
    "finite_number": "api.finite_number",
    "bool_parsing": "api.bool", "bool_type": "api.bool",
    "string_type": "api.string",
    "string_too_short": "api.string_too_short",
    "string_too_long": "api.string_too_long",
    "string_pattern_mismatch": "api.pattern",
    "greater_than_equal": "api.ge", "greater_than": "api.gt",
    "less_than_equal": "api.le", "less_than": "api.lt",
    "too_short": "api.too_short", "too_long": "api.too_long",
    "list_type": "api.list",
    "model_type": "api.object", "model_attributes_type": "api.object", "dict_type": "api.object",
    "extra_forbidden": "api.extra_forbidden",
    "enum": "api.one_of", "literal_error": "api.one_of",
    "text_invalid": "api.text_invalid",
    "json_invalid": "api.json_invalid",
    "union_tag_invalid": "api.invalid",
    "cell_type": "api.cell_type",
}


def field_path(loc: Sequence[Any]) -> str:
    """("body", "payload", "values", 3, "value") -> "values[3].value"; ("query", "limit") -> "limit"."""
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "form", "file", "header", "cookie"):
        source = parts.pop(0)
        if source == "body" and len(parts) > 1:
            parts.pop(0)  # the view's parameter name, not a field the client sent
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not any(tag in str(part) for tag in ("[", "function-", "-or-")):
            # union and validator tags that pydantic puts in locations are not client fields
            text += f".{part}" if text else str(part)
    return text or "body"


def validation_errors(errors: Iterable[dict[str, Any]]) -> list[FieldError]:
    found = []
    for item in errors:
        field = field_path(item.get("loc", ()))
        reason = PYDANTIC_REASONS.get(item.get("type", ""), "api.invalid")
        ctx: dict[str, Any] = {str(k): str(v) for k, v in (item.get("ctx") or {}).items()
                               if str(k) not in ("field", "reason", "row", "indicator")}
        try:
            str(TERMS[f"reason.{reason}"]).format(**ctx)
        except (KeyError, IndexError):  # pydantic's ctx lacks a field the reason names
            reason, ctx = "api.invalid", {}
        found.append(FieldError(ParstatError("api.invalid", field=field, reason=reason, **ctx),
                                field))
    # A value that fails every member of a union reports once per member: say it once.
    unique: dict[str, FieldError] = {}
    for error in found:
        unique.setdefault(error.field or "", error)
    return list(unique.values())
