"""The operator registry: how the runner reaches service-task operators
(the operators themselves live in ``engine/services/``, above the runtime).

An operator is ``fn(ctx, **params) -> dict``. Local operators read or write
only our own data and run inline, inside the command's transaction. External
operators reach the outside world and run in the worker after commit, with
an idempotency key in ``ctx``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

# defined with the engine's errors: the letter transport raises it too
from engine.errors import ServiceError

__all__ = ["Operator", "OperatorContext", "OperatorRegistry", "ServiceError"]


@dataclass
class OperatorContext:
    """What an operator may know: its instance, task, time and ports."""

    instance_id: str | None
    task_id: str
    element_id: str
    now: datetime
    idempotency_key: str
    data: dict = field(default_factory=dict)
    ports: Any = None


@dataclass(frozen=True)
class Operator:
    """A registered operator."""

    name: str
    fn: Callable[..., dict]
    external: bool
    description: str = ""
    audit_event: str = "service_completed"
    secret_keys: tuple = ()  # result keys kept out of the audit trail (e.g. a host's start link)

    def audited(self, result: dict) -> dict:
        """``result`` as the audit trail keeps it."""
        if not self.secret_keys or not isinstance(result, dict):
            return result
        return {k: ("[rahasia]" if k in self.secret_keys else v) for k, v in result.items()}


class OperatorRegistry:
    """Operators by their ``<system>/<verb_object>`` id."""

    def __init__(self):
        self._operators: dict[str, Operator] = {}

    def register(self, name: str, fn: Callable[..., dict], *, external: bool, description: str = "",
                 audit_event: str = "service_completed", secret_keys: tuple = ()):
        """Register ``fn`` as operator ``name``; ``audit_event`` names its audit event type,
        ``secret_keys`` the result keys the audit trail must not show."""
        self._operators[name] = Operator(name, fn, external, description, audit_event, tuple(secret_keys))
        return fn

    def get(self, name: str) -> Operator:
        """The operator ``name``; KeyError if unknown."""
        return self._operators[name]

    def __contains__(self, name: str) -> bool:
        return name in self._operators

    def names(self) -> list[str]:
        """All registered operator ids."""
        return sorted(self._operators)

    def external_names(self) -> set[str]:
        """Ids of operators that run in the worker."""
        return {n for n, op in self._operators.items() if op.external}
