"""The small pieces of running in production: worker count, log lines."""

from __future__ import annotations

import json
import logging
import os
import sys

from django.test import RequestFactory

from parstat.ops.logs import JsonLinesFormatter
from parstat.ops.server import default_workers, server_options


def test_it_defaults_workers_to_two_per_core_on_postgresql_and_one_on_sqlite(settings):
    settings.PARSTAT_WORKERS = None
    cores = len(os.sched_getaffinity(0))
    assert default_workers("postgresql") == 2 * cores
    assert default_workers("sqlite") == cores
    settings.PARSTAT_WORKERS = 7
    assert default_workers("postgresql") == default_workers("sqlite") == 7


def test_it_binds_gunicorn_where_asked_with_the_workers_asked(settings):
    options = server_options("127.0.0.1", 8471, 3)
    assert options["bind"] == "127.0.0.1:8471"
    assert options["workers"] == 3
    assert options["timeout"] == settings.PARSTAT_REQUEST_TIMEOUT_SECONDS


def test_it_writes_a_server_error_as_one_json_line_with_its_traceback():
    request = RequestFactory().post("/reports/3/save/")
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1,
                                   "Internal Server Error: %s", ("/reports/3/save/",),
                                   sys.exc_info())
    record.request = request
    record.status_code = 500
    line = JsonLinesFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["level"] == "error" and entry["logger"] == "django.request"
    assert entry["message"] == "Internal Server Error: /reports/3/save/"
    assert (entry["method"], entry["path"], entry["status"]) == ("POST", "/reports/3/save/", 500)
    assert entry["exception"].endswith("ValueError: boom")
