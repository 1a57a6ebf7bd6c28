"""Derived values and findings of one report, from its template's formulas and rules.

A template is compiled once (expressions parsed, formulas ordered so that a formula reading
another derived row comes after it) and then evaluated for any number of reports.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property, lru_cache

from parstat.catalog.models import Indicator, Kind, MissingStrategy, Rule, Severity, Template
from parstat.numbers import format_vn_number
from parstat.reporting.values import BLANK_WORD, MAX_DECIMALS, MAX_DIGITS, storable
from parstat.rules.expressions import Expression, parse_expression
from parstat.rules.findings import Finding

Values = Mapping[str, Decimal | None]
OPERATORS = ("==", "!=", "<=", ">=", "<", ">")


@dataclass(frozen=True)
class CompiledRule:
    code: str
    left: Expression
    operator: str
    right: Expression
    severity: str
    missing: str
    message: str

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(sorted(self.left.codes | self.right.codes, key=_code_order))


@dataclass(frozen=True)
class CompiledTemplate:
    formulas: tuple[tuple[Indicator, Expression], ...]  # in evaluation order
    rules: tuple[CompiledRule, ...]
    kind_checks: tuple[Indicator, ...]

    @cached_property
    def formula_rows(self) -> dict[str, Indicator]:
        return {indicator.code: indicator for indicator, _ in self.formulas}

    @cached_property
    def dependencies(self) -> Dependencies:
        """Which formula rows, rules and kind checks read each code (computed once)."""
        return Dependencies.of(self)


@dataclass(frozen=True)
class Affected:
    """What a change of some codes' values can change: the formula rows whose derived or
    computed value, or finding (its message prints its inputs), may differ; the rules (by
    position) and the kind-checked codes that read a changed or a re-derived value."""

    formulas: frozenset[str]
    rules: frozenset[int]
    kinds: frozenset[str]
    sources: frozenset[str]  # the findings' ``rule`` of all of these, checked again


@dataclass(frozen=True)
class Dependencies:
    readers: Mapping[str, tuple[str, ...]]  # code → the formula rows reading it directly
    rules_reading: Mapping[str, tuple[int, ...]]  # code → positions of the rules reading it
    kind_checked: Mapping[str, Indicator]  # code → the row, for the rows with a kind check
    # Every finding's ``rule`` the template can give → its place in a full evaluation's list.
    order: Mapping[str, int]
    _single: dict[str, Affected] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, compiled: CompiledTemplate) -> Dependencies:
        readers: dict[str, list[str]] = {}
        for indicator, expression in compiled.formulas:
            # What it reads, and what its finding's message prints (formula_with_values).
            shown = set(_CODE_IN_FORMULA.findall(expression.text))
            for code in expression.codes | shown:
                readers.setdefault(code, []).append(indicator.code)
        rules_reading: dict[str, list[int]] = {}
        for position, rule in enumerate(compiled.rules):
            for code in rule.codes:
                rules_reading.setdefault(code, []).append(position)
        sources = [*(r.code for r in compiled.rules),
                   *(f"kind:{i.code}" for i in compiled.kind_checks),
                   *(f"formula:{i.code}" for i, _ in compiled.formulas)]
        return cls(readers={c: tuple(r) for c, r in readers.items()},
                   rules_reading={c: tuple(r) for c, r in rules_reading.items()},
                   kind_checked={i.code: i for i in compiled.kind_checks}, order={s: at for at, s in enumerate(sources)})

    def affected(self, changed: Collection[str]) -> Affected:
        """What changing the values of ``changed`` can affect (formula rows re-derived from
        re-derived rows included). A single code's answer is kept."""
        if len(changed) == 1:
            [code] = changed
            if code not in self._single:
                self._single[code] = self._affected(frozenset(changed))
            return self._single[code]
        return self._affected(frozenset(changed))

    def _affected(self, changed: frozenset[str]) -> Affected:
        # A typed formula row changes its own finding and, blank or typed, what later rows read.
        formulas: set[str] = {code for code in changed if f"formula:{code}" in self.order}
        frontier = list(changed | formulas)
        while frontier:
            for reader in self.readers.get(frontier.pop(), ()):
                if reader not in formulas:
                    formulas.add(reader)
                    frontier.append(reader)
        moved = changed | formulas
        rules = {position for code in moved for position in self.rules_reading.get(code, ())}
        kinds = moved & self.kind_checked.keys()
        sources = {s for s, at in self.order.items() if at in rules}  # a rule's code at its place
        sources |= {f"kind:{code}" for code in kinds} | {f"formula:{code}" for code in formulas}
        return Affected(formulas=frozenset(formulas), rules=frozenset(rules),
                        kinds=frozenset(kinds), sources=frozenset(sources))


