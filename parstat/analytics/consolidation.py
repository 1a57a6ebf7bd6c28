"""The consolidated table: what all units below one unit add up to for a period.

Each indicator adds up by its own ``aggregation`` (docs/template-format.md §5, docs/analytics.md):

- ``sum``: sum of the non-blank values; blank when no unit gave one.
- ``count_ones``: how many units answered 1, out of ``units`` that answered at all.
- ``choice_counts``: how many units gave each choice.
- ``formula``: the row's formula on the consolidated inputs. A formula that needs all its inputs
  (a rate such as I.1 = I.1.b / I.1.a × 100) is computed only over units that gave every input,
  so one unit's missing numerator cannot deflate the province's rate.
- ``list``: every unit's text, with the unit's code.
- ``none``: not added (a rate typed by hand is not additive); ``units`` still says how many
  units gave a value. A percentage row shows instead the mean, minimum and maximum over the
  units that answered (``spread``), labelled as such, never a sum.

Every consolidation counts only the reports in a stated scope of states
(:class:`parstat.analytics.states.StateScope`) and says which reports it left out because of
their state. Its coverage (units that sent their report out of the units expected) comes from the
one definition of expected and received, :mod:`parstat.analytics.expected`.

Every total carries ``units``: how many units' values it covers. Blank is never zero.

The adding up is kept current on write (:mod:`parstat.analytics.totals`): the actions that change
values or states recount their group of reports in the same transaction, so a value saved a moment
ago is in the next total, and a table reads a few parts per group instead of every value. The plain
scan of the values (``consolidate(..., scan=True)``) is the reference they must always equal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import NamedTuple

from django.db.models import Count, F, Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext

from parstat.catalog.editions import edition_for
from parstat.catalog.layout import template_layout
from parstat.catalog.models import Aggregation, Indicator, Kind, Template
from parstat.errors import ParstatError
from parstat.ids import ids_in
from parstat.numbers import format_vn_number
from parstat.reporting.models import Period, Report, Value
from parstat.rules.evaluate import compile_template, derive, formula_findings
from parstat.rules.findings import Finding
from parstat.units.models import OrgUnit

from .expected import owed_families, received_count
from .scope import today_unit_ids, units_in_scope
from .states import StateScope
from .totals import Part, code_key, measure, needs_every_input, scope_parts

__all__ = ["needs_every_input"]  # its home is parstat.analytics.totals; tests import it here


@dataclass(frozen=True)
class ChoiceCount:
    value: str  # the stored code, "0", "1", "2"
    label: str  # the printed label of that choice, "Trực tuyến"
    units: int


@dataclass(frozen=True)
class ListedText:
    unit_code: str
    unit_name: str
    text: str


@dataclass(frozen=True)
class Spread:
    """A rate that cannot be added up, over the units that answered: never a sum."""

    mean: Decimal  # rounded to the decimals the minimum and maximum carry, at least one
    minimum: Decimal
    maximum: Decimal


def spread_text(mean: Decimal, minimum: Decimal, maximum: Decimal) -> str:
    """How every document labels a rate's spread (in Vietnamese, as documents are), so nobody
    reads it as a total: :func:`spread_said` in Vietnamese."""
    with translation.override("vi"):
        return spread_said(mean, minimum, maximum)


def spread_said(mean: Decimal, minimum: Decimal, maximum: Decimal) -> str:
    """A rate's spread in the active language, for what is not a document (the pivot and its
    downloads, made for the reader): "Mean 32,5 (lowest 10, highest 50)" on an English page;
    the numbers stay Vietnamese, as on every page."""
    return (f"{gettext('Trung bình')} {format_vn_number(mean)} ({gettext('thấp nhất')} "
            f"{format_vn_number(minimum)}, {gettext('cao nhất')} {format_vn_number(maximum)})")


ANSWER_AGGREGATIONS = (Aggregation.CHOICE_COUNTS, Aggregation.LIST)


def nobody_answered(aggregation: str, units: int | None) -> bool:
    """A total of choices or of listed texts that no unit answered is blank: not a row of zero
    counts nor an empty list. The one rule every table, pivot and export asks."""
    return not units and aggregation in ANSWER_AGGREGATIONS


class ListedTexts:
    """The list rows' texts of one table (every unit's, by unit code), read when first asked
    for: a national list row is 4,000 texts, of which a page shows the first few and only a
    document or a download prints them all."""

    def __init__(self, values: QuerySet[Value], indicator_ids: Iterable[int]) -> None:
        self.values = values  # the scope's values
        self.indicator_ids = sorted(indicator_ids)  # the list rows
        self.every: dict[int, tuple[ListedText, ...]] | None = None

    def _read(self, indicator_ids: list[int], limit: int | None = None
              ) -> dict[int, tuple[ListedText, ...]]:
        rows = (self.values.filter(indicator_id__in=indicator_ids, text__isnull=False)
                .order_by("report__unit__code")
                .values_list("indicator_id", "report__unit__code", "report__unit__name", "text"))
        found: dict[int, list[ListedText]] = {}
        for indicator_id, code, name, text in rows if limit is None else rows[:limit]:
            found.setdefault(indicator_id, []).append(ListedText(code, name, text or ""))
        return {k: tuple(v) for k, v in found.items()}

    def all(self, indicator_id: int) -> tuple[ListedText, ...]:
        """Every unit's text of the row (one query for every list row of the table)."""
        if self.every is None:
            self.every = self._read(self.indicator_ids) if self.indicator_ids else {}
        return self.every.get(indicator_id, ())

    def first(self, indicator_id: int, n: int) -> tuple[ListedText, ...]:
        """The first ``n`` units' texts of the row, by unit code."""
        if self.every is not None:
            return self.every.get(indicator_id, ())[:n]
        return self._read([indicator_id], n).get(indicator_id, ())


