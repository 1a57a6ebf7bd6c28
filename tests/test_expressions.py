"""The formula and rule grammar: parsing, checks, Decimal arithmetic, blanks, three-valued logic."""

from __future__ import annotations

import dataclasses
import pickle
from collections.abc import Mapping
from decimal import Context, Decimal, localcontext
from itertools import product
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parstat.errors import ParstatError
from parstat.rules.expressions import Expression, parse_expression

D = Decimal


def evaluate(text: str, blank_as_zero: bool = False, **values: Any) -> Any:
    """Evaluate with keyword values; ``I_1_b=13`` stands for code I.1.b."""
    mapping = {code.replace("_", "."): value for code, value in values.items()}
    return parse_expression(text).evaluate(mapping, blank_as_zero=blank_as_zero)


def refused(text: str) -> ParstatError:
    with pytest.raises(ParstatError) as caught:
        parse_expression(text)
    return caught.value


# --- the examples from the seed -----------------------------------------------------------------

def test_completion_rate_of_the_plan() -> None:
    result = evaluate("I.1.b / I.1.a * 100", I_1_b=D(13), I_1_a=D(40))
    assert isinstance(result, Decimal)
    assert result == D("32.5")


def test_parts_exceeding_the_whole_fail_the_rule() -> None:
    rule = "III.4.c.1 + III.4.c.2 <= III.4.c"
    assert evaluate(rule, III_4_c_1=D(111), III_4_c_2=D(2), III_4_c=D(111)) is False
    assert evaluate(rule, III_4_c_1=D(37), III_4_c_2=D(60), III_4_c=D(97)) is True


# --- arithmetic ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 + 2 * 3", "7"),
        ("(1 + 2) * 3", "9"),
        ("10 - 4 - 3", "3"),  # left-associative
        ("100 / 10 / 5", "2"),
        ("-2 * 3", "-6"),
        ("- -2", "2"),
        ("2 - -3", "5"),
        ("0.5 + 0.25", "0.75"),
        ("7 × 3 ÷ 2 − 1", "9.5"),  # typographic aliases
        ("1 / 3", "0.3333333333333333333333333333"),  # 28 significant digits
        ("0.1 + 0.2", "0.3"),  # Decimal, not float
    ],
)
def test_arithmetic(text: str, expected: str) -> None:
    result = evaluate(text)
    assert result == D(expected)
    assert isinstance(result, Decimal)


def test_precision_ignores_the_callers_decimal_context() -> None:
    expression = parse_expression("1 / 3")
    with localcontext() as context:
        context.prec = 3
        assert expression.evaluate({}) == D("0.3333333333333333333333333333")


@pytest.mark.parametrize("text", ["I.1 / 0", "I.1 / I.2", "0 / 0", "I.1 / (I.2 - I.2)",
                                  "(I.1 / I.2) * 5 + 1"])
def test_division_by_zero_is_no_value(text: str) -> None:
    assert evaluate(text, I_1=D(5), I_2=D(0)) is None


@pytest.mark.parametrize("text", ["I.1 + I.2", "I.2 - I.1", "I.1 * I.2", "I.2 / I.1", "-I.2",
                                  "abs(I.2)", "round(I.2, 1)", "(I.1 + 1) * (I.2 + 1)"])
def test_blank_propagates(text: str) -> None:
    assert evaluate(text, I_1=D(5)) is None  # I.2 missing
    assert evaluate(text, I_1=D(5), I_2=None) is None  # I.2 mapped to None


def test_blank_as_zero_reads_blanks_as_zero() -> None:
    assert evaluate("I.1 + I.2", blank_as_zero=True, I_1=D(5)) == D(5)
    assert evaluate("I.1 + I.2 <= 4", blank_as_zero=True, I_1=D(5)) is False
    # Division by zero is still no value: blank_as_zero is about inputs, not results.
    assert evaluate("I.1 / I.2", blank_as_zero=True, I_1=D(5)) is None


def test_blank_aware_functions_see_true_blanks_under_blank_as_zero() -> None:
    assert evaluate("isblank(I.2)", blank_as_zero=True) is True
    assert evaluate("coalesce(I.1, I.2)", blank_as_zero=True, I_2=D(7)) == D(7)
    assert evaluate("coalesce(I.1, I.2)", blank_as_zero=True) == D(0)
    assert evaluate("coalesce(I.1, I.2)") is None


