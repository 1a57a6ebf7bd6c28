"""Derived values and findings of the real template's formulas and rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parstat.catalog.models import MissingStrategy
from parstat.rules.evaluate import (
    CompiledRule,
    CompiledTemplate,
    compile_template,
    derive,
    findings,
    formula_order,
)
from parstat.rules.expressions import parse_expression

D = Decimal


@pytest.fixture
def compiled(template) -> CompiledTemplate:
    return compile_template(template)


def values(**given: object) -> dict[str, Decimal | None]:
    """``I_1_a=40`` stands for code I.1.a; numbers become Decimal, None stays blank."""
    return {code.replace("_", "."): None if v is None else D(str(v)) for code, v in given.items()}


def one_rule(left: str, operator: str, right: str, missing: str,
             message: str = "{left} ? {right}") -> CompiledTemplate:
    rule = CompiledRule(code="T01", left=parse_expression(left), operator=operator,
                        right=parse_expression(right), severity="error", missing=missing,
                        message=message)
    return CompiledTemplate(formulas=(), rules=(rule,), kind_checks=())


def rules_fired(compiled: CompiledTemplate, given: dict) -> list[str]:
    return [f.rule for f in findings(compiled, given)]


def test_it_derives_the_plan_completion_rate(compiled) -> None:
    assert derive(compiled, values(I_1_a=40, I_1_b=13))["I.1"] == D("32.5")


def test_it_leaves_a_reported_rate_alone(compiled) -> None:
    assert "I.1" not in derive(compiled, values(I_1=50, I_1_a=40, I_1_b=13))


def test_it_derives_no_rate_when_the_plan_has_no_task(compiled) -> None:
    assert "I.1" not in derive(compiled, values(I_1_a=0, I_1_b=0))


def test_it_derives_disciplined_public_service_staff_as_a_sum(compiled) -> None:
    assert derive(compiled, values(V_6_e_1=2, V_6_e_3=5))["V.6.e"] == 7


def test_it_derives_autonomous_public_service_units_as_a_sum(compiled) -> None:
    given = values(VI_3_a=1, VI_3_b=2, VI_3_c=0, VI_3_d=4)
    assert derive(compiled, given)["VI.3"] == 7


@pytest.mark.parametrize("code", ["V.6.e", "VI.3"])
def test_it_derives_no_sum_when_every_part_is_blank(compiled, code: str) -> None:
    assert code not in derive(compiled, {})


def test_it_skips_if_any_missing_when_one_side_is_blank() -> None:
    rule = one_rule("I.1.b", "<=", "I.1.a", MissingStrategy.SKIP_IF_ANY_MISSING)
    assert rules_fired(rule, values(I_1_b=50)) == []


def test_it_fires_skip_if_any_missing_when_every_value_is_there() -> None:
    rule = one_rule("I.1.b", "<=", "I.1.a", MissingStrategy.SKIP_IF_ANY_MISSING)
    assert rules_fired(rule, values(I_1_b=50, I_1_a=40)) == ["T01"]


def test_it_fires_skip_if_all_missing_when_one_value_is_there() -> None:
    rule = one_rule("I.1.b", "<=", "I.1.a", MissingStrategy.SKIP_IF_ALL_MISSING)
    assert rules_fired(rule, values(I_1_b=50)) == ["T01"]


def test_it_skips_skip_if_all_missing_when_every_value_is_blank() -> None:
    rule = one_rule("I.1.b + 1", "<=", "I.1.a", MissingStrategy.SKIP_IF_ALL_MISSING)
    assert rules_fired(rule, {}) == []


def test_it_never_skips_even_when_every_value_is_blank() -> None:
    rule = one_rule("I.1.b + 1", "<=", "I.1.a", MissingStrategy.NEVER_SKIP)
    assert rules_fired(rule, {}) == ["T01"]


def test_it_reads_blank_as_zero_when_never_skipping() -> None:
    rule = one_rule("I.1.b", "<=", "I.1.a", MissingStrategy.NEVER_SKIP)
    (finding,) = findings(rule, values(I_1_b=5))
    assert (finding.left, finding.right) == (5, 0)


def test_it_fills_the_message_with_vietnamese_numbers(compiled) -> None:
    fired = findings(compiled, values(III_7_a=5, III_7_b=1327))
    (finding,) = [f for f in fired if f.rule == "R10"]
    assert "(1.327)" in finding.message
    assert "(5)" in finding.message
    assert "{left}" not in finding.message


def test_it_writes_decimal_commas_in_messages() -> None:
    rule = one_rule("I.1.b", "<=", "I.1.a", MissingStrategy.SKIP_IF_ANY_MISSING)
    (finding,) = findings(rule, values(I_1_b=1327, I_1_a="32.5"))
    assert finding.message == "1.327 ? 32,5"


@pytest.mark.parametrize(("code", "value"), [("I.7.c", "150"), ("I.1.a", "2.5"), ("I.3.e", "3")])
def test_it_finds_a_stored_value_of_the_wrong_kind(compiled, code: str, value: str) -> None:
    fired = findings(compiled, {code: D(value)})
    assert f"kind:{code}" in [f.rule for f in fired]


def test_it_finds_no_kind_problem_for_good_values(compiled) -> None:
    fired = findings(compiled, values(I_7_c="99.5", I_1_a=3, I_3_e=1, I_7_b=2))
    assert [f.rule for f in fired if f.rule.startswith("kind:")] == []


def test_it_refuses_a_cycle_of_formulas() -> None:
    cycle = {"I.1": parse_expression("I.1.a + 1"), "I.1.a": parse_expression("I.1 * 2")}
    with pytest.raises(ValueError):
        formula_order(cycle)


def test_it_orders_a_formula_after_the_formula_it_reads() -> None:
    chain = {"I.1": parse_expression("I.1.a + 1"), "I.1.a": parse_expression("I.1.b * 2")}
    assert formula_order(chain) == ["I.1.a", "I.1"]


def test_it_finds_nothing_when_a_side_divides_by_zero() -> None:
    rule = one_rule("I.1.b / I.1.a * 100", "<=", "100", MissingStrategy.NEVER_SKIP)
    assert rules_fired(rule, values(I_1_a=0, I_1_b=13)) == []
