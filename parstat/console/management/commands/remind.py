from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parstat.analytics.reminders import reminders
from parstat.console.output import user_errors
from parstat.exports.consolidated import find_unit
from parstat.reporting.periods import find_period
from parstat.vnformat import period_label, vn_date


class Command(BaseCommand):
    help = ("Remind units whose report for a period is missing, before and after its deadline; "
            "mail goes through Django's mail settings (PARSTAT_EMAIL_BACKEND, console by default).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=date.fromisoformat,
                            help="the day to reckon from, YYYY-MM-DD (default: today)")
        parser.add_argument("--days-ahead", type=int, default=5,
                            help="remind of deadlines up to this many days ahead (default 5)")
        parser.add_argument("--days-overdue", type=int, default=30,
                            help="keep reminding up to this many days after a deadline (default 30)")
        parser.add_argument("--unit", help="only units below this one (default: every unit)")
        parser.add_argument("--period", help="only this period, whatever its deadline")
        parser.add_argument("--dry-run", action="store_true",
                            help="list the reminders without sending any mail")

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        from django.utils import timezone

        today = options["today"] or timezone.localdate()
        if options["days_ahead"] < 0 or options["days_overdue"] < 0:
            raise CommandError("--days-ahead và --days-overdue không được âm.")
        root = find_unit(options["unit"]) if options["unit"] else None
        period = find_period(options["period"]) if options["period"] else None
        found = reminders(today, ahead=options["days_ahead"], overdue=options["days_overdue"],
                          root=root, period=period)
        if not found:
            self.stdout.write(f"Không có báo cáo nào cần nhắc ngày {vn_date(today)}.")
            return
        sent = unreachable = 0
        connection = None if options["dry_run"] else get_connection()
        for reminder in found:
            state = "quá hạn" if reminder.overdue else "sắp đến hạn"
            to = ", ".join(reminder.recipients) or "KHÔNG CÓ ĐỊA CHỈ E-MAIL (liên hệ: " + (
                reminder.unit.contact or "chưa có") + ")"
            self.stdout.write(f"{reminder.unit.code}\t{period_label(reminder.period.code)}\t"
                              f"{state} {vn_date(reminder.period.deadline)}\t{to}")
            if not reminder.recipients:
                unreachable += 1
                continue
            if connection is not None:
                send_mail(reminder.subject, reminder.body, settings.DEFAULT_FROM_EMAIL,
                          list(reminder.recipients), connection=connection)
                sent += 1
        verb = "sẽ gửi" if options["dry_run"] else "đã gửi"
        self.stdout.write(f"{len(found)} lời nhắc: {verb} {len(found) - unreachable}"
                          f"{'' if options['dry_run'] else f' ({sent})'}, "
                          f"{unreachable} đơn vị không có địa chỉ e-mail.")
