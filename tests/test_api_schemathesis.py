"""Property-based run of the OpenAPI document against the app, in-process: no 5xx, ever.

Schemathesis reads /api/v1/openapi.json through the WSGI app and generates requests for every
operation from its schemas (valid ones and, in the negative phase, invalid ones). The database is
pytest-django's test database with the seed report and a reporter's token, so reads and writes
reach real data. Bounded: a few examples per operation, so the run takes seconds, not minutes.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from parstat.wsgi import application
from tests.test_api_helpers import *  # noqa: F403 (fixtures)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

BOUNDS = settings(max_examples=8, deadline=None, derandomize=True, database=None,
                  phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))


@pytest.fixture(autouse=True)
def _one_connection():  # type: ignore[no-untyped-def]
    """Keep the test's database connection across requests, as Django's test client does.

    The WSGI handler closes "old" connections at the start and end of each request, and a
    connection inside the test's transaction counts as one: on PostgreSQL it would be closed
    under the test.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@BOUNDS
def test_no_request_makes_a_server_error(case, api, seed_report):  # type: ignore[no-untyped-def]
    # Every other request carries a real report id, so that not only 404s are exercised.
    given = (case.path_parameters or {}).get("report_id")
    if isinstance(given, int) and given % 2:
        case.path_parameters["report_id"] = seed_report.pk
    response = case.call(headers={**api["reporter"].headers, "Accept-Language": "vi"})
    assert response.status_code < 500, (case.method, case.formatted_path, case.query,
                                        case.body, response.text[:500])
    if response.status_code >= 400 and response.status_code != 405:
        body = response.json()
        assert {"code", "message", "field"} <= set(body), response.text[:300]


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=3, deadline=None, derandomize=True, database=None,
          phases=[Phase.generate], suppress_health_check=list(HealthCheck))
def test_no_request_without_a_token_gets_through(case):  # type: ignore[no-untyped-def]
    response = case.call()
    if case.path.endswith(("/openapi.json", "/docs")):
        return
    assert response.status_code in (401, 405, 422, 400), (case.method, case.formatted_path,
                                                          response.status_code)
