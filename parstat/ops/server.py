"""``parstat serve``: gunicorn in front of the Django application, configured from here.

Gunicorn because it is the plain, pre-forking WSGI server Django documents, with nothing to
compile: each worker is one process serving one request at a time, so the number of database
connections a machine opens is bounded by its workers (see README "Running in production").
"""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.db import connection
from gunicorn.app.base import BaseApplication

from parstat.ops.logs import logging_config


def default_workers(vendor: str | None = None) -> int:
    """``PARSTAT_WORKERS`` if set; else, on PostgreSQL, two per core this process may run on,
    and on SQLite one per core (``vendor``: the database's, by default the configured one's).

    A sync worker waits through each round trip to PostgreSQL and through the commit's flush
    to disk with its core idle: two per core kept the cores busy (8 people autosaving on 2
    cores: 83 saves/s with 2 workers, 104 with 4, 99 with 5). SQLite takes one writer at a
    time, so more workers only queue on its lock (4 workers: 140 saves/s against 128–133, but
    the slowest 1 % waited 370 ms against 110)."""
    if configured := getattr(settings, "PARSTAT_WORKERS", None):
        return int(configured)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores * 2 if (vendor or connection.vendor) == "postgresql" else cores


class ParstatServer(BaseApplication):
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from parstat.wsgi import application

        return application


def server_options(host: str, port: int, workers: int) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "sync",
        # An export or a large import may take a while; longer than this is a stuck worker.
        "timeout": settings.PARSTAT_REQUEST_TIMEOUT_SECONDS,
        "graceful_timeout": 30,
        # A worker is replaced after this many requests (with jitter), so a slow leak never
        # grows without bound.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": "-",
        "logconfig_dict": logging_config(settings.PARSTAT_LOG_LEVEL),
        # X-Forwarded-Proto is believed from these proxies only (sign-in reads X-Forwarded-For
        # under the same rule, parstat.accounts.signin.client_ip).
        "forwarded_allow_ips": ",".join(settings.PARSTAT_TRUSTED_PROXIES) or "127.0.0.1",
        "proc_name": "parstat",
        # Gunicorn's control socket sits at one path per user: two servers on one machine
        # would fight over it, and nothing here uses it.
        "control_socket_disable": True,
    }


def serve(host: str, port: int, workers: int) -> None:
    ParstatServer(server_options(host, port, workers)).run()
