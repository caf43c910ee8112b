"""Service-task operators: plain functions behind a registry."""
from .registry import Operator, OperatorContext, OperatorRegistry, ServiceError

__all__ = ["Operator", "OperatorContext", "OperatorRegistry", "ServiceError"]