# --- functions ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sum(I.1, I.2, I.3)", D(6)),
        ("sum(I.1, I.9)", D(1)),  # blanks skipped
        ("sum(I.8, I.9)", None),  # all blank
        ("sum(I.1 / 0, I.2)", D(2)),
        ("min(I.3, I.1, I.2)", D(1)),
        ("max(I.3, I.9, I.2)", D(3)),
        ("min(I.8, I.9)", None),
        ("max(-I.3)", D(-3)),
        ("abs(I.1 - I.3)", D(2)),
        ("round(32.456, 2)", D("32.46")),
        ("round(2.5, 0)", D(3)),  # half-up, as people and Excel round
        ("round(-2.5, 0)", D(-3)),
        ("round(0.125, 2)", D("0.13")),
        ("coalesce(I.9, I.8, I.2, I.1)", D(2)),
        ("coalesce(I.9, 0)", D(0)),
        ("if(I.1 > 0, I.2, I.3)", D(2)),
        ("if(I.1 < 0, I.2, I.3)", D(3)),
        ("if(I.9 > 0, I.2, I.3)", None),  # unknown condition picks no branch
        ("if(isblank(I.9), 0, I.9)", D(0)),
        ("isblank(I.9)", True),
        ("isblank(I.1)", False),
        ("isblank(I.1 / 0)", True),
        ("coalesce(I.9 > 0, I.1 > 0)", True),
    ],
)
def test_functions(text: str, expected: Any) -> None:
    assert evaluate(text, I_1=D(1), I_2=D(2), I_3=D(3)) == expected
    if isinstance(expected, bool) or expected is None:
        assert evaluate(text, I_1=D(1), I_2=D(2), I_3=D(3)) is expected


# --- comparisons and three-valued logic --------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I.1 == 5", True), ("I.1 = 5", True), ("I.1 != 5", False), ("I.1 ≠ 4", True),
        ("I.1 <> 4", True), ("I.1 < 5", False), ("I.1 <= 5", True), ("I.1 ≤ 5", True),
        ("I.1 > 4.9", True), ("I.1 >= 6", False), ("I.1 ≥ 5.0", True),
        ("I.9 == 5", None), ("5 < I.9", None), ("I.9 == I.9", None),
        ("(I.1 > 1) == (I.1 > 2)", True),
    ],
)
def test_comparisons(text: str, expected: bool | None) -> None:
    assert evaluate(text, I_1=D(5)) is expected


# I.1 > 0 is True for 1, False for -1 and unknown for a blank: the three truth values.
TRUTH = {True: D(1), False: D(-1), None: None}


def kleene_and(a: bool | None, b: bool | None) -> bool | None:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def kleene_or(a: bool | None, b: bool | None) -> bool | None:
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


THREE = (True, False, None)
TABLE = [(a, b) for a, b in product(THREE, THREE)]


@pytest.mark.parametrize(("a", "b"), TABLE)
def test_three_valued_and_or(a: bool | None, b: bool | None) -> None:
    values = {"I.1": TRUTH[a], "I.2": TRUTH[b]}
    assert parse_expression("I.1 > 0 and I.2 > 0").evaluate(values) is kleene_and(a, b)
    assert parse_expression("I.1 > 0 or I.2 > 0").evaluate(values) is kleene_or(a, b)


def test_three_valued_and_or_spelled_out() -> None:
    # The SQL table, written by hand so the reference functions above are checked too.
    assert kleene_and(False, None) is False and kleene_and(True, None) is None
    assert kleene_or(True, None) is True and kleene_or(False, None) is None


@pytest.mark.parametrize(("a", "expected"), [(True, False), (False, True), (None, None)])
def test_three_valued_not(a: bool | None, expected: bool | None) -> None:
    assert parse_expression("not I.1 > 0").evaluate({"I.1": TRUTH[a]}) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # not < and < or; comparisons bind tighter than booleans.
        ("not I.1 > 0 and I.2 > 0", False),  # (not T) and T
        ("I.1 > 0 or I.2 > 0 and I.3 > 0", True),  # T or (T and F)
        ("(I.1 > 0 or I.2 > 0) and I.3 > 0", False),
        ("not (I.1 > 0 and I.3 > 0)", True),
        ("not not I.3 > 0", False),
        ("I.1 + 1 > I.2 * 2", False),  # 2 > 2
    ],
)
def test_boolean_precedence(text: str, expected: bool) -> None:
    assert evaluate(text, I_1=D(1), I_2=D(1), I_3=D(-1)) is expected


# --- codes --------------------------------------------------------------------------------------

def test_codes_lists_every_indicator_read() -> None:
    expression = parse_expression(
        "sum(I.1, II.2.a) + coalesce(VII.5.b.2, 0) > if(isblank(III.4.c.1), 0, XII.10) "
        "and IV.6 * 2 = IV.6"
    )
    assert expression.codes == frozenset(
        {"I.1", "II.2.a", "VII.5.b.2", "III.4.c.1", "XII.10", "IV.6"})
    assert parse_expression("1 + 2").codes == frozenset()


@pytest.mark.parametrize("code", ["I.1", "I.1.a", "VII.5.b.2", "III.4.c.1", "IX.12", "XL.1",
                                  "MCMXC.1.x", "IV.10.ab.3"])
