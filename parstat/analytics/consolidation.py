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

The adding up is done by the database (GROUP BY indicator, conditional counts, COUNT of non-null),
straight from the stored values, so a value saved a moment ago is in the next total: there are no
pre-computed tables to rebuild.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import and_, or_
from typing import Any

from django.db.models import Count, Max, Min, OuterRef, Q, QuerySet, Subquery, Sum

from parstat.catalog.models import Aggregation, Indicator, Kind, Template
from parstat.errors import ParstatError
from parstat.numbers import format_vn_number
from parstat.reporting.models import Period, Report, Value
from parstat.rules.evaluate import compile_template, derive
from parstat.rules.expressions import parse_expression
from parstat.units.models import OrgUnit

from .expected import expected_unit_ids, received_unit_ids
from .scope import id_list, today_unit_ids, units_in_scope
from .states import StateScope


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

    mean: Decimal  # rounded as the row's kind (one decimal for a percentage)
    minimum: Decimal
    maximum: Decimal


def spread_text(mean: Decimal, minimum: Decimal, maximum: Decimal) -> str:
    """How every page and document labels a rate's spread (in Vietnamese, as documents are),
    so nobody reads it as a total."""
    return (f"Trung bình {format_vn_number(mean)} (thấp nhất {format_vn_number(minimum)}, "
            f"cao nhất {format_vn_number(maximum)})")


@dataclass(frozen=True)
class Total:
    indicator: Indicator
    value: Decimal | None  # sum, number of ones, or recomputed formula; None = blank
    units: int  # how many units' values the total covers
    counts: tuple[ChoiceCount, ...] = ()  # choice_counts rows
    listed: tuple[ListedText, ...] = ()  # list rows
    spread: Spread | None = None  # a percentage with aggregation none that some unit answered


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
    reporting_units: list[OrgUnit]  # units whose report for the period is counted, by code
    scope_size: int  # units below the root (as filed or today), reporting or not
    states: StateScope  # which report states the totals count
    left_out: list[LeftOut]  # reports of the template not counted because of their state
    expected: int  # units that owe a report (parstat.analytics.expected)
    received: int  # of those, units whose report was received (submitted or accepted)
    # unit id → indicator code → the unit's own value (stored, or derived for a blank formula row)
    by_unit: dict[int, dict[str, Decimal | str | None]] | None = None
    successors: dict[int, OrgUnit] = field(default_factory=dict)  # unit id → today's unit

    def total(self, code: str) -> Total:
        return next(t for t in self.totals if t.indicator.code == code)


NO_LIMIT = 2**62  # a LIMIT no scope reaches (see _formula_totals)


def pick_template(root: OrgUnit, period: Period, scope: set[int]) -> Template:
    """The template most of the scope's reports for the period were filed on (newest first)."""
    found = (Report.objects.filter(period=period, unit_id__in=id_list(scope)).values("template_id")
             .annotate(n=Count("id")).order_by("-n", "-template__edition").first())
    if found is None:
        raise ParstatError("report.not_found", unit=root.code, period=period.code)
    return Template.objects.get(pk=found["template_id"])


def scope_values(period: Period, template: Template, scope: Iterable[int], states: StateScope
                 ) -> QuerySet[Value]:
    """The values of the reports the totals count: below the root, in the scope's states."""
    return Value.objects.filter(report__period=period, report__template=template,
                                report__unit_id__in=id_list(scope),
                                report__state__in=states.states)


def scope_reports(period: Period, template: Template, scope: Iterable[int], states: StateScope
                  ) -> QuerySet[Report]:
    return Report.objects.filter(period=period, template=template, unit_id__in=id_list(scope),
                                 state__in=states.states)