def _code_order(code: str) -> tuple:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in code.split("."))


def formula_order(formulas: Mapping[str, Expression]) -> list[str]:
    """Codes ordered so each formula comes after the formulas it reads; a cycle raises ValueError."""
    ordered: list[str] = []
    state: dict[str, int] = {}

    def visit(code: str, path: tuple[str, ...]) -> None:
        if state.get(code) == 2:
            return
        if state.get(code) == 1:
            raise ValueError(" → ".join((*path, code)))
        state[code] = 1
        for dependency in sorted(formulas[code].codes):
            if dependency in formulas:
                visit(dependency, (*path, code))
        state[code] = 2
        ordered.append(code)

    for code in sorted(formulas, key=_code_order):
        visit(code, ())
    return ordered


def compile_template(template: Template) -> CompiledTemplate:
    return _compile(template.pk, template.source_sha256)


@lru_cache(maxsize=32)
def _compile(template_pk: int, source_sha256: str) -> CompiledTemplate:
    # Keyed on the source hash: reloading a changed template file compiles it afresh.
    indicators = {i.code: i for i in Indicator.objects.filter(template_id=template_pk)}
    expressions = {code: parse_expression(i.formula) for code, i in indicators.items() if i.formula}
    formulas = tuple((indicators[c], expressions[c]) for c in formula_order(expressions))
    rules = tuple(
        CompiledRule(code=r.code, left=parse_expression(r.left), operator=r.operator,
                     right=parse_expression(r.right), severity=r.severity, missing=r.missing,
                     message=r.message)
        for r in Rule.objects.filter(template_id=template_pk).order_by("position"))
    checked = (Kind.COUNT, Kind.DECIMAL, Kind.PERCENT, Kind.FLAG, Kind.CHOICE, Kind.GROUP)
    kind_checks = tuple(i for i in indicators.values() if i.kind in checked)
    return CompiledTemplate(formulas=formulas, rules=rules, kind_checks=kind_checks)


def derive(compiled: CompiledTemplate, values: Values) -> dict[str, Decimal]:
    """Values computed for formula rows whose own cell is blank (a reported value wins)."""
    return derive_and_compute(compiled, values)[0]


def derive_and_compute(compiled: CompiledTemplate,
                       values: Values) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """(derived, computed) in one pass over the formulas.

    ``derived``: formula rows whose own cell is blank, filled with what the formula gives.
    ``computed``: formula rows whose own cell holds a typed value, with what the formula gives
    from its inputs (absent when it gives no value). Both are rounded as the row's kind is
    shown (one decimal for a percent, whole for a count). A typed value still wins as the input
    of later formulas: the check reports a disagreement, it never replaces what was typed.
    """
    known = dict(values)
    derived: dict[str, Decimal] = {}
    computed: dict[str, Decimal] = {}
    for indicator, expression in compiled.formulas:
        result = expression.evaluate(known)
        if not isinstance(result, Decimal):
            continue
        result = _round_for_kind(indicator, result)
        if known.get(indicator.code) is not None:
            computed[indicator.code] = result
        else:
            derived[indicator.code] = result
            known[indicator.code] = result
    return derived, computed


def formula_mismatches(compiled: CompiledTemplate, values: Values) -> dict[str, Decimal]:
    """code → what the formula gives, for each formula row whose typed value differs from it.

    ``values`` are the typed values (no derived ones). Typed and computed are compared in the
    row's own precision: a percent to one decimal (32,5 typed for 32,46… agrees; 33 for 32,5
    does not), a count as a whole number.
    """
    computed = derive_and_compute(compiled, values)[1]
    return {code: result for code, result in computed.items()
            if _formula_differs(compiled, code, values, result)}


