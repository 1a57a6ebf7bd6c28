from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parstat.ops.cleanup import clean_up


class Command(BaseCommand):
    help = ("Delete upload previews never applied (older than PARSTAT_UPLOAD_PREVIEW_SECONDS), "
            "expired sessions and old sign-in counters. Meant to be scheduled.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="say what would go, delete nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        done = clean_up(dry_run=options["dry_run"])
        verb = "Sẽ xóa" if options["dry_run"] else "Đã xóa"
        for path in done.previews:
            self.stdout.write(f"{verb} bản xem trước: {path}")
        self.stdout.write(f"{verb} {len(done.previews)} bản xem trước tải lên, {done.sessions} "
                          f"phiên hết hạn, {done.signin_rows} bản ghi đăng nhập cũ.")
