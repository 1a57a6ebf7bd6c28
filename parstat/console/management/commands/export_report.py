from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parstat.analytics.states import StateScope
from parstat.console.output import user_errors
from parstat.exports.build import find_report
from parstat.exports.service import FORMATS, ExportRequest, export
from parstat.narrative.export import DOCUMENT_FORMATS, document_bytes


class Command(BaseCommand):
    help = ("Export a unit's report for a period, or with --consolidated the table of all units "
            "below it, as json, csv, xlsx, docx, pdf, adx or sdmx.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True)
        parser.add_argument("--period", required=True)
        parser.add_argument("--format", required=True, choices=list(FORMATS))
        parser.add_argument("--consolidated", action="store_true",
                            help="the consolidated table of every unit below --unit")
        parser.add_argument("--by-unit", action="store_true",
                            help="with --consolidated: each unit's own value beside the total")
        parser.add_argument("--today", action="store_true",
                            help="with --consolidated: count merged units under their successor")
        parser.add_argument("--scope", choices=StateScope.values,
                            help="with --consolidated: which reports count: accepted, submitted "
                                 "(submitted and accepted) or all (drafts too, provisional); "
                                 "default accepted for docx and pdf, submitted otherwise")
        parser.add_argument("--template", help="template code (default: the one most reports use)")
        parser.add_argument("--appendix-only", action="store_true",
                            help="docx or pdf of one unit's report: the appendix table alone, "
                                 "without the narrative report it is attached to")
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        if (options["by_unit"] or options["today"] or options["scope"]) and not options[
                "consolidated"]:
            raise CommandError("--by-unit, --today và --scope chỉ dùng cùng --consolidated.")
        if options["appendix_only"] and (options["format"] not in DOCUMENT_FORMATS
                                         or options["consolidated"]):
            raise CommandError("--appendix-only chỉ dùng cho báo cáo của một đơn vị, "
                               "định dạng docx hoặc pdf.")
        if options["format"] in DOCUMENT_FORMATS and not (options["consolidated"]
                                                           or options["appendix_only"]):
            self._whole_document(options)
            return
        request = ExportRequest(
            unit_code=options["unit"], period_code=options["period"], fmt=options["format"],
            consolidated=options["consolidated"], by_unit=options["by_unit"],
            today=options["today"], template_code=options["template"],
            states=StateScope(options["scope"]) if options["scope"] else None)
        binary, output = FORMATS[request.fmt].binary, options["output"]
        if output is not None:
            mode = "wb" if binary else "w"
            kwargs = {} if binary else {"encoding": "utf-8", "newline": ""}
            with output.open(mode, **kwargs) as fp:
                export(request, fp)
            self.stderr.write(f"Đã ghi {output}")
            return
        if binary:
            if sys.stdout.isatty():
                raise CommandError(f"Định dạng {request.fmt} cần -o TỆP (không in ra màn hình).")
            export(request, sys.stdout.buffer)
            return
        export(request, sys.stdout)
        sys.stdout.flush()

    def _whole_document(self, options: dict[str, Any]) -> None:
        """The narrative report with its appendix (Decree 30/2020), as one .docx or .pdf."""
        fmt, output = options["format"], options["output"]
        if output is None and sys.stdout.isatty():
            raise CommandError(f"Định dạng {fmt} cần -o TỆP (không in ra màn hình).")
        # Built whole before anything is written: a refusal leaves no half file behind.
        data = document_bytes(find_report(options["unit"], options["period"]), fmt)
        if output is None:
            sys.stdout.buffer.write(data)
            return
        output.write_bytes(data)
        self.stderr.write(f"Đã ghi {output}")
