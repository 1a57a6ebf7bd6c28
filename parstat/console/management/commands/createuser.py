from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parstat.accounts.models import Role
from parstat.accounts.users import ensure_user
from parstat.units.models import OrgUnit


class Command(BaseCommand):
    help = ("Create (or update) a user and give roles per unit: "
            "--role UNIT:ROLE, ROLE one of reporter, approver, consolidator, viewer.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--role", action="append", default=[], metavar="UNIT:ROLE",
                            help="e.g. ST-SKHDT:reporter (repeatable)")
        parser.add_argument("--admin", action="store_true", help="administrator (all admin pages)")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--password-stdin", action="store_true",
                            help="read the password from standard input (for scripts)")

    def handle(self, *args: Any, **options: Any) -> None:
        roles = [self._role(text) for text in options["role"]]
        if options["password_stdin"]:
            import sys

            password = sys.stdin.readline().rstrip("\n")
        else:
            password = getpass.getpass("Mật khẩu: ")
            if password != getpass.getpass("Nhập lại mật khẩu: "):
                raise CommandError("Hai lần nhập mật khẩu không khớp.")
        if len(password) < 8:
            raise CommandError("Mật khẩu cần ít nhất 8 ký tự.")
        ensure_user(options["username"], password=password, roles=roles,
                    administrator=options["admin"], full_name=options["name"])
        self.stdout.write(f"Đã tạo/cập nhật người dùng {options['username']}.")

    def _role(self, text: str) -> tuple[str, str]:
        unit, _, role = text.partition(":")
        if role not in Role.values:
            raise CommandError(f"Vai trò «{role}» không hợp lệ: {', '.join(Role.values)}.")
        if not OrgUnit.objects.filter(code=unit).exists():
            raise CommandError(f"Không có đơn vị mã {unit}.")
        return unit, role
