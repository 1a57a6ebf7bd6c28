from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parstat.console.output import actor_from, add_actor_argument, dumps, user_errors
from parstat.imports.records import parse_day
from parstat.units.models import OrgUnit


class Command(BaseCommand):
    help = ("The unit registry: list it (default), import a province's units from .xlsx/.csv "
            "(all or nothing, --dry-run first), or merge units into a successor from a date.")
    # Touching only the units: Django's system checks would load the whole URL configuration
    # (the API, the export libraries) for nothing (bench/startup.py).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")
        actions = parser.add_subparsers(dest="action", required=False)
        actions.add_parser("list", help="the registry: code, kind, parent, validity, successor")
        read = actions.add_parser("import", help="a file of units (code, name, kind, parent, "
                                                 "valid_from, valid_to, successor, email, phone)")
        read.add_argument("file")
        read.add_argument("--dry-run", action="store_true", help="say what it would do only")
        read.add_argument("--json", action="store_true")
        add_actor_argument(read)
        merge = actions.add_parser("merge", help="units CODE… end the day before --on; --into "
                                                 "holds their place from then")
        merge.add_argument("codes", nargs="+", metavar="CODE")
        merge.add_argument("--into", required=True, metavar="CODE")
        merge.add_argument("--on", required=True, metavar="DD/MM/YYYY")
        merge.add_argument("--json", action="store_true")
        add_actor_argument(merge)

    @user_errors
    def handle(self, *args: Any, **options: Any) -> None:
        action = options.get("action") or "list"
        if action == "import":
            self._import(options)
        elif action == "merge":
            self._merge(options)
        else:
            self._list(options)

    def _import(self, options: dict[str, Any]) -> None:
        from parstat.units.bulk import import_units

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        result = import_units(path.read_bytes(), path.name, acting_user=actor_from(options),
                              dry_run=options["dry_run"])
        summary = result.as_dict()
        if options["json"]:
            self.stdout.write(dumps(summary))
        else:
            counts = summary["counts"]
            self.stdout.write(f"{path.name}: {counts['new']} mới, {counts['changed']} thay đổi, "
                              f"{counts['unchanged']} không đổi, {counts['refused']} bị từ chối.")
            for new in summary["new"]:
                self.stdout.write(f"  + dòng {new['row']}: {new['code']} {new['name']}")
            for changed in summary["changed"]:
                what = "; ".join(f"{k}: «{o or ''}» → «{n or ''}»"
                                 for k, (o, n) in changed["changes"].items())
                self.stdout.write(f"  ~ dòng {changed['row']}: {changed['code']}: {what}")
            for refused in summary["refused"]:
                self.stdout.write(f"  ✗ dòng {refused['row']}: [{refused['error']}] "
                                  f"{refused['message']}")
            self.stdout.write("Chạy thử: chưa lưu gì." if result.dry_run else
                              "Có dòng bị từ chối: chưa lưu gì." if result.refused else
                              "Đã áp dụng." if counts["new"] or counts["changed"] else
                              "Không có gì thay đổi.")
        if result.refused:
            raise SystemExit(1)

    def _merge(self, options: dict[str, Any]) -> None:
        from parstat.units.bulk import do_merge_units

        day = parse_day(options["on"])
        assert day is not None  # --on is required
        units = {u.code: u for u in OrgUnit.objects.filter(code__in=[*options["codes"],
                                                                   options["into"]])}
        for code in [*options["codes"], options["into"]]:
            if code not in units:
                raise CommandError(f"Không có đơn vị mã {code}.")
        changes = do_merge_units([units[c] for c in options["codes"]], units[options["into"]],
                                 day, acting_user=actor_from(options))
        rows = [{"code": c.unit.code, **c.detail} for c in changes]
        if options["json"]:
            self.stdout.write(dumps(rows))
            return
        for change in changes:
            self.stdout.write(f"{change.unit.code}: hiệu lực đến {change.unit.valid_to:%d/%m/%Y},"
                              f" kế thừa bởi {options['into']}.")

    def _list(self, options: dict[str, Any]) -> None:
        units = OrgUnit.objects.select_related("parent", "successor").order_by("code")
        rows = [{
            "code": u.code, "name": u.name, "kind": u.kind,
            "parent": u.parent.code if u.parent else None,
            "valid_from": u.valid_from, "valid_to": u.valid_to,
            "successor": u.successor.code if u.successor else None,
            "synthetic": u.synthetic,
        } for u in units]
        if options["json"]:
            self.stdout.write(dumps(rows))
            return
        for row in rows:
            validity = f"{_day(row['valid_from'])} → {_day(row['valid_to'])}"
            successor = f" ⇒ {row['successor']}" if row["successor"] else ""
            self.stdout.write(f"{row['code']:<12} {row['kind']:<13} {row['parent'] or '-':<8} "
                              f"{validity:<25} {row['name']}{successor}")


def _day(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"
