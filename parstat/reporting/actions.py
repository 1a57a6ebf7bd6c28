"""Every change to reports and values: one ``do_…`` function each, atomic, audited.

Views, API endpoints, importers and commands call these and never write the models themselves.
``acting_user`` is the signed-in person, or None for the command line and the demo generator
(the audit row then names ``actor`` as given, e.g. "system (root@host)").
"""

from __future__ import annotations

import getpass
import socket
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from parstat.audit import ORIGIN_LENGTH, SOMEONE_ELSE
from parstat.bulk import insert_objects, unsaved
from parstat.catalog.layout import template_layout
from parstat.catalog.models import Indicator, Template
from parstat.errors import ParstatError
from parstat.reporting.checks import Evaluation, evaluate_change, evaluate_values, stored_values
from parstat.reporting.models import (
    EventAction,
    Period,
    Report,
    ReportEvent,
    Source,
    Value,
    ValueChange,
)
from parstat.reporting.values import BLANK_WORD, CellValue, parse_cell, parse_note
from parstat.units.models import OrgUnit

if TYPE_CHECKING:
    from parstat.analytics.totals import CellRecount


@dataclass(frozen=True)
class Actor:
    """Who makes a change and from where: the audit's "who" and "from where"."""

    user: Any = None  # a User, or None for the system
    source: str = Source.CLI
    origin: str = ""

    @property
    def name(self) -> str:
        if self.user is not None and getattr(self.user, "is_authenticated", False):
            return str(self.user.get_username())
        return "system"

    @property
    def user_or_none(self) -> Any:
        return self.user if getattr(self.user, "is_authenticated", False) else None

    def audit_fields(self, origin: str = "") -> dict[str, Any]:
        """The who and from where of an audit row (:class:`parstat.audit.Acted`); ``origin``
        names the file or host when it says more than the actor's own."""
        return {"changed_by": self.user_or_none, "actor": self.name, "source": self.source,
                "origin": (origin or self.origin)[:ORIGIN_LENGTH]}

    @classmethod
    def command_line(cls, user: Any = None) -> Actor:
        return cls(user=user, source=Source.CLI, origin=f"{getpass.getuser()}@{socket.gethostname()}")


@dataclass(frozen=True)
class CellUpdate:
    indicator: Indicator
    value: CellValue | None  # None leaves the stored value as it is (a note alone was sent)
    note: str | None = None  # None leaves the stored note as it is

    def __post_init__(self) -> None:
        # Every entry point builds its changes here, so a note too long to be one of ours or
        # holding a NUL (which PostgreSQL refuses) is refused before anything is written.
        object.__setattr__(self, "note", parse_note(self.indicator, self.note))

    @property
    def clears_or_keeps(self) -> bool:
        """Nothing to file: no value given (or a blank one) and no note."""
        return (self.value is None or self.value.is_blank) and not self.note


@dataclass(frozen=True)
class CellInput:
    """One cell as an edge received it (form field, API item, file row), before it is read."""

    code: str  # the indicator's code as sent
    text: object = None  # what was typed (text, or a number a spreadsheet stored; None: blank)
    note: str | None = None  # None leaves the stored note as it is
    keep_value: bool = False  # a note sent alone: ``text`` is not read, the stored value stays
    row: int | None = None  # the file's row, named in refusals


@dataclass(frozen=True)
class CellRefusal:
    """Why one cell of a batch cannot be stored, and which part of it is wrong."""

    index: int  # the cell's position in the batch
    code: str
    part: str  # "indicator" (unknown or repeated), "value" or "note"
    error: ParstatError


@dataclass
class ParsedCells:
    updates: list[CellUpdate] = field(default_factory=list)
    indexes: list[int] = field(default_factory=list)  # each update's position in the batch
    refusals: list[CellRefusal] = field(default_factory=list)


