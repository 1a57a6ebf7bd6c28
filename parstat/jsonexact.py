"""JSON with exact decimal numbers.

The standard encoder only writes floats, and a float cannot hold every 16-digit value a report
may store (DecimalField(20, 4)). Decimals are written here as the JSON numbers they are:
integral ones as integers (1327, never 1327.0), others with their own digits (32.5).
"""

from __future__ import annotations

import json
import re
import secrets
from datetime import date, datetime
from decimal import Decimal
from typing import Any


def decimal_literal(value: Decimal) -> str:
    if not value.is_finite():
        # NaN/Infinity have no JSON form; refusing is better than exporting a silent lie.
        raise ValueError(f"non-finite value {value!r} cannot be exported")
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def dumps(data: Any, **options: Any) -> str:
    # Each Decimal goes out as a uniquely marked string, then the marks are replaced by the
    # number's literal; the nonce keeps any real text from ever looking like a mark.
    nonce = secrets.token_hex(8)

    def default(value: Any) -> Any:
        if isinstance(value, Decimal):
            return f"@{nonce}:{decimal_literal(value)}@"
        if isinstance(value, datetime | date):
            return value.isoformat()
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")

    options.setdefault("ensure_ascii", False)
    text = json.dumps(data, default=default, allow_nan=False, **options)
    return re.sub(rf'"@{nonce}:(-?[0-9.]+)@"', r"\1", text)