@dataclass(frozen=True)
class Total:
    indicator: Indicator
    value: Decimal | None  # sum, number of ones, or recomputed formula; None = blank
    units: int  # how many units' values the total covers
    # reporting units of a kind the row does not apply to (Indicator.unit_kinds): "không áp
    # dụng", neither filled nor missing for them
    not_applicable: int = 0
    counts: tuple[ChoiceCount, ...] = ()  # choice_counts rows
    spread: Spread | None = None  # a percentage with aggregation none that some unit answered
    # list rows: where the units' texts are read from when asked (``listed``); ``units`` is
    # how many there are. Not compared: two tables' texts come from the same values.
    texts: ListedTexts | None = field(default=None, compare=False, repr=False)

    @property
    def blank(self) -> bool:
        return nobody_answered(self.indicator.aggregation, self.units)

    @property
    def listed(self) -> tuple[ListedText, ...]:
        """A list row's texts, every unit's, by unit code."""
        return self.texts.all(self.indicator.pk) if self.texts is not None else ()

    def first_listed(self, n: int) -> tuple[ListedText, ...]:
        """A list row's first ``n`` texts, by unit code (what a page shows)."""
        return self.texts.first(self.indicator.pk, n) if self.texts is not None else ()


@dataclass(frozen=True)
class LeftOut:
    """A report of the period the scope did not count, because of its state."""

    unit: OrgUnit
    state: str


