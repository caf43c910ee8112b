"""A restricted evaluator for the Python expressions that BPMN carries.

SpiffWorkflow evaluates conditions, timer values and service parameters with
plain ``eval``. Analysts deploy BPMN at run time, so we interpret a small
allow-listed subset of Python ourselves: literals, names, subscripts,
comparisons, boolean and arithmetic operators, conditional expressions and a
few pure built-in functions. No attribute access, no dunder or private names,
no imports, lambdas or comprehensions.

It cannot be used as a bomb: every operation that can grow a value (repetition,
concatenation, literals, rounding digits, conversion of containers to text) is
measured *before* the value is built, ``%`` formatting of text is refused, and
each evaluation (or script) has a time budget. What exceeds a budget raises
``ExpressionError``: a deploy problem when the source shows it, a process
failure at run time.
"""
from __future__ import annotations

import ast
import operator
import time
from functools import lru_cache

from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

MAX_SOURCE_CHARS = 2000
MAX_NODES = 200
MAX_CONSTANT_CHARS = 1000
MAX_INT = 10**12
MAX_RESULT_LEN = 100_000
MAX_ROUND_DIGITS = 20
MAX_SCRIPT_LINES = 100
MAX_SECONDS = 1.0
# Upper bounds of the text a scalar turns into (repr), per kind.
_SCALAR_TEXT = 32
# A character of a string may take up to 10 characters in a container's repr ('\U0010ffff').
_CHAR_TEXT = 10


class ExpressionError(ValueError):
    """An expression that is refused or fails; ``message_id``/``message_en`` explain why."""

    def __init__(self, message_en: str, message_id: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_id = message_id


def _safe_round(value, ndigits=None):
    if ndigits is None:
        return round(value)
    _check_round_digits(ndigits)
    return round(value, ndigits)


def _check_round_digits(ndigits) -> None:
    # round(1, -N) computes 10**N: the digits are bounded before it runs.
    if not isinstance(ndigits, int) or isinstance(ndigits, bool) or abs(ndigits) > MAX_ROUND_DIGITS:
        _refuse(f"round() takes at most {MAX_ROUND_DIGITS} digits either way",
                f"round() menerima paling banyak {MAX_ROUND_DIGITS} digit ke kedua arah")


FUNCTIONS = {
    "len": len, "str": str, "int": int, "float": float, "bool": bool,
    "min": min, "max": max, "abs": abs, "round": _safe_round,
}

_COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt,
    ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
    ast.Is: operator.is_, ast.IsNot: operator.is_not,
}
_BINARY = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
}
_UNARY = {ast.Not: operator.not_, ast.USub: operator.neg, ast.UAdd: operator.pos}
_ALLOWED = (
    ast.Expression, ast.Constant, ast.Name, ast.Load, ast.Subscript, ast.Slice,
    ast.Compare, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.BinOp, ast.IfExp,
    ast.List, ast.Tuple, ast.Dict, ast.Call,
    *_COMPARE, *_BINARY, *_UNARY,
)


def _refuse(en: str, id_: str):
    raise ExpressionError(en, id_)


def _check_node(node: ast.AST) -> None:
    if not isinstance(node, _ALLOWED):
        _refuse(f"'{type(node).__name__}' is not allowed in an expression",
                f"'{type(node).__name__}' tidak diizinkan dalam ekspresi")
    if isinstance(node, ast.Name) and node.id.startswith("_"):
        _refuse(f"name '{node.id}' is not allowed", f"nama '{node.id}' tidak diizinkan")
    if isinstance(node, ast.Constant):
        _check_constant(node.value)
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            _refuse("only the functions " + ", ".join(FUNCTIONS) + " may be called",
                    "hanya fungsi " + ", ".join(FUNCTIONS) + " yang boleh dipanggil")
        if node.keywords:
            _refuse("keyword arguments are not allowed", "argumen kata kunci tidak diizinkan")
        _check_call_constants(node)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        if isinstance(node.left, ast.Constant) and isinstance(node.left.value, str):
            _refuse_formatting()


def _check_call_constants(node: ast.Call) -> None:
    """What the source already shows to be out of bounds is a deploy problem."""
    if isinstance(node.func, ast.Name) and node.func.id == "round" and len(node.args) > 1:
        digits = node.args[1]
        if isinstance(digits, ast.UnaryOp) and isinstance(digits.op, ast.USub):
            digits = digits.operand
        if isinstance(digits, ast.Constant):
            _check_round_digits(abs(digits.value) if isinstance(digits.value, int) else digits.value)


