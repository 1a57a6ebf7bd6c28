from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parstat.console.output import dumps, user_errors
from parstat.exports.build import find_report
from parstat.reporting.checks import evaluate_report


class Command(BaseCommand):
    help = "Show the findings of a unit's report for a period; exit status 1 if any error."
    # Read-only: no need for Django's system checks, which load the whole URL configuration.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--json", action="store_true")

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        report = find_report(options["unit"], options["period"])
        evaluation = evaluate_report(report)
        if options["json"]:
            self.stdout.write(dumps([f.as_dict() for f in evaluation.findings]))
        else:
            self.stdout.write(f"{report.unit.name} — kỳ {report.period.code}: "
                              f"{len(evaluation.errors)} lỗi, {len(evaluation.warnings)} cảnh báo")
            for finding in evaluation.findings:
                mark = "LỖI" if finding.severity == "error" else "Cảnh báo"
                self.stdout.write(f"  {mark} {finding.rule} [{', '.join(finding.codes)}]: "
                                  f"{finding.message}")
        if evaluation.errors:
            raise SystemExit(1)
