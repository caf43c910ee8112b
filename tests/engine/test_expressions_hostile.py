"""A corpus of hostile expressions, each injected into every place an
expression or script can stand: refused at deploy when its text shows the
attack, refused at run time (never a hang) when only the data does."""
from __future__ import annotations

import time
from xml.sax.saxutils import escape

import pytest

from engine.definitions.compiler import compile_process
from engine.definitions.expressions import (
    ExpressionError, RestrictedEnvironment, compile_expression, evaluate,
)
from engine.definitions.problems import DeployError
from engine.services.catalog import default_registry
from tests.engine.test_deploy_validation import sop_variant

DATA = {"n": 5, "big": 10**12, "text": "abc", "schedule": {"status": "free", "hosts": [1, 2]},
        "disposition_kadis": {"decision": "forward"}, "request": {"start_at": "2026-12-09T10:00:00+08:00"}}

HOSTILE = [
    # imports and code execution
    '__import__("os").system("id")', 'import os', 'exec("1")', 'eval("1")', 'compile("1", "x", "eval")',
    # attribute escapes
    '().__class__.__base__.__subclasses__()', '"".__class__.__mro__', 'n.real', 'schedule.keys()',
    'getattr(n, "real")', 'type(n)',
    # frames
    '(x for x in []).gi_frame', '[c for c in ().__class__.__bases__]', 'lambda: 1', '(yield 1)',
    # builtins and namespaces
    '__builtins__', 'globals()', 'vars()', 'open("/etc/passwd")', 'breakpoint()', '_hidden', '(n := 3)',
    '{**schedule}',
    # format-string attacks
    '"{0.__class__}".format(n)', '"%s" % n', "'%0*d' % (500000000, 1)", '"%.999999999f" % 1.0',
    'f"{n!r:>999999999}"', 'text % (n,)',
    # size bombs
    '"a" * 10 ** 9', '"a" * 999999999', '[0] * 100000000', 'str(["a" * 100000] * 9)',
    'str(["a" * 10000] * 9)', '[["a" * 1000] * 100] * 100', '9' * 3000, 'x' * 5000,
    'round(1, -1000000000000)', 'round(1, -99)', 'big * big * big * big', '"a" * (n * 999999999)',
    '[schedule] * 99999', 'str([[[["x" * 100] * 10] * 10] * 10])', 'text + "a" * 99999',
    # time bombs: values that only the data makes large, and text too long to read
    'round(1, -n * 100000000000)', 'round(big, 0 - big)', '-' * 1999 + '1', 'not ' * 499 + 'n',
]


def _refused(source: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        evaluate(source, dict(DATA))
    return caught.value


def _static_error(source: str) -> ExpressionError | None:
    try:
        compile_expression(source)
    except ExpressionError as exc:
        return exc
    return None


def test_the_corpus_is_large_enough():
    assert len(set(HOSTILE)) == len(HOSTILE) >= 30


@pytest.mark.timeout(60)
@pytest.mark.parametrize("source", HOSTILE, ids=range(len(HOSTILE)))
def test_the_evaluator_refuses_it_quickly(source):
    started = time.monotonic()
    error = _refused(source)
    assert error.message_id and error.message_en
    assert time.monotonic() - started < 2


@pytest.mark.timeout(60)
@pytest.mark.parametrize("source", HOSTILE, ids=range(len(HOSTILE)))
def test_a_script_line_refuses_it_quickly(source):
    context = dict(DATA)
    with pytest.raises(ExpressionError):
        RestrictedEnvironment().execute(f"result = {source}", context)
    assert "result" not in context


def _places(source: str):
    """(element, BPMN variant) for each place an expression or script can stand in the SOP."""
    attr, text = escape(source, {'"': "&quot;"}), escape(source)
    return [
        ("G02_decision", sop_variant(b'disposition_kadis["decision"] == "forward"', text.encode())),
        ("B08_sla_timer", sop_variant(b"due_T08_review_draft</bpmn:timeDate>",
                                      text.encode() + b"</bpmn:timeDate>")),
        ("T04_check_schedule", sop_variant(b'value="request[&quot;start_at&quot;]"', f'value="{attr}"'.encode())),
        ("T02_disposition_kadis", sop_variant(
            b"<spiffworkflow:variableName>disposition_kadis</spiffworkflow:variableName>",
            b"<spiffworkflow:variableName>disposition_kadis</spiffworkflow:variableName>"
            b"<spiffworkflow:preScript>result = " + text.encode() + b"</spiffworkflow:preScript>")),
    ]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("source", HOSTILE, ids=range(len(HOSTILE)))
def test_deploy_names_the_element_or_run_time_refuses_it(source):
    static = _static_error(source)
    for element_id, (bpmn, forms) in _places(source):
        try:
            compile_process(bpmn, forms, default_registry())
            problems = []
        except DeployError as caught:
            problems = caught.problems
        mine = [p for p in problems if p.element_id == element_id and static and static.message_en in p.message_en]
        if static is not None:
            assert mine, (element_id, problems)
        else:
            assert not [p for p in problems if p.element_id == element_id and "expression" in p.message_en]
            _refused(source)  # what deploy lets through, run time refuses


@pytest.mark.timeout(60)
@pytest.mark.parametrize("old, new", [
    (b'disposition_kadis["decision"] == "forward"',
     b'round(1, -len(disposition_kadis["decision"]) * 100000000000) == 1'),
    (b'disposition_kadis["decision"] == "forward"',
     b'len(str([disposition_kadis] * 99999)) &gt; 0'),
], ids=["round-digits", "text-of-a-large-list"])
def test_a_bomb_only_the_data_arms_fails_the_step_at_run_time(clock, old, new):
    from engine.errors import ProcessFailure
    from tests.conftest import future_request
    from tests.engine.sop import MemoryInstance

    bpmn, forms = sop_variant(old, new)
    inst = MemoryInstance(clock)
    inst.process = compile_process(bpmn, forms, inst.registry)  # deploy accepts it
    inst.start(future_request(clock))
    started = time.monotonic()
    with pytest.raises(ProcessFailure) as caught:
        inst.complete("T02_disposition_kadis", {"decision": "forward"})
    assert time.monotonic() - started < 5
    assert isinstance(_root_cause(caught.value), ExpressionError)


def _root_cause(error):
    while (error.__cause__ or error.__context__) is not None:
        error = error.__cause__ or error.__context__
    return error
