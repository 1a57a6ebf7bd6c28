"""Typed shapes of every request and answer; the OpenAPI document is generated from them."""

from __future__ import annotations

import math
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from parstat.reporting.values import MAX_TEXT

T = TypeVar("T")


def _storable(text: str) -> str:
    # NUL cannot be stored by PostgreSQL and a lone surrogate by any UTF-8 database: refuse them
    # here, as a field error, rather than fail when writing.
    if "\x00" in text:
        raise PydanticCustomError("text_invalid", "text contains NUL")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("text_invalid", "text contains a lone surrogate") from None
    return text


Text = Annotated[str, AfterValidator(_storable)]
# Codes of units, templates, indicators: letters, digits, ".", "_", "-" ("ST-SKHDT", "VII.5.b.2").
Code = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")]
# A period code as people write it ("2023Q1", "2023"); checked further by the domain, which says
# what is wrong with it in words.
PeriodCode = Annotated[str, Field(min_length=4, max_length=8, pattern=r"^[0-9A-Za-z]+$")]
Version = Annotated[int, Field(ge=1, le=2_000_000_000,
                               description="The report's `version` as last read; a write made "
                                           "against an older version is refused with 409.")]
# Exact decimals are written as JSON numbers (parstat.jsonexact), never as strings or floats.
Number = Annotated[Decimal, WithJsonSchema({"type": "number"})]
CellContent = Annotated[Number | str | None, WithJsonSchema(
    {"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}]})]


def _cell_input(value: Any) -> Any:
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PydanticCustomError("finite_number", "the number must be finite")
        return value
    if isinstance(value, str):
        if len(value) > 5000:
            raise PydanticCustomError("string_too_long", "too long", {"max_length": 5000})
        return _storable(value)
    raise PydanticCustomError("cell_type", "a value is a string, a number or null")


# What a client may send as one cell: the text a person would type ("1.327", "32,5", "Có"), a
# JSON number (1327, 32.5), or null for blank. Read by parse_cell, exactly as the form reads it.
CellInput = Annotated[Any, BeforeValidator(_cell_input), WithJsonSchema(
    {"anyOf": [{"type": "string", "maxLength": 5000}, {"type": "number"}, {"type": "null"}],
     "description": "Text as typed (\"1.327\", \"32,5\", \"Có\"), a JSON number, or null "
                    "for blank. Blank is not zero."})]


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


# ---------------------------------------------------------------------------------- common

class ErrorItem(Schema):
    code: str = Field(description="Stable machine code, e.g. `value.not_integer`.")
    message: str = Field(description="In the client's language (Vietnamese unless "
                                     "`Accept-Language: en`).")
    field: str | None = Field(None, description="The offending input, e.g. `values[3].value`.")
    indicator: str | None = None


class Error(ErrorItem):
    errors: list[ErrorItem] = Field(default_factory=list,
                                    description="Every error, when there are several.")


class PageQuery(Input):
    limit: int = Field(50, ge=1, le=500, description="Items per page (at most 500).")
    offset: int = Field(0, ge=0, le=10_000_000, description="Items to skip.")


class Page(Schema, Generic[T]):
    count: int = Field(description="Items matching, over all pages.")
    limit: int
    offset: int
    items: list[T]


# ---------------------------------------------------------------------------------- who am I

class RoleOut(Schema):
    unit: str
    unit_name: str
    role: str


class MeOut(Schema):
    username: str
    full_name: str
    administrator: bool
    roles: list[RoleOut]
    token: str | None = Field(None, description="Prefix of the token used.")


# ---------------------------------------------------------------------------------- catalog

class TemplateSummary(Schema):
    code: str
    name: str
    edition: int
    appendix: str
    title: str
    unit_kinds: list[str]


class SectionOut(Schema):
    numeral: str
    label: str
    position: int


class ChoiceOut(Schema):
    value: int
    label: str


class IndicatorOut(Schema):
    code: str
    section: str
    stt: str
    label: str
    unit: str
    kind: str
    aggregation: str
    cumulative: bool
    formula: str
    choices: list[ChoiceOut]
    level: int
    position: int


class RuleOut(Schema):
    code: str
    left: str
    operator: str
    right: str
    severity: str
    missing: str
    message: str


class TemplateOut(TemplateSummary):
    sections: list[SectionOut]
    indicators: list[IndicatorOut]
    rules: list[RuleOut]


# ---------------------------------------------------------------------------------- units

class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent: str | None
    valid_from: date | None
    valid_to: date | None
    successor: str | None
    synthetic: bool


class UnitDetail(UnitOut):
    children: list[str] = Field(description="Codes of the units directly below.")
    predecessors: list[str] = Field(description="Units merged into this one.")
    current_successor: str = Field(description="The unit holding this one's place today "
                                               "(itself when it still exists).")


class UnitQuery(Input):
    parent: Code | None = Field(None, description="Only the units directly below this one.")
    kind: Literal["province", "department", "home_affairs", "district", "commune"] | None = None
    valid_on: date | None = Field(None, description="Only units existing on this day.")


# ---------------------------------------------------------------------------------- periods

class PeriodOut(Schema):
    code: str
    year: int
    kind: str
    start: date
    end: date
    deadline: date


class PeriodQuery(Input):
    year: int | None = Field(None, ge=2000, le=2100)


# ---------------------------------------------------------------------------------- reports

ReportStateName = Literal["draft", "submitted", "accepted"]


class ReportQuery(Input):
    unit: Code | None = Field(None, description="Unit code.")
    period: PeriodCode | None = Field(None, description="Period code, e.g. 2023Q1.")
    state: ReportStateName | None = None
    template: Code | None = None


class ReportSummary(Schema):
    id: int
    unit: str
    unit_name: str
    period: str
    template: str
    state: str
    version: int
    synthetic: bool
    submitted_at: datetime | None
    submitted_late: bool
    accepted_at: datetime | None
    updated_at: datetime


class DocumentOut(Schema):
    number: str
    date: date | None
    issuer: str


class RowOut(Schema):
    code: str
    stt: str
    section: str
    label: str
    unit: str
    kind: str
    level: int
    value: CellContent = Field(description="null is blank (not reported), never zero.")
    derived: bool = Field(description="Computed from the row's formula because its cell is "
                                      "blank.")
    note: str


class FindingOut(Schema):
    rule: str
    severity: Literal["error", "warning"]
    message: str = Field(description="In Vietnamese: a template rule's own message (data) or "
                         "parstat's words for a formula row or a kind check")
    message_en: str = Field(description="The same in English: parstat's words translated, a "
                            "template rule's own message as it is")
    codes: list[str]


class ReportDetail(ReportSummary):
    allowed_actions: list[str] = Field(description="What the caller may do now: view, edit, "
                                                   "submit, accept, return, reopen.")
    document: DocumentOut | None
    rows: list[RowOut]
    findings: list[FindingOut]


class ValueChangeOut(Schema):
    indicator: str
    old_value: CellContent
    new_value: CellContent
    old_note: str
    new_note: str
    changed_at: datetime
    actor: str
    source: str
    origin: str
    version: int


class ReportEventOut(Schema):
    action: str
    old_state: str
    new_state: str
    detail: dict[str, Any]
    happened_at: datetime
    actor: str
    source: str
    origin: str


# ---------------------------------------------------------------------------------- writes

class CellIn(Input):
    indicator: Code = Field(description="Indicator code in the report's template, e.g. I.1.a.")
    value: CellInput = Field(None, description="The value as text or number; null clears it; "
                                               "leaving the key out keeps the stored value (to "
                                               "send a note alone).")
    note: Annotated[Text, Field(max_length=MAX_TEXT)] | None = Field(
        None, description="Ghi chú; null leaves the stored note as it is, \"\" clears it.")


class SetValuesIn(Input):
    version: Version
    values: list[CellIn] = Field(min_length=1, max_length=1000)


class ReportState(Schema):
    id: int
    state: str
    version: int


class SetValuesOut(Schema):
    report: ReportState
    imported: int = Field(description="Blank cells that got a value.")
    updated: int = Field(description="Values or notes that changed, including cleared ones.")
    unchanged: int
    findings: list[FindingOut]


class SubmitIn(Input):
    version: Version
    explanation: Annotated[Text, Field(max_length=MAX_TEXT)] = Field(
        "", description="Required when the report has warnings.")


class VersionIn(Input):
    version: Version


class ReasonIn(Input):
    version: Version
    reason: Annotated[Text, Field(max_length=MAX_TEXT)] = ""


class TransitionOut(Schema):
    report: ReportState
    event: ReportEventOut


# ---------------------------------------------------------------------------------- data values

class DataValueIn(Input):
    unit: Code
    period: PeriodCode
    indicator: Code
    value: CellInput = Field(None, description="null clears the value; leaving the key out "
                                               "keeps the stored value (a note alone).")
    note: Annotated[Text, Field(max_length=MAX_TEXT)] | None = None
    version: Version | None = Field(None, description="Optional: the report's version as the "
                                                      "sender last read it.")


class DataValueSetIn(Input):
    template: Code | None = Field(None, description="Template of every value; by default the "
                                                    "existing report's, else the unit kind's.")
    dataValues: list[DataValueIn] = Field(max_length=10_000)  # noqa: N815 (DHIS2's name)


class DataValueOut(Schema):
    unit: str
    period: str
    template: str
    indicator: str
    value: CellContent
    note: str


class DataValueQuery(Input):
    unit: Code | None = None
    period: PeriodCode | None = None
    indicator: Code | None = None
    template: Code | None = None


class Conflict(Schema):
    index: int = Field(description="Position of the value in `dataValues`, from 0.")
    code: str
    message: str
    field: str | None


class ImportCounts(Schema):
    imported: int
    updated: int
    ignored: int


class DataValueSummary(Schema):
    status: Literal["OK", "WARNING", "ERROR"]
    code: str | None = Field(None, description="`datavalues.conflicts` when nothing was stored "
                                               "because of conflicts (status ERROR).")
    message: str | None = None
    field: str | None = None
    dry_run: bool
    atomic: bool
    importCount: ImportCounts  # noqa: N815 (DHIS2's name)
    conflicts: list[Conflict]


class DataValueQueryFlags(Input):
    dry_run: bool = Field(False, description="Check and count, store nothing.")
    atomic: bool = Field(True, description="true: one conflict stores nothing; false: store "
                                           "every value without a conflict.")
