"""Live totals: what each group of reports adds up to, kept current by the actions that change it.

A *group* is the reports whose unit had one parent when they were last counted (the parent's id;
a unit at the top of the tree is its own group), so a province's departments share one group and
a writer in one province never waits for a writer in another. For each (period, template, group,
report state, indicator) a :class:`~parstat.reporting.models.TotalPart` holds what the plain scan
of :mod:`parstat.analytics.consolidation` would compute over those reports alone: the number of
non-blank numbers and texts, their exact sum, minimum and maximum, the count of each choice code,
and for a formula row the reports that qualify and the exact sums of its inputs over them.

Who keeps them current: ``do_set_values`` recounts the indicators it changed (and the formula
rows that read them) in the report's group (a report counted for the first time, as on its
first import: every row it holds a value in); a workflow step recounts the report's group in the
old and the new state; both in the same transaction as the change. A recount reads the group's
values again under a lock on the group (:class:`~parstat.reporting.models.TotalsGroup`), so two
writers of one group take turns and neither misses the other's values: a recount is exact by
construction, not a running delta that one lost update would corrupt for good.

Reading (:func:`scope_parts`): a group counts from its parts only when every report filed in it
(in the states asked) belongs to the scope asked; the reports of any other group, or not yet
counted, are added up from their values, by the same function. So any scope, "as filed", today's
structure, a subtree or a permission-cut one, is exact whatever happened to the registry since the
parts were counted: a unit moved to another parent only makes its group be read from the values
until the next recount moves the report to its new group.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from itertools import chain
from operator import and_, or_
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    CharField,
    Count,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
)
from django.db.models.base import ModelState
from django.db.models.functions import Cast

from parstat.bulk import insert
from parstat.catalog.layout import template_layout
from parstat.catalog.models import Aggregation, Indicator, Template
from parstat.ids import id_list, ids_in
from parstat.reporting.models import (
    Period,
    Report,
    ReportState,
    TotalPart,
    TotalsGroup,
    Value,
    stored_sum,
)
from parstat.rules.expressions import parse_expression

NO_LIMIT = 2**62  # a LIMIT no scope reaches (see measure)


@dataclass
class Part:
    """What some reports add up to for one indicator; parts of disjoint reports add up."""

    answered: int = 0
    texts: int = 0
    total: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    counts: dict[str, int] = field(default_factory=dict)
    covered: int = 0
    sums: dict[int, Decimal] = field(default_factory=dict)

    def add(self, other: Part) -> None:
        self.add_counts(other.answered, other.texts, other.total, other.low, other.high,
                        other.counts, other.covered, other.sums)

    def add_counts(self, answered: int, texts: int, total: Decimal | None, low: Decimal | None,
                   high: Decimal | None, counts: dict[str, int], covered: int,
                   sums: dict[int, Decimal]) -> None:
        """Add another part given as its fields (as a stored part is read: no Part made)."""
        self.answered += answered
        self.texts += texts
        self.total = _plus(self.total, total)
        if low is not None and (self.low is None or low < self.low):
            self.low = low
        if high is not None and (self.high is None or high > self.high):
            self.high = high
        for code, n in counts.items():
            self.counts[code] = self.counts.get(code, 0) + n
        self.covered += covered
        for pk, amount in sums.items():
            self.sums[pk] = _plus(self.sums.get(pk), amount)  # type: ignore[assignment]

    @property
    def is_empty(self) -> bool:
        return not (self.answered or self.texts or self.covered)


def _plus(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None:
        return b
    return a if b is None else a + b


def code_key(code: Decimal) -> str:
    """A choice code as the parts store it: "1", "2", "-1", "0.5" (one key per value)."""
    return str(code.normalize()) if code == code.to_integral_value() else str(code)


def counted_codes(indicator: Indicator) -> set[Decimal]:
    """The codes a row's part counts: 1 for a count of ones, its printed choices for a count
    of choices, none for any other row. By row, so a part is the same whichever rows were
    counted with it (a save's few or a rebuild's all)."""
    if indicator.aggregation == Aggregation.COUNT_ONES:
        return {Decimal(1)}
    if indicator.aggregation == Aggregation.CHOICE_COUNTS:
        return {Decimal(str(c["value"])) for c in indicator.choices}
    return set()


def formula_inputs(formula_row: Indicator, ids: dict[str, int]) -> list[int]:
    return [ids[c] for c in sorted(parse_expression(formula_row.formula).codes) if c in ids]


def needs_every_input(formula: str) -> bool:
    """Does the formula go blank when any one input is blank (a rate), or tolerate it (a sum)?"""
    expression = parse_expression(formula)
    for code in expression.codes:
        probe = {c: Decimal(1) for c in expression.codes if c != code}
        if expression.evaluate(probe) is not None:
            return False
    return bool(expression.codes)


def measure(indicators: list[Indicator], every: list[Indicator], reports: QuerySet[Report]
            ) -> dict[int, Part]:
    """What ``reports`` add up to, indicator id → Part, straight from their values.

    ``indicators`` are the rows wanted, ``every`` all rows of the template (a formula's inputs).
    Two queries: one GROUP BY indicator over the values, one pivot of the formula inputs."""
    out: dict[int, Part] = {}
    plain = [i for i in indicators if i.aggregation != Aggregation.FORMULA]
    formula_rows = [i for i in indicators if i.aggregation == Aggregation.FORMULA]
    values = Value.objects.filter(report__in=reports, indicator__in=[i.pk for i in plain])
    if connection.vendor == "sqlite":
        # SQLite adds REAL numbers as floats (and keeps 15 digits of the result): its SUM is
        # exact only over whole numbers, which it adds as 64-bit integers. So each row's sum
        # is taken from SQL when every number of it is whole, read as text (Django's decimal
        # reader would round it to 15 digits), and added up here, exactly, from the rows
        # themselves otherwise; the formula rows' inputs likewise (a few rows per report).
        found, fractional = _measure_plain(plain, values.annotate(storage=Func(
            F("number"), function="typeof", output_field=CharField())), exact_text=True)
        out.update(found)
        out.update(measure_rows([i for i in plain if i.pk in fractional] + formula_rows, every,
                                reports))
    else:
        out.update(_measure_plain(plain, values, exact_text=False)[0])
        out.update(_measure_formulas(formula_rows, every, reports))
    return {pk: part for pk, part in out.items() if not part.is_empty}


def _measure_plain(plain: list[Indicator], values: QuerySet[Value], *, exact_text: bool
                   ) -> tuple[dict[int, Part], set[int]]:
    """One GROUP BY indicator over ``values``: the rows' parts, and the rows whose sum it could
    not take exactly. ``exact_text`` (SQLite, ``values`` annotated with each number's
    ``storage`` class): the sum read as text when every number of the row is whole; a row with
    any other number is left out of the parts and named in the second set (none otherwise)."""
    if not plain:
        return {}, set()
    counted = {i.pk: counted_codes(i) for i in plain}
    codes = set().union(*counted.values())
    aliases = {"n_" + str(i): code for i, code in enumerate(sorted(codes))}
    per_code = {alias: Count("id", filter=Q(number=code)) for alias, code in aliases.items()}
    if exact_text:
        sums: dict[str, Any] = {
            "total": Cast(Sum("number"), output_field=TextField()),
            # Numbers SQLite does not hold as integers (REAL, or a stray text) are not added
            # exactly by its SUM.
            "fractional": Count("number", filter=~Q(storage="integer"))}
    else:
        sums = {"total": Sum("number")}
    out: dict[int, Part] = {}
    fractional: set[int] = set()
    for row in values.values("indicator_id").annotate(
            **sums, answered=Count("number"), texts=Count("text"),
            low=Min("number"), high=Max("number"), **per_code).order_by():
        if row.get("fractional"):
            fractional.add(row["indicator_id"])
            continue
        answered = row["answered"]
        out[row["indicator_id"]] = Part(
            answered=answered, texts=row["texts"],
            total=_exact(row["total"]) if answered else None,
            low=_exact(row["low"]) if answered else None,
            high=_exact(row["high"]) if answered else None,
            counts={code_key(code): row[alias] for alias, code in aliases.items()
                    if code in counted[row["indicator_id"]]
                    if row[alias]})
    return out, fractional


def _exact(number: Any) -> Decimal:
    return number if isinstance(number, Decimal) else Decimal(str(number))


def _measure_formulas(formula_rows: list[Indicator], every: list[Indicator],
                      reports: QuerySet[Report]) -> dict[int, Part]:
    """All formula rows in one query: the inputs pivoted per report, then added up per row over
    the reports that qualify (every input for a rate, any input for a sum).

    The pivot looks each input up by (report, indicator), the unique key, once per report: a
    handful of index lookups per report instead of reading every value of the report again."""
    if not formula_rows:
        return {}
    ids = {i.code: i.pk for i in every}
    inputs = {f.pk: formula_inputs(f, ids) for f in formula_rows}
    every_input = sorted({pk for pks in inputs.values() for pk in pks})
    # The LIMIT (never reached) fences the per-report row off: without it the database folds the
    # inner query into the outer one and repeats each lookup in every filter that reads it.
    per_report = reports.order_by().annotate(**{
        f"v{pk}": Subquery(Value.objects.filter(report_id=OuterRef("pk"), indicator_id=pk)
                           .values("number")[:1]) for pk in every_input})[:NO_LIMIT]
    wanted: dict[str, Any] = {}
    for row in formula_rows:
        present = [Q(**{f"v{pk}__isnull": False}) for pk in inputs[row.pk]]
        if not present:
            continue
        joined = reduce(and_ if needs_every_input(row.formula) else or_, present)
        wanted[f"n{row.pk}"] = Count("pk", filter=joined)
        wanted.update({f"s{row.pk}_{pk}": Sum(f"v{pk}", filter=joined) for pk in inputs[row.pk]})
    found = per_report.aggregate(**wanted) if wanted else {}
    out = {}
    for row in formula_rows:
        out[row.pk] = Part(covered=found.get(f"n{row.pk}") or 0, sums={
            pk: _exact(found[f"s{row.pk}_{pk}"]) for pk in inputs[row.pk]
            if found.get(f"s{row.pk}_{pk}") is not None})
    return out


def measure_rows(indicators: list[Indicator], every: list[Indicator], reports: QuerySet[Report],
                 in_hand: Iterable[ValueRow] = ()) -> dict[int, Part]:
    """What :func:`measure` computes, added up here from the value rows themselves: one plain
    query (report, indicator, number, text) instead of two aggregates.

    For the recount of the few rows a save changed, over one group's reports (tens to a few
    hundred): building the aggregate SQL costs more than adding up those rows. A scope of a
    whole country is :func:`measure`'s. Same rules, to the letter: a row counts its own
    codes (:func:`counted_codes`); a formula row counts the reports with every input
    (a rate) or any input (a sum) and adds up its inputs over them. The property test of the
    live totals holds the two to the same figures (live from these parts, scan from measure).
    ``in_hand``: the value rows of a report not among ``reports`` (a save's own, as it left
    them), added up with theirs without being read."""
    wanted = rows_read(indicators, every)
    if not wanted:
        return {}
    read = Value.objects.filter(report__in=reports, indicator_id__in=sorted(wanted)).order_by(
        ).values_list("report_id", "indicator_id", "number", "text")
    return add_up_rows(indicators, every, chain(
        (row for row in in_hand if row[1] in wanted), read))


def rows_read(indicators: list[Indicator], every: Sequence[Indicator]) -> set[int]:
    """The indicators whose value rows :func:`measure_rows` reads: the plain rows measured and
    the inputs of the formula rows measured."""
    ids = {i.code: i.pk for i in every}
    return {pk for i in indicators for pk in (
        formula_inputs(i, ids) if i.aggregation == Aggregation.FORMULA else [i.pk])}


ValueRow = tuple[int, int, Decimal | None, str | None]  # report, indicator, number, text


def add_up_rows(indicators: list[Indicator], every: Sequence[Indicator],
                rows: Iterable[ValueRow]) -> dict[int, Part]:
    """:func:`measure_rows` from value rows in hand (every row of :func:`rows_read` of the
    reports measured)."""
    plain = [i for i in indicators if i.aggregation != Aggregation.FORMULA]
    formula_rows = [i for i in indicators if i.aggregation == Aggregation.FORMULA]
    ids = {i.code: i.pk for i in every}
    inputs = {f.pk: formula_inputs(f, ids) for f in formula_rows}
    numbers: dict[int, dict[int, Decimal]] = {}  # report → indicator → number
    out: dict[int, Part] = {}
    plain_ids = {i.pk for i in plain}
    codes = {i.pk: {code: code_key(code) for code in counted_codes(i)} for i in plain}
    for report_id, indicator_id, number, text in rows:
        if number is not None:
            numbers.setdefault(report_id, {})[indicator_id] = number
        if indicator_id not in plain_ids:
            continue
        part = out.setdefault(indicator_id, Part())
        if text is not None:
            part.texts += 1
        if number is None:
            continue
        part.answered += 1
        part.total = number if part.total is None else part.total + number
        part.low = number if part.low is None or number < part.low else part.low
        part.high = number if part.high is None or number > part.high else part.high
        key = codes[indicator_id].get(number)
        if key is not None:
            part.counts[key] = part.counts.get(key, 0) + 1
    for row in formula_rows:
        pks = inputs[row.pk]
        if not pks:
            out[row.pk] = Part()
            continue
        every_input = needs_every_input(row.formula)
        part = out[row.pk] = Part()
        for held in numbers.values():
            present = [pk for pk in pks if pk in held]
            if not present or (every_input and len(present) < len(pks)):
                continue
            part.covered += 1
            for pk in present:
                part.sums[pk] = held[pk] if pk not in part.sums else part.sums[pk] + held[pk]
    return {pk: part for pk, part in out.items() if not part.is_empty}


# --- keeping the parts current ---------------------------------------------------------------

def group_of(report: Report) -> int:
    """The group a report is counted in now: its unit's parent, or the unit itself at the top."""
    unit = report.unit
    return unit.parent_id if unit.parent_id is not None else unit.pk


