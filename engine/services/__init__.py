"""Service-task operators: plain functions behind a registry."""
from engine.services.registry import Operator, OperatorContext, OperatorRegistry, ServiceError

__all__ = ["Operator", "OperatorContext", "OperatorRegistry", "ServiceError"]