@dataclass(frozen=True)
class Consolidation:
    root: OrgUnit
    period: Period
    template: Template
    today: bool  # True: merged units counted under their current successor
    totals: list[Total]
    reporting: int  # units whose report for the period is counted
    synthetic_units: bool  # some of them are demo units ("minh họa")
    scope_size: int  # units below the root (as filed or today), reporting or not
    states: StateScope  # which report states the totals count
    left_out_count: int  # reports of the template not counted because of their state
    scope: AbstractSet[int] = field(compare=False, repr=False)  # the ids of the units below the root
    expected: int  # units that owe a report (parstat.analytics.expected)
    received: int  # of those, units whose report was received (submitted or accepted)
    # unit id → indicator code → the unit's own value (stored, or derived for a blank formula row)
    by_unit: dict[int, dict[str, Decimal | str | None]] | None = None
    # with by_unit: unit id → its typed formula rows that disagree with their formula
    formula_mismatches: dict[int, list[Finding]] = field(default_factory=dict)
    successors: dict[int, OrgUnit] = field(default_factory=dict)  # unit id → today's unit

    def total(self, code: str) -> Total:
        return next(t for t in self.totals if t.indicator.code == code)

    def counted_reports(self) -> QuerySet[Report]:
        """The reports the totals count."""
        return scope_reports(self.period, self.template, self.scope, self.states)

    def _filed(self) -> QuerySet[OrgUnit]:
        # The units that filed on the template below the root (one report each: its key is
        # unit, template, period), by code, each with its report's state.
        return (OrgUnit.objects.filter(ids_in("id", self.scope), reports__period=self.period,
                                       reports__template=self.template)
                .annotate(report_state=F("reports__state")).order_by("code"))

    @cached_property
    def reporting_units(self) -> list[OrgUnit]:
        """The units whose report is counted, by code (read when listed)."""
        if not self.reporting:
            return []
        return list(self._filed().filter(Q(report_state__in=self.states.states)))

    @cached_property
    def left_out(self) -> list[LeftOut]:
        """The reports of the template not counted because of their state, by unit code."""
        return self._left_out(None)

    def first_left_out(self, n: int) -> list[LeftOut]:
        """The first ``n`` of :attr:`left_out`, read without the rest (what a page names)."""
        return self._left_out(n)

    def _left_out(self, n: int | None) -> list[LeftOut]:
        if not self.left_out_count or n == 0:
            return []
        units = self._filed().exclude(Q(report_state__in=self.states.states))
        return [LeftOut(u, u.report_state)  # type: ignore[attr-defined]
                for u in (units if n is None else units[:n])]


class Filed(NamedTuple):
    """How many reports of one kind of unit are filed on one template in one state."""

    template_id: int
    edition: int
    state: str
    kind: str
    synthetic: bool
    reports: int


def filed_below(period: Period, scope: AbstractSet[int]) -> list[Filed]:
    """The reports filed below a root for the period, counted by template, state and unit kind:
    one query, a few rows, whatever the number of units."""
    return [Filed(*row) for row in (
        Report.objects.filter(ids_in("unit_id", scope), period=period).order_by()
        .values_list("template_id", "template__edition", "state", "unit__kind", "unit__synthetic")
        .annotate(n=Count("id")))]


def pick_template(root: OrgUnit, period: Period, scope: AbstractSet[int],
                  filed: list[Filed] | None = None, owed: Counter[str] | None = None
                  ) -> Template:
    """The edition in force for the period (``edition_for``) of the family the scope's expected
    units owe (the family most of them owe; by code on a tie). ``filed`` and ``owed``: what
    :func:`filed_below` and :func:`owed_families` say of the scope, when the caller has them."""
    filed = filed_below(period, scope) if filed is None else filed
    owed = owed_families(scope, period) if owed is None else owed
    if owed:  # also before anything is filed: on deadline day, an empty table of who owes it
        family = min(owed, key=lambda f: (-owed[f], f))
        chosen = edition_for(family, period.end)
        if chosen is not None:
            return chosen
    if not filed:  # nobody below the root owes a table, nor filed one: no table to show
        raise ParstatError("report.not_found", unit=root.code, period=period.code)
    # Nobody below the root owes a table (no unit of a kind that has one, no override), yet
    # reports may have been filed, e.g. before the kinds were set: show what was filed, the
    # template most of those reports are on (newest first), rather than refuse.
    on: Counter[tuple[int, int]] = Counter()
    for row in filed:
        on[(row.template_id, row.edition)] += row.reports
    template_id, _ = min(on, key=lambda key: (-on[key], -key[1]))
    return Template.objects.get(pk=template_id)