def _lock_groups(period_id: int, template_id: int, groups: Iterable[int]) -> None:
    """Hold the groups' locks until the transaction ends: one statement, or none on SQLite.

    On a database with row locks (PostgreSQL) an upsert that "updates" the group's row on a
    conflict creates it if it is new and locks it either way, in one round trip. SQLite has no
    row locks: a writing transaction there holds the whole database from its first statement
    (``BEGIN IMMEDIATE``, see settings), so writers already take turns and a lock row would be
    a write for nothing."""
    if not connection.features.has_select_for_update:
        return
    wanted = sorted(set(groups))  # always in one order, so two writers cannot deadlock
    TotalsGroup.objects.bulk_create(
        [TotalsGroup(period_id=period_id, template_id=template_id, group=g) for g in wanted],
        update_conflicts=True, unique_fields=["period", "template", "group"],
        update_fields=["group"])


def recount(period_id: int, template_id: int, group: int, states: Iterable[str],
            indicator_ids: Iterable[int] | None = None, *,
            every: Sequence[Indicator] | None = None, fresh: bool = False,
            in_hand: tuple[int, list[ValueRow]] | None = None) -> None:
    """Count the group's reports in ``states`` again, for ``indicator_ids`` (None: every row).
    ``every``: the template's indicators, when the caller has them (see catalog.layout).
    ``fresh``: no part of the group is stored yet (a rebuild deleted them), none to remove.
    ``in_hand``: a report of the group (its id) and its value rows as the caller has them
    (those it has just written): while the group's rows are added up here, not read back.

    The parts found are written in one upsert; only the rows that came out empty (nobody in the
    group answered them now) are deleted, so a save whose rows all still have an answer writes
    its parts in one statement. The caller holds the group's lock (see :func:`_lock_groups`)."""
    every = list(Indicator.objects.filter(template_id=template_id)) if every is None \
        else list(every)
    chosen = None if indicator_ids is None else set(indicator_ids)
    wanted = every if chosen is None else [i for i in every if i.pk in chosen]
    if not wanted:
        return
    found: dict[str, dict[int, Part]] = {}
    for state in states:
        reports = Report.objects.filter(period_id=period_id, template_id=template_id,
                                        totals_group=group, state=state)
        # A save's rows: added up from the group's value rows while they are few; every row (a
        # workflow step, a rebuild) or a large group: the aggregate SQL, which reads no value
        # into Python.
        if indicator_ids is None or not _few_value_rows(wanted, reports):
            found[state] = measure(wanted, every, reports)
        elif in_hand is not None:
            found[state] = measure_rows(wanted, every, reports.exclude(pk=in_hand[0]),
                                        in_hand[1])
        else:
            found[state] = measure_rows(wanted, every, reports)
    _store_parts(period_id, template_id, group, wanted, found, fresh=fresh)