def parse_cells(template: Template, cells: Sequence[CellInput], *,
                indicators: Mapping[str, Indicator] | None = None) -> ParsedCells:
    """Read a batch of cells of ``template`` the one way every edge reads them: the indicator
    by its code (once per batch), the value by its kind (:func:`parse_cell`), the note
    (:class:`CellUpdate`). Every cell is read, so every refusal comes back at once; the caller
    decides whether one refusal stops the batch. ``indicators`` (code → indicator) saves the
    look-up when the caller has them already."""
    if indicators is None:
        indicators = template_layout(template).by_code  # read once per template
    parsed = ParsedCells()
    first_at: dict[str, int] = {}
    for index, cell in enumerate(cells):
        indicator = indicators.get(cell.code)
        if indicator is None:
            parsed.refusals.append(CellRefusal(index, cell.code, "indicator", ParstatError(
                "value.unknown_indicator", template=template.code, code=cell.code)))
            continue
        if cell.code in first_at:
            parsed.refusals.append(CellRefusal(index, cell.code, "indicator", ParstatError(
                "values.duplicate", code=cell.code, first=first_at[cell.code], index=index)))
            continue
        first_at[cell.code] = index
        part = "value"
        try:
            value = None if cell.keep_value else parse_cell(indicator, cell.text, row=cell.row)
            part = "note"
            parsed.updates.append(CellUpdate(indicator, value, cell.note))
        except ParstatError as error:
            parsed.refusals.append(CellRefusal(index, cell.code, part, error))
            continue
        parsed.indexes.append(index)
    return parsed


@dataclass
class SetValuesResult:
    imported: int = 0  # blank before, a value now
    updated: int = 0  # a value (or note) that changed, including one cleared to blank
    unchanged: int = 0
    # The report's evaluation as this save left it (None when nothing was written).
    evaluation: Evaluation | None = None
    # The value rows by code read under the lock (rows the save updated are changed in place):
    # when nothing was written, the report's rows as they are, which an unchanged import
    # evaluates without reading them again.
    read: dict[str, Value] = field(default_factory=dict)
    report: Report | None = None  # the report as this save left it

    def as_dict(self) -> dict[str, int]:
        return {"imported": self.imported, "updated": self.updated, "unchanged": self.unchanged}

    def evaluation_now(self) -> Evaluation:
        """The report's evaluation as the save left it: the one a save that wrote made, or the
        rows a save that wrote nothing read under the lock, evaluated (not read again)."""
        if self.evaluation is not None:
            return self.evaluation
        assert self.report is not None  # every save names the report it read
        return evaluate_values(self.report, self.read)


def record_event(report: Report, action: EventAction, actor: Actor, **fields: Any) -> ReportEvent:
    event = _event(report, action, actor, **fields)
    event.save(force_insert=True)
    return event


def _event(report: Report, action: EventAction, actor: Actor, **fields: Any) -> ReportEvent:
    """An event of ``report``, unsaved."""
    return ReportEvent(report=report, action=action, happened_at=timezone.now(),
                       **actor.audit_fields(), **fields)


def lock_report(report: Report, *, expected_version: int | None = None) -> Report:
    """The report's row, locked until the transaction ends (read again under the lock).

    With ``expected_version``, a report that moved on since is refused (``report.stale``, naming
    what changed). The one lock-and-check step of every write; ``do_set_values`` checks the
    version itself, after planning, because it may merge with other people's cells."""
    locked = _locked(Report.objects.all(), report.pk)
    if Report.template.is_cached(report):
        locked.template = report.template  # a report's template never changes: no query
    if expected_version is not None and locked.version != expected_version:
        raise stale_error(locked, expected_version)
    return locked


def _locked(reports: QuerySet[Report], pk: int, *, template: bool = False) -> Report:
    """Report ``pk`` of ``reports``, read with its unit and period (and template), its row
    locked. Only the report's row (``of``): a plain FOR UPDATE of the join would lock the unit's
    and the period's rows too, and every save of a period would wait for every other one."""
    related = ("unit", "period", "template") if template else ("unit", "period")
    return reports.select_for_update(of=("self",)).select_related(*related).get(pk=pk)


def bump_version(report: Report, locked: Report, **fields: Any) -> None:
    """Write ``fields`` and the next version to the locked row, and show the caller's object the
    row as it now is (without reading it again: it was read under the lock)."""
    now = timezone.now()
    Report.objects.filter(pk=locked.pk).update(version=locked.version + 1, updated_at=now,
                                               **fields)
    locked.version, locked.updated_at = locked.version + 1, now
    for name, value in fields.items():
        setattr(locked, name, value)
    # Related objects (unit, period, template) never change and stay cached.
    for column in Report._meta.concrete_fields:
        setattr(report, column.attname, getattr(locked, column.attname))


@transaction.atomic
def do_create_report(unit: OrgUnit, template: Template, period: Period, *, acting_user: Actor,
                     synthetic: bool = False, number: str = "", issued_on: date | None = None,
                     issuer: str = "") -> ReportEvent:
    """Open a unit's report for a period; the event's ``report`` is the new report.

    ``number``, ``issued_on``, ``issuer``: the document it comes from (a file's first import),
    recorded with it as :func:`do_set_document` would record them right after (checked the same
    way, with the same event), in the one row written."""
    return _create_report(unit, template, period, acting_user=acting_user, synthetic=synthetic,
                          number=number, issued_on=issued_on, issuer=issuer)