def consolidate(root: OrgUnit, period: Period, *, states: StateScope,
                template: Template | None = None, today: bool = False, by_unit: bool = False,
                allowed: Iterable[int] | None = None) -> Consolidation:
    """The totals of the reports in ``states`` below ``root``; the scope is stated, never implied."""
    scope = units_in_scope(root, today=today, allowed=allowed)
    template = template or pick_template(root, period, scope)
    indicators = list(Indicator.objects.filter(template=template).order_by("position"))
    values = scope_values(period, template, scope, states)
    totals = _totals(indicators, values, scope_reports(period, template, scope, states), template)
    filed = list(Report.objects.filter(period=period, template=template, unit_id__in=id_list(scope))
                 .select_related("unit").order_by("unit__code"))
    reporting = [r.unit for r in filed if r.state in states.states]
    left_out = [LeftOut(r.unit, r.state) for r in filed if r.state not in states.states]
    owing = expected_unit_ids(scope, period, template)
    successors: dict[int, OrgUnit] = {}
    if today:
        mapped = {k: v for k, v in today_unit_ids(u.pk for u in reporting).items() if k != v}
        current = OrgUnit.objects.in_bulk(set(mapped.values()))
        successors = {k: current[v] for k, v in mapped.items()}
    return Consolidation(
        root=root, period=period, template=template, today=today, totals=totals,
        reporting_units=reporting, scope_size=len(scope), states=states, left_out=left_out,
        expected=len(owing), received=len(received_unit_ids(owing, period)),
        by_unit=values_by_unit(values, template) if by_unit else None, successors=successors)


def indicator_total(root: OrgUnit, period: Period, indicator: Indicator, scope: set[int],
                    states: StateScope) -> Total:
    """One indicator's total: what a time series needs, without the rest of the table."""
    values = scope_values(period, indicator.template, scope, states)
    if indicator.aggregation == Aggregation.FORMULA:
        values_of_inputs = values  # the formula reads other rows: keep them all
    else:
        values_of_inputs = values.filter(indicator=indicator)
    every = list(Indicator.objects.filter(template_id=indicator.template_id))
    return _totals([indicator], values_of_inputs,
                   scope_reports(period, indicator.template, scope, states), indicator.template,
                   every)[0]


def _totals(indicators: list[Indicator], values: QuerySet[Value], reports: QuerySet[Report],
            template: Template, every: list[Indicator] | None = None) -> list[Total]:
    # One pass over the period's values, grouped by indicator, does every kind at once.
    by_kind: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_kind.setdefault(indicator.aggregation, []).append(indicator)
    # Every choice code in use gets a conditional count in the same pass (flags' 1 among them),
    # so choices cost no second scan of the values.
    codes = {Decimal(1)} | {Decimal(str(c["value"])) for i in by_kind.get(
        Aggregation.CHOICE_COUNTS, []) for c in i.choices}
    per_code = {_code_alias(code): Count("id", filter=Q(number=code)) for code in codes}
    grouped = {row["indicator_id"]: row for row in values.values("indicator_id").annotate(
        total=Sum("number"), answered=Count("number"), texts=Count("text"), low=Min("number"),
        high=Max("number"), **per_code)}
    ones_alias = _code_alias(Decimal(1))
    counts = _choice_counts(by_kind.get(Aggregation.CHOICE_COUNTS, []), grouped)
    listed = _listed(by_kind.get(Aggregation.LIST, []), values)
    formulas = _formula_totals(by_kind.get(Aggregation.FORMULA, []), every or indicators, reports,
                               template)
    out = []
    for indicator in indicators:
        row = grouped.get(indicator.pk, {})
        answered, agg = row.get("answered", 0), indicator.aggregation
        if agg == Aggregation.SUM:
            out.append(Total(indicator, row.get("total") if answered else None, answered))
        elif agg == Aggregation.COUNT_ONES:
            out.append(Total(indicator, Decimal(row[ones_alias]) if answered else None, answered))
        elif agg == Aggregation.CHOICE_COUNTS:
            out.append(Total(indicator, None, answered, counts=counts.get(indicator.pk, ())))
        elif agg == Aggregation.FORMULA:
            value, covered = formulas[indicator.pk]
            out.append(Total(indicator, value, covered))
        elif agg == Aggregation.LIST:
            texts = listed.get(indicator.pk, ())
            out.append(Total(indicator, None, len(texts), listed=texts))
        else:  # none: not additive, but say how many units gave a value
            out.append(Total(indicator, None, answered + row.get("texts", 0),
                             spread=_spread(indicator, row)))
    return out


