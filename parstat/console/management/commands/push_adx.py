from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from parstat.analytics.states import StateScope
from parstat.console.output import user_errors
from parstat.errors import ParstatError
from parstat.exports.exchange import exchange_groups
from parstat.exports.push import Endpoint, PushSummary, push_adx


class Command(BaseCommand):
    help = ("Send a unit's report (or with --consolidated the reports below it) as ADX to a "
            "DHIS2-style server: a dry run first, then with --apply the real send.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--consolidated", action="store_true",
                            help="every report below --unit in --scope, one ADX group each")
        parser.add_argument("--scope", choices=StateScope.values, default=StateScope.ACCEPTED,
                            help="with --consolidated: which reports go (default accepted)")
        parser.add_argument("--url", default="", help="server (default PARSTAT_DHIS2_URL)")
        parser.add_argument("--token", default="", help="access token (default "
                                                        "PARSTAT_DHIS2_TOKEN)")
        parser.add_argument("--apply", action="store_true",
                            help="after a dry run without conflicts, send for real")

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        url = options["url"] or settings.PARSTAT_DHIS2_URL
        if not url:
            raise ParstatError("push.not_configured")
        endpoint = Endpoint(url=url, token=options["token"] or settings.PARSTAT_DHIS2_TOKEN)
        exchange = exchange_groups(options["unit"], options["period"],
                                   states=StateScope(options["scope"]),
                                   consolidated=options["consolidated"])
        trial = push_adx(exchange, endpoint, dry_run=True)
        self._print(trial)
        if trial.conflicts:
            raise ParstatError("push.conflicts", url=url, count=len(trial.conflicts),
                               conflicts="; ".join(trial.conflicts[:10]))
        if options["apply"]:
            self._print(push_adx(exchange, endpoint, dry_run=False))
        else:
            self.stdout.write("Chỉ chạy thử: chưa gửi thật (thêm --apply để gửi).")

    def _print(self, summary: PushSummary) -> None:
        what = "Chạy thử" if summary.dry_run else "Đã gửi"
        self.stdout.write(
            f"{what}: {summary.sent} giá trị; máy chủ báo {summary.status}: nhập mới "
            f"{summary.imported}, cập nhật {summary.updated}, bỏ qua {summary.ignored}, "
            f"xóa {summary.deleted}, xung đột {len(summary.conflicts)}.")
        for conflict in summary.conflicts:
            self.stdout.write(f"  xung đột: {conflict}")
