"""Live totals: what each group of reports adds up to, kept current by the actions that change it.

A *group* is the reports whose unit had one parent when they were last counted (the parent's id;
a unit at the top of the tree is its own group), so a province's departments share one group and
a writer in one province never waits for a writer in another. For each (period, template, group,
report state, indicator) a :class:`~parstat.reporting.models.TotalPart` holds what the plain scan
of :mod:`parstat.analytics.consolidation` would compute over those reports alone: the number of
non-blank numbers and texts, their exact sum, minimum and maximum, the count of each choice code,
and for a formula row the reports that qualify and the exact sums of its inputs over them.

Who keeps them current: ``do_set_values`` recounts the indicators it changed (and the formula
rows that read them) in the report's group; a workflow step recounts the report's group in the
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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from operator import and_, or_
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum

from parstat.catalog.layout import template_layout
from parstat.catalog.models import Aggregation, Indicator, Template
from parstat.ids import id_list
from parstat.reporting.models import Period, Report, ReportState, TotalPart, TotalsGroup, Value
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


def choice_codes(indicators: Iterable[Indicator]) -> set[Decimal]:
    """Every code counted: 1 for the flags, and every printed choice."""
    return {Decimal(1)} | {Decimal(str(c["value"])) for i in indicators
                           if i.aggregation == Aggregation.CHOICE_COUNTS for c in i.choices}


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
    if plain:
        codes = choice_codes(plain)
        aliases = {"n_" + str(i): code for i, code in enumerate(sorted(codes))}
        per_code = {alias: Count("id", filter=Q(number=code)) for alias, code in aliases.items()}
        values = Value.objects.filter(report__in=reports, indicator__in=[i.pk for i in plain])
        for row in values.values("indicator_id").annotate(
                total=Sum("number"), answered=Count("number"), texts=Count("text"),
                low=Min("number"), high=Max("number"), **per_code).order_by():
            answered = row["answered"]
            out[row["indicator_id"]] = Part(
                answered=answered, texts=row["texts"],
                total=_exact(row["total"]) if answered else None,
                low=_exact(row["low"]) if answered else None,
                high=_exact(row["high"]) if answered else None,
                counts={code_key(code): row[alias] for alias, code in aliases.items()
                        if row[alias]})
    formula_rows = [i for i in indicators if i.aggregation == Aggregation.FORMULA]
    out.update(_measure_formulas(formula_rows, every, reports))
    return {pk: part for pk, part in out.items() if not part.is_empty}


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


def measure_rows(indicators: list[Indicator], every: list[Indicator], reports: QuerySet[Report]
                 ) -> dict[int, Part]:
    """What :func:`measure` computes, added up here from the value rows themselves: one plain
    query (report, indicator, number, text) instead of two aggregates.

    For the recount of the few rows a save changed, over one group's reports (tens to a few
    hundred): building the aggregate SQL costs more than adding up those rows. A scope of a
    whole country is :func:`measure`'s. Same rules, to the letter: a choice code is counted
    for every plain row measured with it; a formula row counts the reports with every input
    (a rate) or any input (a sum) and adds up its inputs over them. The property test of the
    live totals holds the two to the same figures (live from these parts, scan from measure)."""
    plain = [i for i in indicators if i.aggregation != Aggregation.FORMULA]
    formula_rows = [i for i in indicators if i.aggregation == Aggregation.FORMULA]
    ids = {i.code: i.pk for i in every}
    inputs = {f.pk: formula_inputs(f, ids) for f in formula_rows}
    wanted = {i.pk for i in plain} | {pk for pks in inputs.values() for pk in pks}
    if not wanted:
        return {}
    numbers: dict[int, dict[int, Decimal]] = {}  # report → indicator → number
    out: dict[int, Part] = {}
    plain_ids = {i.pk for i in plain}
    codes = {code: code_key(code) for code in choice_codes(plain)} if plain else {}
    for report_id, indicator_id, number, text in Value.objects.filter(
            report__in=reports, indicator_id__in=sorted(wanted)).order_by().values_list(
            "report_id", "indicator_id", "number", "text"):
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
        key = codes.get(number)
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
            every: Sequence[Indicator] | None = None, fresh: bool = False) -> None:
    """Count the group's reports in ``states`` again, for ``indicator_ids`` (None: every row).
    ``every``: the template's indicators, when the caller has them (see catalog.layout).
    ``fresh``: no part of the group is stored yet (a rebuild deleted them), none to remove.

    The parts found are written in one upsert; only the rows that came out empty (nobody in the
    group answered them now) are deleted, so a save whose rows all still have an answer writes
    its parts in one statement. The caller holds the group's lock (see :func:`_lock_groups`)."""
    every = list(Indicator.objects.filter(template_id=template_id)) if every is None \
        else list(every)
    wanted = every if indicator_ids is None else [i for i in every if i.pk in set(indicator_ids)]
    if not wanted:
        return
    rows = []
    empty: dict[str, list[int]] = {}
    for state in states:
        reports = Report.objects.filter(period_id=period_id, template_id=template_id,
                                        totals_group=group, state=state)
        # A save's few rows: added up from the group's value rows; every row (a workflow step,
        # a rebuild): the aggregate SQL, which reads no value into Python.
        found = measure(wanted, every, reports) if indicator_ids is None else \
            measure_rows(wanted, every, reports)
        empty[state] = [i.pk for i in wanted if i.pk not in found]
        for indicator_id, part in found.items():
            rows.append(TotalPart(
                period_id=period_id, template_id=template_id, group=group, state=state,
                indicator_id=indicator_id, answered=part.answered, texts=part.texts,
                total=part.total, low=part.low, high=part.high, counts=part.counts,
                covered=part.covered, sums={str(k): str(v) for k, v in part.sums.items()}))
    gone = [Q(state=state, indicator_id__in=ids) for state, ids in empty.items() if ids]
    if gone and not fresh:
        TotalPart.objects.filter(reduce(or_, gone), period_id=period_id,
                                 template_id=template_id, group=group).delete()
    TotalPart.objects.bulk_create(
        rows, batch_size=500, update_conflicts=True,
        unique_fields=["period", "template", "group", "state", "indicator"],
        update_fields=["answered", "texts", "total", "low", "high", "counts", "covered", "sums"])


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


