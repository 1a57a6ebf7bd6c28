from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connections

from parstat.ops.server import default_workers, serve


class Command(BaseCommand):
    help = ("Serve the application with gunicorn (the production server): static files "
            "hashed and compressed by WhiteNoise, access and error logs as JSON lines on stderr.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=None,
                            help="worker processes (default: PARSTAT_WORKERS, else the cores)")

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"] or default_workers()
        if workers < 1:
            self.stderr.write("--workers phải ≥ 1.")
            raise SystemExit(2)
        if not (settings.STATIC_ROOT / "staticfiles.json").exists():
            # A checkout served before `parstat init`: collect now, or the pages come bare.
            call_command("collectstatic", interactive=False, verbosity=0)
        # Workers are forked from this process: none may inherit an open connection.
        connections.close_all()
        self.stdout.write(f"parstat: http://{options['host']}:{options['port']}/ "
                          f"({workers} tiến trình)")
        self.stdout.flush()
        serve(options["host"], options["port"], workers)
