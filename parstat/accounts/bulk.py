"""The people of a province in bulk: accounts and their roles per unit, from a file.

One row per role (``username, full_name, email, unit, role``); a person with three roles has
three rows, which must agree on the name and address. Like the unit file, it is all or nothing:
every row is checked first and one refusal refuses the file. New accounts get no password:
each is sent a link to set one (Django's password-reset tokens, valid for
``PASSWORD_RESET_TIMEOUT``), or the links are printed for the administrator to hand out.
A file adds accounts and roles and updates names and addresses; it never removes a role (taking
a role away is a deliberate act on the admin pages).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from parstat.accounts.models import AccountChange, AccountChangeKind, Membership, Role
from parstat.errors import ParstatError
from parstat.imports.records import Record, Refusal, fold_header, read_records
from parstat.reporting.actions import Actor
from parstat.units.models import OrgUnit

USER_COLUMNS: dict[str, tuple[str, ...]] = {
    "username": ("tên đăng nhập", "tài khoản", "tên tài khoản"),
    "full_name": ("họ và tên", "họ tên", "tên"),
    "email": ("thư điện tử", "e-mail"),
    "unit": ("đơn vị", "mã đơn vị"),
    "role": ("vai trò", "quyền"),
}
REQUIRED = ("username", "unit", "role")
USERNAME = re.compile(r"^[A-Za-z0-9@.+_-]{1,150}$")
ROLE_WORDS = {"bao cao": Role.REPORTER, "nguoi nhap": Role.REPORTER,
              "lanh dao": Role.APPROVER, "duyet": Role.APPROVER,
              "tong hop": Role.CONSOLIDATOR, "xem": Role.VIEWER}


@dataclass
class PersonPlan:
    row: int
    username: str
    full_name: str | None  # None: the file says nothing of it
    email: str | None
    roles: list[tuple[OrgUnit, str]] = field(default_factory=list)
    exists: bool = False
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    new_roles: list[tuple[OrgUnit, str]] = field(default_factory=list)


@dataclass
class UserImport:
    file: str
    dry_run: bool
    people: list[PersonPlan] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    links: dict[str, str] = field(default_factory=dict)  # username → set-password link
    mailed: list[str] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)

    @property
    def applied(self) -> bool:
        return not self.dry_run and not self.refused

    @property
    def new(self) -> list[PersonPlan]:
        return [p for p in self.people if not p.exists]

    @property
    def changed(self) -> list[PersonPlan]:
        return [p for p in self.people if p.exists and (p.changes or p.new_roles)]

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "dry_run": self.dry_run, "applied": self.applied,
            "counts": {"new": len(self.new), "changed": len(self.changed),
                       "unchanged": len(self.people) - len(self.new) - len(self.changed),
                       "roles_added": sum(len(p.new_roles) for p in self.people),
                       "refused": len(self.refused)},
            "new": [_person(p) for p in self.new],
            "changed": [_person(p) for p in self.changed],
            "refused": [r.as_dict() for r in self.refused],
            "mailed": self.mailed, "no_address": self.no_address, "links": self.links,
        }


def _person(plan: PersonPlan) -> dict[str, Any]:
    return {"row": plan.row, "username": plan.username, "full_name": plan.full_name,
            "email": plan.email, "changes": {k: list(v) for k, v in plan.changes.items()},
            "roles_added": [{"unit": u.code, "role": r} for u, r in plan.new_roles]}


def read_role(text: str, username: str) -> str:
    folded = fold_header(text)
    for role in Role:
        if folded in (fold_header(role.value), fold_header(str(role.label))):
            return role.value
    if folded in ROLE_WORDS:
        return ROLE_WORDS[folded].value
    raise ParstatError("users.bad_role", username=username, text=text,
                       roles="; ".join(f"{r.value} ({r.label})" for r in Role))


def import_users(data: bytes, name: str, *, acting_user: Actor, dry_run: bool = False,
                 print_links: bool = False) -> UserImport:
    """Check every row; unless a dry run or refused, create and update the accounts, then mail
    (or, with ``print_links``, return) a set-password link for each new account."""
    result = plan_users(read_records(data, name, USER_COLUMNS, REQUIRED), name, dry_run=dry_run)
    if result.applied:
        do_apply_users(result, acting_user=acting_user)
        _send_links(result, acting_user=acting_user, print_links=print_links)
    return result


def plan_users(records: Sequence[Record], name: str, *, dry_run: bool) -> UserImport:
    result = UserImport(file=name, dry_run=dry_run)
    units = {u.code: u for u in OrgUnit.objects.all()}
    people: dict[str, PersonPlan] = {}
    roles_at: dict[tuple[str, int, str], int] = {}
    for record in records:
        username = record.cells["username"]
        try:
            plan = _person_row(record, username, people)
            unit = units.get(record.cells["unit"])
            if unit is None:
                raise ParstatError("users.unknown_unit", username=username,
                                   unit=record.cells["unit"])
            role = read_role(record.cells["role"], username)
            key = (username, unit.pk, role)
            if key in roles_at:
                raise ParstatError("users.repeated_role", username=username, role=role,
                                   unit=unit.code, first=roles_at[key])
        except ParstatError as error:
            result.refused.append(Refusal(record.row, username, error))
            continue
        roles_at[key] = record.row
        people.setdefault(username, plan).roles.append((unit, role))
    result.people = list(people.values())
    _compare(result.people)
    return result


def _person_row(record: Record, username: str, people: dict[str, PersonPlan]) -> PersonPlan:
    if not USERNAME.match(username):
        raise ParstatError("users.bad_username", text=username)
    full_name = " ".join(record.cells["full_name"].split())[:150] \
        if "full_name" in record.cells else None
    email = record.cells.get("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ParstatError("users.bad_email", username=username, text=email) from None
    plan = people.get(username)
    if plan is None:
        return PersonPlan(record.row, username, full_name or None, email or None)
    for name, given in (("full_name", full_name), ("email", email)):
        kept = getattr(plan, name)
        if given and kept and given != kept:
            raise ParstatError("users.disagreeing_rows", username=username, attribute=name,
                               first=plan.row)
        if given and not kept:
            setattr(plan, name, given)
    return plan


def _compare(plans: list[PersonPlan]) -> None:
    User = get_user_model()
    existing = {u.get_username(): u for u in
                User.objects.filter(username__in=[p.username for p in plans])}
    held = set(Membership.objects.filter(user__in=existing.values())
               .values_list("user__username", "unit_id", "role"))
    for plan in plans:
        user = existing.get(plan.username)
        plan.exists = user is not None
        if user is not None:
            for name, now in (("full_name", user.first_name), ("email", user.email)):
                wanted = getattr(plan, name)
                if wanted is not None and wanted != now:
                    plan.changes[name] = (now, wanted)
        plan.new_roles = [(unit, role) for unit, role in plan.roles
                          if (plan.username, unit.pk, role) not in held]


@transaction.atomic
def do_apply_users(result: UserImport, *, acting_user: Actor) -> None:
    User = get_user_model()
    now = timezone.now()
    audit = []
    for plan in result.people:
        if not plan.exists:
            user = User(username=plan.username, first_name=plan.full_name or "",
                        email=plan.email or "")
            user.set_unusable_password()  # the person sets it through the link
            user.save()
            audit.append(_change(user, AccountChangeKind.CREATED,
                                 {"full_name": plan.full_name, "email": plan.email},
                                 now, acting_user, result.file))
        else:
            user = User.objects.select_for_update().get(username=plan.username)
            if plan.changes:
                user.first_name = plan.full_name if plan.full_name is not None else user.first_name
                user.email = plan.email if plan.email is not None else user.email
                user.save(update_fields=["first_name", "email"])
                audit.append(_change(user, AccountChangeKind.CHANGED,
                                     {k: list(v) for k, v in plan.changes.items()},
                                     now, acting_user, result.file))
        for unit, role in plan.new_roles:
            Membership.objects.create(user=user, unit=unit, role=role)
            audit.append(_change(user, AccountChangeKind.ROLE_ADDED,
                                 {"unit": unit.code, "role": role}, now, acting_user,
                                 result.file))
    AccountChange.objects.bulk_create(audit)


def _change(user: Any, kind: str, detail: dict[str, Any], now: Any, actor: Actor,
            origin: str) -> AccountChange:
    return AccountChange(user=user, kind=kind, detail=detail, happened_at=now,
                         **actor.audit_fields(origin))


def set_password_link(user: Any) -> str:
    """An absolute link to choose a password (Django's reset token: single use, expiring)."""
    path = reverse("web:password_set", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user)})
    return settings.PARSTAT_BASE_URL.rstrip("/") + path


def _send_links(result: UserImport, *, acting_user: Actor, print_links: bool) -> None:
    User = get_user_model()
    now = timezone.now()
    audit = []
    for user in User.objects.filter(username__in=[p.username for p in result.new]):
        link = set_password_link(user)
        if print_links:
            result.links[user.get_username()] = link
            continue
        if not user.email:
            # No address to mail it to: the administrator who ran the import hands it over.
            result.no_address.append(user.get_username())
            result.links[user.get_username()] = link
            continue
        send_mail("[parstat] Đặt mật khẩu tài khoản của anh/chị",
                  f"Tài khoản «{user.get_username()}» đã được tạo trên hệ thống báo cáo thống kê "
                  f"cải cách hành chính (parstat).\n\nĐặt mật khẩu tại liên kết sau (dùng một "
                  f"lần):\n{link}\n", None, [user.email])
        result.mailed.append(user.get_username())
        audit.append(_change(user, AccountChangeKind.LINK_SENT, {"email": user.email}, now,
                             acting_user, result.file))
    AccountChange.objects.bulk_create(audit)
