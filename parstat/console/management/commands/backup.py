from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parstat.console.output import user_errors
from parstat.ops.backup import backup


class Command(BaseCommand):
    help = ("Write one consistent file of the whole database (SQLite online backup, or "
            "pg_dump custom format on PostgreSQL).")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, default=None,
                            help="file to write (default: DATA_DIR/backups/parstat-<time>.*)")
        parser.add_argument("--portable", action="store_true",
                            help="a JSON archive that restores into SQLite or PostgreSQL")

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        path = backup(options["output"], portable=options["portable"])
        self.stdout.write(f"Đã sao lưu: {path} ({path.stat().st_size:,} byte)".replace(",", "."))
