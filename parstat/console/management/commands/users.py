from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parstat.console.output import actor_from, add_actor_argument, dumps, user_errors


class Command(BaseCommand):
    help = ("People in bulk: import accounts and their roles per unit from .xlsx/.csv (one row "
            "per role; all or nothing); new accounts are mailed a link to set their password.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        read = actions.add_parser("import", help="a file of username, full_name, email, unit, "
                                                 "role")
        read.add_argument("file")
        read.add_argument("--dry-run", action="store_true", help="say what it would do only")
        read.add_argument("--print-links", action="store_true",
                          help="print each new account's set-password link instead of mailing")
        read.add_argument("--json", action="store_true")
        add_actor_argument(read)

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        from parstat.accounts.bulk import import_users

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        result = import_users(path.read_bytes(), path.name, acting_user=actor_from(options),
                              dry_run=options["dry_run"], print_links=options["print_links"])
        summary = result.as_dict()
        if options["json"]:
            self.stdout.write(dumps(summary))
        else:
            counts = summary["counts"]
            self.stdout.write(f"{path.name}: {counts['new']} tài khoản mới, {counts['changed']} "
                              f"thay đổi, {counts['unchanged']} không đổi, "
                              f"{counts['roles_added']} vai trò thêm, {counts['refused']} dòng "
                              "bị từ chối.")
            for refused in summary["refused"]:
                self.stdout.write(f"  ✗ dòng {refused['row']}: [{refused['error']}] "
                                  f"{refused['message']}")
            for username in summary["mailed"]:
                self.stdout.write(f"  ✉ {username}: đã gửi liên kết đặt mật khẩu.")
            for username, link in summary["links"].items():
                self.stdout.write(f"  → {username}: {link}")
            self.stdout.write("Chạy thử: chưa lưu gì." if result.dry_run else
                              "Có dòng bị từ chối: chưa lưu gì." if result.refused else
                              "Đã áp dụng." if counts["new"] or counts["changed"] else
                              "Không có gì thay đổi.")
        if result.refused:
            raise SystemExit(1)