def _refuse_formatting():
    _refuse("'%' formatting of text is not allowed; join texts with +",
            "pemformatan teks dengan '%' tidak diizinkan; gabungkan teks dengan +")


def _check_constant(value) -> None:
    if isinstance(value, (str, bytes)) and len(value) > MAX_CONSTANT_CHARS:
        _refuse("a literal is too long", "literal terlalu panjang")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT:
        _refuse("a number is too large", "angka terlalu besar")
    if isinstance(value, (complex, bytes)) or value is Ellipsis:
        _refuse("this kind of literal is not allowed", "jenis literal ini tidak diizinkan")


@lru_cache(maxsize=2048)
def compile_expression(source: str) -> ast.Expression:
    """Parse and check ``source``; raise ExpressionError when it is refused."""
    if not isinstance(source, str) or not source.strip():
        _refuse("the expression is empty", "ekspresi kosong")
    if len(source) > MAX_SOURCE_CHARS:
        _refuse("the expression is too long", "ekspresi terlalu panjang")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error: {exc.msg}", f"kesalahan sintaks: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError):
        raise ExpressionError("the expression cannot be read", "ekspresi tidak dapat dibaca") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        _refuse("the expression is too complex", "ekspresi terlalu rumit")
    for node in nodes:
        _check_node(node)
    return tree


def evaluate(source: str, names: dict, deadline: float | None = None):
    """Evaluate a checked expression against ``names`` (task data).

    ``deadline`` (a ``time.monotonic()`` value) is the time budget; by default
    ``MAX_SECONDS`` from now.
    """
    tree = compile_expression(source)
    if deadline is None:
        deadline = time.monotonic() + MAX_SECONDS
    try:
        return _Interpreter(names, deadline).visit(tree.body)
    except (OverflowError, RecursionError, MemoryError):
        _refuse("the result is too large", "hasil terlalu besar")


class _Interpreter:
    def __init__(self, names: dict, deadline: float):
        self.names = names
        self.deadline = deadline
        self.sizes = _Sizes()

    def visit(self, node):
        if time.monotonic() > self.deadline:
            _refuse("the expression took too long", "ekspresi berjalan terlalu lama")
        return getattr(self, "visit_" + type(node).__name__)(node)

    def visit_Constant(self, node):
        return node.value

    def visit_Name(self, node):
        if node.id in self.names:
            return self.names[node.id]
        if node.id in FUNCTIONS:
            return FUNCTIONS[node.id]
        if node.id in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[node.id]
        raise ExpressionError(f"name '{node.id}' is not defined",
                              f"nama '{node.id}' tidak dikenal")

    def visit_Subscript(self, node):
        return self.visit(node.value)[self.visit(node.slice)]

    def visit_Slice(self, node):
        parts = (node.lower, node.upper, node.step)
        return slice(*(self.visit(p) if p is not None else None for p in parts))

    def visit_Compare(self, node):
        left = self.visit(node.left)
        for op, comparator in zip(node.ops, node.comparators):
            right = self.visit(comparator)
            if not _COMPARE[type(op)](left, right):
                return False
            left = right
        return True

    def visit_BoolOp(self, node):
        is_and = isinstance(node.op, ast.And)
        value = None
        for operand in node.values:
            value = self.visit(operand)
            if bool(value) != is_and:
                return value
        return value

    def visit_UnaryOp(self, node):
        return _UNARY[type(node.op)](self.visit(node.operand))

    def visit_BinOp(self, node):
        left, right = self.visit(node.left), self.visit(node.right)
        if isinstance(node.op, ast.Mult):
            self._check_repeat(left, right)
        elif isinstance(node.op, ast.Add):
            self.sizes.check_total((left, right))
        elif isinstance(node.op, ast.Mod) and isinstance(left, str):
            _refuse_formatting()
        return _bounded(_BINARY[type(node.op)](left, right))

    def _check_repeat(self, left, right) -> None:
        for seq, count in ((left, right), (right, left)):
            if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
                if self.sizes.of(seq) * max(count, 0) > MAX_RESULT_LEN:
                    _refuse("the result would be too large", "hasil akan terlalu besar")

    def visit_IfExp(self, node):
        return self.visit(node.body) if self.visit(node.test) else self.visit(node.orelse)

    def visit_List(self, node):
        items = [self.visit(e) for e in node.elts]
        self.sizes.check_total(items)
        return items

    def visit_Tuple(self, node):
        items = tuple(self.visit(e) for e in node.elts)
        self.sizes.check_total(items)
        return items

    def visit_Dict(self, node):
        if any(k is None for k in node.keys):
            _refuse("dict unpacking is not allowed", "pembongkaran dict tidak diizinkan")
        pairs = [(self.visit(k), self.visit(v)) for k, v in zip(node.keys, node.values)]
        self.sizes.check_total([part for pair in pairs for part in pair])
        return dict(pairs)

    def visit_Call(self, node):
        args = [self.visit(a) for a in node.args]
        if node.func.id == "str" and args and self.sizes.text(args[0]) > MAX_RESULT_LEN:
            _refuse("the text would be too long", "teks akan terlalu panjang")
        return _bounded(FUNCTIONS[node.func.id](*args))