def _store_parts(period_id: int, template_id: int, group: int, wanted: list[Indicator],
                 found_by_state: dict[str, dict[int, Part]], *, fresh: bool = False) -> None:
    """Write the parts counted for ``wanted`` in each state: one upsert, and a delete of the
    rows that came out empty (none stored when ``fresh``)."""
    rows: list[tuple[Any, ...]] = []
    empty: dict[str, list[int]] = {}
    for state, found in found_by_state.items():
        empty[state] = [i.pk for i in wanted if i.pk not in found]
        rows.extend((period_id, template_id, group, state, indicator_id, part.answered,
                     part.texts, part.total, part.low, part.high, part.counts, part.covered,
                     {str(k): str(v) for k, v in part.sums.items()})
                    for indicator_id, part in found.items())
    gone = [Q(state=state, indicator_id__in=ids) for state, ids in empty.items() if ids]
    if gone and not fresh:
        TotalPart.objects.filter(reduce(or_, gone), period_id=period_id,
                                 template_id=template_id, group=group).delete()
    # One upsert, the rows as they are (parstat.bulk): a first import stores a part per value.
    insert(TotalPart, PART_COLUMNS, rows, upsert=PART_KEY, update=PART_COLUMNS[len(PART_KEY):])


PART_KEY = ("period", "template", "group", "state", "indicator")
PART_COLUMNS = ("period_id", "template_id", "group", "state", "indicator_id", "answered",
                "texts", "total", "low", "high", "counts", "covered", "sums")


