"""Service-task operators: plain functions behind a registry."""
from engine.runtime.operators import Operator, OperatorContext, OperatorRegistry, ServiceError

__all__ = ["Operator", "OperatorContext", "OperatorRegistry", "ServiceError"]
