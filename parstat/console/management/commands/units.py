from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parstat.console.output import dumps
from parstat.units.models import OrgUnit


class Command(BaseCommand):
    help = "List the unit registry: code, name, kind, parent, validity, successor."
    # Read-only and touching only the units: Django's system checks would load the whole URL
    # configuration (the API, the export libraries) for nothing (bench/startup.py).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
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
