"""A restricted evaluator for the Python expressions that BPMN carries.

SpiffWorkflow evaluates conditions, timer values and service parameters with
plain ``eval``. Analysts deploy BPMN at run time, so we interpret a small
allow-listed subset of Python ourselves: literals, names, subscripts,
comparisons, boolean and arithmetic operators, conditional expressions and a
few pure built-in functions. No attribute access, no dunder or private names,
no imports, lambdas or comprehensions, and sizes are capped.
"""
from __future__ import annotations

import ast
import operator
from functools import lru_cache

from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

MAX_SOURCE_CHARS = 2000
MAX_NODES = 200
MAX_CONSTANT_CHARS = 1000
MAX_INT = 10**12
MAX_RESULT_LEN = 100_000


class ExpressionError(ValueError):
    """An expression that is refused or fails; ``message_id``/``message_en`` explain why."""

    def __init__(self, message_en: str, message_id: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_id = message_id


def _safe_round(value, ndigits=None):
    return round(value, ndigits) if ndigits is not None else round(value)


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
    nodes = list(ast.walk(tree))
    if len(nodes) > MAX_NODES:
        _refuse("the expression is too complex", "ekspresi terlalu rumit")
    for node in nodes:
        _check_node(node)
    return tree


def evaluate(source: str, names: dict):
    """Evaluate a checked expression against ``names`` (task data)."""
    tree = compile_expression(source)
    return _Interpreter(names).visit(tree.body)


class _Interpreter:
    def __init__(self, names: dict):
        self.names = names

    def visit(self, node):
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
            _check_repeat(left, right)
        return _bounded(_BINARY[type(node.op)](left, right))

    def visit_IfExp(self, node):
        return self.visit(node.body) if self.visit(node.test) else self.visit(node.orelse)

    def visit_List(self, node):
        return [self.visit(e) for e in node.elts]

    def visit_Tuple(self, node):
        return tuple(self.visit(e) for e in node.elts)

    def visit_Dict(self, node):
        if any(k is None for k in node.keys):
            _refuse("dict unpacking is not allowed", "pembongkaran dict tidak diizinkan")
        return {self.visit(k): self.visit(v) for k, v in zip(node.keys, node.values)}

    def visit_Call(self, node):
        return _bounded(FUNCTIONS[node.func.id](*(self.visit(a) for a in node.args)))


def _check_repeat(left, right) -> None:
    for seq, count in ((left, right), (right, left)):
        if isinstance(seq, (str, list, tuple)) and isinstance(count, int):
            if len(seq) * max(count, 0) > MAX_RESULT_LEN:
                _refuse("the result would be too large", "hasil akan terlalu besar")


def _bounded(value):
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_RESULT_LEN:
        _refuse("the result is too large", "hasil terlalu besar")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT ** 2:
        _refuse("the result is too large", "hasil terlalu besar")
    return value


def check_script(script: str) -> list[tuple[str, ast.Expression]]:
    """Split a script into ``name = expression`` lines, each checked."""
    statements = []
    for line in (script or "").splitlines():
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

    def evaluate(self, expression, context, external_context=None):
        names = dict(external_context or {})
        names.update(context)
        return evaluate(expression, names)

    def execute(self, script, context, external_context=None):
        for name, expr in check_script(script):
            context[name] = self.evaluate(expr, context, external_context)
        return True