def _formula_differs(compiled: CompiledTemplate, code: str, values: Values,
                     result: Decimal) -> bool:
    typed = values.get(code)
    indicator = compiled.formula_rows[code]
    return typed is not None and _round_for_kind(indicator, typed) != result


def formula_findings(compiled: CompiledTemplate, values: Values,
                     computed: Mapping[str, Decimal] | None = None,
                     derived: Mapping[str, Decimal] | None = None) -> list[Finding]:
    """One finding ``formula:<code>`` per typed formula row that disagrees with its formula,
    with the severity the template gives the row (``formula_check``, error by default).
    ``computed`` and ``derived``: :func:`derive_and_compute`'s, when the caller has them."""
    if computed is None or derived is None:
        derived, computed = derive_and_compute(compiled, values)
    known = {**values, **derived}
    return [f for indicator, expression in compiled.formulas
            if (f := _formula_finding(compiled, indicator, expression, values, known,
                                      computed)) is not None]


def _formula_finding(compiled: CompiledTemplate, indicator: Indicator, expression: Expression,
                     values: Values, known: Values,
                     computed: Mapping[str, Decimal]) -> Finding | None:
    code = indicator.code
    result, typed = computed.get(code), values.get(code)
    if result is None or typed is None or not _formula_differs(compiled, code, values, result):
        return None
    return Finding.worded(
        "formula", {"code": code, "typed": format_vn_number(typed),
                    "formula": formula_with_values(expression, known, blank="{blank}"),
                    "result": format_vn_number(result)},
        rule=f"formula:{code}", severity=indicator.formula_check or Severity.ERROR,
        codes=(code,), left=typed, right=result)


_CODE_IN_FORMULA = re.compile(r"\b[IVXLCDM]+(?:\.[a-z0-9]+)+")


def formula_with_values(expression: Expression, values: Values, *, blank: str = "") -> str:
    """The formula as people read it, its codes replaced by their values: "13 / 40 × 100";
    a blank code as ``blank`` (default: "trống", in the active language)."""
    said_blank = blank or str(BLANK_WORD)

    def value_of(match: re.Match[str]) -> str:
        value = values.get(match.group(0))
        return said_blank if value is None else format_vn_number(value)

    # Argument commas become "; " so they cannot be read as Vietnamese decimal commas.
    text = expression.text.replace(",", ";").replace("*", "×")
    return _CODE_IN_FORMULA.sub(value_of, text)


def _round_for_kind(indicator: Indicator, value: Decimal) -> Decimal:
    places = Decimal("0.1") if indicator.kind == Kind.PERCENT else Decimal("0.0001")
    if indicator.kind == Kind.COUNT:
        places = Decimal(1)
    return value.quantize(places, rounding=ROUND_HALF_UP)


def findings(compiled: CompiledTemplate, values: Values) -> list[Finding]:
    """Every rule that fails on ``values`` (which should already include derived values)."""
    found = [f for rule in compiled.rules if (f := _check_rule(rule, values)) is not None]
    found.extend(_kind_findings(compiled.kind_checks, values))
    return found


def all_findings(compiled: CompiledTemplate, values: Values, derived: Mapping[str, Decimal],
                 computed: Mapping[str, Decimal]) -> list[Finding]:
    """Every finding of a report: the rules' (in the template's order), then the kind checks',
    then the formula rows'. ``values``: the typed values; ``derived``, ``computed``:
    :func:`derive_and_compute`'s."""
    found = findings(compiled, {**values, **derived})
    found.extend(formula_findings(compiled, values, computed, derived))
    return found


