"""Every API error as one JSON shape: ``{"code", "message", "field", "errors"}``.

``code`` is the stable code of :mod:`parstat.errors`; ``message`` is in the client's language
(Vietnamese unless ``Accept-Language`` prefers English); ``field`` names the offending input
("values[3].value", "version", "limit") when there is one; ``errors`` lists every error when a
request has several (a form with three bad values answers all three at once).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation.trans_real import parse_accept_lang_header

from parstat.errors import ParstatError
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


def wants_english(request: HttpRequest) -> bool:
    """Vietnamese by default; English when Accept-Language ranks English above Vietnamese."""
    header = request.headers.get("Accept-Language", "")
    for lang, _quality in parse_accept_lang_header(header[:500]) if header else ():
        base = lang.split("-")[0].lower()
        if base in ("vi", "en"):
            return base == "en"
    return False


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


def error_item(error: ParstatError, field: str | None, english: bool) -> dict[str, Any]:
    return {"code": error.code, "message": error.message_en if english else error.message,
            "field": field if field is not None else FIELD_BY_CODE.get(error.code),
            "indicator": error.indicator}


def error_body(request: HttpRequest, error: ParstatError, *, field: str | None = None,
               errors: Iterable[FieldError] = ()) -> dict[str, Any]:
    english = wants_english(request)
    body = error_item(error, field, english)
    body["errors"] = [error_item(e.error, e.field, english) for e in errors]
    return body


# pydantic error type -> (Vietnamese, English) reason; {…} are fields of the error's ctx.
PYDANTIC_REASONS: dict[str, tuple[str, str]] = {
    "missing": ("thiếu giá trị bắt buộc", "a value is required"),
    "int_parsing": ("phải là số nguyên", "must be a whole number"),
    "int_type": ("phải là số nguyên", "must be a whole number"),
    "int_from_float": ("phải là số nguyên", "must be a whole number"),
    "float_parsing": ("phải là số", "must be a number"),
    "float_type": ("phải là số", "must be a number"),
    "finite_number": ("phải là số hữu hạn", "must be a finite number"),
    "bool_parsing": ("phải là true hoặc false", "must be true or false"),
    "bool_type": ("phải là true hoặc false", "must be true or false"),
    "string_type": ("phải là chuỗi ký tự", "must be a string"),
    "string_too_short": ("không được để trống", "must not be empty"),
    "string_too_long": ("dài quá {max_length} ký tự", "is longer than {max_length} characters"),
    "string_pattern_mismatch": ("không đúng dạng", "does not have the expected form"),
    "greater_than_equal": ("phải lớn hơn hoặc bằng {ge}", "must be at least {ge}"),
    "greater_than": ("phải lớn hơn {gt}", "must be greater than {gt}"),
    "less_than_equal": ("phải nhỏ hơn hoặc bằng {le}", "must be at most {le}"),
    "less_than": ("phải nhỏ hơn {lt}", "must be less than {lt}"),
    "too_short": ("cần ít nhất {min_length} phần tử", "needs at least {min_length} items"),
    "too_long": ("nhiều hơn {max_length} phần tử", "has more than {max_length} items"),
    "list_type": ("phải là một danh sách", "must be a list"),
    "model_type": ("phải là một đối tượng JSON", "must be a JSON object"),
    "model_attributes_type": ("phải là một đối tượng JSON", "must be a JSON object"),
    "dict_type": ("phải là một đối tượng JSON", "must be a JSON object"),
    "extra_forbidden": ("không có trường này", "is not a known field"),
    "enum": ("phải là một trong: {expected}", "must be one of: {expected}"),
    "literal_error": ("phải là một trong: {expected}", "must be one of: {expected}"),
    "text_invalid": ("chứa ký tự không lưu được (NUL hoặc mã Unicode lẻ)",
                     "contains a character that cannot be stored (NUL or a lone surrogate)"),
    "json_invalid": ("không phải JSON hợp lệ", "is not valid JSON"),
    "union_tag_invalid": ("không hợp lệ", "is not valid"),
    "cell_type": ("phải là chuỗi ký tự, số hoặc null", "must be a string, a number or null"),
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
        vi, en = PYDANTIC_REASONS.get(item.get("type", ""), ("không hợp lệ", ""))
        ctx = {k: v for k, v in (item.get("ctx") or {}).items()}
        try:
            reason_vi, reason_en = vi.format(**ctx), (en.format(**ctx) if en else item.get("msg", ""))
        except (KeyError, IndexError):
            reason_vi, reason_en = vi, item.get("msg", "")
        found.append(FieldError(ParstatError("api.invalid", field=field, reason_vi=reason_vi,
                                             reason_en=reason_en), field))
    # A value that fails every member of a union reports once per member: say it once.
    unique: dict[str, FieldError] = {}
    for error in found:
        unique.setdefault(error.field or "", error)
    return list(unique.values())