class _Sizes:
    """Sizes of values, measured once per object (a list may hold one object many times)."""

    def __init__(self):
        self._sizes: dict[int, tuple[object, int]] = {}
        self._texts: dict[int, tuple[object, int]] = {}

    def of(self, value) -> int:
        """Elements plus characters of ``value``, counting shared parts each time they occur."""
        return self._measure(value, self._sizes, _own_size, self.of)

    def text(self, value) -> int:
        """An upper bound of the length of ``str(value)``."""
        return self._measure(value, self._texts, _own_text, self.text)

    def check_total(self, parts) -> None:
        """Refuse when a value made of ``parts`` would be too large."""
        if sum(self.of(p) for p in parts) > MAX_RESULT_LEN:
            _refuse("the result would be too large", "hasil akan terlalu besar")

    @staticmethod
    def _measure(value, memo, own, measure) -> int:
        key = id(value)
        if key in memo:
            return memo[key][1]
        if isinstance(value, dict):
            total = own(value) + sum(measure(k) + measure(v) for k, v in value.items())
        elif isinstance(value, (list, tuple)):
            total = own(value) + sum(measure(item) for item in value)
        else:
            return own(value)
        memo[key] = (value, total)  # the value is kept so its id stays its own
        return total


def _own_size(value) -> int:
    if isinstance(value, str):
        return len(value)
    return len(value) + 1 if isinstance(value, (dict, list, tuple)) else 1


def _own_text(value) -> int:
    if isinstance(value, str):
        return len(value) * _CHAR_TEXT + 2
    if isinstance(value, (dict, list, tuple)):
        return 4 * len(value) + 2  # brackets and separators
    if isinstance(value, int) and not isinstance(value, bool):
        return _SCALAR_TEXT + value.bit_length() // 3
    return _SCALAR_TEXT


def _bounded(value):
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_RESULT_LEN:
        _refuse("the result is too large", "hasil terlalu besar")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT ** 2:
        _refuse("the result is too large", "hasil terlalu besar")
    return value


def check_script(script: str) -> list[tuple[str, str]]:
    """Split a script into ``name = expression`` lines, each checked."""
    statements = []
    lines = (script or "").splitlines()
    if len(lines) > MAX_SCRIPT_LINES:
        _refuse(f"a script may hold at most {MAX_SCRIPT_LINES} lines",
                f"skrip paling banyak {MAX_SCRIPT_LINES} baris")
    for line in lines:
        if not line.strip() or line.strip().startswith("#"):
            continue
        name, sep, expr = line.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier() or name.startswith("_") or expr.startswith("="):
            _refuse("a script may only hold lines of the form 'name = expression'",
                    "skrip hanya boleh berisi baris berbentuk 'nama = ekspresi'")
        statements.append((name, expr.strip()))
    for _, expr in statements:
        compile_expression(expr)
    return statements


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    """A SpiffWorkflow script environment backed by the restricted evaluator."""

    def evaluate(self, expression, context, external_context=None, deadline=None):
        """Evaluate ``expression`` against the task data (and external context)."""
        names = dict(external_context or {})
        names.update(context)
        return evaluate(expression, names, deadline)

    def execute(self, script, context, external_context=None):
        """Run a script's assignments into ``context``, within one time budget."""
        deadline = time.monotonic() + MAX_SECONDS
        for name, expr in check_script(script):
            context[name] = self.evaluate(expr, context, external_context, deadline)
        return True