def test_code_forms(code: str) -> None:
    assert parse_expression(code).codes == {code}
    assert parse_expression(code).evaluate({code: D(4)}) == D(4)


def test_kind_tells_formulas_from_rules() -> None:
    assert parse_expression("I.1 / I.2").kind == "number"
    assert parse_expression("I.1 <= I.2").kind == "condition"
    assert parse_expression("isblank(I.1)").kind == "condition"


# --- refused formulas ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("", 1),
        ("   ", 1),
        ("1 +", 4),
        ("(1 + 2", 7),
        ("1 + * 2", 5),
        ("I.1 + $", 7),
        ("I.1 ** 2", 6),
        ("1,5 + I.1", 2),  # a Vietnamese decimal comma
        ("I.1 < I.2 < I.3", 11),  # no chained comparisons
        ("IIII.1", 1),  # not a roman numeral
        ("i.1 + 1", 2),
        ("I", 1),
        ("I.1.", 4),
        ("I.A", 1),
        ("foo + 1", 1),
        ("1 2", 3),
        ("sum(1,, 2)", 7),
        ("1 + (2 > 1)", 6),  # a condition where a number belongs
        ("not 1", 5),
        ("I.1 and I.2 > 0", 1),
        ("if(1, 2, 3)", 4),
        ("if(I.1 > 0, 1, I.1 > 0)", 1),
        ("(I.1 > 0) < (I.2 > 0)", 11),
        ("I.1 = (I.2 > 0)", 5),
        ("coalesce(I.1, I.2 > 0)", 1),
        ("round(I.1, 1.5)", 12),
        ("round(I.1, I.2)", 12),
        ("round(I.1, -1)", 12),
        ("AND", 1),
        ("I.1 > 0 AND I.2 > 0", 9),  # keywords are lowercase
    ],
)
def test_syntax_errors_report_column_and_reason(text: str, column: int) -> None:
    error = refused(text)
    assert error.code == "expression.syntax"
    assert error.params["text"] == text
    assert error.params["column"] == column
    assert error.params["reason"]
    assert text in error.message


@pytest.mark.parametrize(
    ("text", "name"),
    [("exec(1)", "exec"), ("__import__(I.1)", "__import__"), ("eval(1)", "eval"),
     ("open(1)", "open"), ("sum(I.1) + avg(I.2)", "avg"), ("pow(2, 3)", "pow")],
)
def test_unknown_functions_are_refused(text: str, name: str) -> None:
    error = refused(text)
    assert error.code == "expression.unknown_function"
    assert error.params["name"] == name


@pytest.mark.parametrize(
    ("text", "name", "got"),
    [("abs(1, 2)", "abs", 2), ("abs()", "abs", 0), ("round(1)", "round", 1),
     ("round(1, 2, 3)", "round", 3), ("isblank()", "isblank", 0), ("if(I.1 > 0, 1)", "if", 2),
     ("sum()", "sum", 0), ("min()", "min", 0), ("max()", "max", 0), ("coalesce()", "coalesce", 0)],
)
def test_wrong_argument_counts_are_refused(text: str, name: str, got: int) -> None:
    error = refused(text)
    assert error.code == "expression.bad_arity"
    assert error.params["name"] == name
    assert error.params["got"] == got
    assert error.params["expected"]


def test_absurd_nesting_is_a_syntax_error_not_a_crash() -> None:
    assert refused("-" * 5000 + "1").code == "expression.syntax"
    assert refused("abs(" * 2000 + "1" + ")" * 2000).code == "expression.syntax"


def test_redundant_parentheses_cost_nothing() -> None:
    assert evaluate("(" * 5000 + "I.1" + ")" * 5000, I_1=D(3)) == D(3)


def test_long_flat_sums_are_fine() -> None:
    text = " + ".join(f"I.{i}" for i in range(1, 2001))
    values = {f"I.{i}": D(1) for i in range(1, 2001)}
    assert parse_expression(text).evaluate(values) == D(2000)


# --- the Expression object ----------------------------------------------------------------------

def test_expression_is_immutable_and_picklable() -> None:
    expression = parse_expression("I.1 + 1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        expression.text = "2"  # type: ignore[misc]
    copy = pickle.loads(pickle.dumps(expression))
    assert isinstance(copy, Expression)
    assert copy == expression
    assert copy.evaluate({"I.1": D(1)}) == D(2)


def test_values_mapping_is_not_modified() -> None:
    values = {"I.1": D(1)}
    evaluate_once = parse_expression("sum(I.1, I.2) + coalesce(I.3, 0)")
    assert evaluate_once.evaluate(values, blank_as_zero=True) == D(1)
    assert values == {"I.1": D(1)}


# --- property: arithmetic agrees with a reference evaluator ------------------------------------

CODES = ["I.1", "I.2", "II.3.a", "VII.5.b.2"]
Tree = tuple[Any, ...]

LEAVES = st.one_of(
    st.decimals(min_value=0, max_value=1000, places=2).map(lambda d: ("num", d)),
    st.sampled_from(CODES).map(lambda code: ("code", code)),
)


def _branches(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.sampled_from("+-*/"), children, children),
        st.tuples(st.just("neg"), children),
    )