def scope_values(period: Period, template: Template, scope: Iterable[int], states: StateScope
                 ) -> QuerySet[Value]:
    """The values of the reports the totals count: below the root, in the scope's states."""
    return Value.objects.filter(ids_in("report__unit_id", scope), report__period=period,
                                report__template=template, report__state__in=states.states)


def scope_reports(period: Period, template: Template, scope: Iterable[int], states: StateScope
                  ) -> QuerySet[Report]:
    return Report.objects.filter(ids_in("unit_id", scope), period=period, template=template,
                                 state__in=states.states)


def consolidate(root: OrgUnit, period: Period, *, states: StateScope,
                template: Template | None = None, today: bool = False, by_unit: bool = False,
                allowed: Iterable[int] | None = None, scan: bool = False) -> Consolidation:
    """The totals of the reports in ``states`` below ``root``; the scope is stated, never implied.

    The totals come from the live totals (:mod:`parstat.analytics.totals`); ``scan=True`` adds
    up the values instead (the reference the live totals are tested and measured against)."""
    scope = units_in_scope(root, today=today, allowed=allowed)
    filed_rows = filed_below(period, scope)
    owed = owed_families(scope, period)  # also how many owe the table (its coverage)
    template = template or pick_template(root, period, scope, filed_rows, owed)
    every = list(template_layout(template).indicators)  # read once per template
    values = scope_values(period, template, scope, states)
    if scan:
        parts = measure(every, every, scope_reports(period, template, scope, states))
    else:
        parts = scope_parts(period, template, scope, states.states, every, every)
    totals = _totals(every, parts, values, template)
    # Who filed on the template, counted by state and kind (``filed_rows``); the units themselves
    # are read only when listed (Consolidation.reporting_units, left_out).
    kinds: Counter[str] = Counter()
    left_out = 0
    synthetic = False
    for row in filed_rows:
        if row.template_id != template.pk:
            continue
        if row.state in states.states:
            kinds[row.kind] += row.reports
            synthetic = synthetic or row.synthetic
        else:
            left_out += row.reports
    totals = not_applicable_counts(totals, kinds)
    successors: dict[int, OrgUnit] = {}
    if today:
        counted = scope_reports(period, template, scope, states).values_list("unit_id", flat=True)
        mapped = {k: v for k, v in today_unit_ids(counted).items() if k != v}
        current = OrgUnit.objects.in_bulk(set(mapped.values()))
        successors = {k: current[v] for k, v in mapped.items()}
    own, mismatches = units_own_values(values, template) if by_unit else (None, {})
    expected, received = owed[template.family], received_count(scope, period, template)
    return Consolidation(
        root=root, period=period, template=template, today=today, totals=totals,
        reporting=sum(kinds.values()), synthetic_units=synthetic, scope_size=len(scope),
        states=states, left_out_count=left_out, scope=scope, expected=expected,
        received=received, by_unit=own, formula_mismatches=mismatches, successors=successors)


def not_applicable_counts(totals: list[Total], kinds: Counter[str]) -> list[Total]:
    """Each total with how many of the reporting units (``kinds``: how many of each kind) its
    row does not apply to."""
    return [replace(t, not_applicable=sum(n for kind, n in kinds.items()
                                          if not t.indicator.applies_to(kind)))
            for t in totals]


def indicator_total(root: OrgUnit, period: Period, indicator: Indicator, scope: AbstractSet[int],
                    states: StateScope) -> Total:
    """One indicator's total: what a time series needs, without the rest of the table."""
    every = list(template_layout(indicator.template).indicators)
    parts = scope_parts(period, indicator.template, scope, states.states, [indicator], every)
    values = scope_values(period, indicator.template, scope, states)
    return _totals([indicator], parts, values, indicator.template)[0]


