"""Upload a report file (.docx, .xlsx, .csv, tab-separated text) into a unit's report."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from parstat.accounts.permissions import Action
from parstat.errors import ParstatError
from parstat.imports import service

from .. import services
from ..access import actor_of, require_role, user_of, visible_unit
from ..schemas import Code, Error, Input, PeriodCode

router = Router(tags=["imports"])


class ImportForm(Input):
    unit: Code = Field(description="Code of the unit whose report the file is.")
    period: PeriodCode = Field(description="Period code, e.g. 2023Q1.")
    template: Code | None = None
    dry_run: bool = Field(False, description="Read, match, check and count; store nothing.")
    strict: bool = Field(False, description="Store nothing when any value is refused.")
    table: int | None = Field(None, ge=1, le=1000,
                              description="Read the file's N-th candidate table (as listed in "
                                          "`table.candidates`); default: the best match.")
    value_column: int | None = Field(None, ge=1, le=1000,
                                     description="Read the values from the table's column N "
                                                 "(counted from 1); default: the column of "
                                                 "the report's period.")
    version: int | None = Field(None, ge=1, le=2_000_000_000,
                                description="The report's version as last read, when it "
                                            "exists; a stale one answers 409.")


class ImportSummary(Schema):
    imported: int
    updated: int
    unchanged: int
    matched: int
    unmatched: int
    missing: int
    conflicts: int
    errors: int
    warnings: int
    questions: int = 0
    changes: int = 0


class ImportOut(Schema):
    file: str
    unit: str
    period: str
    template: str
    dry_run: bool
    summary: ImportSummary
    report: dict[str, Any] | None = Field(None, description="id, state and version after the "
                                                            "import (none on a dry run).")
    document: dict[str, Any]
    matched: list[dict[str, Any]]
    unmatched: list[dict[str, Any]]
    missing: list[dict[str, Any]]
    conflicts: list[dict[str, Any]] = Field(description="Values refused: row, code, text, "
                                                        "error, message.")
    findings: list[dict[str, Any]]
    proposals: list[dict[str, Any]] = Field(default_factory=list)
    table: dict[str, Any] = Field(default_factory=dict, description="The table read, why, and "
                                                                     "every candidate.")
    value_column: dict[str, Any] = Field(default_factory=dict, description="The value column "
                                                                           "read, and why.")
    questions: list[dict[str, Any]] = Field(default_factory=list, description="What a person "
                                            "must choose before the file can be applied.")
    warnings: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[dict[str, Any]] = Field(default_factory=list)
    changes: list[dict[str, Any]] = Field(default_factory=list, description="Old → new of "
                                                                            "each change.")
    apply_refused: dict[str, Any] | None = None


@router.post("", response={200: ImportOut, 400: Error, 401: Error, 403: Error, 404: Error,
                           409: Error, 413: Error, 422: Error},
             summary="Import a file into a report (multipart), or try it with dry_run")
def import_report_file(request: HttpRequest, form: Form[ImportForm],
                       file: File[UploadedFile]) -> dict[str, Any]:
    """The same reading, matching and value parsing as `parstat import`; counts, rows not
    matched, values refused and the findings of the rules come back."""
    user, actor = user_of(request), actor_of(request)
    target = service.resolve_target(visible_unit(request, form.unit), form.period, form.template)
    require_role(user, Action.EDIT, target.unit)
    name = (file.name or "upload").replace("/", "_").replace("\\", "_")[:200]
    if file.size is not None and file.size > service.MAX_FILE_BYTES:
        raise ParstatError("import.too_large", name=name, size=file.size // (1024 * 1024),
                           limit=service.MAX_FILE_BYTES // (1024 * 1024))
    with transaction.atomic():
        services.check_version(target.existing_report(), form.version)
        result = service.run_import(service.ImportRequest(
            name=name, data=file.read(), target=target, dry_run=form.dry_run,
            strict=form.strict,
            choices=service.ImportChoices(table=form.table, value_column=form.value_column),
            acting_user=actor))
    body = result.as_dict()
    stored = result.stored
    return {**body, "summary": {k: body["summary"].get(k, 0) for k in ImportSummary.model_fields},
            "report": {"id": stored.pk, "state": stored.state, "version": stored.version}
            if stored else None}
