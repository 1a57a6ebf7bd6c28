"""The parstat REST API, version 1: one NinjaAPI, its renderer and its error handlers."""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import BaseRenderer

from parstat import jsonexact
from parstat.errors import ParstatError
from parstat.http_status import status_for

from .auth import TokenAuth
from .docs import LocalSwagger
from .errors import ApiError, error_body, validation_errors

logger = logging.getLogger("parstat.api")

DESCRIPTION = """\
Reports of public-administration-reform (CCHC) indicators: read templates, units, periods and
reports; set values, import files and move reports through their workflow; exchange values of
many units and periods at once.

**Authentication**: `Authorization: Bearer pst_…`, a personal token (`parstat token create
USERNAME`, or the user's own token page). A token sees and may do exactly what its user may in
the web pages; a report the user cannot see answers 404.

**Errors** are `{"code", "message", "field", "errors"}`: `code` is stable, `message` is in
Vietnamese, or English with `Accept-Language: en`.

**Writes** carry the report's `version`; a write against an older version answers 409 saying
what changed. **Lists** take `limit` (≤ 500) and `offset` and answer `count` and `items`.

Numbers are exact JSON numbers; a blank value is `null`, never `0`.
"""


class ExactJSONRenderer(BaseRenderer):
    """JSON with exact decimals (1327, 32.5: never "1327.0000" nor 32.499999)."""

    media_type = "application/json"

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        return jsonexact.dumps(data)


api = NinjaAPI(
    title="parstat API", version="1", description=DESCRIPTION, urls_namespace="api-v1",
    auth=TokenAuth(), renderer=ExactJSONRenderer(), docs=LocalSwagger(), docs_url="/docs",
)


@api.exception_handler(ParstatError)
def _parstat_error(request: HttpRequest, exc: ParstatError) -> HttpResponse:
    response = api.create_response(request, error_body(request, exc),
                                   status=status_for(exc.code))
    if response.status_code == 401:
        response["WWW-Authenticate"] = 'Bearer realm="parstat"'
    return response


@api.exception_handler(ApiError)
def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return api.create_response(
        request, error_body(request, exc.summary, field=exc.field, errors=exc.errors),
        status=exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = validation_errors(exc.errors)
    if len(errors) == 1:
        return _api_error(request, ApiError(errors, status=422))
    return _api_error(request, ApiError(
        errors, summary=ParstatError("api.invalid_many", count=len(errors)), status=422))


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _parstat_error(request, ParstatError("auth.required"))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's own refusals: a body that is not JSON (400), and the like.
    error = ParstatError("api.bad_request", reason=str(exc))
    return api.create_response(request, error_body(request, error), status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _parstat_error(request, ParstatError("api.not_found", path=request.path[:200]))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(request, error_body(request, ParstatError("api.server_error")),
                               status=500)


def not_found(request: HttpRequest) -> HttpResponse:
    """An address under /api/ that no endpoint serves: a JSON 404 like every other error."""
    return _not_found(request, Http404())


def _register_routers() -> None:
    from .routers import analytics, catalog, datavalues, imports, me, packages, reports

    api.add_router("/", me.router)
    api.add_router("/", catalog.router)
    api.add_router("/reports", reports.router)
    api.add_router("/imports", imports.router)
    api.add_router("/dataValues", datavalues.router)
    api.add_router("/", analytics.router)
    api.add_router("/packages", packages.router)


_register_routers()