def findings_after_change(compiled: CompiledTemplate, values: Values,
                          derived: Mapping[str, Decimal], computed: Mapping[str, Decimal],
                          previous: Sequence[Finding],
                          changed: Collection[str]) -> list[Finding] | None:
    """:func:`all_findings`, checking again only what changing ``changed`` (codes whose typed
    value is not what it was) can affect; every other finding is taken from ``previous``, the
    findings of the values before the change (all of them, as :func:`all_findings` gave them).
    None when ``previous`` cannot be such a list for this template (a source it does not have,
    or one twice): the caller then evaluates everything."""
    dependencies = compiled.dependencies
    order = dependencies.order
    if len({f.rule for f in previous}) != len(previous) or \
            not all(f.rule in order for f in previous):
        return None
    affected = dependencies.affected(changed)
    known = {**values, **derived}
    out = [f for f in previous if f.rule not in affected.sources]
    out.extend(f for position in affected.rules
               if (f := _check_rule(compiled.rules[position], known)) is not None)
    out.extend(f for code in affected.kinds
               if (f := _kind_finding(dependencies.kind_checked[code], known)) is not None)
    out.extend(f for indicator, expression in compiled.formulas
               if indicator.code in affected.formulas
               and (f := _formula_finding(compiled, indicator, expression, values, known,
                                          computed)) is not None)
    out.sort(key=lambda f: order[f.rule])  # the full evaluation's order
    return out


def rule_sides(rule: CompiledRule, values: Values) -> tuple[Decimal, Decimal] | None:
    """Both sides' values under the rule's missing-value strategy, or None when it is skipped."""
    present = [values.get(code) is not None for code in rule.codes]
    if rule.missing == MissingStrategy.SKIP_IF_ANY_MISSING and not all(present):
        return None
    if rule.missing == MissingStrategy.SKIP_IF_ALL_MISSING and not any(present):
        return None
    blank_as_zero = rule.missing != MissingStrategy.SKIP_IF_ANY_MISSING
    left = rule.left.evaluate(values, blank_as_zero=blank_as_zero)
    right = rule.right.evaluate(values, blank_as_zero=blank_as_zero)
    if not isinstance(left, Decimal) or not isinstance(right, Decimal):
        return None  # a side without a value (e.g. division by zero) cannot fail a rule
    return left, right


def _check_rule(rule: CompiledRule, values: Values) -> Finding | None:
    sides = rule_sides(rule, values)
    if sides is None or compare(sides[0], rule.operator, sides[1]):
        return None
    left, right = sides
    message = (rule.message.replace("{left}", format_vn_number(left))
               .replace("{right}", format_vn_number(right)))
    return Finding(rule=rule.code, severity=rule.severity, message=message, codes=rule.codes,
                   left=left, right=right)


def compare(left: Decimal, operator: str, right: Decimal) -> bool:
    return {
        "==": left == right, "!=": left != right, "<=": left <= right,
        ">=": left >= right, "<": left < right, ">": left > right,
    }[operator]


def _kind_findings(indicators: Iterable[Indicator], values: Values) -> list[Finding]:
    # Input is checked when typed; these catch values stored before a template changed a kind.
    return [f for indicator in indicators if (f := _kind_finding(indicator, values)) is not None]


def _kind_finding(indicator: Indicator, values: Values) -> Finding | None:
    value = values.get(indicator.code)
    if value is None:
        return None
    problem = _kind_problem(indicator, value)
    if problem is None:
        return None
    text, extra = problem
    return Finding.worded(
        text, {"code": indicator.code, "label": indicator.label,
               "value": format_vn_number(value), **extra},
        rule=f"kind:{indicator.code}", severity=Severity.ERROR, codes=(indicator.code,),
        left=value)


def _kind_problem(indicator: Indicator, value: Decimal) -> tuple[str, dict[str, str]] | None:
    """What is wrong with a stored value for its row's kind: the message's code in
    ``findings.TEXTS`` and its own parameters; None when nothing is."""
    # Every stored value is checked on every save: spelled out only for a problem.
    if not storable(value):
        return "kind.unstorable", {"digits": str(MAX_DIGITS), "decimals": str(MAX_DECIMALS)}
    if indicator.kind == Kind.PERCENT and not 0 <= value <= 100:
        return "kind.percent_range", {}
    if indicator.kind == Kind.COUNT and (value < 0 or value != value.to_integral_value()):
        return "kind.count", {}
    if indicator.kind in (Kind.FLAG, Kind.CHOICE):
        allowed = {Decimal(str(c["value"])) for c in indicator.choices}
        if value not in allowed:
            listed = "; ".join(f"{c['label']} = {c['value']}" for c in indicator.choices)
            return "kind.not_in_choices", {"choices": listed}
    return None
