"""Worker jobs of an instance rather than of a BPMN task: a change staff or
the agency asked for after the process moved on (a meeting moved, a
fulfilled request withdrawn). Their parameters live in ``meeting_changes``."""
from __future__ import annotations

from sqlalchemy import select

from .runtime import ExternalCall
from .services.registry import OperatorContext
from .storage.models import MeetingChange


class InstanceJob:
    """The common half of such a job: its call, built from the stored change."""

    element: str = ""
    operator: str = ""

    def call(self, engine, job, instance) -> ExternalCall:
        """The operator call, from the change the command stored."""
        with engine.db.reading() as session:
            params = dict(self.change(session, job).params)
        context = OperatorContext(instance_id=instance.id, task_id=job.task_id, element_id=self.element,
                                  now=engine.clock.now(), idempotency_key=f"{instance.id}:{job.task_id}",
                                  data={"request": (instance.facts or {}).get("request") or {}},
                                  ports=engine.ports(None))
        return ExternalCall(job.task_id, self.element, self.operator, params, context)

    @staticmethod
    def change(session, job) -> MeetingChange:
        """The change behind ``job``."""
        return session.scalars(select(MeetingChange).where(MeetingChange.job_task_id == job.task_id)).one()
