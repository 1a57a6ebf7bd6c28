"""The province package: the approved province report as one .zip another installation reads.

``package.json`` says what the leader approved (the snapshot in force: every frozen total, exact
or null for blank, with its coverage; the narrative; the unit reports counted), validated against
the published JSON Schema (``docs/exchange/province-package.schema.json``, the same file as
``package.schema.json`` beside this module). Beside it the province's documents, rendered by the
existing writers: the consolidated table as .xlsx, .docx and .pdf, and, when the province wrote
a narrative, the whole report (parstat.province.document: narrative and appendix) as .docx and
.pdf. ``manifest.json`` lists
every other file with its SHA-256 and size.

The documents are rendered from the values as they are now, so a package is built only while
the snapshot still matches them (``drift(...).matches``); otherwise ``province.drifted`` names
what changed. Sending (:func:`do_send_province_report`) takes the workflow's send step and stores
the .zip as :class:`SentPackage` in the same transaction: what was sent can be downloaded, and
sent again, byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from parstat import jsonexact
from parstat.analytics.states import StateScope
from parstat.errors import ParstatError
from parstat.exports.service import ExportRequest, export_bytes
from parstat.reporting.actions import Actor
from parstat.units.models import OrgUnit

from .models import ProvinceReport, ProvinceSnapshot, ProvinceState, SentPackage
from .snapshot import Drift, drift, in_force
from .workflow import ProvinceStep, do_province_step

SCHEMA_PATH = Path(__file__).with_name("package.schema.json")
FORMAT = "parstat-province-package"
PACKAGE_JSON = "package.json"
MANIFEST_JSON = "manifest.json"
TABLE_FORMATS = ("xlsx", "docx", "pdf")
TABLE_STEM = "bang-tong-hop"  # the consolidated table
DOCUMENT_STEM = "bao-cao"  # the whole report: narrative and appendix
# Every entry of the .zip is dated the same, so the same files always make the same bytes.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


@cache
def package_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


def schema_errors(data: Any) -> list[str]:
    """What is wrong with ``data`` against the schema, as "path: message" lines (none: valid).

    The ``jsonschema`` library, not hand-written checks: the schema is the published contract,
    and a receiver must judge a package by exactly that file."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(package_schema(),
                                     format_checker=Draft202012Validator.FORMAT_CHECKER)
    found = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(str(p) for p in e.absolute_path) or '(gốc)'}: {e.message}"
            for e in found]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _moment(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def package_data(report: ProvinceReport, snapshot: ProvinceSnapshot,
                 documents: list[str]) -> dict[str, Any]:
    """What package.json says: the report and the snapshot it stands on."""
    period, template = report.period, report.template
    totals = [{"code": t.indicator.code,
               "value": t.number if t.number is None else Decimal(t.number),
               "units": t.units, "not_applicable": t.not_applicable, "counts": dict(t.counts)}
              for t in snapshot.totals.select_related("indicator")
              .order_by("indicator__position", "indicator__code")]
    reports = [{"unit_code": r.report.unit.code, "unit_name": r.report.unit.name,
                "state": r.state, "version": r.version,
                "submitted_at": _moment(r.submitted_at), "accepted_at": _moment(r.accepted_at)}
               for r in snapshot.reports.select_related("report__unit")
               .order_by("report__unit__code")]
    return {
        "format": FORMAT, "format_version": 1,
        "province": {"code": report.unit.code, "name": report.unit.name},
        "period": {"code": period.code, "start": period.start.isoformat(),
                   "end": period.end.isoformat()},
        "template": {"code": template.code, "edition": template.edition, "name": template.name},
        "report": {"version": report.version, "state": report.state, "scope": snapshot.scope,
                   "document_number": report.document_number,
                   "document_date": _moment(report.document_date)},
        "approval": {"approved_at": snapshot.approved_at.isoformat(),
                     "approved_by": snapshot.actor},
        "coverage": {"scope_size": snapshot.scope_size, "expected": snapshot.expected,
                     "received": snapshot.received},
        "totals": totals,
        "narrative": dict(sorted(snapshot.narrative.items())),
        "reports": reports,
        "documents": documents,
    }


def drift_summary(difference: Drift, limit: int = 6) -> str:
    """ "ST-SKHDT v5 → –; I.1.a 40 → –" for the refusal: codes, versions and numbers only, so
    the one text reads in either language ("–": not counted, or blank)."""
    parts = [f"{r.unit_code} {_version(r.approved_version)} → {_version(r.now_version)}"
             for r in difference.reports]
    parts += [f"{t.code} {_shown(t.approved)} → {_shown(t.now)}" for t in difference.totals]
    more = len(parts) - limit
    return "; ".join(parts[:limit]) + (f"; … (+{more})" if more > 0 else "")


def _version(version: int | None) -> str:
    return "–" if version is None else f"v{version}"


def _shown(value: Decimal | None) -> str:
    return "–" if value is None else jsonexact.decimal_literal(value)


def snapshot_to_package(report: ProvinceReport) -> ProvinceSnapshot:
    """The snapshot in force, refused when there is none or the values moved since."""
    snapshot = in_force(report)
    if snapshot is None:
        raise ParstatError("province.not_approved", unit=report.unit.name,
                           period=report.period.code)
    difference = drift(snapshot)
    if not difference.matches:
        raise ParstatError("province.drifted", unit=report.unit.name, period=report.period.code,
                           changes=drift_summary(difference))
    return snapshot


def _documents(report: ProvinceReport, snapshot: ProvinceSnapshot) -> dict[str, bytes]:
    files = {}
    for fmt in TABLE_FORMATS:
        request = ExportRequest(unit_code=report.unit.code, period_code=report.period.code,
                                fmt=fmt, consolidated=True, template_code=report.template.code,
                                states=StateScope(snapshot.scope))
        files[f"{TABLE_STEM}.{fmt}"] = export_bytes(request)
    if snapshot.narrative:  # the whole report, when the province wrote one
        from .document import DOCUMENT_FORMATS, province_document_bytes

        for fmt in DOCUMENT_FORMATS:
            files[f"{DOCUMENT_STEM}.{fmt}"] = province_document_bytes(report, fmt)
    return files


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return out.getvalue()


def manifest_of(files: dict[str, bytes]) -> dict[str, Any]:
    return {"format": f"{FORMAT}-manifest", "package_sha256": sha256(files[PACKAGE_JSON]),
            "files": [{"name": name, "sha256": sha256(data), "size": len(data)}
                      for name, data in sorted(files.items())]}


@dataclass(frozen=True)
class BuiltPackage:
    data: bytes  # the .zip
    package: dict[str, Any]  # what package.json says
    sha256: str  # of the .zip

    @property
    def size(self) -> int:
        return len(self.data)


def build_package(report: ProvinceReport) -> BuiltPackage:
    """The .zip of ``report`` as it stands (approved or sent), checked against the schema."""
    snapshot = snapshot_to_package(report)
    documents = _documents(report, snapshot)
    data = package_data(report, snapshot, sorted(documents))
    problems = schema_errors(json.loads(jsonexact.dumps(data), parse_float=Decimal))
    if problems:  # a bug here, never the user's: say it loudly rather than send it
        raise AssertionError(f"package.json does not match its schema: {problems}")
    files = {**documents, PACKAGE_JSON: jsonexact.dumps(data, indent=1).encode("utf-8")}
    files[MANIFEST_JSON] = jsonexact.dumps(manifest_of(files), indent=1).encode("utf-8")
    archive = _zip(files)
    return BuiltPackage(data=archive, package=data, sha256=sha256(archive))


def stored_package(report: ProvinceReport) -> SentPackage | None:
    """The package the report was sent as, while its snapshot is in force."""
    snapshot = in_force(report)
    if snapshot is None or report.state != ProvinceState.SENT:
        return None
    return SentPackage.objects.filter(snapshot=snapshot).first()


@transaction.atomic
def sent_package(report: ProvinceReport) -> SentPackage:
    """The package a sent report went as; one sent by the bare workflow step (which stores
    none) is built now from its snapshot, refused on drift, and stored as what was sent."""
    locked = ProvinceReport.objects.select_for_update().get(pk=report.pk)
    if locked.state != ProvinceState.SENT:
        raise ParstatError("province.not_sent", unit=report.unit.name, period=report.period.code)
    stored = stored_package(locked)
    if stored is not None:
        return stored
    built = build_package(locked)
    snapshot = in_force(locked)
    assert snapshot is not None
    return SentPackage.objects.create(report=locked, snapshot=snapshot, version=locked.version,
                                      sha256=built.sha256, data=built.data,
                                      created_at=timezone.now())


@transaction.atomic
def do_send_province_report(report: ProvinceReport, *, acting_user: Actor, number: str = "",
                            issued_on: date | None = None) -> SentPackage:
    """The workflow's send step and the package it sends, stored, in one transaction: refused
    whole (nothing sent, nothing stored) when the snapshot no longer matches the values."""
    snapshot_to_package(report)  # refuse before the step is taken
    do_province_step(report, ProvinceStep.SEND, acting_user=acting_user, number=number,
                     issued_on=issued_on)
    report.refresh_from_db()
    built = build_package(report)
    snapshot = in_force(report)
    assert snapshot is not None
    return SentPackage.objects.create(report=report, snapshot=snapshot, version=report.version,
                                      sha256=built.sha256, data=built.data,
                                      created_at=timezone.now())


def find_province_report(unit_code: str, period_code: str,
                         template_code: str | None = None) -> ProvinceReport:
    """The province report of a unit and period (the only one, or the one of ``template``)."""
    unit = OrgUnit.objects.filter(code=unit_code).first()
    if unit is None:
        raise ParstatError("unit.not_found", code=unit_code)
    found = ProvinceReport.objects.filter(unit=unit, period__code=period_code.upper()).select_related(
        "unit", "period", "template")
    if template_code:
        found = found.filter(template__code=template_code)
    report = found.order_by("template__code").first()
    if report is None:
        raise ParstatError("province.no_report", unit=unit.name, period=period_code)
    return report
