"""The diagram of a request: its process version's BPMN and its elements' states."""
from __future__ import annotations

from marshmallow import Schema, fields


class DiagramSchema(Schema):
    """BPMN XML of the version the request runs, with element and flow ids by state."""

    instance_id = fields.String()
    process_key = fields.String()
    version = fields.Integer()
    bpmn = fields.String(metadata={"description": "BPMN 2.0 XML with its diagram (BPMNDI)"})
    completed = fields.List(fields.String(), metadata={"description": "elements and flows passed"})
    current = fields.List(fields.String(),
                          metadata={"description": "ready tasks and service tasks at work"})
    failed = fields.List(fields.String(), metadata={"description": "service tasks in an incident"})
