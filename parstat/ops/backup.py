"""One consistent file of everything, and back: ``parstat backup`` / ``parstat restore``.

SQLite is copied through its online backup API (a consistent snapshot while the server keeps
serving; the file is itself a SQLite database). PostgreSQL is dumped by ``pg_dump`` in its
custom format (one consistent snapshot) and restored by ``pg_restore``. Such a backup restores
into the same kind of database it came from; a portable archive (``portable=True``,
:mod:`parstat.ops.portable`) restores into either. The file's first bytes say which it is.

A restore goes into an empty database only, unless told to overwrite (``force``): restoring
over live data by mistake must take a deliberate flag.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections
from django.utils import timezone

from parstat.errors import ParstatError
from parstat.ops import portable as portable_archive

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
KIND_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "portable": "portable"}


@dataclass(frozen=True)
class Restored:
    path: Path
    kind: str
    tables: int


def database_kind(alias: str = "default") -> str:
    engine = settings.DATABASES[alias]["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise ValueError(f"backups know SQLite and PostgreSQL, not {engine}")


def default_backup_path(*, portable: bool = False) -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    suffix = ".json.gz" if portable else ".sqlite3" if database_kind() == "sqlite" else ".pgdump"
    return Path(settings.DATA_DIR) / "backups" / f"parstat-{stamp}{suffix}"


def backup(path: Path | None = None, *, portable: bool = False) -> Path:
    """Write the whole database to ``path`` (default: a dated file under DATA_DIR/backups)."""
    target = Path(path) if path else default_backup_path(portable=portable)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    if portable:
        portable_archive.write(partial)
    elif database_kind() == "sqlite":
        _sqlite_copy(Path(settings.DATABASES["default"]["NAME"]), partial)
    else:
        _run_tool("pg_dump", ["--format=custom", "--no-owner", "--no-privileges",
                              f"--file={partial}"])
    # Renamed only when complete: a backup file that exists is a whole one.
    partial.replace(target)
    return target


def file_kind(path: Path) -> str:
    with Path(path).open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    if head.startswith(portable_archive.GZIP_MAGIC):
        return "portable"
    raise ParstatError("backup.unknown_format", path=str(path))


def existing_tables() -> list[str]:
    connection = connections["default"]
    with connection.cursor() as cursor:
        return list(connection.introspection.table_names(cursor))


def restore(path: Path, *, force: bool = False) -> Restored:
    """Restore a backup into the configured database, which must be empty unless ``force``."""
    path = Path(path)
    kind, target = file_kind(path), database_kind()
    if kind != target and kind != "portable":
        raise ParstatError("backup.wrong_database", path=str(path), kind=KIND_NAMES[kind],
                           target=KIND_NAMES[target])
    tables = existing_tables()
    if tables and not force:
        raise ParstatError("backup.target_not_empty", tables=len(tables),
                           database=str(settings.DATABASES["default"]["NAME"]))
    if kind == "portable":
        portable_archive.restore(path)
        return Restored(path=path, kind=kind, tables=len(existing_tables()))
    connections.close_all()
    if kind == "sqlite":
        name = Path(settings.DATABASES["default"]["NAME"])
        name.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(path, name)
    else:
        options = ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if force:
            options += ["--clean", "--if-exists"]
        _run_tool("pg_restore", [*options, str(path)])
    return Restored(path=path, kind=kind, tables=len(existing_tables()))


def _sqlite_copy(source_path: Path, target_path: Path) -> None:
    # The online backup API: a consistent snapshot of the source while others write to it,
    # written through the target's own connection so that its journal stays consistent.
    with closing(sqlite3.connect(source_path)) as source, \
            closing(sqlite3.connect(target_path)) as target:
        source.backup(target)


def _run_tool(tool: str, arguments: list[str]) -> None:
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    executable = shutil.which(tool)
    if executable is None:
        raise ParstatError("backup.tool_failed", tool=tool, status="-",
                           detail="not installed (Debian: postgresql-client)")
    env = {**os.environ, "PGAPPNAME": "parstat-backup"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    connection = [f"--host={db.get('HOST') or 'localhost'}", f"--port={db.get('PORT') or 5432}"]
    if db.get("USER"):
        connection.append(f"--username={db['USER']}")
    connection.append(f"--dbname={db['NAME']}")
    done = subprocess.run([executable, *connection, *arguments], env=env, capture_output=True,
                          text=True)
    if done.returncode != 0:
        raise ParstatError("backup.tool_failed", tool=tool, status=done.returncode,
                           detail=done.stderr.strip()[-500:])
