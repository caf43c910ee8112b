"""The SpiffWorkflow script engine we run: restricted expressions, and local
service operators called through our registry.

``call_service`` is overridden on the engine (not the environment) because
SpiffWorkflow 3.2.0's environment path masks every error as
``NameError: name 'script' is not defined``.
"""
from __future__ import annotations

import contextlib
import contextvars
import json

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine

from engine.definitions.expressions import RestrictedEnvironment
from engine.errors import ServiceError
from engine.runtime.operators import OperatorContext

_session: contextvars.ContextVar = contextvars.ContextVar("vicon_session", default=None)


@contextlib.contextmanager
def operator_session(session):
    """Within the block, local operators see ``session`` (instance id, clock, ports)."""
    token = _session.set(session)
    try:
        yield session
    finally:
        _session.reset(token)


def operator_context(task, session) -> OperatorContext:
    """The context an operator gets for ``task``."""
    return OperatorContext(
        instance_id=getattr(session, "instance_id", None), task_id=str(task.id),
        element_id=task.task_spec.bpmn_id, now=session.clock.now(),
        idempotency_key=f"{getattr(session, 'instance_id', '')}:{task.id}",
        data=task.data, ports=getattr(session, "ports", None),
    )


class SopScriptEngine(PythonScriptEngine):
    """Restricted evaluator plus registry-backed local operators."""

    def __init__(self, registry):
        super().__init__(environment=RestrictedEnvironment())
        self.registry = registry

    def call_service(self, task, operation_name=None, operation_params=None, **kwargs):
        """Run a local operator inline; the result is returned as JSON text."""
        session = _session.get()
        if session is None:
            raise WorkflowTaskException("no operator session is active", task=task)
        params = {k: v["value"] for k, v in (operation_params or {}).items()}
        try:
            operator = self.registry.get(operation_name)
            result = operator.fn(operator_context(task, session), **params)
        except (ServiceError, KeyError, TypeError, ValueError) as exc:
            raise WorkflowTaskException(f"service '{operation_name}' failed: {exc}",
                                        task=task, exception=exc) from exc
        session.record(operator.audit_event, task, {"operator": operation_name, "result": result})
        return json.dumps(result, default=str)
