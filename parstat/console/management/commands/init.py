from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from parstat.catalog.loader import load_builtin_templates
from parstat.console.output import user_errors
from parstat.errors import ParstatError
from parstat.reporting.periods import periods_of_year


class Command(BaseCommand):
    help = ("Create or upgrade the database and load the built-in templates; --demo adds the "
            "synthetic demo province and the real seed report.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true",
                            help="add the synthetic demo province and file the seed report")
        parser.add_argument("--force-templates", action="store_true",
                            help="reload template files even when unchanged")
        parser.add_argument("--year", type=int, action="append", default=[], metavar="YEAR",
                            help="also make the report periods of YEAR (repeatable), e.g. to "
                                 "import reports of earlier years")

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Cơ sở dữ liệu: đã cập nhật cấu trúc.")
        for template, written in load_builtin_templates(force=options["force_templates"]):
            state = "đã nạp" if written else "không đổi"
            self.stdout.write(f"Biểu mẫu {template.code}: {template.indicators.count()} chỉ tiêu, "
                              f"{template.rules.count()} quy tắc ({state}).")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("Tệp tĩnh: đã gom, băm và nén.")
        this_year = timezone.localdate().year
        for year in (this_year - 1, this_year):
            periods_of_year(year)  # the current regime's periods, with default windows
        self.stdout.write(f"Kỳ báo cáo {this_year - 1}–{this_year}: sẵn sàng.")
        for year in sorted(set(options["year"])):
            if not 2000 <= year <= 2100:
                raise ParstatError("period.invalid", text=str(year))
            periods_of_year(year)
            self.stdout.write(f"Kỳ báo cáo {year}: sẵn sàng.")
        if options["demo"]:
            self._demo(options["verbosity"] > 0)

    def _demo(self, progress: bool) -> None:
        from parstat.accounts.users import DEMO_PASSWORD, ensure_demo_accounts
        from parstat.catalog.demo_editions import load_demo_editions
        from parstat.demo import DEMO_PROVINCE, load_demo, load_seed_report
        from parstat.narrative.outline import load_outline
        from parstat.units.registry import SEED_UNIT_CODE

        for template, written in load_demo_editions():
            state = "đã nạp" if written else "không đổi"
            self.stdout.write(f"Biểu mẫu minh họa {template.code}: "
                              f"{template.indicators.count()} chỉ tiêu ({state}).")
        seed = load_seed_report()
        summary = seed["summary"]
        self.stdout.write(
            f"Báo cáo thật (seed) {seed['unit']} kỳ {seed['period']}: {summary['matched']} dòng "
            f"khớp, {summary['imported']} giá trị mới, {summary['errors']} lỗi, "
            f"{summary['warnings']} cảnh báo.")
        demo = load_demo(progress=progress)
        self.stdout.write(f"Dữ liệu minh họa (tổng hợp, không phải số liệu thật): {demo['units']} "
                          f"sở, {demo['reports']} báo cáo, {demo['values']} giá trị mới.")
        family, sections = load_outline()
        self.stdout.write(f"Đề cương báo cáo minh họa của bảng {family}: {sections} mục.")
        accounts = ensure_demo_accounts(SEED_UNIT_CODE, DEMO_PROVINCE, "ST")
        self.stdout.write(f"Tài khoản minh họa (mật khẩu «{DEMO_PASSWORD}»): {', '.join(accounts)}.")
