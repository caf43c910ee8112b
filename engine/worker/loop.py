"""The worker: runs external service jobs after commit and fires due timers.

A job goes: claim (one transaction) -> call the operator outside any
transaction, with an idempotency key -> journal the result -> apply it to the
instance (a second transaction). A crash between call and apply is healed by
the journal: the next attempt applies the journaled result without calling
again. Several workers never take the same job: PostgreSQL rows are claimed
with ``FOR UPDATE SKIP LOCKED``; SQLite writers are serialized.
"""
from __future__ import annotations

import logging
import random
import threading
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from engine.audit import chain as audit
from engine.notifications import mail as notify_mail
from engine.notifications import reminders
from engine.worker import timers
from engine.errors import EngineError
from engine.services import ServiceError
from engine.storage.models import Instance, Job, Notification, ReadyTaskRow, ServiceCall
from engine.runtime.unit_of_work import save_instance

log = logging.getLogger("vicon.worker")
APPLY_TRIES = 5


class Worker:
    """Runs jobs and timers for one engine."""

    def __init__(self, engine, name: str = "worker"):
        self.engine = engine
        self.name = name
        self.rng = random.Random()

    # -- loop -------------------------------------------------------------------

    def run_once(self, max_rounds: int = 10) -> int:
        """Run every due job, timer, expiry and reminder; a round that handled
        something is followed by another (a fired timer may queue a job)."""
        total = 0
        for _ in range(max_rounds):
            handled = self._round()
            total += handled
            if not handled:
                break
        self.engine.busy_sync.run_if_due()  # outside any transaction: it calls the provider
        self.engine.privacy.sweep_if_due()  # personal data past its retention period
        return total

    def _round(self) -> int:
        jobs_due, timers_due, expiries_due, reminders_due, mails_due = self._anything_due()
        actor, handled = f"system:{self.name}", 0
        while jobs_due and (job_id := self._claim()) is not None:
            self.run_job(job_id)
            handled += 1
        for due, step in ((timers_due, timers.fire_next_timer), (expiries_due, timers.expire_next),
                          (reminders_due, reminders.remind_next), (mails_due, notify_mail.send_next)):
            while due and step(self.engine, actor):
                handled += 1
        return handled

    def _anything_due(self) -> tuple[bool, ...]:
        """One cheap read: is anything due? (An idle pass takes no write lock.)"""
        now = self.engine.clock.now()
        with self.engine.db.reading() as session:
            found = [session.scalar(query.with_only_columns(column).limit(1)) is not None
                     for query, column in ((self._due_jobs_query(now), Job.id),
                                           (timers.due_timers(now), Instance.id),
                                           (timers.due_expiries(now), Instance.id),
                                           (reminders.due_reminders(now), ReadyTaskRow.id),
                                           (notify_mail.due_mails(now), Notification.id))]
        return tuple(found)

    def run_forever(self, stop: threading.Event, interval: float = 1.0) -> None:
        """Poll until ``stop`` is set; timers fire within ``interval`` of their due
        time, and a command in this process wakes the worker at once."""
        signal = self.engine.work_signal
        while not stop.is_set():
            signal.clear()
            try:
                self.run_once()
            except Exception:  # keep the worker alive; the error is logged, the data is safe
                log.exception("worker pass failed")
            signal.wait(interval)

    # -- jobs -------------------------------------------------------------------

    def _due_jobs_query(self, now):
        return select(Job).where(Job.status.in_(("pending", "running")), Job.next_attempt_at <= now)

    def _claim(self) -> int | None:
        now = self.engine.clock.now()
        lease = timedelta(seconds=self.engine.settings.job_lease_seconds)
        with self.engine.db.transaction() as session:
            job = session.scalars(self.engine.db.locking(self._due_jobs_query(now)
                                                .order_by(Job.next_attempt_at, Job.id).limit(1))).first()
            if job is None:
                return None
            job.status, job.attempts = "running", job.attempts + 1
            job.next_attempt_at, job.updated_at = now + lease, now
            return job.id

    def run_job(self, job_id: int) -> str:
        """Call, journal and apply one claimed job; return its new status."""
        engine = self.engine
        with engine.db.reading() as session:
            job = session.get(Job, job_id)
            journal = session.get(ServiceCall, self._key(job))
            instance = session.get(Instance, job.instance_id)
            process = engine.versions.compiled_by_id(session, instance.process_version_id)
        if journal is None:
            try:
                call = self._prepare(job, instance, process)
            except EngineError:
                return self._set_status(job_id, "cancelled", "the task is no longer waiting")
            outcome, payload = self._call(job, call)
            if outcome == "retry":
                return self._retry(job_id, payload)
            journal = self._journal(job, outcome, payload)
        return self._apply(job_id, journal.outcome, journal.payload)

    @staticmethod
    def _key(job) -> str:
        return f"{job.instance_id}:{job.task_id}"

    def _prepare(self, job, instance, process):
        direct = self.engine.direct_jobs.get(job.element_id)
        if direct is not None:  # a job of the instance itself (a meeting moved by staff)
            return direct.call(self.engine, job, instance)
        workflow = self.engine.live.take(instance, process, self.engine.runner.script_engine)
        run = self.engine.runner.new_session(self.engine.clock, instance.id, self.engine.ports(None))
        call = self.engine.runner.external_call(workflow, job.task_id, run)
        self.engine.live.keep(instance, workflow)  # only read: still the committed state
        return call

    def _call(self, job, call) -> tuple[str, dict]:
        operator = self.engine.registry.get(call.operator)
        try:
            return "result", operator.fn(call.context, **call.params)
        except ServiceError as exc:
            if exc.bpmn_error_code:
                return "bpmn_error", {"code": exc.bpmn_error_code, "message": str(exc), **exc.detail}
            if exc.transient:
                return "retry", {"message": str(exc), "final": False,
                                 "retry_after": exc.detail.get("retry_after")}
            return "retry", {"message": str(exc), "final": True}
        except Exception as exc:  # an operator bug must not kill the worker: retried, then an incident
            log.exception("operator %s failed", call.operator)
            return "retry", {"message": f"{type(exc).__name__}: {exc}", "final": False}

    def _journal(self, job, outcome: str, payload: dict) -> ServiceCall:
        row = ServiceCall(key=self._key(job), operator=job.operator, outcome=outcome,
                          payload=payload, called_at=self.engine.clock.now())
        try:
            with self.engine.db.transaction() as session:
                session.add(row)
        except IntegrityError:  # another attempt journaled first: use its result
            with self.engine.db.reading() as session:
                row = session.get(ServiceCall, self._key(job))
        return row

    def _apply(self, job_id: int, outcome: str, payload: dict) -> str:
        for _ in range(APPLY_TRIES):
            try:
                return self._apply_once(job_id, outcome, payload)
            except (StaleDataError, OperationalError):
                continue  # a user changed the instance meanwhile: reload and apply again
        return "running"  # the lease expires and the job is picked up again

    def _apply_once(self, job_id: int, outcome: str, payload: dict) -> str:
        engine, now = self.engine, self.engine.clock.now()
        kept = {}
        status = self._apply_in_transaction(job_id, outcome, payload, now, kept)
        if kept:
            engine.live.keep(kept["instance"], kept["workflow"])
        return status

    def _apply_in_transaction(self, job_id, outcome, payload, now, kept) -> str:
        engine = self.engine
        with engine.db.transaction() as session:
            job = session.get(Job, job_id)
            if job.status not in ("running", "pending"):
                return job.status
            instance = session.get(Instance, job.instance_id)
            direct = engine.direct_jobs.get(job.element_id)
            if direct is not None:
                status = direct.apply(engine, session, job, instance, outcome, payload, now,
                                      f"system:{self.name}", kept)
                return status if status != "unhandled" else \
                    self._incident_in(session, job, instance, str(payload.get("message", outcome)), now)
            process = engine.versions.compiled_by_id(session, instance.process_version_id)
            workflow = engine.live.take(instance, process, engine.runner.script_engine)
            run = engine.runner.new_session(engine.clock, instance.id, engine.ports(session))
            try:
                if outcome == "result":
                    engine.runner.apply_result(workflow, process, job.task_id, payload, run)
                elif not engine.runner.throw_error(workflow, job.task_id, payload["code"], payload, run):
                    return self._incident_in(session, job, instance, f"BPMN error {payload['code']} not caught", now)
            except EngineError as exc:
                job.status, job.last_error, job.updated_at = "cancelled", exc.message_en, now
                return job.status
            save_instance(session, instance, workflow, process, now, run.events, actor=f"system:{self.name}")
            job.status, job.updated_at = "done", now
            kept.update(instance=instance, workflow=workflow)
            return job.status

    def _retry(self, job_id: int, payload: dict) -> str:
        engine, now = self.engine, self.engine.clock.now()
        with engine.db.transaction() as session:
            job = session.get(Job, job_id)
            instance = session.get(Instance, job.instance_id)
            if payload["final"] or job.attempts >= engine.settings.job_max_attempts:
                return self._incident_in(session, job, instance, payload["message"], now)
            delay = max(engine.settings.job_backoff_seconds * 2 ** (job.attempts - 1),
                        payload.get("retry_after") or 0)  # never sooner than the service asked
            job.status, job.last_error = "pending", payload["message"]
            job.next_attempt_at = now + timedelta(seconds=delay * (1 + self.rng.random() * 0.25))
            job.updated_at = now
            audit.append(session, instance, at=now, type_="service_failed", actor=f"system:{self.name}",
                         task=job.element_id, task_id=job.task_id,
                         data={"operator": job.operator, "error": payload["message"],
                               "attempt": job.attempts, "retry_at": job.next_attempt_at.isoformat()})
            return job.status

    def _incident_in(self, session, job, instance, message: str, now) -> str:
        job.status, job.last_error, job.updated_at = "incident", message, now
        if instance.status != "completed":  # a completed request's own job (a move) stays completed
            instance.status, instance.updated_at = "error", now
        audit.append(session, instance, at=now, type_="service_failed", actor=f"system:{self.name}",
                     task=job.element_id, task_id=job.task_id,
                     data={"operator": job.operator, "error": message, "attempt": job.attempts,
                           "incident": True})
        return job.status

    def _set_status(self, job_id: int, status: str, message: str) -> str:
        with self.engine.db.transaction() as session:
            job = session.get(Job, job_id)
            job.status, job.last_error, job.updated_at = status, message, self.engine.clock.now()
        return status
