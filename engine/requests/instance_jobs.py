"""Worker jobs of an instance rather than of a BPMN task: a change staff or
the agency asked for after the process moved on (a meeting moved, a
fulfilled request withdrawn). Their parameters live in ``meeting_changes``."""
from __future__ import annotations

import uuid

from sqlalchemy import select

from engine.runtime.runner import ExternalCall
from engine.runtime.operators import OperatorContext
from engine.storage.models import Job, MeetingChange


class InstanceJob:
    """The common half of such a job: its call, built from the stored change."""

    element: str = ""
    operator: str = ""

    def queue(self, session, instance, kind: str, params: dict, username: str, now) -> str:
        """Store the change and its job (inside the command's transaction); return the job's id."""
        task_id = str(uuid.uuid4())
        session.add(MeetingChange(instance_id=instance.id, job_task_id=task_id, kind=kind, params=params,
                                  requested_by=username, requested_at=now))
        session.add(Job(instance_id=instance.id, task_id=task_id, element_id=self.element,
                        operator=self.operator, status="pending", attempts=0, next_attempt_at=now,
                        created_at=now, updated_at=now))
        return task_id

    def call(self, kernel, job, instance) -> ExternalCall:
        """The operator call, from the change the command stored."""
        with kernel.db.reading() as session:
            params = dict(self.change(session, job).params)
        context = OperatorContext(instance_id=instance.id, task_id=job.task_id, element_id=self.element,
                                  now=kernel.clock.now(), idempotency_key=f"{instance.id}:{job.task_id}",
                                  data={"request": (instance.facts or {}).get("request") or {}},
                                  ports=kernel.ports(None))
        return ExternalCall(job.task_id, self.element, self.operator, params, context)

    def apply(self, kernel, cmd, job, outcome: str, payload: dict) -> str:
        """Apply the operator's answer inside the worker's command (``cmd``, on the job's
        instance); the job's new status, or "unhandled" (the worker makes it an incident)."""
        raise NotImplementedError

    @staticmethod
    def change(session, job) -> MeetingChange:
        """The change behind ``job``."""
        return session.scalars(select(MeetingChange).where(MeetingChange.job_task_id == job.task_id)).one()
