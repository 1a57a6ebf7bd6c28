"""A province's unit registry in bulk: a file of units, and mergers (A, B → C from a date).

A file is all or nothing: every row is checked first (code, name, kind, parent, successor,
dates, contact), and one refused row refuses the file, listing every refusal with its row. A
dry run says what applying would do. Columns a file leaves out are left as they are; a column
present with an empty cell clears that field (an empty ``valid_to`` reopens a unit).

Merging closes each old unit the day before the merger and links it to its successor, so its
reports stay filed under it and count under the successor "today" (parstat.analytics.scope).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from parstat.errors import ParstatError
from parstat.imports.records import Record, Refusal, fold_header, parse_day, read_records
from parstat.reporting.actions import Actor
from parstat.units.models import OrgUnit, UnitChange, UnitChangeKind, UnitKind

UNIT_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("mã", "mã đơn vị", "ma dv"),
    "name": ("tên", "tên đơn vị"),
    "kind": ("loại", "loại đơn vị"),
    "parent": ("đơn vị cấp trên", "cấp trên", "mã đơn vị cấp trên"),
    "valid_from": ("hiệu lực từ", "hiệu lực từ ngày", "từ ngày"),
    "valid_to": ("hiệu lực đến", "hiệu lực đến ngày", "đến ngày"),
    "successor": ("đơn vị kế thừa", "kế thừa", "mã đơn vị kế thừa"),
    "email": ("thư điện tử", "e-mail", "liên hệ"),
    "phone": ("điện thoại", "số điện thoại"),
}
REQUIRED = ("code", "name", "kind")
FIELDS = ("name", "kind", "parent", "valid_from", "valid_to", "successor", "email", "phone")
CODE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
PHONE = re.compile(r"^[0-9 +().-]{3,40}$")
# Words people write for a kind, besides its code and its full label (folded).
KIND_WORDS = {"tinh": UnitKind.PROVINCE, "thanh pho truc thuoc trung uong": UnitKind.PROVINCE,
              "so": UnitKind.DEPARTMENT, "so nganh": UnitKind.DEPARTMENT,
              "nganh": UnitKind.DEPARTMENT, "so noi vu": UnitKind.HOME_AFFAIRS,
              "huyen": UnitKind.DISTRICT, "thi xa": UnitKind.DISTRICT,
              "xa": UnitKind.COMMUNE, "phuong": UnitKind.COMMUNE, "thi tran": UnitKind.COMMUNE,
              "dac khu": UnitKind.COMMUNE}


@dataclass
class UnitPlan:
    row: int
    code: str
    wanted: dict[str, Any]  # field → value; parent/successor as codes
    unit: OrgUnit | None  # None: a new unit
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass
class UnitImport:
    file: str
    dry_run: bool
    new: list[UnitPlan] = field(default_factory=list)
    changed: list[UnitPlan] = field(default_factory=list)
    unchanged: list[UnitPlan] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.refused

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "dry_run": self.dry_run, "applied": self.applied,
            "counts": {"new": len(self.new), "changed": len(self.changed),
                       "unchanged": len(self.unchanged), "refused": len(self.refused)},
            "new": [{"row": p.row, "code": p.code, **_shown(p.wanted)} for p in self.new],
            "changed": [{"row": p.row, "code": p.code,
                         "changes": {k: [_show(o), _show(n)] for k, (o, n) in p.changes.items()}}
                        for p in self.changed],
            "refused": [r.as_dict() for r in self.refused],
        }


def _show(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _shown(wanted: dict[str, Any]) -> dict[str, Any]:
    return {k: _show(v) for k, v in wanted.items()}


def read_kind(text: str) -> str:
    folded = fold_header(text)
    for kind in UnitKind:
        if folded in (fold_header(kind.value), fold_header(str(kind.label))):
            return kind.value
    if folded in KIND_WORDS:
        return KIND_WORDS[folded].value
    raise ParstatError("units.bad_kind", text=text,
                       kinds="; ".join(f"{k.value} ({k.label})" for k in UnitKind))


def import_units(data: bytes, name: str, *, acting_user: Actor,
                 dry_run: bool = False) -> UnitImport:
    """Check every row of a unit file, then (not a dry run, nothing refused) apply it whole."""
    records = read_records(data, name, UNIT_COLUMNS, REQUIRED)
    result = plan_units(records, name, dry_run=dry_run)
    if result.applied:
        do_apply_units(result, acting_user=acting_user)
    return result


def plan_units(records: Sequence[Record], name: str, *, dry_run: bool) -> UnitImport:
    result = UnitImport(file=name, dry_run=dry_run)
    existing = {u.code: u for u in OrgUnit.objects.select_related("parent", "successor")}
    in_file: dict[str, int] = {}
    plans: list[UnitPlan] = []
    for record in records:
        code = record.cells.get("code", "")
        try:
            if code in in_file:
                raise ParstatError("units.repeated", code=code, first=in_file[code])
            wanted = _wanted(record)
        except ParstatError as error:
            result.refused.append(Refusal(record.row, code, error))
            continue
        in_file[code] = record.row
        plans.append(UnitPlan(record.row, code, wanted, existing.get(code)))
    known = set(existing) | set(in_file)
    for plan in plans:
        try:
            _check_links(plan, known)
        except ParstatError as error:
            result.refused.append(Refusal(plan.row, plan.code, error))
            continue
        _sort(plan, result)
    result.refused.extend(_cycles(plans, existing))
    result.refused.sort(key=lambda r: r.row)
    return result


def _wanted(record: Record) -> dict[str, Any]:
    cells = record.cells
    code = cells["code"]
    if not CODE.match(code):
        raise ParstatError("units.bad_code", text=code)
    wanted: dict[str, Any] = {"name": " ".join(cells["name"].split())}
    if not wanted["name"] or len(wanted["name"]) > 300:
        raise ParstatError("units.bad_name", code=code)
    wanted["kind"] = read_kind(cells["kind"])
    for link in ("parent", "successor"):
        if link in cells:
            wanted[link] = cells[link] or None
    for day in ("valid_from", "valid_to"):
        if day in cells:
            wanted[day] = parse_day(cells[day])
    if wanted.get("valid_from") and wanted.get("valid_to") and \
            wanted["valid_to"] < wanted["valid_from"]:
        raise ParstatError("units.bad_validity", code=code)
    if "email" in cells:
        wanted["email"] = cells["email"]
        if cells["email"]:
            try:
                validate_email(cells["email"])
            except ValidationError:
                raise ParstatError("units.bad_email", code=code, text=cells["email"]) from None
    if "phone" in cells:
        wanted["phone"] = cells["phone"]
        if cells["phone"] and not PHONE.match(cells["phone"]):
            raise ParstatError("units.bad_phone", code=code, text=cells["phone"])
    return wanted


def _check_links(plan: UnitPlan, known: set[str]) -> None:
    for link in ("parent", "successor"):
        target = plan.wanted.get(link)
        if target is None:
            continue
        if target == plan.code:
            raise ParstatError("units.self_link", code=plan.code)
        if target not in known:
            raise ParstatError("units.unknown_link", code=plan.code, target=target)


def _current(unit: OrgUnit) -> dict[str, Any]:
    return {"name": unit.name, "kind": unit.kind,
            "parent": unit.parent.code if unit.parent else None,
            "valid_from": unit.valid_from, "valid_to": unit.valid_to,
            "successor": unit.successor.code if unit.successor else None,
            "email": unit.contact, "phone": unit.phone}


def _sort(plan: UnitPlan, result: UnitImport) -> None:
    if plan.unit is None:
        result.new.append(plan)
        return
    now = _current(plan.unit)
    plan.changes = {k: (now[k], v) for k, v in plan.wanted.items() if now[k] != v}
    (result.changed if plan.changes else result.unchanged).append(plan)


def _cycles(plans: list[UnitPlan], existing: dict[str, OrgUnit]) -> list[Refusal]:
    """A parent chain (or successor chain) that comes back to where it started."""
    refusals = []
    for link in ("parent", "successor"):
        after = {code: (_current(unit)[link]) for code, unit in existing.items()}
        after.update({p.code: p.wanted[link] for p in plans if link in p.wanted})
        for plan in plans:
            seen, code = {plan.code}, after.get(plan.code)
            while code is not None:
                if code in seen:
                    refusals.append(Refusal(plan.row, plan.code,
                                            ParstatError("units.cycle", code=plan.code,
                                                         link=link)))
                    break
                seen.add(code)
                code = after.get(code)
    return refusals


@transaction.atomic
def do_apply_units(result: UnitImport, *, acting_user: Actor) -> None:
    """Write a checked plan: new units first, then every field and link, each change audited."""
    now = timezone.now()
    for plan in result.new:
        plan.unit = OrgUnit.objects.create(code=plan.code, name=plan.wanted["name"],
                                           kind=plan.wanted["kind"])
    by_code = {u.code: u for u in OrgUnit.objects.all()}
    audit = []
    plans = [(p, UnitChangeKind.CREATED, _shown(p.wanted)) for p in result.new] + [
        (p, UnitChangeKind.CHANGED, {k: [_show(o), _show(n)] for k, (o, n) in p.changes.items()})
        for p in result.changed]
    for plan, kind, detail in plans:
        unit = by_code[plan.code]
        for key, value in plan.wanted.items():
            _assign(unit, key, value, by_code)
        unit.save()
        audit.append(_change(unit, kind, detail, now, acting_user, result.file))
    UnitChange.objects.bulk_create(audit)


def _assign(unit: OrgUnit, key: str, value: Any, by_code: dict[str, OrgUnit]) -> None:
    if key in ("parent", "successor"):
        setattr(unit, key, by_code[value] if value else None)
    elif key == "email":
        unit.contact = value
    else:
        setattr(unit, key, value)


def _change(unit: OrgUnit, kind: str, detail: dict[str, Any], now: Any, actor: Actor,
            origin: str) -> UnitChange:
    return UnitChange(unit=unit, kind=kind, detail=detail, happened_at=now,
                      **actor.audit_fields(origin))


@transaction.atomic
def do_merge_units(merged: Sequence[OrgUnit], into: OrgUnit, on: date, *,
                   acting_user: Actor) -> list[UnitChange]:
    """Units ``merged`` end the day before ``on``; ``into`` holds their place from ``on``."""
    if not merged:
        raise ParstatError("units.merge_nothing")
    for unit in merged:
        if unit.pk == into.pk:
            raise ParstatError("units.merge_into_itself", code=unit.code)
        if unit.successor_id not in (None, into.pk):
            raise ParstatError("units.already_merged", code=unit.code,
                               successor=unit.successor.code if unit.successor else "")
        if unit.valid_from and unit.valid_from >= on:
            raise ParstatError("units.merge_before_start", code=unit.code, day=on.isoformat())
    if not into.is_valid_on(on):
        raise ParstatError("units.merge_target_closed", code=into.code, day=on.isoformat())
    last_day, now = on - timedelta(days=1), timezone.now()
    changes = []
    for unit in OrgUnit.objects.select_for_update().filter(pk__in=[u.pk for u in merged]):
        detail = {"valid_to": [_show(unit.valid_to), last_day.isoformat()],
                  "successor": [unit.successor.code if unit.successor else None, into.code]}
        unit.valid_to, unit.successor = last_day, into
        unit.save(update_fields=["valid_to", "successor"])
        changes.append(_change(unit, UnitChangeKind.MERGED, detail, now, acting_user, ""))
    return UnitChange.objects.bulk_create(changes)
