"""`parstat backup` then `parstat restore` into a new database gives back everything, exactly."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.ops_server import PARSTAT, server_env

# The tables the promise names, each of which must be non-empty in the demo backup.
NAMED = ["reporting_value", "reporting_valuechange", "reporting_reportevent", "auth_user",
         "accounts_membership", "accounts_apitoken"]
EXPORTS = [
    ["--unit", "ST-SKHDT", "--period", "2023Q1", "--format", "json"],
    ["--unit", "ST-SKHDT", "--period", "2023Q1", "--format", "csv"],
    ["--unit", "DEMO", "--period", "2024", "--format", "csv", "--consolidated", "--by-unit"],
    ["--unit", "DEMO", "--period", "2024", "--format", "sdmx", "--consolidated"],
]


def _run(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([*PARSTAT, *args], env=env, capture_output=True, text=True)
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def _exports(env: dict[str, str]) -> list[bytes]:
    return [subprocess.run([*PARSTAT, "export", *args], env=env, check=True,
                           capture_output=True).stdout for args in EXPORTS]


def _demo(env: dict[str, str]) -> None:
    _run(env, "init", "--demo", "-v", "0")
    _run(env, "token", "create", "demo-reporter", "--name", "scripts")


def _sqlite_tables(path: Path, skip: tuple[str, ...] = (),
                   json_as_data: bool = False) -> dict[str, list[tuple]]:
    def cell(value: object) -> object:
        # PostgreSQL's jsonb keeps a JSON document's data, not its key order or spacing.
        if json_as_data and isinstance(value, str) and value[:1] in ("{", "["):
            return json.dumps(json.loads(value), sort_keys=True)
        return value

    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: sorted((tuple(cell(v) for v in row) for row in
                              conn.execute(f'SELECT * FROM "{name}"')), key=repr)
                for name in names if name not in skip}


@pytest.fixture(scope="module")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    folder = tmp_path_factory.mktemp("demo")
    env = server_env(folder, DATABASE_URL=f"sqlite:///{folder / 'demo.sqlite3'}")
    _demo(env)
    return env, folder / "demo.sqlite3"


def test_it_restores_a_sqlite_backup_into_a_new_database_identically(tmp_path, sqlite_demo):
    source, database = sqlite_demo
    backup = tmp_path / "backup.sqlite3"
    assert "Đã sao lưu" in _run(source, "backup", "-o", str(backup)).stdout
    target = server_env(tmp_path / "b", DATABASE_URL=f"sqlite:///{tmp_path / 'b.sqlite3'}")
    assert "Đã khôi phục" in _run(target, "restore", str(backup)).stdout
    before, after = _sqlite_tables(database), _sqlite_tables(tmp_path / "b.sqlite3")
    assert all(before[name] for name in NAMED)
    assert after == before
    assert _exports(target) == _exports(source)


# A portable restore builds the schema with its own migrations (their timestamps are today's)
# and SQLite's autoincrement counters follow the rows loaded: everything else is compared.
PORTABLE_SKIP = ("django_migrations", "sqlite_sequence")


def test_it_restores_a_portable_archive_into_sqlite_identically(tmp_path, sqlite_demo):
    source, database = sqlite_demo
    archive = tmp_path / "backup.json.gz"
    _run(source, "backup", "--portable", "-o", str(archive))
    target = server_env(tmp_path / "b", DATABASE_URL=f"sqlite:///{tmp_path / 'b.sqlite3'}")
    assert "(portable)" in _run(target, "restore", str(archive)).stdout
    before = _sqlite_tables(database, PORTABLE_SKIP)
    assert all(before[name] for name in NAMED)
    assert _sqlite_tables(tmp_path / "b.sqlite3", PORTABLE_SKIP) == before
    assert _exports(target) == _exports(source)


def test_it_refuses_to_restore_over_a_database_with_tables_unless_forced(tmp_path):
    env = server_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    _run(env, "init", "-v", "0")
    backup = tmp_path / "backup.sqlite3"
    _run(env, "backup", "-o", str(backup))
    refused = _run(env, "restore", str(backup), ok=False)
    assert refused.returncode == 1
    assert "[backup.target_not_empty]" in refused.stderr
    assert "Đã khôi phục" in _run(env, "restore", "--force", str(backup)).stdout


def test_it_refuses_a_file_that_is_not_a_backup(tmp_path):
    env = server_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    (tmp_path / "notes.txt").write_text("not a database")
    refused = _run(env, "restore", str(tmp_path / "notes.txt"), ok=False)
    assert refused.returncode == 1
    assert "[backup.unknown_format]" in refused.stderr
    assert not (tmp_path / "db.sqlite3").exists() or \
        _sqlite_tables(tmp_path / "db.sqlite3") == {}


DATABASE_URL = os.environ.get("DATABASE_URL", "")


def _pg_database(name: str) -> str:
    import psycopg

    admin = urlunsplit(urlsplit(DATABASE_URL)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(urlsplit(DATABASE_URL)._replace(path=f"/{name}"))


def _pg_drop(url: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{urlsplit(url).path[1:]}" WITH (FORCE)')


@pytest.mark.skipif(not DATABASE_URL.startswith("postgres"),
                    reason="PostgreSQL only (set DATABASE_URL)")
def test_it_carries_a_database_from_sqlite_to_postgresql_and_back_identically(tmp_path,
                                                                             sqlite_demo):
    source, database = sqlite_demo
    base = urlsplit(DATABASE_URL).path.lstrip("/") or "parstat"
    url = _pg_database(f"{base}_backup_across_{os.getpid()}")
    try:
        _run(source, "backup", "--portable", "-o", str(tmp_path / "from-sqlite.json.gz"))
        postgres = server_env(tmp_path / "pg", DATABASE_URL=url)
        _run(postgres, "restore", str(tmp_path / "from-sqlite.json.gz"))
        assert _exports(postgres) == _exports(source)
        _run(postgres, "backup", "--portable", "-o", str(tmp_path / "from-pg.json.gz"))
    finally:
        _pg_drop(url)
    back = server_env(tmp_path / "back", DATABASE_URL=f"sqlite:///{tmp_path / 'back.sqlite3'}")
    _run(back, "restore", str(tmp_path / "from-pg.json.gz"))
    before = _sqlite_tables(database, PORTABLE_SKIP, json_as_data=True)
    assert all(before[name] for name in NAMED)
    assert _sqlite_tables(tmp_path / "back.sqlite3", PORTABLE_SKIP, json_as_data=True) == before


def _pg_tables(url: str) -> dict[str, list[tuple]]:
    import psycopg

    with psycopg.connect(url) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
            "ORDER BY table_name")]
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
                for name in names}


@pytest.mark.skipif(not DATABASE_URL.startswith("postgres"),
                    reason="PostgreSQL only (set DATABASE_URL)")
def test_it_restores_a_postgresql_backup_into_a_new_database_identically(tmp_path):
    base = urlsplit(DATABASE_URL).path.lstrip("/") or "parstat"
    urls = [_pg_database(f"{base}_backup_{side}_{os.getpid()}") for side in ("a", "b")]
    try:
        source = server_env(tmp_path / "a", DATABASE_URL=urls[0])
        _demo(source)
        backup = tmp_path / "backup.pgdump"
        _run(source, "backup", "-o", str(backup))
        target = server_env(tmp_path / "b", DATABASE_URL=urls[1])
        assert "Đã khôi phục" in _run(target, "restore", str(backup)).stdout
        before, after = _pg_tables(urls[0]), _pg_tables(urls[1])
        assert all(before[name] for name in NAMED)
        assert after == before
        assert _exports(target) == _exports(source)
        refused = _run(target, "restore", str(backup), ok=False)
        assert "[backup.target_not_empty]" in refused.stderr
    finally:
        for url in urls:
            _pg_drop(url)
