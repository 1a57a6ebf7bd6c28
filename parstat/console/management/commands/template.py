from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parstat.catalog.editions import editions_of
from parstat.catalog.models import Template
from parstat.console.output import dumps, user_errors


class Command(BaseCommand):
    help = ("Templates and their editions: list them, export one as an authoring workbook "
            "(.xlsx) or YAML, import (publish) an edited workbook or YAML, --dry-run first.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="every table, its editions and unit kinds")
        listing.add_argument("--json", action="store_true")
        out = actions.add_parser("export", help="an edition as .xlsx (default) or .yaml")
        out.add_argument("code")
        out.add_argument("-o", "--output", metavar="FILE")
        out.add_argument("--format", choices=("xlsx", "yaml"), default=None)
        read = actions.add_parser("import", help="check, then publish, a workbook or YAML file")
        read.add_argument("file")
        read.add_argument("--dry-run", action="store_true", help="check only; store nothing")
        read.add_argument("--json", action="store_true")

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _list(self, options: dict[str, Any]) -> None:
        families = editions_of(Template.objects.select_related("previous"))
        rows: list[dict[str, Any]] = [{"family": family, "code": t.code, "edition": t.edition,
                 "applies_from": t.applies_from, "previous": t.previous.code if t.previous else None,
                 "unit_kinds": list(t.unit_kinds or []), "synthetic": t.synthetic,
                 "indicators": t.indicators.count(), "name": t.name}
                for family, editions in families.items() for t in editions]
        if options["json"]:
            self.stdout.write(dumps(rows))
            return
        for row in rows:
            since = row["applies_from"].strftime("%d/%m/%Y") if row["applies_from"] else "…"
            demo = " (minh họa)" if row["synthetic"] and "minh họa" not in row["name"] else ""
            self.stdout.write(f"{row['family']:<8} {row['code']:<12} từ {since}  "
                              f"{', '.join(row['unit_kinds']) or '-':<20} {row['indicators']:>4} "
                              f"chỉ tiêu  {row['name']}{demo}")

    def _export(self, options: dict[str, Any]) -> None:
        from parstat.catalog.workbook import template_data, write_workbook

        template = Template.objects.filter(code=options["code"]).first()
        if template is None:
            raise CommandError(f"Không có biểu mẫu {options['code']}.")
        output = options["output"]
        fmt = options["format"] or ("yaml" if output and output.endswith((".yaml", ".yml"))
                                    else "xlsx")
        data = template_data(template)
        if fmt == "yaml":
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
            if output:
                Path(output).write_text(text, encoding="utf-8")
            else:
                self.stdout.write(text)
            return
        if not output:
            raise CommandError("Tệp .xlsx cần -o TỆP.")
        Path(output).write_bytes(write_workbook(data))

    def _import(self, options: dict[str, Any]) -> None:
        from parstat.catalog.workbook import import_template

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        result = import_template(path.read_bytes(), path.name, dry_run=options["dry_run"])
        summary = result.as_dict()
        if options["json"]:
            self.stdout.write(dumps(summary))
        else:
            for refused in summary["refused"]:
                self.stdout.write(f"  ✗ [{refused['error']}] {refused['message']}")
            if not result.refused:
                mapping = ", ".join(f"{k}: {v}" for k, v in sorted(result.mapping.items()))
                self.stdout.write(f"{result.code}: {result.rows} chỉ tiêu, {result.rules} quy tắc"
                                  + (f"; so với ấn bản trước: {mapping}" if mapping else "")
                                  + (". Chạy thử: chưa lưu gì." if result.dry_run else
                                     ". Đã công bố."))
        if result.refused:
            raise SystemExit(1)
