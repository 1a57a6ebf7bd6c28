"""The one grammar for derived formulas and validation rules.

An expression such as ``I.1.b / I.1.a * 100`` or ``III.4.c.1 + III.4.c.2 <= III.4.c`` is parsed
once with lark (never ``eval``), checked (whitelisted functions, arity, numbers versus conditions)
and compiled into nested closures, so that evaluating it for thousands of reports is a cheap call.

Semantics, chosen to match DHIS2 and SQL so that rules behave as people expect:

* a code missing from the values, or mapped to ``None``, is blank, and blank propagates through
  arithmetic and comparisons; ``blank_as_zero=True`` reads blank codes as 0 instead;
* division by zero gives ``None`` (no value), never an exception;
* ``and``/``or``/``not`` use three-valued logic, with ``None`` as "unknown";
* numbers are Decimal with 28 significant digits, whatever the caller's decimal context.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import Any, Literal

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from parstat.errors import ParstatError

Value = Decimal | bool | None
Values = Mapping[str, Decimal | None]
NumFn = Callable[[Values, bool], Decimal | None]
BoolFn = Callable[[Values, bool], bool | None]
Kind = Literal["number", "condition"]
Node = Tree[Token] | Token

# Our own contexts: the thread's current context may have been changed by anybody.
_CTX = Context(prec=28, rounding=ROUND_HALF_EVEN)
_CTX_ROUND = Context(prec=28, rounding=ROUND_HALF_UP)  # round() rounds half-up, as Excel does
_ZERO = Decimal(0)

# Kept inline rather than in a .lark file: package-data does not ship *.lark files.
_GRAMMAR = r"""
?start: or_expr
?or_expr: and_expr ("or" and_expr)*
?and_expr: not_expr ("and" not_expr)*
?not_expr: "not" not_expr -> negation
         | comparison
// One comparison at most: "a < b < c" means different things in different languages.
?comparison: additive (COMPARE additive)?
?additive: multiplicative ((PLUS | MINUS) multiplicative)*
?multiplicative: unary ((TIMES | DIVIDE) unary)*
?unary: MINUS unary -> neg
      | atom
?atom: NUMBER
     | CODE
     | NAME "(" [or_expr ("," or_expr)*] ")" -> call
     | NAME -> bare_name
     | "(" or_expr ")"

