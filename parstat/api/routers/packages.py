"""Province packages received from other installations: send one (multipart ``file``), read
what is in force. Who may: an administrator or a consolidator of a top unit of this
installation (``parstat.province.receive.may_receive``); anyone else 403."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from parstat.errors import ParstatError
from parstat.province.models import ReceivedPackage
from parstat.province.national import in_force_queryset
from parstat.province.receive import (
    MAX_PACKAGE_BYTES,
    do_receive_package,
    may_read_national,
    may_receive,
    read_package,
)

from ..access import actor_of, user_of
from ..pagination import paginate
from ..schemas import Error, Number, PageQuery, PeriodCode

router = Router(tags=["packages"])


class Coverage(Schema):
    scope_size: int
    expected: int
    received: int


class Province(Schema):
    code: str
    name: str


class ReceiptOut(Schema):
    status: str = Field(description="`stored` (new), `replaced` (a newer version replaced the "
                                    "older) or `unchanged` (this very package was received "
                                    "before).")
    id: int
    province: Province
    period: str
    template: str
    version: int
    state: str
    sha256: str = Field(description="SHA-256 of the package's package.json.")
    totals: int = Field(description="Totals stored.")
    blank: int = Field(description="Of those, blank (null).")
    reports: int = Field(description="Unit reports listed.")
    coverage: Coverage
    replaced_version: int | None = None
    received_at: str


class TotalOut(Schema):
    code: str
    value: Number | None = Field(description="Exact; null when the province left it blank.")
    units: int


class ReceivedOut(Schema):
    id: int
    province: Province
    period: str
    template: str
    version: int
    state: str
    document_number: str
    sha256: str = Field(description="SHA-256 of the package's package.json.")
    received_at: str
    coverage: Coverage
    totals: list[TotalOut]


class ReceivedQuery(PageQuery):
    period: PeriodCode = Field(description="Period code, e.g. 2023Q1.")


@router.post("", response={200: ReceiptOut, 201: ReceiptOut, 401: Error, 403: Error,
                           409: Error, 413: Error, 422: Error},
             summary="Receive a province package (.zip, multipart field `file`)")
def receive_package(request: HttpRequest, file: File[UploadedFile]) -> Status:
    """Checked whole (manifest hashes, the JSON Schema, template and indicator codes) before
    anything is stored. 201 stored or replaced; 200 unchanged (the same package again); 409 a
    different package with the same version, or an older version; 422 unreadable or unknown
    codes. A refusal stores nothing."""
    if not may_receive(user_of(request)):
        raise ParstatError("package.receive_denied")
    name = (file.name or "package.zip").replace("/", "_").replace("\\", "_")[:200]
    if file.size is not None and file.size > MAX_PACKAGE_BYTES:
        raise ParstatError("import.too_large", name=name, size=file.size // (1024 * 1024),
                           limit=MAX_PACKAGE_BYTES // (1024 * 1024))
    receipt = do_receive_package(read_package(file.read(), name), acting_user=actor_of(request))
    return Status(200 if receipt.status == "unchanged" else 201, receipt.as_dict())


class ReceivedPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReceivedOut]


@router.get("", response={200: ReceivedPage, 401: Error, 403: Error, 422: Error},
            summary="The province packages in force for a period, with their totals")
def list_packages(request: HttpRequest, query: Query[ReceivedQuery]) -> dict[str, Any]:
    """The newest version received of each province's report (administrators, and the
    consolidators and viewers of a top unit)."""
    if not may_read_national(user_of(request)):
        raise ParstatError("package.read_denied")
    return paginate(in_force_queryset(query.period.upper()), query, _received)


def _received(p: ReceivedPackage) -> dict[str, Any]:
    return {"id": p.pk, "province": {"code": p.province_code, "name": p.province_name},
            "period": p.period_code, "template": p.template.code, "version": p.version,
            "state": p.state, "document_number": p.document_number, "sha256": p.content_sha256,
            "received_at": p.received_at.isoformat(),
            "coverage": {"scope_size": p.scope_size, "expected": p.expected,
                         "received": p.received},
            "totals": [{"code": t.indicator.code, "value": t.number, "units": t.units}
                       for t in p.totals.select_related("indicator")
                       .order_by("indicator__position")]}
