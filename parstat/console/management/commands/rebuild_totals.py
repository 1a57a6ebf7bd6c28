from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parstat.analytics.totals import rebuild_totals


class Command(BaseCommand):
    help = ("Recount the live totals from the stored values and say whether anything differed "
            "(after a restore, a migration, or a change made outside parstat).")

    def handle(self, *args: Any, **options: Any) -> None:
        rebuilt = rebuild_totals()
        self.stdout.write(f"Đã tính lại {rebuilt.groups} nhóm, {rebuilt.parts} phần tổng hợp.")
        if rebuilt.differed:
            self.stdout.write(f"KHÁC: {rebuilt.differed} phần tổng hợp đã sai hoặc thiếu "
                              f"và đã được sửa.")
        else:
            self.stdout.write("Không có gì khác: tổng hợp trực tiếp khớp với số liệu.")