# Up to about this many value rows (rows wanted × reports of the group), adding them up in
# Python (measure_rows) is faster than building and running measure's aggregate SQL: measured
# with bench/import_bench.py's files filed in one group, 1 to 100 reports of 76 rows each.
ADDED_IN_PYTHON = 2500
FEW_ROWS = 12  # a save of fewer rows (a cell, a few cells) is added up in Python, uncounted


def _few_value_rows(wanted: Sequence[Indicator], reports: QuerySet[Report]) -> bool:
    """Are the value rows to add up few enough for measure_rows? A save of a few rows always;
    one of many rows (a file's) while its group is small: one COUNT of the group's reports."""
    if len(wanted) < FEW_ROWS:
        return True
    return len(wanted) * reports.count() <= ADDED_IN_PYTHON


def _affected(every: Sequence[Indicator], changed: set[int]) -> set[int]:
    """The changed rows and every formula row (of ``every``, the template's) that reads one."""
    code_of = {i.pk: i.code for i in every}
    changed_codes = {code_of[pk] for pk in changed if pk in code_of}
    out = set(changed)
    for row in every:
        if row.aggregation == Aggregation.FORMULA and row.formula and (
                parse_expression(row.formula).codes & changed_codes):
            out.add(row.pk)
    return out


def _settle(report: Report, *, locked: bool = False, filed: bool = False
            ) -> tuple[int, int | None]:
    """Lock the report's group (and the one it leaves) and file the report in its group now.
    ``locked``: ``report`` was read under its row lock in this transaction, with its unit (as
    do_set_values reads it), so it is not read again. ``filed``: the caller has just filed it
    in its group (``report.totals_group``), where it was counted in no group before: the
    group it was in is None."""
    current = report if locked else Report.objects.select_related("unit").get(pk=report.pk)
    new, old = group_of(current), None if filed else current.totals_group
    _lock_groups(current.period_id, current.template_id, [new] + ([old] if old is not None else []))
    if old != new and not filed:
        Report.objects.filter(pk=current.pk).update(totals_group=new)
        report.totals_group = new
    return new, old


