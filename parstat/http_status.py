"""Which HTTP status answers each user error: one table, for the pages and the API alike.

Codes not listed answer 422 (the request was understood, but its content cannot be accepted).
A report's state refusing a change (``report.locked``, ``workflow.bad_state``) is 409, a conflict
with the resource as it now is, not 403: the person may do it, just not to the report as it is.
403 is for what the person's roles do not allow.
"""

from __future__ import annotations

STATUS_BY_CODE: dict[str, int] = {
    "auth.required": 401,
    "auth.token_invalid": 401,
    "auth.token_revoked": 401,
    "permission.denied": 403,
    "token.not_yours": 403,
    "api.not_found": 404,
    "report.hidden": 404,
    "report.not_found": 404,
    "unit.not_found": 404,
    "template.not_found": 404,
    "period.not_found": 404,
    "api.bad_request": 400,
    "report.stale": 409,
    "report.locked": 409,
    "workflow.bad_state": 409,
    "narrative.stale": 409,
    "narrative.locked": 409,
    "province.locked": 409,
    "province.bad_state": 409,
    "import.too_large": 413,
    "package.receive_denied": 403,
    "package.read_denied": 403,
    "package.conflict": 409,
    "package.outdated": 409,
    "province.drifted": 409,
    "province.no_report": 404,
    "api.server_error": 500,
}


def status_for(code: str) -> int:
    """The HTTP status of the error with this stable code."""
    return STATUS_BY_CODE.get(code, 422)
