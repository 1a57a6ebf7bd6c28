"""``parstat package build --unit ST --period 2023Q1 [-o FILE]`` ·
``package send --unit ST --period 2023Q1 --url URL --token TOKEN [--number N --date D --as USER]``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parstat.console.output import actor_from, add_actor_argument, user_errors
from parstat.narrative.actions import parse_document_date
from parstat.province.models import ProvinceReport, ProvinceState
from parstat.province.package import (
    build_package,
    do_send_province_report,
    find_province_report,
    sent_package,
    sha256,
)
from parstat.province.upward import deliver


class Command(BaseCommand):
    help = ("The province package (approved province report, its documents and a SHA-256 "
            "manifest): build it to a file, or send it to another parstat installation.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        build = sub.add_parser("build", help="write the package of an approved (or the one "
                                             "a sent) province report to a .zip")
        send = sub.add_parser("send", help="send the package to another installation's "
                                           "/api/v1/packages; an approved report is first "
                                           "sent (workflow step, package stored)")
        for command in (build, send):
            command.add_argument("--unit", required=True, help="the province's unit code")
            command.add_argument("--period", required=True)
            command.add_argument("--template", default=None)
        build.add_argument("-o", "--output", default="",
                           help="file to write (default UNIT_PERIOD_goi-so-lieu.zip)")
        send.add_argument("--url", required=True, help="the receiving installation's address")
        send.add_argument("--token", required=True, help="an API token made on the receiver")
        send.add_argument("--number", default="", help="the document's number (first send)")
        send.add_argument("--date", default="", help="the document's date, DD/MM/YYYY")
        add_actor_argument(send)

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        report = find_province_report(options["unit"], options["period"], options["template"])
        getattr(self, f"_{options['subcommand']}")(report, options)

    def _build(self, report: ProvinceReport, options: dict[str, Any]) -> None:
        stored = sent_package(report) if report.state == ProvinceState.SENT else None
        data = bytes(stored.data) if stored else build_package(report).data
        path = Path(options["output"] or
                    f"{report.unit.code}_{report.period.code}_goi-so-lieu.zip")
        path.write_bytes(data)
        what = "gói đã gửi (lưu lúc gửi)" if stored else "gói lập từ số liệu đã duyệt"
        self.stdout.write(f"{path}: {what}, phiên bản {report.version}, {len(data)} byte, "
                          f"SHA-256 {sha256(data)}")

    def _send(self, report: ProvinceReport, options: dict[str, Any]) -> None:
        if report.state == ProvinceState.APPROVED:
            do_send_province_report(report, acting_user=actor_from(options),
                                    number=options["number"],
                                    issued_on=parse_document_date(options["date"]))
            report.refresh_from_db()
        delivery = deliver(report, url=options["url"], token=options["token"])
        words = {"stored": "đã lưu", "replaced": "đã lưu, thay phiên bản cũ",
                 "unchanged": "đã có, không đổi"}
        self.stdout.write(
            f"Đã gửi phiên bản {delivery.version} tới {delivery.url}: máy nhận trả lời "
            f"{delivery.status} ({words.get(delivery.outcome, delivery.outcome)}); "
            f"{delivery.totals} chỉ tiêu ({delivery.blank} để trống), "
            f"{delivery.reports} báo cáo đơn vị.")