def after_values_changed(report: Report, indicator_ids: Iterable[int],
                         held: Iterable[Value] | None = None, *, filed: bool = False) -> None:
    """Called by do_set_values, in its transaction, once the values are written, with the
    report it locked; ``held``: the report's rows that hold a value now (a number or a text; a
    note alone counts in no part), when the caller has them in hand (else they are looked up
    if needed). ``filed``: the save filed the report in its group, counted for the first time
    (``report.totals_group`` was None before it)."""
    changed = set(indicator_ids)
    every = template_layout(report.template).indicators  # read once per template, not per save
    new, old = _settle(report, locked=True, filed=filed)
    in_hand = None
    if old is None:
        # The report is counted for the first time (its first save, as a first import is): it
        # was in no group's parts, so its group changes only in the rows it holds a value in
        # now (and the formula rows that read them); every other row of the group, those where
        # it holds a note alone too, stays as counted. Those rows instead of all of the group's;
        # the report's own, in hand, not read back.
        if held is None:
            changed = set(Value.objects.filter(report_id=report.pk).exclude(
                number=None, text=None).values_list("indicator_id", flat=True))
        else:
            rows = [(report.pk, v.indicator_id, v.number, v.text) for v in held]
            changed, in_hand = {row[1] for row in rows}, (report.pk, rows)
    elif old != new:  # the report changed group: recount both, every row
        recount(report.period_id, report.template_id, old, [report.state], every=every)
        recount(report.period_id, report.template_id, new, [report.state], every=every)
        return
    recount(report.period_id, report.template_id, new, [report.state],
            _affected(every, changed), every=every, in_hand=in_hand)


