from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parstat.console.output import user_errors
from parstat.ops.backup import restore


class Command(BaseCommand):
    help = ("Restore a file written by `parstat backup` into the configured database, which "
            "must be empty unless --force.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true",
                            help="overwrite a database that already has tables")

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        restored = restore(options["file"], force=options["force"])
        self.stdout.write(f"Đã khôi phục {restored.path} ({restored.kind}): "
                          f"{restored.tables} bảng.")