def _create_report(unit: OrgUnit, template: Template, period: Period, *, acting_user: Actor,
                   synthetic: bool = False, number: str = "", issued_on: date | None = None,
                   issuer: str = "") -> ReportEvent:
    """:func:`do_create_report`'s work, in the caller's transaction."""
    facts = _document_facts(number, issued_on, issuer)
    report = Report(unit=unit, template=template, period=period,
                    synthetic=synthetic or unit.synthetic, **_document_columns(facts))
    # A new report holds no value yet: its findings are those of no values, stored with it.
    for name, value in finding_columns(evaluate_values(report, {})).items():
        setattr(report, name, value)
    report.save(force_insert=True)
    # Its events in one INSERT, "created" first (the order of their ids and times).
    events = [_event(report, EventAction.CREATED, acting_user, new_state=report.state)]
    if facts != NO_DOCUMENT:
        events.append(_event(report, EventAction.DOCUMENT, acting_user, detail={
            "old": _jsonable(NO_DOCUMENT), "new": _jsonable(facts)}))
    ReportEvent.objects.bulk_create(events)
    return events[0]


@transaction.atomic
def do_create_report_with_values(unit: OrgUnit, template: Template, period: Period,
                                 updates: Sequence[CellUpdate], *, acting_user: Actor,
                                 number: str = "", issued_on: date | None = None,
                                 issuer: str = "") -> SetValuesResult:
    """A new report with its first values (a file's first import): created as
    :func:`do_create_report` creates it (with the document's facts), then ``updates`` saved as
    :func:`do_set_values` saves them, in one transaction. The report is neither locked nor its
    values read: no other transaction sees it before this one commits, and it holds none yet.
    The result's ``report`` is the new report as the save left it."""
    report = _create_report(unit, template, period, acting_user=acting_user, number=number,
                            issued_on=issued_on, issuer=issuer).report
    return _set_values(report, report, updates, acting_user=acting_user, expected_version=None,
                       holds_nothing=True)


def find_report(unit: OrgUnit, template: Template, period: Period) -> Report | None:
    """The unit's report of ``template`` for the period, if it has one (its unit, template and
    period: the objects given, not read again)."""
    found = Report.objects.filter(unit=unit, template=template, period=period).first()
    if found is not None:
        found.unit, found.template, found.period = unit, template, period
    return found


def get_or_create_report(unit: OrgUnit, template: Template, period: Period, *,
                         acting_user: Actor, **document: Any) -> tuple[Report, bool]:
    """The unit's report for the period, or a new one (``document``: the document facts a new
    one is created with, as :func:`do_create_report` takes them; an existing one keeps its
    own)."""
    found = find_report(unit, template, period)
    if found is not None:
        return found, False
    return do_create_report(unit, template, period, acting_user=acting_user,
                            **document).report, True


# The document facts' columns (Report.document_number, document_issuer): longer is refused.
# field → (limit, name in Vietnamese, name in English)
# The length limit of each document fact; its name is the term ``attribute.…`` of the messages.
DOCUMENT_FIELDS = {"number": 60, "issuer": 300}


@transaction.atomic
def do_set_document(report: Report, *, number: str, issued_on: date | None, issuer: str,
                    acting_user: Actor) -> ReportEvent | None:
    """Record the document a report came from ("Báo cáo số 81/BC-SKHĐT ngày 17/3/2023 …").

    Like values, the facts of a submitted or accepted report do not change. Returns the event
    written, or None when the facts were already these (nothing written)."""
    new = _document_facts(number, issued_on, issuer)
    locked = lock_report(report)
    old = {"number": locked.document_number, "date": locked.document_date,
           "issuer": locked.document_issuer}
    if old == new:
        return None
    if not locked.is_editable:
        raise ParstatError("report.locked", unit=locked.unit.name, period=locked.period.code,
                           state=locked.state)
    bump_version(report, locked, **_document_columns(new))
    return record_event(report, EventAction.DOCUMENT, acting_user,
                        detail={"old": _jsonable(old), "new": _jsonable(new)})


NO_DOCUMENT: dict[str, Any] = {"number": "", "date": None, "issuer": ""}  # a report's facts unset


