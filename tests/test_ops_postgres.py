"""On PostgreSQL: connections stay bounded by the workers, and app servers share one database.

Skipped on SQLite (DATABASE_URL unset): there the database is a file and connections are not
a resource to run out of. Each test makes a database of its own beside DATABASE_URL's.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.ops_server import PARSTAT, get, running_server, server_env

DATABASE_URL = os.environ.get("DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not DATABASE_URL.startswith("postgres"),
                                reason="PostgreSQL only (set DATABASE_URL)")


def _admin_url() -> str:
    return urlunsplit(urlsplit(DATABASE_URL)._replace(path="/postgres"))


@pytest.fixture
def own_database(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    import psycopg

    base = urlsplit(DATABASE_URL).path.lstrip("/") or "parstat"
    name = f"{base}_{request.node.name[8:28]}_{os.getpid()}".lower()
    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(DATABASE_URL)._replace(path=f"/{name}")), name
    finally:
        with psycopg.connect(_admin_url(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _parstat_connections(name: str) -> int:
    import psycopg

    with psycopg.connect(_admin_url(), autocommit=True) as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND "
                           "application_name = 'parstat'", [name]).fetchone()
    return int(row[0]) if row else 0


def test_it_never_opens_more_connections_than_workers(own_database, tmp_path):
    url, name = own_database
    env = server_env(tmp_path, DATABASE_URL=url)
    subprocess.run([*PARSTAT, "init"], env=env, check=True, capture_output=True)
    workers, requests = 3, 120
    peak = 0
    with running_server(env, workers=workers, probe="/healthz") as (base, _log):
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not stop.is_set():
                peak = max(peak, _parstat_connections(name))
                time.sleep(0.01)

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            with ThreadPoolExecutor(max_workers=40) as pool:
                paths = ["/healthz", "/dang-nhap/", "/api/v1/reports"] * (requests // 3)
                statuses = list(pool.map(lambda path: get(base + path)[0], paths))
        finally:
            stop.set()
            sampler.join()
        settled = _parstat_connections(name)
    assert statuses.count(200) == 80 and statuses.count(401) == 40
    assert 1 <= peak <= workers
    assert settled <= workers


def _post_json(url: str, token: str, payload: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                     headers={"Authorization": f"Bearer {token}",
                                              "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def _token(env: dict[str, str], username: str) -> str:
    done = subprocess.run([*PARSTAT, "token", "create", username], env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]


def test_it_shows_a_value_saved_through_one_app_server_in_the_others_totals(own_database,
                                                                          tmp_path):
    url, _name = own_database
    env = server_env(tmp_path, DATABASE_URL=url)
    subprocess.run([*PARSTAT, "init", "--demo", "-v", "0"], env=env, check=True,
                   capture_output=True)
    reporter, consolidator = _token(env, "demo-reporter"), _token(env, "demo-consolidator")
    with running_server(env, workers=1, probe="/healthz") as (first, _), \
            running_server(env, workers=1, probe="/healthz") as (second, _):
        auth = {"Authorization": f"Bearer {reporter}"}
        listed = json.loads(get(first + "/api/v1/reports?unit=ST-SKHDT&period=2023Q1",
                                auth)[2])
        report = listed["items"][0]

        def total_on_second() -> object:
            # Drafts included: the seed report is a draft, and the totals it counts are live.
            answer = get(second + "/api/v1/consolidated?unit=ST&period=2023Q1&scope=all",
                         {"Authorization": f"Bearer {consolidator}"})
            assert answer[0] == 200
            rows = json.loads(answer[2])["indicators"]
            return next(row["value"] for row in rows if row["code"] == "I.1.a")

        before = total_on_second()
        status, saved = _post_json(f"{first}/api/v1/reports/{report['id']}/values", reporter,
                                   {"version": report["version"],
                                    "values": [{"indicator": "I.1.a", "value": "41"}]})
        assert status == 200, saved
        assert before == 40
        assert total_on_second() == 41
