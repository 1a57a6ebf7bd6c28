"""Many rows written in one statement, without the ORM's per-field work: a write helper for the
saves that store a row per value (a file's values, their audit rows, the live totals' parts).

``bulk_create`` prepares every field of every object through its field (``pre_save``,
``get_db_prep_save``), builds each placeholder one by one and, before that, every object was
made by ``Model.__init__``, field by field: most of the time of storing a file's 76 values, 76
audit rows and 76 parts (bench/import_bench.py). Here the rows are tuples of column values and
a value goes to the driver as it is when it already is what the field would give it (an int, a
str, a Decimal, a bool, None); any other value (a date, a dict for a JSON column, …) is
prepared by its field, exactly as Django would. So what is stored is what ``bulk_create``
stores, which tests/test_bulk.py holds on SQLite and PostgreSQL.

Not for models with signals, ``auto_now`` fields or fields computed on save: nothing runs but
the INSERT (as with ``bulk_create``, which sends no signal either).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.db import connection, models
from django.db.models.base import ModelState
from django.db.models.constants import OnConflict

M = TypeVar("M", bound=models.Model)

# The Python types a field of each kind stores as they are (its get_db_prep_save returns them
# unchanged): the driver takes them directly.
_AS_IS: tuple[tuple[type[models.Field], frozenset[type]], ...] = (
    (models.BooleanField, frozenset({bool})),
    (models.IntegerField, frozenset({int})),  # and the auto, positive and big ones
    (models.DecimalField, frozenset({Decimal})),
    (models.CharField, frozenset({str})),
    (models.TextField, frozenset({str})),
)

MAX_ROWS = 500  # rows per statement at most (as the callers' bulk_create batches were)


def _as_is(field: models.Field) -> frozenset[type]:
    """The Python types ``field`` stores as they are (see _AS_IS)."""
    # A foreign key stores what its target's key stores.
    target = field.target_field if isinstance(field, models.ForeignKey) else field
    for kind, types in _AS_IS:
        if isinstance(target, kind) and not (kind is models.IntegerField
                                             and isinstance(target, models.BooleanField)):
            # A field that prepares its values its own way (reporting.models.ExactSum: text
            # on SQLite) is asked, whatever its kind.
            own = type(target) is not kind and "get_db_prep_value" in vars(type(target))
            return frozenset() if own else types
    return frozenset()


def _columns(fields: Sequence[models.Field], rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """The rows' values column by column, each as the driver takes it: a column whose values
    all are of a type its field stores as it is (or None) goes as it is; any other value through
    its field (``get_db_prep_save``, as bulk_create prepares every value)."""
    columns = [list(values) for values in zip(*rows, strict=True)]
    if len(columns) != len(fields):
        raise ValueError(f"rows of {len(columns)} values for {len(fields)} columns")
    for at, (field, values) in enumerate(zip(fields, columns, strict=True)):
        types = _as_is(field)
        kinds = {value.__class__ for value in values} - {type(None)}
        if kinds <= types or (str in types and all(issubclass(k, str) for k in kinds)):
            continue  # a text field keeps any str as it is (a TextChoices member too)
        columns[at] = _prepared(field, types, values)
    return columns


# Values of these types are immutable and their text says all of them (a Decimal's digits, a
# datetime's offset): one of them is prepared once per column, however many rows repeat it (the
# save's time in every audit row, a part's total that is also its low and high). So is an empty
# dict (a JSON column's {}: most live-totals parts count no choices and add up no inputs).
_ONCE = frozenset({Decimal, datetime, date})


def _prepared(field: models.Field, types: frozenset[type], values: list[Any]) -> list[Any]:
    """``values`` as ``field`` prepares them (see _columns); a repeated value of a type in _ONCE
    prepared once (by its type and text, never by equality: Decimal("1") == Decimal("1.0"))."""
    done: dict[tuple[type, str], Any] = {}
    out = []
    for value in values:
        kind = value.__class__
        if value is None or kind in types:
            out.append(value)
        elif kind in _ONCE or (kind is dict and not value):
            key = (kind, str(value))
            if key not in done:
                done[key] = field.get_db_prep_save(value, connection)
            out.append(done[key])
        else:
            out.append(field.get_db_prep_save(value, connection))
    return out


def _values_sql(fields: Sequence[models.Field], rows: Sequence[Sequence[Any]]
                ) -> tuple[str, list[Any]]:
    """The rows to insert as SQL and its parameters. PostgreSQL: one array per column,
    ``SELECT * FROM UNNEST(…)`` (as Django's bulk_create writes it there: a statement of a
    few parameters, planned at once, instead of a VALUES list of a thousand); elsewhere a
    VALUES list."""
    columns = _columns(fields, rows)
    if connection.vendor == "postgresql" and len(rows) > 1:
        # The column's type without its size (varchar[], not varchar(12)[]), as Django does.
        types = [field.db_type(connection).split("(")[0] for field in fields]  # type: ignore[union-attr]
        return (f"SELECT * FROM UNNEST({', '.join(f'(%s)::{t}[]' for t in types)})",
                columns)
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return ("VALUES " + ", ".join([placeholder] * len(rows)),
            [value for row in zip(*columns, strict=True) for value in row])


def insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]], *,
           returning: bool = False, upsert: Sequence[str] = (),
           update: Sequence[str] = ()) -> list[Any]:
    """INSERT ``rows`` (each a value per name of ``columns``, a field's attname: ``report_id``)
    into ``model``'s table, in as few statements as the database allows.

    ``upsert``: the unique fields whose conflict updates the ``update`` columns instead (``ON
    CONFLICT … DO UPDATE``, as ``bulk_create(update_conflicts=True)``). ``returning``: the new
    rows' primary keys, in the order of ``rows`` (as ``bulk_create`` sets them; empty where the
    database cannot say)."""
    if not rows:
        return []
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    by_name = {field.name: field for field in meta.concrete_fields}
    fields = [by_attname[name] for name in columns]
    ops, quote = connection.ops, connection.ops.quote_name
    head = (f"INSERT INTO {quote(meta.db_table)} "
            f"({', '.join(quote(field.column) for field in fields)}) ")
    tail = ""
    if upsert:
        tail = " " + ops.on_conflict_suffix_sql(
            fields, OnConflict.UPDATE, [by_name[n].column for n in update],
            [by_name[n].column for n in upsert])
    returns = returning and connection.features.can_return_rows_from_bulk_insert
    if returns:
        tail += f" RETURNING {quote(meta.pk.column)}"
    keys: list[Any] = []
    with connection.cursor() as cursor:
        size = _rows_per_statement(fields, rows)
        for start in range(0, len(rows), size):
            values, params = _values_sql(fields, rows[start:start + size])
            cursor.execute(head + values + tail, params)
            if returns:
                keys.extend(row[0] for row in cursor.fetchall())
    return keys


def _rows_per_statement(fields: Sequence[models.Field], rows: Sequence[Sequence[Any]]) -> int:
    """As many rows as one statement may bind: SQLite's own limit of bound values (32,766 since
    3.32, which Django 5.2 still takes to be 999), else the backend's."""
    if connection.vendor == "sqlite":
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        return max(1, min(MAX_ROWS, limit // len(fields)))
    return max(1, min(MAX_ROWS, connection.ops.bulk_batch_size(fields, rows)))


def insert_objects(objects: Sequence[M], columns: Sequence[str], *,
                   returning: bool = False) -> None:
    """:func:`insert` of unsaved instances of one model, each row read from its attributes
    (``columns``: attnames); with ``returning``, each is left as ``bulk_create`` leaves it: its
    primary key set, saved in this database."""
    if not objects:
        return
    model = type(objects[0])
    keys = insert(model, columns, [[getattr(o, name) for name in columns] for o in objects],
                  returning=returning)
    if keys:
        attname, alias = model._meta.pk.attname, connection.alias
        for obj, key in zip(objects, keys, strict=True):
            setattr(obj, attname, key)
            obj._state.adding, obj._state.db = False, alias


def unsaved(model: type[M], related: Mapping[str, models.Model] | None = None,
            **columns: Any) -> M:
    """An unsaved instance of ``model`` with ``columns`` (every concrete field's attname, the
    primary key's too) set as given, and ``related`` objects cached by field name (so
    ``value.indicator`` reads no query): what ``model(**fields)`` makes, without
    ``Model.__init__``'s per-field work (signals, defaults, descriptors)."""
    names = _attnames(model)
    if columns.keys() != names:
        raise TypeError(f"{model.__name__}: columns {sorted(names ^ columns.keys())} "
                        "missing or unknown")
    obj = model.__new__(model)
    obj.__dict__.update(columns)
    state = obj._state = ModelState()
    if related:
        state.fields_cache = dict(related)
    return obj


_ATTNAMES: dict[type[models.Model], frozenset[str]] = {}


def _attnames(model: type[models.Model]) -> frozenset[str]:
    names = _ATTNAMES.get(model)
    if names is None:
        names = _ATTNAMES[model] = frozenset(f.attname for f in model._meta.concrete_fields)
    return names

