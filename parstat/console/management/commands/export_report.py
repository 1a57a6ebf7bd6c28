from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parstat.console.output import user_errors
from parstat.exports.build import export_report, find_report
from parstat.exports.writers import WRITERS


class Command(BaseCommand):
    help = "Export a unit's report for a period as json, csv or xlsx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--format", required=True, choices=sorted(WRITERS))
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        report = find_report(options["unit"], options["period"])
        fmt, output = options["format"], options["output"]
        _writer, binary = WRITERS[fmt]
        if output is not None:
            mode = "wb" if binary else "w"
            kwargs = {} if binary else {"encoding": "utf-8", "newline": ""}
            with output.open(mode, **kwargs) as fp:
                export_report(report, fmt, fp)
            self.stderr.write(f"Đã ghi {output}")
            return
        if binary:
            if sys.stdout.isatty():
                raise CommandError("Định dạng xlsx cần -o TỆP (không in ra màn hình).")
            export_report(report, fmt, sys.stdout.buffer)
            return
        export_report(report, fmt, sys.stdout)
        sys.stdout.flush()
