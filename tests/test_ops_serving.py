"""`parstat serve` is what production runs: gunicorn, static files by WhiteNoise, /healthz."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.ops_server import PARSTAT, get, running_server, server_env

HASHED_JS = re.compile(r'src="(/static/web/parstat\.[0-9a-f]{12}\.js)"')
HASHED_CSS = re.compile(r'href="(/static/web/parstat\.[0-9a-f]{12}\.css)"')


@pytest.fixture(scope="module")
def initialised(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("served")
    env = server_env(data, DATABASE_URL=f"sqlite:///{data / 'db.sqlite3'}")
    subprocess.run([*PARSTAT, "init"], env=env, check=True, capture_output=True)
    return env


def test_it_serves_pages_naming_hashed_static_files_through_gunicorn(initialised):
    with running_server(initialised) as (url, _log):
        status, headers, body = get(url + "/dang-nhap/")
        assert status == 200
        assert headers["Server"] == "gunicorn"
        page = body.decode()
        assert HASHED_CSS.search(page) and HASHED_JS.search(page)


def test_it_serves_static_files_compressed_and_cached_for_a_year(initialised):
    with running_server(initialised) as (url, _log):
        page = get(url + "/dang-nhap/")[2].decode()
        script = HASHED_JS.search(page).group(1)  # type: ignore[union-attr]
        status, headers, body = get(url + script, {"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
        status, headers, _ = get(url + "/static/web/no-such-file.js")
        assert status == 404


def test_it_writes_one_json_line_per_request_to_the_access_log(initialised):
    with running_server(initialised) as (url, log):
        assert get(url + "/healthz?from=lb")[0] == 200
    lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("event") == "request"
              and line.get("path") == "/healthz"]
    assert access[-1]["method"] == "GET"
    assert access[-1]["status"] == "200"
    assert access[-1]["query"] == "from=lb"
    assert isinstance(access[-1]["duration_ms"], int)


def test_it_answers_healthz_503_when_the_database_is_unreachable(tmp_path):
    # Nothing listens on port 9 of the loopback: the database cannot be reached.
    env = server_env(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:9/parstat_none")
    subprocess.run([*PARSTAT, "collectstatic", "--noinput", "-v", "0"], env=env, check=True,
                   capture_output=True)
    with running_server(env, workers=1, probe="/healthz") as (url, _log):
        status, headers, body = get(url + "/healthz")
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"status": "error", "database": "unreachable"}


def test_an_embedded_database_commit_reaches_the_disk_before_the_answer(initialised):
    # PRAGMA synchronous=FULL (2) with WAL, on the server's own file: a save answered "stored"
    # survives a power cut (NORMAL, 1, could roll it back).
    probe = ("from django.db import connection; c = connection.cursor(); "
             "print(c.execute('PRAGMA synchronous').fetchone()[0], "
             "c.execute('PRAGMA journal_mode').fetchone()[0])")
    shown = subprocess.run([*PARSTAT, "shell", "-v", "0", "-c", probe], env=initialised, check=True,
                           capture_output=True, text=True).stdout.split()
    assert shown == ["2", "wal"]
