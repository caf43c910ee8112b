"""Incidents: external jobs whose retries ran out, listed for admins and
managers, and put back in the queue by an admin (a command on the instance)."""
from __future__ import annotations

from sqlalchemy import select

from engine.accounts import access
from engine.audit import chain as audit
from engine.errors import Conflict, NotFound
from engine.storage.models import Instance, Job
from engine.views import JobView


def list_incidents(kernel, actor) -> list:
    """External jobs whose retries ran out (admin and manager)."""
    access.require_role(actor, "admin", "manager")
    with kernel.db.reading() as session:
        return jobs(session, status="incident")


def retry_job(kernel, job_id: int, actor):
    """Put an incident back in the queue (admin); its JobView."""
    access.require_role(actor, "admin")
    job_id = int(job_id)

    def instance_of_incident(session):
        job = session.get(Job, job_id)
        if job is None:
            raise NotFound("no such job", "tugas layanan tidak ditemukan")
        if job.status != "incident":
            raise Conflict("only an incident can be retried", "hanya insiden yang dapat diulang")
        return session.get(Instance, job.instance_id)

    with kernel.command(instance_of_incident) as cmd:
        job, instance, now = cmd.session.get(Job, job_id), cmd.instance, cmd.now
        job.status, job.attempts, job.next_attempt_at, job.updated_at = "pending", 0, now, now
        if instance.status == "error":
            instance.status, instance.updated_at = "running", now
        audit.append(cmd.session, instance, at=now, type_="job_retried", actor=actor.username,
                     task=job.element_id, task_id=job.task_id, data={"operator": job.operator})
        return job_view(job)


def job_view(row: Job) -> JobView:
    """A job row as a view."""
    return JobView(row.id, row.instance_id, row.element_id, row.operator, row.status, row.attempts,
                   row.last_error, row.next_attempt_at)


def jobs(session, status: str) -> list[JobView]:
    """Jobs in ``status``, oldest first."""
    rows = session.scalars(select(Job).where(Job.status == status).order_by(Job.created_at, Job.id))
    return [job_view(r) for r in rows]