def _document_facts(number: str, issued_on: date | None, issuer: str) -> dict[str, Any]:
    """The facts as they are stored (spaces collapsed), or refused (too long, control
    characters)."""
    return {"number": _document_text("number", number), "date": issued_on,
            "issuer": _document_text("issuer", issuer)}


def _document_columns(facts: dict[str, Any]) -> dict[str, Any]:
    return {"document_number": facts["number"], "document_date": facts["date"],
            "document_issuer": facts["issuer"]}


def _document_text(field_name: str, text: str) -> str:
    text = " ".join(text.split())
    limit = DOCUMENT_FIELDS[field_name]
    if len(text) > limit:
        raise ParstatError("document.field_too_long", attribute=field_name,
                           limit=limit, text=text[:80] + "…")
    bad = next((ch for ch in text if ord(ch) < 32 or ch == "\x7f"), None)
    if bad is not None:
        raise ParstatError("document.control_character", attribute=field_name,
                           char=f"U+{ord(bad):04X}")
    return text


def _jsonable(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in facts.items()}


@transaction.atomic
def do_set_values(report: Report, updates: Sequence[CellUpdate], *, acting_user: Actor,
                  expected_version: int | None = None) -> SetValuesResult:
    """Store cell values and notes; unchanged cells write nothing, changed ones write audit rows.

    Only a draft takes values. ``expected_version`` is the version the writer last saw. If the
    report changed since, the write still goes through when every change in between was a value
    change of other cells (two people on different cells merge); it is refused, saying what
    changed, when one of the cells it writes was changed in between (the value, or the note, by
    what each side changed) or when the report itself changed (workflow, document facts).
    """
    return _set_values(report, lock_report(report), updates, acting_user=acting_user,
                       expected_version=expected_version)


@transaction.atomic
def do_set_values_in(reports: QuerySet[Report], pk: int,
                     read: Callable[[Report], Sequence[CellUpdate]], *, acting_user: Actor,
                     expected_version: int | None = None) -> SetValuesResult:
    """:func:`do_set_values` for an edge that has not read the report: report ``pk`` of
    ``reports`` (those the person may see, ``Report.objects.restrict(user, …)``: the permission
    choke point) is read once, with its unit, period and template, under its row lock; ``read``
    turns it into the updates (the edge checks the person's roles and parses the cells there)
    and raises to write nothing. ``Report.DoesNotExist`` when ``pk`` is not among ``reports``.
    The result's ``report`` is the report as the save left it."""
    locked = _locked(reports, pk, template=True)
    return _set_values(locked, locked, read(locked), acting_user=acting_user,
                       expected_version=expected_version)


def _set_values(report: Report, locked: Report, updates: Sequence[CellUpdate], *,
                acting_user: Actor, expected_version: int | None,
                holds_nothing: bool = False) -> SetValuesResult:
    """do_set_values' work, on the report ``locked`` read under its lock (``report``: the
    caller's object, shown the new version). ``holds_nothing``: ``locked`` was created in this
    transaction and holds no value row (nothing is read)."""
    # A new report is counted in the live totals for the first time, rows in hand: the
    # one-cell plan, which reads the report's rows with its group's, is for a stored report.
    cell = None if holds_nothing else _plan_cell_recount(locked, updates)
    read = stored_values(locked, [] if holds_nothing else cell.read_values() if cell else None)
    stored = {v.indicator_id: v for v in read.values()}
    result = SetValuesResult(read=read, report=report)
    now = timezone.now()
    writes = _Writes()
    for update in updates:
        current = stored.get(update.indicator.pk)
        change = _plan(locked, current, update, writes)
        if change is None:
            result.unchanged += 1
            continue
        writes.audit.append(_audit(change, now, acting_user, locked.version + 1))
        value = update.value
        if (current is None or current.is_blank) and value is not None and not value.is_blank:
            result.imported += 1
        else:
            result.updated += 1
    if writes.audit:
        # Checked once the changes are known: re-sending what is stored is never an error.
        _refuse_rows_not_applying(locked, writes.audit)
        if not locked.is_editable:
            raise ParstatError("report.locked", unit=locked.unit.name, period=locked.period.code,
                               state=locked.state)
        if expected_version is not None and expected_version != locked.version:
            _refuse_unless_mergeable(locked, expected_version, writes.audit)
        writes.flush()
        # The findings as the values now are, from the rows in hand (not read again), stored
        # with the next version in one write: only those the changed numbers can affect are
        # checked again, the others are the findings stored with the report (read with it).
        rows = writes.rows_after(stored)
        numbers_changed = {c.indicator.code for c in writes.audit
                           if not _same(c.old_number, c.new_number)}
        result.evaluation = evaluate_change(locked, rows, numbers_changed)
        columns = finding_columns(result.evaluation)
        # A report counted for the first time is filed in its group by the same write.
        filed = cell is None and locked.totals_group is None
        if filed:
            columns["totals_group"] = _group_of(locked)
        bump_version(report, locked, **columns)
        changed = {c.indicator_id for c in writes.audit}
        if cell is not None:
            cell.finish(rows.values(), changed)
        else:
            _keep_totals_current(locked, changed, rows.values(), filed=filed)
            report.totals_group = locked.totals_group  # the caller's object: as the row is
    return result


