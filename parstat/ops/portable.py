"""A portable archive: every row of every model as JSON, to restore into either database.

``parstat backup --portable`` writes it (gzip-compressed JSON) inside one transaction that sees
one snapshot (REPEATABLE READ on PostgreSQL; on SQLite the transaction holds the database).
Unlike Django's ``dumpdata`` it keeps every value exactly: datetimes with their microseconds,
decimals as their digits (``DjangoJSONEncoder`` would cut datetimes to milliseconds).

``restore`` builds the schema with the migrations, empties every table, loads the rows with
their primary keys (constraints checked once at the end), and resets the sequences, all in one
transaction. The archive names the migrations it was made under; a parstat whose migrations
differ refuses it rather than load rows into a structure they were not made for.
"""

from __future__ import annotations

import datetime
import gzip
import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import sql_flush
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from parstat.errors import ParstatError

FORMAT = "parstat-portable"
VERSION = 1
GZIP_MAGIC = b"\x1f\x8b"


def _models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if not m._meta.proxy and m._meta.managed]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()  # full precision, offset included
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"cannot write {type(value).__name__} into a portable archive")


def _applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def write(path: Path) -> None:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the first statement: one snapshot for all
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        objects: list[dict[str, Any]] = []
        for model in _models():
            objects += serializers.serialize(
                "python", model._base_manager.order_by("pk").iterator(chunk_size=2000))
        archive = {"format": FORMAT, "version": VERSION, "vendor": connection.vendor,
                   "migrations": _applied_migrations(), "objects": objects}
    with gzip.open(path, "wt", encoding="utf-8") as out:
        json.dump(archive, out, default=_encode, ensure_ascii=False)


def read(path: Path) -> dict[str, Any]:
    with gzip.open(path, "rt", encoding="utf-8") as source:
        archive: dict[str, Any] = json.load(source)
    if archive.get("format") != FORMAT or archive.get("version") != VERSION:
        raise ParstatError("backup.unknown_format", path=str(path))
    return archive


def _load(objects: list[dict[str, Any]]) -> None:
    by_model: dict[type[models.Model], list[models.Model]] = {}
    with_m2m = []
    for item in serializers.deserialize("python", objects):
        if not _bulk_loadable(type(item.object)):
            item.save()  # Django's raw save: every field exactly as in the archive
            continue
        by_model.setdefault(type(item.object), []).append(item.object)
        if item.m2m_data:
            with_m2m.append(item)
    for model, rows in by_model.items():
        model._base_manager.bulk_create(rows, batch_size=1000)
    for item in with_m2m:
        for name, related in (item.m2m_data or {}).items():
            getattr(item.object, name).set(related)


def _bulk_loadable(model: type[models.Model]) -> bool:
    """bulk_create is many times faster, but it would stamp auto_now / auto_now_add fields
    with the present time and cannot insert a child of multi-table inheritance."""
    if model._meta.parents:
        return False
    return not any(getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
                   for field in model._meta.concrete_fields)


def restore(path: Path) -> int:
    """Load the archive into the configured database (emptied first); returns the row count."""
    archive = read(path)
    call_command("migrate", interactive=False, verbosity=0)
    wanted, have = {tuple(m) for m in archive["migrations"]}, {
        tuple(m) for m in _applied_migrations()}
    if wanted != have:
        missing, extra = sorted(wanted - have), sorted(have - wanted)
        detail = "; ".join(filter(None, [
            "thiếu/missing " + ", ".join(".".join(m) for m in missing) if missing else "",
            "thêm/extra " + ", ".join(".".join(m) for m in extra) if extra else ""]))
        raise ParstatError("backup.migrations_differ", path=str(path), detail=detail)
    with transaction.atomic():
        connection.ops.execute_sql_flush(sql_flush(no_style(), connection))
        with connection.constraint_checks_disabled():
            _load(archive["objects"])
        connection.check_constraints()
        statements = connection.ops.sequence_reset_sql(no_style(), _models())
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
    return len(archive["objects"])