TREES = st.recursive(LEAVES, _branches, max_leaves=12)
VALUES = st.fixed_dictionaries(
    {code: st.one_of(st.none(), st.decimals(min_value=-50, max_value=50, places=1))
     for code in CODES})
REFERENCE_CONTEXT = Context(prec=28)


def reference(tree: Tree, values: Mapping[str, Decimal | None], blank_as_zero: bool) -> Any:
    """Straightforward recursive evaluation with Python's Decimal operators."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "code":
        value = values.get(tree[1])
        return Decimal(0) if value is None and blank_as_zero else value
    if kind == "neg":
        operand = reference(tree[1], values, blank_as_zero)
        return None if operand is None else -operand
    a = reference(tree[1], values, blank_as_zero)
    b = reference(tree[2], values, blank_as_zero)
    if a is None or b is None:
        return None
    if kind == "/":
        return None if b == 0 else a / b
    return {"+": a + b, "-": a - b, "*": a * b}[kind]


PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "num": 4, "code": 4}


def render_full(tree: Tree) -> str:
    """Every operation in parentheses: tests the arithmetic, not the precedence."""
    if tree[0] == "num":
        return format(tree[1], "f")
    if tree[0] == "code":
        return str(tree[1])
    if tree[0] == "neg":
        return f"(-{render_full(tree[1])})"
    return f"({render_full(tree[1])} {tree[0]} {render_full(tree[2])})"


def render_minimal(tree: Tree) -> str:
    """Only the parentheses precedence and left-associativity require."""
    kind = tree[0]
    if kind in ("num", "code"):
        return render_full(tree)
    if kind == "neg":
        return "-" + _wrap(tree[1], PRECEDENCE["neg"], strict=False)
    left = _wrap(tree[1], PRECEDENCE[kind], strict=False)
    right = _wrap(tree[2], PRECEDENCE[kind], strict=True)
    return f"{left} {kind} {right}"


def _wrap(tree: Tree, parent: int, *, strict: bool) -> str:
    # A right operand of equal precedence needs parentheses: a - (b - c) is not a - b - c.
    inner = PRECEDENCE[tree[0]]
    needs = inner <= parent if strict else inner < parent
    text = render_minimal(tree)
    return f"({text})" if needs else text


@given(TREES, VALUES, st.booleans())
def test_arithmetic_agrees_with_reference(tree: Tree, values: dict[str, Decimal | None],
                                          blank_as_zero: bool) -> None:
    with localcontext(REFERENCE_CONTEXT):
        expected = reference(tree, values, blank_as_zero)
    for text in (render_full(tree), render_minimal(tree)):
        actual = parse_expression(text).evaluate(values, blank_as_zero=blank_as_zero)
        assert repr(actual) == repr(expected), text


# --- property: boolean trees follow Kleene's three-valued logic --------------------------------

BOOL_LEAVES = st.sampled_from(CODES).map(lambda code: ("test", code))


def _bool_branches(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.sampled_from(["and", "or"]), children, children),
        st.tuples(st.just("not"), children),
    )


BOOL_TREES = st.recursive(BOOL_LEAVES, _bool_branches, max_leaves=10)
TRUTHS = st.fixed_dictionaries({code: st.sampled_from(THREE) for code in CODES})


def truth_reference(tree: Tree, truths: Mapping[str, bool | None]) -> bool | None:
    kind = tree[0]
    if kind == "test":
        return truths[tree[1]]
    if kind == "not":
        value = truth_reference(tree[1], truths)
        return None if value is None else not value
    combine = kleene_and if kind == "and" else kleene_or
    return combine(truth_reference(tree[1], truths), truth_reference(tree[2], truths))


def render_bool(tree: Tree) -> str:
    if tree[0] == "test":
        return f"{tree[1]} > 0"
    if tree[0] == "not":
        return f"not ({render_bool(tree[1])})"
    return f"({render_bool(tree[1])}) {tree[0]} ({render_bool(tree[2])})"


@given(BOOL_TREES, TRUTHS)
def test_boolean_trees_follow_three_valued_logic(tree: Tree,
                                                 truths: dict[str, bool | None]) -> None:
    values = {code: TRUTH[truth] for code, truth in truths.items()}
    actual = parse_expression(render_bool(tree)).evaluate(values)
    assert actual is truth_reference(tree, truths)