def _group_of(report: Report) -> int:
    from parstat.analytics.totals import group_of  # analytics reads reporting

    return group_of(report)


def _refuse_rows_not_applying(report: Report, changes: Sequence[ValueChange]) -> None:
    """A row for other unit kinds takes no value from this unit (a note may stay)."""
    kind = report.unit.kind
    for change in changes:
        indicator = change.indicator
        if not indicator.applies_to(kind) and (change.new_number is not None
                                               or change.new_text is not None):
            raise ParstatError("value.not_applicable", code=indicator.code,
                               label=indicator.label, kind=report.unit.kind)


def finding_columns(evaluation: Evaluation) -> dict[str, Any]:
    """The report's stored findings and their counts (lists of reports read them)."""
    return {"error_count": len(evaluation.errors), "warning_count": len(evaluation.warnings),
            "findings": [f.stored() for f in evaluation.findings]}


def _plan_cell_recount(locked: Report, updates: Sequence[CellUpdate]) -> CellRecount | None:
    """A save of one cell to a draft: the live totals' recount planned (and the group locked)
    first, so that the group's rows it needs are read with the report's values, in one query."""
    if len(updates) != 1 or not locked.is_editable:
        return None
    from parstat.analytics.totals import plan_cell_recount  # analytics reads reporting

    return plan_cell_recount(locked, {updates[0].indicator.pk})


def _keep_totals_current(report: Report, indicator_ids: set[int], rows: Iterable[Value], *,
                         filed: bool = False) -> None:
    """The live totals recount what this save changed, in its transaction (``rows``: the
    report's value rows as the save left them; ``filed``: the save filed the report in its
    group, where it was counted in no group before)."""
    from parstat.analytics.totals import after_values_changed  # analytics reads reporting

    after_values_changed(report, indicator_ids, [v for v in rows if not v.is_blank],
                         filed=filed)


@dataclass
class _Writes:
    create: list[Value] = field(default_factory=list)
    update: list[Value] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)
    audit: list[ValueChange] = field(default_factory=list)

    def rows_after(self, before: Mapping[int, Value]) -> dict[str, Value]:
        """The report's value rows by code once flushed, from ``before`` (by indicator id, as
        read under the lock; updated rows were changed in place)."""
        deleted = set(self.delete)
        rows = [v for v in before.values() if v.pk not in deleted] + self.create
        return {v.indicator.code: v for v in rows}

    def flush(self) -> None:
        Value.objects.filter(pk__in=self.delete).delete()
        if len(self.update) == 1:  # a cell save: a plain UPDATE, not bulk_update's CASE
            [row] = self.update
            Value.objects.filter(pk=row.pk).update(number=row.number, text=row.text,
                                                   note=row.note)
        else:
            Value.objects.bulk_update(self.update, ["number", "text", "note"], batch_size=500)
        # The new rows and the audit rows as they are, without the ORM's per-field work (a
        # file's first import writes a row of each per value): see parstat.bulk.
        insert_objects(self.create, VALUE_COLUMNS, returning=True)
        insert_objects(self.audit, CHANGE_COLUMNS)