@dataclass
class CellRecount:
    """The live totals' share of a save of one cell, planned before the report's values are
    read so that one query reads them and the rows of the group's other reports its recount
    needs (:meth:`read_values`); :meth:`finish` recounts, after the write, from those rows and
    the report's own as the save left them, without reading the group again.

    Exact as :func:`after_values_changed`'s recount, by the same lock taken earlier: the group is
    locked before the read, so every other writer of the group (who locks it before it commits)
    either committed before the read, which sees it, or commits after this save."""

    report: Report
    group: int
    every: Sequence[Indicator]
    wanted: list[Indicator]  # the rows that may need a recount: the cell's, the formulas over it
    read: list[int]  # the indicators whose value rows those read
    planned: set[int] = field(default_factory=set)  # the indicators the save was asked to write
    others: list[ValueRow] = field(default_factory=list)  # the group's other reports' rows

    def read_values(self) -> list[Value]:
        """The report's value rows, read in one query with the others' rows the recount needs."""
        report = self.report
        others = Report.objects.filter(period_id=report.period_id, template_id=report.template_id,
                                       totals_group=self.group, state=report.state
                                       ).exclude(pk=report.pk)
        names = [f.attname for f in Value._meta.concrete_fields]
        at = {name: names.index(name) for name in ("report_id", "indicator_id", "number", "text")}
        alias, mine = connection.alias, report.pk
        own: list[Value] = []
        # UNION ALL, not OR: each half is planned on its own index (the report's rows; the
        # group's reports' rows of a few indicators), not one scan of the indicators' rows in
        # every report of the country filtered by the group.
        for row in Value.objects.filter(report_id=report.pk).order_by().values_list(*names).union(
                Value.objects.filter(report__in=others, indicator_id__in=self.read).order_by()
                .values_list(*names), all=True):
            if row[at["report_id"]] == mine:
                own.append(_value_from_db(alias, names, row))
            else:
                self.others.append((row[at["report_id"]], row[at["indicator_id"]],
                                    row[at["number"]], row[at["text"]]))
        return own

    def finish(self, own: Iterable[Value], changed: set[int]) -> None:
        """Recount what the save ``changed`` (indicator ids); ``own``: the report's value rows
        as the save left them."""
        if changed == self.planned:  # the cell asked for changed: the rows planned
            wanted = self.wanted
        else:
            affected = _affected(self.every, changed)
            wanted = [i for i in self.wanted if i.pk in affected]
        if not wanted:
            return
        read = set(self.read)
        rows = self.others + [(self.report.pk, v.indicator_id, v.number, v.text) for v in own
                              if v.indicator_id in read]
        found = add_up_rows(wanted, self.every, rows)
        _store_parts(self.report.period_id, self.report.template_id, self.group, wanted,
                     {self.report.state: found})


def _value_from_db(alias: str, names: list[str], row: tuple[Any, ...]) -> Value:
    """``Value.from_db`` without ``Model.__init__``'s per-field work (a third of reading a
    report's rows): the columns set as loaded. Value has no signals on creation, nor fields
    with their own setters."""
    value = Value.__new__(Value)
    value.__dict__.update(zip(names, row, strict=True))
    value._state = ModelState()
    value._state.adding, value._state.db = False, alias
    return value


def plan_cell_recount(report: Report, indicator_ids: set[int]) -> CellRecount | None:
    """Before a save of one cell reads the report's values (``report`` read under its lock,
    with its unit): lock the report's group and plan the recount. None when the report is not
    counted in the group its unit's place gives it now (then :func:`after_values_changed`)."""
    new, old = group_of(report), report.totals_group
    if old != new:
        return None
    _lock_groups(report.period_id, report.template_id, [new])
    every = template_layout(report.template).indicators
    affected = _affected(every, indicator_ids)
    wanted = [i for i in every if i.pk in affected]
    return CellRecount(report, new, every, wanted, sorted(rows_read(wanted, every)),
                       planned=set(indicator_ids))


