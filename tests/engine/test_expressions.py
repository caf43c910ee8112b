"""The restricted evaluator runs what the SOP needs and refuses the rest."""
import pytest

from engine.definitions.expressions import ExpressionError, RestrictedEnvironment, check_script, evaluate

DATA = {"disposition_kadis": {"decision": "forward"}, "schedule": {"status": "free", "hosts": [1, 2]},
        "n": 5, "due_T08_review_draft": "2026-12-08T01:00:00+00:00"}


@pytest.mark.parametrize("expr, expected", [
    ('disposition_kadis["decision"] == "forward"', True),
    ('schedule["status"] != "free" or n > 3', True),
    ('len(schedule["hosts"]) * 2 + n % 3', 6),
    ('"a" if n >= 5 else "b"', "a"),
    ('due_T08_review_draft', "2026-12-08T01:00:00+00:00"),
    ('"PT15M"', "PT15M"),
    ('schedule["hosts"][-1]', 2),
    ('n in [1, 5] and not (n < 0)', True),
    ('max(n, 7) - min(1, n)', 6),
    ('{"a": n}["a"]', 5),
])
def test_allowed_expressions(expr, expected):
    assert evaluate(expr, DATA) == expected


@pytest.mark.parametrize("hostile", [
    '__import__("os").system("id")',
    'import os',
    '().__class__.__base__.__subclasses__()',
    'schedule.__class__',
    'n.real',
    '[c for c in ().__class__.__bases__]',
    'lambda: 1',
    'open("/etc/passwd").read()',
    'eval("1")',
    'getattr(n, "real")',
    '_hidden',
    '__builtins__',
    '"a" * 10 ** 9',
    '"a" * 999999999',
    '[0] * 100000000',
    '9' * 3000,
    'x' * 5000,
    '(yield 1)',
    'globals()',
    '{**schedule}',
    'f"{n}"',
    '(n := 3)',
])
def test_hostile_expressions_are_refused(hostile):
    with pytest.raises(ExpressionError) as caught:
        evaluate(hostile, DATA)
    assert caught.value.message_id and caught.value.message_en


def test_unknown_name_is_a_clear_error():
    with pytest.raises(ExpressionError, match="not defined"):
        evaluate("missing_var == 1", DATA)


def test_scripts_allow_only_assignments():
    assert check_script("a = 1\nb = n + 1\n") == [("a", "1"), ("b", "n + 1")]
    for bad in ["import os", "a = __import__('os')", "for x in y: pass", "a == 1", "_a = 1"]:
        with pytest.raises(ExpressionError):
            check_script(bad)


def test_environment_executes_assignments_into_task_data():
    context = {"n": 2}
    RestrictedEnvironment().execute("doubled = n * 2", context)
    assert context == {"n": 2, "doubled": 4}