def _plan(report: Report, current: Value | None, update: CellUpdate,
          writes: _Writes) -> ValueChange | None:
    old_number = current.number if current else None
    old_text = current.text if current else None
    old_note = current.note if current else ""
    new_note = old_note if update.note is None else update.note
    if update.value is None:
        new_number, new_text = old_number, old_text
    else:
        new_number, new_text = update.value.number, update.value.text
    if _same(old_number, new_number) and old_text == new_text and old_note == new_note:
        return None
    if current is None:
        writes.create.append(unsaved(
            Value, {"report": report, "indicator": update.indicator}, id=None,
            report_id=report.pk, indicator_id=update.indicator.pk, number=new_number,
            text=new_text, note=new_note))
    elif new_number is None and new_text is None and not new_note:
        writes.delete.append(current.pk)  # nothing left to keep: blank is the absence of a row
    else:
        current.number, current.text, current.note = new_number, new_text, new_note
        writes.update.append(current)
    # Who, when and the version are set by _audit, once the save knows them.
    return unsaved(ValueChange, {"report": report, "indicator": update.indicator}, id=None,
                   changed_by_id=None, actor="", source="", origin="", report_id=report.pk,
                   indicator_id=update.indicator.pk, old_number=old_number, old_text=old_text,
                   new_number=new_number, new_text=new_text, old_note=old_note,
                   new_note=new_note, changed_at=None, version=0)


def _audit(change: ValueChange, now: Any, actor: Actor, version: int) -> ValueChange:
    change.version = version
    change.changed_at = now
    for name, value in actor.audit_fields().items():
        setattr(change, name, value)
    return change


# The columns a new value row and an audit row are written with (every one but the key).
VALUE_COLUMNS = ("report_id", "indicator_id", "number", "text", "note")
CHANGE_COLUMNS = ("changed_by_id", "actor", "source", "origin", "report_id", "indicator_id",
                  "old_number", "old_text", "new_number", "new_text", "old_note", "new_note",
                  "changed_at", "version")


def _refuse_unless_mergeable(locked: Report, expected_version: int,
                             planned: Sequence[ValueChange]) -> None:
    """Raise ``report.stale`` unless ``planned`` touches nothing changed after expected_version.

    Each version a value save made has its ValueChange rows (``version`` = the version that save
    made); a version in between without any was a workflow step or a document change, which the
    writer has not seen, so no merge then. Nor for a version from the future.
    """
    if expected_version > locked.version:
        raise stale_error(locked, expected_version)
    newer = list(ValueChange.objects.filter(report=locked, version__gt=expected_version))
    if {c.version for c in newer} != set(range(expected_version + 1, locked.version + 1)):
        raise stale_error(locked, expected_version)
    planned_by_indicator = {c.indicator_id: c for c in planned}
    clashing = {c.indicator_id for c in newer
                if (mine := planned_by_indicator.get(c.indicator_id)) is not None
                and _overlap(c, mine)}
    if clashing:
        raise stale_error(locked, expected_version, indicator_ids=clashing)


def _overlap(theirs: ValueChange, mine: ValueChange) -> bool:
    """Both changed the cell's value, or both its note: the later write would undo the other."""
    return ((_changes_value(theirs) and _changes_value(mine))
            or (theirs.old_note != theirs.new_note and mine.old_note != mine.new_note))


def _changes_value(change: ValueChange) -> bool:
    return not (_same(change.old_number, change.new_number) and change.old_text == change.new_text)


def stale_error(report: Report, expected_version: int, *,
                indicator_ids: Collection[int] | None = None) -> ParstatError:
    """``report.stale`` naming the changes made after ``expected_version`` (only those of
    ``indicator_ids`` when given: the cells a refused write clashes with)."""
    from parstat.reporting.values import display

    newer = (ValueChange.objects.filter(report=report, version__gt=expected_version)
             .select_related("indicator").order_by("id"))
    if indicator_ids is not None:
        newer = newer.filter(indicator_id__in=indicator_ids)

    # The words (a blank, "someone else", what else changed) are lazy: the error is said in
    # Vietnamese (``message``), English (``message_en``) and the reader's language from one
    # object, each rendering them in its own language.
    def shown(indicator: Indicator, value: Decimal | str | None) -> object:
        return BLANK_WORD if value is None else display(indicator, value)  # blank is not «»

    described: list[object] = [
        format_lazy("{}: «{}» → «{}»", c.indicator.code, shown(c.indicator, c.old_value),
                    shown(c.indicator, c.new_value))
        for c in newer[:10]]
    actors: list[object] = list(sorted({c.actor for c in newer})) or [SOMEONE_ELSE]
    if not described:
        described = [gettext_lazy("trạng thái hoặc thông tin văn bản")]
    return ParstatError("report.stale", actor=format_lazy(", ".join("{}" for _ in actors), *actors),
                        expected=expected_version, current=report.version,
                        changes=format_lazy("; ".join("{}" for _ in described), *described))


def _same(a: Decimal | None, b: Decimal | None) -> bool:
    # 32.5 and 32.5000 are one value; None and 0 are not.
    if a is None or b is None:
        return a is None and b is None
    return a == b
