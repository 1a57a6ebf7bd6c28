"""Many ids in one ``__in`` filter, bound as one parameter: a query helper every layer uses."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL

SMALL = 50  # below this many ids a plain IN list is as cheap


def id_list(ids: Iterable[int]) -> Any:
    """``ids`` for an ``__in`` filter as ONE bound parameter.

    A scope is thousands of unit ids; passed as a list, each becomes a parameter that Django and
    the driver handle one by one (a quarter of a second for the national table). An array
    (PostgreSQL) or a JSON text (SQLite) is bound once and unpacked by the database.
    """
    ids = sorted(ids)
    if len(ids) <= SMALL:
        return ids
    if connection.vendor == "postgresql":
        # As the array's text ('{1,2,3}'), one string: the driver's dumping of a list of
        # thousands of ints, element by element, cost more than the query it fed.
        return RawSQL("SELECT unnest(%s::bigint[])", ("{" + ",".join(map(str, ids)) + "}",))
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(ids),))