def after_state_changed(report: Report, old_state: str, new_state: str) -> None:
    """Called by a workflow step, in its transaction, once the state is written: the report's
    values move from the parts of ``old_state`` to those of ``new_state``."""
    new, old = _settle(report)
    if old is not None and old != new:
        recount(report.period_id, report.template_id, old, [old_state, new_state])
    recount(report.period_id, report.template_id, new, sorted({old_state, new_state}))


# --- reading ---------------------------------------------------------------------------------

def scope_parts(period: Period, template: Template, scope: AbstractSet[int], states: Iterable[str],
                indicators: list[Indicator], every: list[Indicator]) -> dict[int, Part]:
    """What the reports below a scope, in ``states``, add up to per indicator: whole groups from
    their parts, every other report from its values."""
    states = tuple(states)
    inside_scope = ids_in("unit_id", scope)
    in_scope = Report.objects.filter(inside_scope, period=period, template=template,
                                     state__in=states).order_by()
    # The groups the reports in these states are counted in (a few dozen nationally), each with
    # how many of its reports are in the scope and how many in all, in one query. A group with a
    # report outside the scope (usually none), and reports not yet counted, are added up from
    # their values.
    whole: set[int] = set()
    partial: set[int] = set()
    uncounted = False
    for group, inside, filed in (
            Report.objects.filter(period=period, template=template, state__in=states)
            .order_by().values_list("totals_group")
            .annotate(inside=Count("id", filter=inside_scope) if inside_scope else Count("id"),
                      filed=Count("id"))):
        if not inside:
            continue
        if group is None:
            uncounted = True
        elif inside == filed:
            whole.add(group)
        else:
            partial.add(group)
    out = stored_parts(period, template, whole, states, indicators) if whole else {}
    if uncounted or partial:
        rest = list(in_scope.filter(Q(totals_group__isnull=True)
                                    | Q(totals_group__in=id_list(partial)))
                    .values_list("pk", flat=True))
        for pk, part in measure(indicators, every,
                                Report.objects.filter(pk__in=id_list(rest))).items():
            out.setdefault(pk, Part()).add(part)
    return out


# The rows whose total reads the choice counts or the formula's input sums of its part.
READS_COUNTS = (Aggregation.COUNT_ONES, Aggregation.CHOICE_COUNTS, Aggregation.FORMULA)


def stored_parts(period: Period, template: Template, groups: set[int], states: Iterable[str],
                 indicators: list[Indicator]) -> dict[int, Part]:
    """The stored parts of ``groups`` in ``states``, added up per indicator.

    PostgreSQL adds them up itself, exactly (numeric sums; the choice counts and a formula's
    input sums from their JSON, for the rows whose total reads them): a few hundred rows come
    back instead of every group's parts. SQLite would add the decimals as floats, so there the
    parts are added up here."""
    parts = TotalPart.objects.filter(period=period, template=template, group__in=id_list(groups),
                                     state__in=tuple(states),
                                     indicator_id__in=sorted(i.pk for i in indicators)).order_by()
    # The rows whose total reads the parts' choice counts or input sums (their JSON).
    reading = {i.pk for i in indicators if i.aggregation in READS_COUNTS}
    if connection.vendor == "postgresql":
        return _sum_parts_in_sql(parts, reading)
    return _add_parts_here(parts, reading)


def _add_parts_here(parts: QuerySet[TotalPart], reading: set[int]) -> dict[int, Part]:
    """SQLite's parts, added up here, exactly: the rows as the cursor gives them, each sum's
    text made a Decimal once, and the JSON of the choice counts and input sums decoded only for
    the rows whose total reads them (as PostgreSQL sums them). Through the ORM each of a
    national table's 4,806 parts went through five converters, its two JSON texts decoded
    whether read or not: 60 of the table's 75 ms."""
    sql, params = parts.values_list("indicator_id", "answered", "texts", "total", "low", "high",
                                    "counts", "covered", "sums").query.sql_with_params()
    out: dict[int, Part] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for indicator_id, answered, texts, total, low, high, counts, covered, sums in rows:
        part = out.get(indicator_id)
        if part is None:
            part = out[indicator_id] = Part()
        read = indicator_id in reading
        part.add_counts(
            answered, texts, stored_sum(total), stored_sum(low), stored_sum(high),
            json.loads(counts) if read and counts not in (None, "{}") else {}, covered,
            {int(k): Decimal(v) for k, v in json.loads(sums).items()}
            if read and sums not in (None, "{}") else {})
    return out


