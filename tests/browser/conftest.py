"""A real parstat server on a free port, and Debian's Chromium driven by Playwright.

The server is the `parstat` command itself (`init --demo`, then `serve`: gunicorn and
WhiteNoise, as in production), on a data folder of its own; against PostgreSQL (when DATABASE_URL is set) it gets a database of its own, made
here and dropped afterwards.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic",
                 "--no-first-run"]
OUTPUT = Path(__file__).resolve().parents[2] / "test-output"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _own_postgres_database(url: str) -> tuple[str, str]:
    """A fresh database beside the one DATABASE_URL names: (its URL, its name)."""
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/') or 'parstat'}_browser_{os.getpid()}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), admin


def _drop_postgres_database(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


MINISTRY_ACCOUNT = ("ministry", "ministry pass 1")  # the receiving installation's administrator


@pytest.fixture(scope="session")
def ministry_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A second installation (the Ministry's), on a SQLite file of its own, that the province's
    installation delivers its packages to: (its URL, a token of its administrator)."""
    data = tmp_path_factory.mktemp("ministry")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(PARSTAT_DATA_DIR=str(data), DATABASE_URL=f"sqlite:///{data / 'db.sqlite3'}")
    parstat = [sys.executable, "-m", "parstat.cli"]
    subprocess.run([*parstat, "init", "-v", "0"], env=env, check=True, capture_output=True)
    # It knows the same tables as the province's installation, the demo editions included (the
    # seed's unit files the demo 2025 edition for periods from 2025 on); no demo reports.
    subprocess.run([*parstat, "shell", "-c", "from parstat.catalog.demo_editions import "
                    "load_demo_editions; list(load_demo_editions())"], env=env, check=True,
                   capture_output=True)
    name, password = MINISTRY_ACCOUNT
    subprocess.run([*parstat, "createuser", name, "--admin", "--password-stdin"], env=env,
                   input=f"{password}\n", text=True, check=True, capture_output=True)
    token = subprocess.run([*parstat, "token", "create", name, "--name", "provinces"], env=env,
                           text=True, check=True, capture_output=True).stdout.strip()
    # PARSTAT_MINISTRY_PORT pins the second installation's port, as PARSTAT_BROWSER_PORT does.
    port = int(os.environ.get("PARSTAT_MINISTRY_PORT") or _free_port())
    log = (data / "server.log").open("w")
    server = subprocess.Popen([*parstat, "serve", "--port", str(port), "--workers", "1"],
                              env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url, token
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="session")
def live_server_url(tmp_path_factory: pytest.TempPathFactory,
                    ministry_server: tuple[str, str]) -> Iterator[str]:
    data = tmp_path_factory.mktemp("server")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PARSTAT_DATA_DIR"] = str(data)
    # A sent province package is delivered to the Ministry's installation (test_whole_chain).
    env["PARSTAT_UPWARD_URL"], env["PARSTAT_UPWARD_TOKEN"] = ministry_server
    dropped = None
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"], admin = _own_postgres_database(os.environ["DATABASE_URL"])
        dropped = (admin, urlsplit(env["DATABASE_URL"]).path.lstrip("/"))
    parstat = [sys.executable, "-m", "parstat.cli"]
    subprocess.run([*parstat, "init", "--demo", "-v", "0"], env=env, check=True,
                   capture_output=True)
    # PARSTAT_BROWSER_PORT pins the port (e.g. to stay in a range a shared machine allots).
    port = int(os.environ.get("PARSTAT_BROWSER_PORT") or _free_port())
    log = (data / "server.log").open("w")
    server = subprocess.Popen([*parstat, "serve", "--port", str(port), "--workers", "2"],
                              env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        if dropped:
            _drop_postgres_database(*dropped)


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("the parstat server stopped while starting")
        try:
            urllib.request.urlopen(url + "/dang-nhap/", timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the parstat server did not answer within 60 s")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run must install Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing: run `apt-get install -y chromium` for browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    OUTPUT.mkdir(exist_ok=True)
    return OUTPUT