def _spread(indicator: Indicator, row: dict[str, Any]) -> Spread | None:
    """Mean, minimum and maximum of a rate typed by hand, over the units that answered it."""
    answered = row.get("answered", 0)
    if indicator.kind != Kind.PERCENT or not answered:
        return None
    # The mean from the exact sum and count (the database's AVG is a float on SQLite).
    mean = (Decimal(row["total"]) / answered).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Spread(mean=mean, minimum=Decimal(row["low"]), maximum=Decimal(row["high"]))


def _code_alias(code: Decimal) -> str:
    return "n_" + str(code).replace("-", "m").replace(".", "_")


def _choice_counts(indicators: list[Indicator], grouped: dict[int, dict]
                   ) -> dict[int, tuple[ChoiceCount, ...]]:
    out = {}
    for indicator in indicators:
        row = grouped.get(indicator.pk, {})
        # Every printed choice is listed, a choice nobody picked as 0: here 0 is a real count.
        out[indicator.pk] = tuple(
            ChoiceCount(str(c["value"]), str(c["label"]),
                        row.get(_code_alias(Decimal(str(c["value"]))), 0))
            for c in indicator.choices)
    return out


def _listed(indicators: list[Indicator], values: QuerySet[Value]) -> dict[int, tuple[ListedText, ...]]:
    if not indicators:
        return {}
    out: dict[int, list[ListedText]] = {}
    rows = (values.filter(indicator__in=indicators, text__isnull=False)
            .order_by("report__unit__code")
            .values_list("indicator_id", "report__unit__code", "report__unit__name", "text"))
    for indicator_id, code, name, text in rows:
        out.setdefault(indicator_id, []).append(ListedText(code, name, text or ""))
    return {k: tuple(v) for k, v in out.items()}


def needs_every_input(formula: str) -> bool:
    """Does the formula go blank when any one input is blank (a rate), or tolerate it (a sum)?"""
    expression = parse_expression(formula)
    for code in expression.codes:
        probe = {c: Decimal(1) for c in expression.codes if c != code}
        if expression.evaluate(probe) is not None:
            return False
    return bool(expression.codes)


def _formula_totals(formula_rows: list[Indicator], indicators: list[Indicator],
                    reports: QuerySet[Report], template: Template
                    ) -> dict[int, tuple[Decimal | None, int]]:
    """All formula rows in one query: the inputs pivoted per report, then added up per row over
    the reports that qualify (every input for a rate, any input for a sum).

    The pivot looks each input up by (report, indicator), the unique key, once per report: a
    handful of index lookups per report instead of reading every value of the report again
    (the planner, given ``indicator IN (…)``, scanned all of each report's values and filtered)."""
    if not formula_rows:
        return {}
    ids = {i.code: i.pk for i in indicators}
    inputs = {f.pk: [ids[c] for c in sorted(parse_expression(f.formula).codes) if c in ids]
              for f in formula_rows}
    every_input = sorted({pk for pks in inputs.values() for pk in pks})
    # The LIMIT (never reached) fences the per-report row off: without it the database folds the
    # inner query into the outer one and repeats each lookup in every filter that reads it.
    per_report = reports.annotate(**{
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
    compiled = compile_template(template)
    code_of = {pk: code for code, pk in ids.items()}
    out: dict[int, tuple[Decimal | None, int]] = {}
    for row in formula_rows:
        covered = found.get(f"n{row.pk}") or 0
        sums = {code_of[pk]: found[f"s{row.pk}_{pk}"] for pk in inputs[row.pk]
                if found.get(f"s{row.pk}_{pk}") is not None}
        # derive() applies the row's rounding (one decimal for a percentage) and the blank rules.
        out[row.pk] = (derive(compiled, sums).get(row.code) if covered else None, covered)
    return out


def values_by_unit(values: QuerySet[Value], template: Template
             ) -> dict[int, dict[str, Decimal | str | None]]:
    compiled = compile_template(template)
    out: dict[int, dict[str, Decimal | str | None]] = {}
    rows = values.filter(Q(number__isnull=False) | Q(text__isnull=False)).values_list(
        "report__unit_id", "indicator__code", "number", "text")
    for unit_id, code, number, text in rows:
        out.setdefault(unit_id, {})[code] = number if number is not None else text
    for own in out.values():
        numbers = {c: v for c, v in own.items() if isinstance(v, Decimal)}
        own.update(derive(compiled, numbers))  # each unit's own derived rows, as its table shows
    return out