def _sum_parts_in_sql(parts: QuerySet[TotalPart], reading: set[int]) -> dict[int, Part]:
    """PostgreSQL's sums of ``parts``, in one statement reading them once: the numbers per
    indicator, then the choice counts and a formula's input sums from their JSON (only for the
    rows whose total reads them), as extra rows of the same answer. Two statements, each reading
    the parts, cost twice the scan, and the planner sometimes took the second one's short
    indicator list to an index over every period's parts (12 ms nationally instead of 4)."""
    inner, params = parts.values("indicator_id", "answered", "texts", "total", "low", "high",
                                 "covered", "counts", "sums").query.sql_with_params()
    out: dict[int, Part] = {}
    extra: list[tuple[int, str, str, Decimal]] = []
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH p AS MATERIALIZED ({inner}) "
            "SELECT indicator_id, NULL, NULL, SUM(answered), SUM(texts), SUM(total), MIN(low), "
            "MAX(high), SUM(covered) FROM p GROUP BY indicator_id "
            "UNION ALL "
            "SELECT p.indicator_id, e.kind, e.key, NULL, NULL, SUM(e.value::numeric), NULL, NULL, "
            "NULL FROM p CROSS JOIN LATERAL (SELECT 'counts' AS kind, key, value FROM "
            "jsonb_each_text(p.counts) UNION ALL SELECT 'sums', key, value FROM "
            "jsonb_each_text(p.sums)) e WHERE p.indicator_id = ANY(%s::bigint[]) "
            "GROUP BY 1, 2, 3", (*params, "{" + ",".join(map(str, sorted(reading))) + "}"))
        for indicator_id, column, key, answered, texts, total, low, high, covered in (
                cursor.fetchall()):
            if column is None:
                out[indicator_id] = Part(answered=answered, texts=texts, total=total, low=low,
                                         high=high, covered=covered)
            else:
                extra.append((indicator_id, column, key, total))
    for indicator_id, column, key, amount in extra:  # each after its indicator's numbers
        if column == "counts":
            out[indicator_id].counts[key] = int(amount)
        else:
            out[indicator_id].sums[int(key)] = amount
    return out


# --- rebuilding --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rebuilt:
    groups: int  # groups recounted
    parts: int  # parts stored after the rebuild
    differed: int  # parts that were missing, extra or different before it


def _snapshot() -> dict[tuple[Any, ...], tuple[Any, ...]]:
    return {(r["period_id"], r["template_id"], r["group"], r["state"], r["indicator_id"]): (
        r["answered"], r["texts"], r["total"], r["low"], r["high"],
        {k: v for k, v in r["counts"].items() if v}, r["covered"],
        {k: Decimal(v) for k, v in r["sums"].items()})
        for r in TotalPart.objects.order_by().values()}


@transaction.atomic
def rebuild_totals() -> Rebuilt:
    """Count every group again from the values; say how many parts were not what they are now."""
    before = _snapshot()
    # A report keeps the group it is filed in (the next change to it moves it if its unit moved:
    # moving is not a correction); one never counted yet gets its group now.
    for report in Report.objects.filter(totals_group__isnull=True).select_related("unit"):
        Report.objects.filter(pk=report.pk).update(totals_group=group_of(report))
    keys: set[tuple[int, int, int]] = {
        (period_id, template_id, group) for period_id, template_id, group in
        Report.objects.filter(totals_group__isnull=False).order_by().values_list(
            "period_id", "template_id", "totals_group").distinct() if group is not None}
    TotalPart.objects.all().delete()
    for period_id, template_id, group in sorted(keys):
        _lock_groups(period_id, template_id, [group])
        recount(period_id, template_id, group, ReportState.values, fresh=True)
    after = _snapshot()
    differed = sum(1 for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return Rebuilt(groups=len(keys), parts=len(after), differed=differed)