def _totals(indicators: list[Indicator], parts: dict[int, Part], values: QuerySet[Value],
            template: Template) -> list[Total]:
    """The table's totals from what the reports add up to (``parts``, one per indicator);
    ``values`` (the scope's) only for the list rows, which keep every unit's text."""
    texts = ListedTexts(values, [i.pk for i in indicators if i.aggregation == Aggregation.LIST])
    compiled = compile_template(template) if any(
        i.aggregation == Aggregation.FORMULA for i in indicators) else None
    code_of = {pk: i.code for pk, i in template_layout(template).by_id.items()} if compiled \
        else {}
    out = []
    for indicator in indicators:
        part = parts.get(indicator.pk, Part())
        answered, agg = part.answered, indicator.aggregation
        if agg == Aggregation.SUM:
            out.append(Total(indicator, part.total if answered else None, answered))
        elif agg == Aggregation.COUNT_ONES:
            ones = Decimal(part.counts.get(code_key(Decimal(1)), 0))
            out.append(Total(indicator, ones if answered else None, answered))
        elif agg == Aggregation.CHOICE_COUNTS:
            # Every printed choice is listed, a choice nobody picked as 0: here 0 is a real count.
            counts = tuple(
                ChoiceCount(str(c["value"]), str(c["label"]),
                            part.counts.get(code_key(Decimal(str(c["value"]))), 0))
                for c in indicator.choices)
            out.append(Total(indicator, None, answered, counts=counts))
        elif agg == Aggregation.FORMULA:
            assert compiled is not None
            sums = {code_of[pk]: amount for pk, amount in part.sums.items()}
            # derive() applies the row's rounding (one decimal for a percentage) and blank rules.
            value = derive(compiled, sums).get(indicator.code) if part.covered else None
            out.append(Total(indicator, value, part.covered))
        elif agg == Aggregation.LIST:
            # Every non-blank text is one unit's (a report has one value per row).
            out.append(Total(indicator, None, part.texts, texts=texts))
        else:  # none: not additive, but say how many units gave a value
            out.append(Total(indicator, None, answered + part.texts,
                             spread=_spread(indicator, part)))
    return out


def _spread(indicator: Indicator, part: Part) -> Spread | None:
    """Mean, minimum and maximum of a rate typed by hand, over the units that answered it."""
    if indicator.kind != Kind.PERCENT or not part.answered:
        return None
    assert part.total is not None and part.low is not None and part.high is not None
    return Spread(mean=spread_mean(part.total, part.answered, part.low, part.high),
                  minimum=part.low, maximum=part.high)


def spread_mean(total: Decimal, count: int, minimum: Decimal, maximum: Decimal) -> Decimal:
    """The mean of ``count`` values adding up to ``total`` (exact: the database's AVG is a float
    on SQLite), rounded half up to as many decimals as the minimum and the maximum carry, at
    least one. Never fewer than they carry: a single 99,99 % must not read as a mean of 100
    between a minimum and a maximum of 99,99, and rounding to a precision at which both ends
    are exact keeps the mean between them."""
    places = max(1, _decimals(minimum), _decimals(maximum))
    return (total / count).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def units_own_values(values: QuerySet[Value], template: Template
             ) -> tuple[dict[int, dict[str, Decimal | str | None]], dict[int, list[Finding]]]:
    """Each unit's own values (derived rows filled in, as its table shows), and the typed
    formula rows that disagree with their formula (the same check as the unit's own report:
    a typed 99 where 13/40 gives 32,5 is shown as such, never passed on as true)."""
    compiled = compile_template(template)
    out: dict[int, dict[str, Decimal | str | None]] = {}
    mismatches: dict[int, list[Finding]] = {}
    rows = values.filter(Q(number__isnull=False) | Q(text__isnull=False)).values_list(
        "report__unit_id", "indicator__code", "number", "text")
    for unit_id, code, number, text in rows:
        out.setdefault(unit_id, {})[code] = number if number is not None else text
    for unit_id, own in out.items():
        numbers = {c: v for c, v in own.items() if isinstance(v, Decimal)}
        found = formula_findings(compiled, numbers)
        if found:
            mismatches[unit_id] = found
        own.update(derive(compiled, numbers))
    return out, mismatches