def _settle(report: Report, *, locked: bool = False) -> tuple[int, int | None]:
    """Lock the report's group (and the one it leaves) and file the report in its group now.
    ``locked``: ``report`` was read under its row lock in this transaction, with its unit (as
    do_set_values reads it), so it is not read again."""
    current = report if locked else Report.objects.select_related("unit").get(pk=report.pk)
    new, old = group_of(current), current.totals_group
    _lock_groups(current.period_id, current.template_id, [new] + ([old] if old is not None else []))
    if old != new:
        Report.objects.filter(pk=current.pk).update(totals_group=new)
        report.totals_group = new
    return new, old


def after_values_changed(report: Report, indicator_ids: Iterable[int]) -> None:
    """Called by do_set_values, in its transaction, once the values are written, with the
    report it locked."""
    changed = set(indicator_ids)
    every = template_layout(report.template).indicators  # read once per template, not per save
    new, old = _settle(report, locked=True)
    if old != new:  # the report changed group: recount both, every row
        if old is not None:
            recount(report.period_id, report.template_id, old, [report.state], every=every)
        recount(report.period_id, report.template_id, new, [report.state], every=every)
        return
    recount(report.period_id, report.template_id, new, [report.state],
            _affected(every, changed), every=every)


def after_state_changed(report: Report, old_state: str, new_state: str) -> None:
    """Called by a workflow step, in its transaction, once the state is written: the report's
    values move from the parts of ``old_state`` to those of ``new_state``."""
    new, old = _settle(report)
    if old is not None and old != new:
        recount(report.period_id, report.template_id, old, [old_state, new_state])
    recount(report.period_id, report.template_id, new, sorted({old_state, new_state}))


# --- reading ---------------------------------------------------------------------------------

def scope_parts(period: Period, template: Template, scope: set[int], states: Iterable[str],
                indicators: list[Indicator], every: list[Indicator]) -> dict[int, Part]:
    """What the reports below a scope, in ``states``, add up to per indicator: whole groups from
    their parts, every other report from its values."""
    states = tuple(states)
    in_scope = Report.objects.filter(period=period, template=template, unit_id__in=id_list(scope),
                                     state__in=states).order_by()
    # The groups the scope's reports are counted in (a few dozen nationally, not a row per
    # report), less those with a report outside the scope, which the database finds (usually
    # none): those groups, and reports not yet counted, are added up from their values.
    candidates: set[int] = {g for g in in_scope.values_list("totals_group", flat=True).distinct()
                            if g is not None}
    partial = {g for g in Report.objects.filter(
        period=period, template=template, totals_group__in=id_list(candidates), state__in=states)
        .exclude(unit_id__in=id_list(scope)).order_by().values_list("totals_group", flat=True)
        .distinct() if g is not None}
    whole = candidates - partial
    rest = list(in_scope.filter(Q(totals_group__isnull=True) | Q(totals_group__in=id_list(partial)))
                .values_list("pk", flat=True))
    out: dict[int, Part] = {}
    wanted = {i.pk for i in indicators}
    if whole:
        for (indicator_id, answered, texts, total, low, high, counts, covered,
             sums) in TotalPart.objects.filter(
                period=period, template=template, group__in=id_list(whole), state__in=states,
                indicator_id__in=wanted).order_by().values_list(
                "indicator_id", "answered", "texts", "total", "low", "high", "counts", "covered",
                "sums"):
            part = out.get(indicator_id)
            if part is None:
                part = out[indicator_id] = Part()
            part.add_counts(answered, texts, total, low, high, counts, covered,
                            {int(k): Decimal(v) for k, v in sums.items()} if sums else {})
    if rest:
        for pk, part in measure(indicators, every,
                                Report.objects.filter(pk__in=id_list(rest))).items():
            out.setdefault(pk, Part()).add(part)
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
