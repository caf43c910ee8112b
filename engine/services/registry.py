"""Moved to ``engine.runtime.operators``; kept until the worker's jobs import it from there."""
from engine.runtime.operators import Operator, OperatorContext, OperatorRegistry, ServiceError

__all__ = ["Operator", "OperatorContext", "OperatorRegistry", "ServiceError"]
