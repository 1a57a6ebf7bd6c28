"""Receiving a province package from another installation (the Ministry takes the provinces').

:func:`read_package` checks a .zip whole before anything is stored: every file against the
manifest's SHA-256 and size, package.json against the published schema, the template (code and
edition) and every indicator code against this installation's catalogue.
:func:`do_receive_package` then stores it, or not at all:

- the same package.json again (same SHA-256) → ``unchanged``, nothing written;
- a new province, period and table → ``stored``;
- a newer version of a province's report → ``replaced``: the older is kept as history
  (``superseded_at``), audited;
- a different package with the same version → ``package.conflict`` (409), an older version than
  the one in force → ``package.outdated`` (409); anything unreadable → 422. Nothing is stored.

Who may receive: an administrator, or a consolidator of a top unit (one with no parent) of this
installation: :func:`may_receive`, asked by the API and the national page alike.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from parstat.accounts.models import Membership, Role
from parstat.accounts.permissions import is_administrator
from parstat.catalog.models import Indicator, Template
from parstat.errors import ParstatError
from parstat.reporting.actions import Actor
from parstat.reporting.values import MAX_DECIMALS, MAX_DIGITS, storable

from .models import PackageAction, PackageEvent, ReceivedPackage, ReceivedReport, ReceivedTotal
from .package import MANIFEST_JSON, PACKAGE_JSON, schema_errors, sha256

MAX_PACKAGE_BYTES = 50 * 1024 * 1024
MAX_MEMBERS = 32

# What package.unknown_template adds when the template is known in another edition.
ONLY_EDITION = gettext_lazy(" (chỉ có ấn bản {edition})")


def _top_unit_roles(user: Any) -> set[str]:
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Membership.objects.filter(user=user, unit__parent__isnull=True)
               .values_list("role", flat=True))


def may_receive(user: Any) -> bool:
    return is_administrator(user) or Role.CONSOLIDATOR in _top_unit_roles(user)


def may_read_national(user: Any) -> bool:
    """The national view: those who receive, and the viewers of a top unit."""
    return is_administrator(user) or bool({Role.CONSOLIDATOR, Role.VIEWER}
                                          & _top_unit_roles(user))


@dataclass(frozen=True)
class ReadPackage:
    """A package checked whole, not yet stored."""

    data: bytes  # the .zip
    content: bytes  # package.json as sent
    package: dict[str, Any]  # package.json parsed, numbers as Decimal
    template: Template
    indicators: dict[str, Indicator]

    @property
    def content_sha256(self) -> str:
        return sha256(self.content)


def _members(data: bytes, name: str) -> dict[str, bytes]:
    if len(data) > MAX_PACKAGE_BYTES:
        raise ParstatError("import.too_large", name=name, size=len(data) // (1024 * 1024),
                           limit=MAX_PACKAGE_BYTES // (1024 * 1024))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ParstatError("package.unreadable", name=name,
                               reason="package.too_many_files", max_members=MAX_MEMBERS)
        if sum(i.file_size for i in infos) > 4 * MAX_PACKAGE_BYTES:
            raise ParstatError("package.unreadable", name=name, reason="package.too_large")
        members = {}
        for info in infos:
            if "/" in info.filename or "\\" in info.filename or info.filename.startswith("."):
                raise ParstatError("package.unreadable", name=name,
                                   reason="package.foreign_member", member=info.filename[:80])
            members[info.filename] = archive.read(info)
        return members
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as error:
        raise ParstatError("package.unreadable", name=name, reason="package.not_zip",
                           detail=str(error)[:200]) from None


def _checked_manifest(members: dict[str, bytes], name: str) -> None:
    if MANIFEST_JSON not in members or PACKAGE_JSON not in members:
        raise ParstatError("package.unreadable", name=name, reason="package.no_manifest")
    try:
        manifest = json.loads(members[MANIFEST_JSON])
        listed = {str(f["name"]): (str(f["sha256"]), int(f["size"])) for f in manifest["files"]}
        package_sha = str(manifest["package_sha256"])
    except (ValueError, KeyError, TypeError) as error:
        raise ParstatError("package.unreadable", name=name,
                           reason="package.manifest_unreadable", detail=str(error)[:200]) from None
    for member, content in members.items():
        if member == MANIFEST_JSON:
            continue
        if member not in listed:
            raise ParstatError("package.hash_mismatch", name=name, member=member,
                               reason="package.not_listed")
        digest, size = listed[member]
        if (sha256(content), len(content)) != (digest, size):
            raise ParstatError("package.hash_mismatch", name=name, member=member,
                               reason="package.hash_differs", got=sha256(content)[:12],
                               got_size=len(content), listed=digest[:12], listed_size=size)
    for member in listed:
        if member not in members:
            raise ParstatError("package.hash_mismatch", name=name, member=member,
                               reason="package.missing_member")
    if sha256(members[PACKAGE_JSON]) != package_sha:
        raise ParstatError("package.hash_mismatch", name=name, member=PACKAGE_JSON,
                           reason="package.json_hash_differs")


def read_package(data: bytes, name: str = "package.zip") -> ReadPackage:
    """The package checked whole against its manifest, the schema and this catalogue."""
    members = _members(data, name)
    _checked_manifest(members, name)
    try:
        package = json.loads(members[PACKAGE_JSON], parse_float=Decimal)
    except ValueError as error:
        raise ParstatError("package.unreadable", name=name, reason="package.not_json",
                           detail=str(error)[:200]) from None
    problems = schema_errors(package)
    if problems:
        raise ParstatError("package.invalid", name=name, count=len(problems),
                           first=problems[0][:300])
    province, period = package["province"]["code"], package["period"]["code"]
    wanted = package["template"]
    template = Template.objects.filter(code=wanted["code"]).first()
    if template is None or template.edition != wanted["edition"]:
        raise ParstatError("package.unknown_template", province=province, period=period,
                           template=wanted["code"], edition=wanted["edition"],
                           # Lazy: said in the language the refusal is read in.
                           found=format_lazy(ONLY_EDITION, edition=template.edition)
                           if template else "")
    indicators = {i.code: i for i in template.indicators.all()}
    unknown = [t["code"] for t in package["totals"] if t["code"] not in indicators]
    if unknown:
        raise ParstatError("package.unknown_indicator", province=province, period=period,
                           template=template.code, codes=", ".join(unknown[:10]))
    for total in package["totals"]:
        value = total["value"]
        if value is not None and not storable(Decimal(value)):
            raise ParstatError("package.value_unstorable", province=province, period=period,
                               code=total["code"], value=str(value)[:40], digits=MAX_DIGITS,
                               decimals=MAX_DECIMALS)
    return ReadPackage(data=data, content=members[PACKAGE_JSON], package=package,
                       template=template, indicators=indicators)


@dataclass(frozen=True)
class Receipt:
    """What receiving did, as the API answers it."""

    status: str  # stored, replaced, unchanged
    package: ReceivedPackage
    replaced_version: int | None = None

    def as_dict(self) -> dict[str, Any]:
        package = self.package
        totals = list(package.totals.values_list("number", flat=True))
        return {"status": self.status, "id": package.pk,
                "province": {"code": package.province_code, "name": package.province_name},
                "period": package.period_code, "template": package.template.code,
                "version": package.version, "state": package.state,
                "sha256": package.content_sha256,
                "totals": len(totals), "blank": sum(1 for n in totals if n is None),
                "reports": package.reports.count(),
                "coverage": {"scope_size": package.scope_size, "expected": package.expected,
                             "received": package.received},
                "replaced_version": self.replaced_version,
                "received_at": package.received_at.isoformat()}


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _store(read: ReadPackage, actor: Actor) -> ReceivedPackage:
    p = read.package
    report = p["report"]
    package = ReceivedPackage.objects.create(
        province_code=p["province"]["code"], province_name=p["province"]["name"],
        period_code=p["period"]["code"], template=read.template, version=report["version"],
        state=report["state"], document_number=report["document_number"][:60],
        document_date=date.fromisoformat(report["document_date"])
        if report["document_date"] else None,
        approved_at=datetime.fromisoformat(p["approval"]["approved_at"]),
        approved_by=p["approval"]["approved_by"][:150], scope=report["scope"],
        scope_size=p["coverage"]["scope_size"], expected=p["coverage"]["expected"],
        received=p["coverage"]["received"], narrative=p["narrative"],
        content_sha256=read.content_sha256, zip_sha256=sha256(read.data), data=read.data,
        received_at=timezone.now(), received_by=actor.user_or_none)
    ReceivedTotal.objects.bulk_create(
        ReceivedTotal(package=package, indicator=read.indicators[t["code"]],
                      number=None if t["value"] is None else Decimal(t["value"]),
                      units=t["units"], not_applicable=t["not_applicable"], counts=t["counts"])
        for t in p["totals"])
    ReceivedReport.objects.bulk_create(
        ReceivedReport(package=package, unit_code=r["unit_code"], unit_name=r["unit_name"][:300],
                       state=r["state"], version=r["version"],
                       submitted_at=_when(r["submitted_at"]), accepted_at=_when(r["accepted_at"]))
        for r in p["reports"])
    return package


def _conflict(read: ReadPackage, twin: ReceivedPackage) -> ParstatError:
    return ParstatError("package.conflict", province=read.package["province"]["name"],
                        period=twin.period_code, template=read.template.code,
                        version=twin.version,
                        received_at=timezone.localtime(twin.received_at)
                        .strftime("%H:%M %d/%m/%Y"))


@transaction.atomic
def do_receive_package(read: ReadPackage, *, acting_user: Actor) -> Receipt:
    p = read.package
    key = {"province_code": p["province"]["code"], "period_code": p["period"]["code"],
           "template": read.template}
    version = p["report"]["version"]
    # Two receivers of the same province take turns on its packages' rows; two first packages
    # at once meet at the unique constraint, below.
    same = list(ReceivedPackage.objects.select_for_update().filter(**key).order_by("-version"))
    current = next((r for r in same if r.superseded_at is None), None)
    twin = next((r for r in same if r.version == version), None)
    if twin is not None:
        if twin.content_sha256 == read.content_sha256:
            return Receipt("unchanged", twin)
        raise _conflict(read, twin)
    if current is not None and current.version > version:
        raise ParstatError("package.outdated", province=p["province"]["name"],
                           period=key["period_code"], version=version, current=current.version)
    try:
        with transaction.atomic():  # a savepoint: a twin stored meanwhile is judged as above
            package = _store(read, acting_user)
    except IntegrityError:
        twin = ReceivedPackage.objects.get(version=version, **key)
        if twin.content_sha256 == read.content_sha256:
            return Receipt("unchanged", twin)
        raise _conflict(read, twin) from None
    event = {"happened_at": package.received_at, **acting_user.audit_fields()}
    if current is None:
        PackageEvent.objects.create(package=package, action=PackageAction.RECEIVED,
                                    detail={"version": version}, **event)
        return Receipt("stored", package)
    ReceivedPackage.objects.filter(pk=current.pk).update(superseded_at=package.received_at)
    PackageEvent.objects.create(package=package, action=PackageAction.REPLACED, replaced=current,
                                detail={"version": version, "replaced_version": current.version},
                                **event)
    return Receipt("replaced", package, replaced_version=current.version)
