"""``parstat token create USERNAME [--name NAME]`` · ``list [USERNAME]`` · ``revoke PREFIX``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parstat.accounts.models import ApiToken
from parstat.api.tokens import create_token, revoke_token
from parstat.console.output import dumps, user_errors


class Command(BaseCommand):
    help = "Personal API tokens: create (printed once), list, revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="make a token for USERNAME and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for (default: cli)")
        listing = sub.add_parser("list", help="list tokens (of USERNAME, or everyone's)")
        listing.add_argument("username", nargs="?")
        listing.add_argument("--json", action="store_true")
        revoke = sub.add_parser("revoke", help="revoke the token whose prefix is given")
        revoke.add_argument("prefix", help="the token's first characters, as `list` shows them")

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['subcommand']}")(options)

    def _create(self, options: dict[str, Any]) -> None:
        user = _user(options["username"])
        token, raw = create_token(user, options["name"] or "cli")
        self.stderr.write(f"Mã truy cập «{token.name}» của {user.get_username()} — chỉ hiện "
                          "một lần, hãy lưu lại ngay:")
        self.stdout.write(raw)

    def _list(self, options: dict[str, Any]) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
        if options["username"]:
            tokens = tokens.filter(user=_user(options["username"]))
        rows = [{"prefix": t.prefix, "user": t.user.get_username(), "name": t.name,
                 "created_at": t.created_at, "last_used_at": t.last_used_at,
                 "revoked_at": t.revoked_at} for t in tokens]
        if options["json"]:
            self.stdout.write(dumps(rows))
            return
        for row in rows:
            state = f"thu hồi {row['revoked_at']:%d/%m/%Y %H:%M}" if row["revoked_at"] else (
                f"dùng {row['last_used_at']:%d/%m/%Y %H:%M}" if row["last_used_at"]
                else "chưa dùng")
            self.stdout.write(f"{row['prefix']}…  {row['user']:<20} {row['name']:<24} {state}")

    def _revoke(self, options: dict[str, Any]) -> None:
        prefix = options["prefix"].rstrip("…").strip()
        found = list(ApiToken.objects.filter(prefix__startswith=prefix[:12])
                     .select_related("user")) if len(prefix) >= 8 else []
        found = [t for t in found if t.prefix.startswith(prefix[:12])]
        if len(found) != 1:
            raise CommandError(f"Không tìm thấy đúng một mã truy cập bắt đầu bằng «{prefix}» "
                               f"({len(found)} mã khớp; cần ít nhất 8 ký tự).")
        token = revoke_token(found[0], by=None)
        self.stdout.write(f"Đã thu hồi {token.prefix}… ({token.user.get_username()}, {token.name}).")


def _user(username: str) -> Any:
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Không có người dùng «{username}».")
    return user
