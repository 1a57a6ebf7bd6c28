"""Structured logs: one JSON object per line, for the access log and for errors alike.

A log collector (journald, Loki, a file tailer) can then filter by field instead of by regular
expression. Gunicorn hands its access records over with the request's atoms as the record's
arguments; those become named fields, and the request line never has to be parsed again.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

# Gunicorn's atom letters, and the field names they are written under.
ACCESS_FIELDS = {
    "h": "remote", "m": "method", "U": "path", "q": "query", "s": "status", "B": "bytes",
    "M": "duration_ms", "a": "user_agent", "f": "referer", "H": "protocol",
}


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        atoms = record.args if isinstance(record.args, dict) else None
        if record.name == "gunicorn.access" and atoms is not None:
            entry["event"] = "request"
            for atom, field in ACCESS_FIELDS.items():
                value = atoms.get(atom)
                if value not in (None, "-", ""):
                    entry[field] = value
        else:
            entry["message"] = record.getMessage()
            request = getattr(record, "request", None)
            if request is not None and hasattr(request, "path"):
                entry["method"] = getattr(request, "method", None)
                entry["path"] = request.path
            status = getattr(record, "status_code", None)
            if status is not None:
                entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(level: str) -> dict[str, Any]:
    """Django's LOGGING and gunicorn's logconfig_dict: every line to stderr as JSON."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "parstat.ops.logs.JsonLinesFormatter"}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Every 5xx with its traceback, whatever the root level says.
            "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