// Longer operators first: the alternatives are tried in order.
COMPARE: /==|!=|<>|<=|>=|=|<|>|≤|≥|≠/
PLUS: "+"
MINUS: /[-−]/
TIMES: /[*×]/
DIVIDE: /[\/÷]/
// An uppercase roman numeral, then dot-separated segments: I.1, VII.5.b.2.
CODE: /(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})(?:\.[a-z0-9]+)+/
NAME: /[a-z_][a-z0-9_]*/
NUMBER: /[0-9]+(?:\.[0-9]+)?/
%ignore /\s+/
"""

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "=": operator.eq,
    "!=": operator.ne, "<>": operator.ne, "≠": operator.ne,
    "<": operator.lt, "<=": operator.le, "≤": operator.le,
    ">": operator.gt, ">=": operator.ge, "≥": operator.ge,
}
_EQUALITY = frozenset({"==", "=", "!=", "<>", "≠"})


def _divide(a: Decimal, b: Decimal) -> Decimal | None:
    return None if b == 0 else _CTX.divide(a, b)


_ARITHMETIC: dict[str, Callable[[Decimal, Decimal], Decimal | None]] = {
    "PLUS": _CTX.add, "MINUS": _CTX.subtract, "TIMES": _CTX.multiply, "DIVIDE": _divide,
}


@dataclass(frozen=True)
class Expression:
    """A parsed, checked and compiled expression; immutable and safe to share between threads."""

    text: str
    codes: frozenset[str]  # every indicator code the expression reads
    kind: Kind  # "number" for a formula, "condition" for a rule
    _run: Callable[[Values, bool], Value] = field(repr=False, compare=False)

    def evaluate(self, values: Values, *, blank_as_zero: bool = False) -> Value:
        """The value for these indicator values: a Decimal, a bool, or None for blank/unknown."""
        return self._run(values, blank_as_zero)

    def __reduce__(self) -> tuple[Any, tuple[str]]:
        # Closures do not pickle; the text is enough to rebuild (e.g. for Django's cache).
        return (parse_expression, (self.text,))


@functools.lru_cache(maxsize=4096)
def parse_expression(text: str) -> Expression:
    """Parse ``text`` once; raise ``ParstatError`` (expression.*) when it is not a valid formula."""
    if not text.strip():
        raise _syntax_error(text, 1, "empty")
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        raise _describe(text, error) from None
    compiler = _Compiler(text)
    try:
        compiled = compiler.compile(tree)
    except RecursionError:
        raise _syntax_error(text, 1, "too_deep") from None
    kind: Kind = "number" if isinstance(compiled, _Num) else "condition"
    return Expression(text, frozenset(compiler.codes), kind, compiled.fn)


@functools.cache
def _parser() -> Lark:
    # Built on first use: importing this module stays cheap for code that never parses.
    return Lark(_GRAMMAR, parser="lalr", propagate_positions=True, maybe_placeholders=False)


def _syntax_error(text: str, column: int, reason: str, **params: Any) -> ParstatError:
    """``expression.syntax`` for the term ``reason.expression.<reason>`` (taking ``params``)."""
    return ParstatError("expression.syntax", text=text, column=column,
                        reason=f"expression.{reason}", **params)


def _describe(text: str, error: UnexpectedInput) -> ParstatError:
    """``expression.syntax`` at the 1-based column of a lark error, with a short reason."""
    if isinstance(error, UnexpectedCharacters):
        return _syntax_error(text, (error.pos_in_stream or 0) + 1, "bad_char", char=error.char)
    if isinstance(error, UnexpectedToken) and error.token.type == "$END":
        return _syntax_error(text, len(text.rstrip()) + 1, "unfinished")
    if isinstance(error, UnexpectedToken):
        token = error.token
        if token == ",":
            # The usual slip: a Vietnamese decimal comma inside a formula.
            return _syntax_error(text, _column(token), "comma")
        return _syntax_error(text, _column(token), "misplaced", token=str(token))
    return _syntax_error(text, 1, "unreadable")


# --- compilation -------------------------------------------------------------------------------
# Each node compiles into a closure ``fn(values, blank_as_zero)``, tagged with its kind, so that a
# number where a condition belongs (or the reverse) is refused at parse time, not at run time.


@dataclass(frozen=True)
class _Num:
    fn: NumFn


@dataclass(frozen=True)
class _Bool:
    fn: BoolFn


_Compiled = _Num | _Bool


def _column(node: Node) -> int:
    if isinstance(node, Token):
        return (node.start_pos or 0) + 1
    return getattr(node.meta, "start_pos", 0) + 1


def _token_type(node: Node) -> str:
    return node.type if isinstance(node, Token) else node.data


class _Compiler:
    def __init__(self, text: str) -> None:
        self.text = text
        self.codes: set[str] = set()

    def error(self, node: Node, reason: str, **params: Any) -> ParstatError:
        return _syntax_error(self.text, _column(node), reason, **params)

    def compile(self, node: Node) -> _Compiled:
        if isinstance(node, Token):
            return self.token(node)
        handler = getattr(self, f"rule_{node.data}")
        result: _Compiled = handler(node)
        return result

    def number(self, node: Node) -> NumFn:
        compiled = self.compile(node)
        if not isinstance(compiled, _Num):
            raise self.error(node, "number_needed")
        return compiled.fn

    def condition(self, node: Node) -> BoolFn:
        compiled = self.compile(node)
        if not isinstance(compiled, _Bool):
            raise self.error(node, "condition_needed")
        return compiled.fn

    def token(self, token: Token) -> _Compiled:
        if token.type == "NUMBER":
            return _Num(_constant(Decimal(str(token))))
        self.codes.add(str(token))
        return _Num(_lookup(str(token)))

    def raw(self, node: Node) -> _Compiled:
        """Like compile, but a bare code reads its true blank even under blank_as_zero."""
        if isinstance(node, Token) and node.type == "CODE":
            self.codes.add(str(node))
            return _Num(_raw_lookup(str(node)))
        return self.compile(node)

    def rule_additive(self, node: Tree[Token]) -> _Compiled:
        return _Num(self.chain(node.children))

    rule_multiplicative = rule_additive

    def chain(self, children: Sequence[Node]) -> NumFn:
        # Operands and operators alternate; a flat loop rather than nested closures keeps long
        # sums (I.1 + I.2 + ... + I.60) shallow to compile and quick to evaluate.
        first = self.number(children[0])
        steps = [(_ARITHMETIC[_token_type(op)], self.number(operand))
                 for op, operand in zip(children[1::2], children[2::2], strict=True)]
        return _chain(first, steps)

    def rule_neg(self, node: Tree[Token]) -> _Compiled:
        return _Num(_negate(self.number(node.children[1])))

    def rule_comparison(self, node: Tree[Token]) -> _Compiled:
        left_node, op, right_node = node.children
        left, right = self.compile(left_node), self.compile(right_node)
        symbol = str(op)
        if type(left) is not type(right):
            raise self.error(op, "compare_mixed")
        if isinstance(left, _Bool) and symbol not in _EQUALITY:
            raise self.error(op, "operator_on_condition", symbol=symbol)
        return _Bool(_compare(_COMPARISONS[symbol], left.fn, right.fn))

    def rule_and_expr(self, node: Tree[Token]) -> _Compiled:
        return _Bool(_all([self.condition(child) for child in node.children]))

    def rule_or_expr(self, node: Tree[Token]) -> _Compiled:
        return _Bool(_any([self.condition(child) for child in node.children]))

    def rule_negation(self, node: Tree[Token]) -> _Compiled:
        return _Bool(_not(self.condition(node.children[0])))

    def rule_bare_name(self, node: Tree[Token]) -> _Compiled:
        raise self.error(node, "not_a_code", name=str(node.children[0]))

    def rule_call(self, node: Tree[Token]) -> _Compiled:
        name_token, *args = node.children
        name = str(name_token)
        if name not in _FUNCTIONS:
            raise ParstatError("expression.unknown_function", text=self.text, name=name)
        low, high, build = _FUNCTIONS[name]
        if len(args) < low or (high is not None and len(args) > high):
            expected = str(low) if low == high else f"≥ {low}" if high is None else f"{low}–{high}"
            raise ParstatError("expression.bad_arity", text=self.text, name=name,
                               expected=expected, got=len(args))
        return build(self, node, args)

    # --- functions: (compiler, call node, argument nodes) -> compiled ---

    def fn_sum(self, node: Node, args: Sequence[Node]) -> _Compiled:
        return _Num(_sum([self.number(arg) for arg in args]))

    def fn_min(self, node: Node, args: Sequence[Node]) -> _Compiled:
        return _Num(_pick(min, [self.number(arg) for arg in args]))

    def fn_max(self, node: Node, args: Sequence[Node]) -> _Compiled:
        return _Num(_pick(max, [self.number(arg) for arg in args]))

    def fn_abs(self, node: Node, args: Sequence[Node]) -> _Compiled:
        return _Num(_unary(_CTX.abs, self.number(args[0])))

    def fn_round(self, node: Node, args: Sequence[Node]) -> _Compiled:
        places = args[1]
        # A literal number of places keeps round() simple and checkable when the rule is written.
        if not (isinstance(places, Token) and places.type == "NUMBER" and "." not in places):
            raise self.error(places, "round_places")
        return _Num(_round(self.number(args[0]), int(places)))

    def fn_isblank(self, node: Node, args: Sequence[Node]) -> _Compiled:
        return _Bool(_is_blank(self.raw(args[0]).fn))

    def fn_coalesce(self, node: Node, args: Sequence[Node]) -> _Compiled:
        compiled = [self.raw(arg) for arg in args]
        if all(isinstance(c, _Num) for c in compiled):
            return _Num(_coalesce([c.fn for c in compiled], _ZERO))
        if all(isinstance(c, _Bool) for c in compiled):
            return _Bool(_coalesce([c.fn for c in compiled], None))
        raise self.error(node, "coalesce_mixed")

    def fn_if(self, node: Node, args: Sequence[Node]) -> _Compiled:
        test = self.condition(args[0])
        then, otherwise = self.compile(args[1]), self.compile(args[2])
        if isinstance(then, _Num) and isinstance(otherwise, _Num):
            return _Num(_if(test, then.fn, otherwise.fn))
        if isinstance(then, _Bool) and isinstance(otherwise, _Bool):
            return _Bool(_if(test, then.fn, otherwise.fn))
        raise self.error(node, "if_mixed")


_Builder = Callable[[_Compiler, Node, Sequence[Node]], _Compiled]
# name -> (fewest arguments, most arguments or None for no limit, builder)
_FUNCTIONS: dict[str, tuple[int, int | None, _Builder]] = {
    "sum": (1, None, _Compiler.fn_sum),
    "min": (1, None, _Compiler.fn_min),
    "max": (1, None, _Compiler.fn_max),
    "abs": (1, 1, _Compiler.fn_abs),
    "round": (2, 2, _Compiler.fn_round),
    "isblank": (1, 1, _Compiler.fn_isblank),
    "coalesce": (1, None, _Compiler.fn_coalesce),
    "if": (3, 3, _Compiler.fn_if),
}


# --- runtime closures ---------------------------------------------------------------------------
# Plain functions returning closures: each evaluation is a few calls, with no tree walking.


def _constant(value: Decimal) -> NumFn:
    def run(values: Values, blank_as_zero: bool) -> Decimal | None:
        return value
    return run


def _lookup(code: str) -> NumFn:
    def run(values: Values, blank_as_zero: bool) -> Decimal | None:
        value = values.get(code)
        return _ZERO if value is None and blank_as_zero else value
    return run


def _raw_lookup(code: str) -> NumFn:
    def run(values: Values, blank_as_zero: bool) -> Decimal | None:
        return values.get(code)
    return run


def _chain(first: NumFn, steps: Sequence[tuple[Callable[[Decimal, Decimal], Decimal | None],
                                                NumFn]]) -> NumFn:
    def run(values: Values, blank_as_zero: bool) -> Decimal | None:
        result = first(values, blank_as_zero)
        for apply, operand in steps:
            if result is None:
                return None
            right = operand(values, blank_as_zero)
            result = None if right is None else apply(result, right)
        return result
    return run


def _unary(apply: Callable[[Decimal], Decimal], operand: NumFn) -> NumFn:
    def run(values: Values, blank_as_zero: bool) -> Decimal | None:
        value = operand(values, blank_as_zero)
        return None if value is None else apply(value)
    return run


def _negate(operand: NumFn) -> NumFn:
    return _unary(_CTX.minus, operand)


def _round(operand: NumFn, places: int) -> NumFn:
    quantum = Decimal(1).scaleb(-places)

    def apply(value: Decimal) -> Decimal:
        try:
            return _CTX_ROUND.quantize(value, quantum)
        except InvalidOperation:  # more digits than the precision holds: already that precise
            return value
    return _unary(apply, operand)


def _compare(test: Callable[[Any, Any], bool], left: Callable[[Values, bool], Value],
             right: Callable[[Values, bool], Value]) -> BoolFn:
    def run(values: Values, blank_as_zero: bool) -> bool | None:
        a = left(values, blank_as_zero)
        if a is None:
            return None
        b = right(values, blank_as_zero)
        return None if b is None else test(a, b)
    return run


def _all(operands: Sequence[BoolFn]) -> BoolFn:
    # SQL's AND: one False decides; otherwise any unknown makes the result unknown.
    def run(values: Values, blank_as_zero: bool) -> bool | None:
        result: bool | None = True
        for operand in operands:
            value = operand(values, blank_as_zero)
            if value is False:
                return False
            if value is None:
                result = None
        return result
    return run


def _any(operands: Sequence[BoolFn]) -> BoolFn:
    # SQL's OR: one True decides; otherwise any unknown makes the result unknown.
    def run(values: Values, blank_as_zero: bool) -> bool | None:
        result: bool | None = False
        for operand in operands:
            value = operand(values, blank_as_zero)
            if value is True:
                return True
            if value is None:
                result = None
        return result
    return run


def _not(operand: BoolFn) -> BoolFn:
    def run(values: Values, blank_as_zero: bool) -> bool | None:
        value = operand(values, blank_as_zero)
        return None if value is None else not value
    return run


def _sum(operands: Sequence[NumFn]) -> NumFn:
    # DHIS2-like: blanks are skipped, and only an all-blank sum is blank.
    def run(values: Values, blank_as_zero: bool) -> Decimal | None:
        total: Decimal | None = None
        for operand in operands:
            value = operand(values, blank_as_zero)
            if value is not None:
                total = value if total is None else _CTX.add(total, value)
        return total
    return run


def _pick(choose: Callable[[list[Decimal]], Decimal], operands: Sequence[NumFn]) -> NumFn:
    def run(values: Values, blank_as_zero: bool) -> Decimal | None:
        present = [v for v in (operand(values, blank_as_zero) for operand in operands)
                   if v is not None]
        return choose(present) if present else None
    return run


def _is_blank(operand: Callable[[Values, bool], Value]) -> BoolFn:
    def run(values: Values, blank_as_zero: bool) -> bool | None:
        return operand(values, blank_as_zero) is None
    return run


def _coalesce(operands: Sequence[Callable[[Values, bool], Any]], fallback: Any) -> Any:
    # Arguments read their true blanks (see _Compiler.raw); when all are blank the "never skip"
    # strategy still gets its 0 for numbers.
    def run(values: Values, blank_as_zero: bool) -> Any:
        for operand in operands:
            value = operand(values, blank_as_zero)
            if value is not None:
                return value
        return fallback if blank_as_zero else None
    return run


def _if(test: BoolFn, then: Callable[[Values, bool], Any],
        otherwise: Callable[[Values, bool], Any]) -> Any:
    def run(values: Values, blank_as_zero: bool) -> Any:
        condition = test(values, blank_as_zero)
        if condition is None:  # an unknown condition chooses neither branch
            return None
        return (then if condition else otherwise)(values, blank_as_zero)
    return run
