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

from engine.audit import chain as audit
from engine.letters import rendering
from engine.notifications import agency as agency_news
from engine.notifications import mail as notify_mail
from engine.notifications import reminders
from engine.worker import timers
from engine.errors import Conflict, EngineError, ProcessFailure
from engine.services import ServiceError
from engine.storage.models import Instance, Job, Notification, ReadyTaskRow, ServiceCall

log = logging.getLogger("vicon.worker")
APPLY_TRIES = 5
PROJECTION_INTERVAL = timedelta(seconds=30)
# woken by a command of this process, the worker lets the request finish first: run at once, it
# took the interpreter's lock while the answer was being written and the client's next request
# read (over HTTP a request's commands took 18x SpiffWorkflow's time with it, 11-15x without)
SETTLE_SECONDS = 0.05


class Worker:
    """Runs jobs and timers for one engine (the facade: the worker runs on its kernel
    and its periodic chores, the busy-time sync, the retention sweep and the
    dashboard's projection)."""

    def __init__(self, engine, name: str = "worker"):
        self.kernel = engine.kernel
        self.chores = (engine.busy_sync.run_if_due, engine.privacy.sweep_if_due, self._project_if_due)
        self.projection = engine.monitoring.projection  # the dashboard's step times, kept current here
        self._projected_at = None
        self.name = name
        # jobs of an instance rather than of a BPMN task: the kernel's and the letters' layouts
        self.instance_jobs = {**rendering.JOBS, **self.kernel.instance_jobs}
        self.actor = f"system:{name}"
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
        for chore in self.chores:  # outside any transaction: the busy-time sync calls the provider
            chore()
        return total

    def _project_if_due(self) -> int:
        """Bring the dashboard's step-time projection up to date, at most once per
        ``PROJECTION_INTERVAL`` (so the first page visit finds it current)."""
        now = self.kernel.clock.now()
        if self._projected_at is not None and now - self._projected_at < PROJECTION_INTERVAL:
            return 0
        self._projected_at = now
        return self.projection.refresh()

    def _round(self) -> int:
        jobs_due, timers_due, expiries_due, reminders_due, mails_due = self._anything_due()
        actor, handled = f"system:{self.name}", 0
        while jobs_due and (job_id := self._claim()) is not None:
            self.run_job(job_id)
            handled += 1
        for due, step in ((timers_due, timers.fire_next_timer), (expiries_due, timers.expire_next),
                          (reminders_due, reminders.remind_next), (mails_due, notify_mail.send_next)):
            while due and step(self.kernel, actor):
                handled += 1
        return handled

    def _anything_due(self) -> tuple[bool, ...]:
        """One cheap read, one statement: is anything due? (An idle pass takes no write lock.)"""
        now = self.kernel.clock.now()
        due = ((self._due_jobs_query(now), Job.id), (timers.due_timers(now), Instance.id),
               (timers.due_expiries(now), Instance.id), (reminders.due_reminders(now), ReadyTaskRow.id),
               (notify_mail.due_mails(now), Notification.id))
        with self.kernel.db.reading() as session:
            found = session.execute(select(*(query.with_only_columns(column).exists()
                                             for query, column in due))).one()
        return tuple(bool(flag) for flag in found)

    def run_forever(self, stop: threading.Event, interval: float = 1.0) -> None:
        """Poll until ``stop`` is set; timers fire within ``interval`` of their due
        time, and a command in this process wakes the worker ``SETTLE_SECONDS`` later."""
        signal = self.kernel.work_signal
        while not stop.is_set():
            signal.clear()
            try:
                self.run_once()
            except Exception:  # keep the worker alive; the error is logged, the data is safe
                log.exception("worker pass failed")
            if signal.wait(interval):
                stop.wait(SETTLE_SECONDS)

    # -- jobs -------------------------------------------------------------------

    def _due_jobs_query(self, now):
        return select(Job).where(Job.status.in_(("pending", "running")), Job.next_attempt_at <= now)

    def _claim(self) -> int | None:
        now = self.kernel.clock.now()
        lease = timedelta(seconds=self.kernel.settings.job_lease_seconds)
        with self.kernel.db.transaction() as session:
            job = session.scalars(self.kernel.db.locking(self._due_jobs_query(now)
                                                .order_by(Job.next_attempt_at, Job.id).limit(1))).first()
            if job is None:
                return None
            job.status, job.attempts = "running", job.attempts + 1
            job.next_attempt_at, job.updated_at = now + lease, now
            return job.id

    def run_job(self, job_id: int) -> str:
        """Call, journal and apply one claimed job; return its new status."""
        kernel = self.kernel
        with kernel.db.reading() as session:
            job = session.get(Job, job_id)
            journal = session.get(ServiceCall, self._key(job))
            instance = session.get(Instance, job.instance_id)
            process = kernel.versions.compiled_by_id(session, instance.process_version_id)
        if journal is None:
            try:
                call = self._prepare(job, instance, process)
            except ProcessFailure as exc:  # its parameters cannot be evaluated: staff must see why
                return self._retry(job_id, {"message": _reason(exc), "final": True})
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
        kernel = self.kernel
        direct = self.instance_jobs.get(job.element_id)
        if direct is not None:  # a job of the instance itself (a meeting moved by staff)
            return direct.call(kernel, job, instance)
        workflow = kernel.live.take(instance, process, kernel.runner.script_engine)
        run = kernel.runner.new_session(kernel.clock, instance.id, kernel.ports(None))
        call = kernel.runner.external_call(workflow, job.task_id, run)
        kernel.live.keep(instance, workflow)  # only read: still the committed state
        return call

    def _call(self, job, call) -> tuple[str, dict]:
        operator = self.kernel.registry.get(call.operator)
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
                          payload=payload, called_at=self.kernel.clock.now())
        try:
            with self.kernel.db.transaction() as session:
                session.add(row)
        except IntegrityError:  # another attempt journaled first: use its result
            with self.kernel.db.reading() as session:
                row = session.get(ServiceCall, self._key(job))
        return row

    def _apply(self, job_id: int, outcome: str, payload: dict) -> str:
        for _ in range(APPLY_TRIES):
            try:
                return self._apply_once(job_id, outcome, payload)
            except (Conflict, OperationalError):
                continue  # a user changed the instance meanwhile: reload and apply again
        return "running"  # the lease expires and the job is picked up again

    def _apply_once(self, job_id: int, outcome: str, payload: dict) -> str:
        """Apply a job's result in one command on its instance; the job's new status."""
        def instance_of_job(session):
            return session.get(Instance, session.get(Job, job_id).instance_id)

        with self.kernel.command(instance_of_job, actor=self.actor) as cmd:
            job = cmd.session.get(Job, job_id)
            if job.status not in ("running", "pending"):
                return job.status
            direct = self.instance_jobs.get(job.element_id)
            status = direct.apply(self.kernel, cmd, job, outcome, payload) if direct is not None \
                else self._apply_to_task(cmd, job, outcome, payload)
            if status == "unhandled":
                cmd.discard()
                return self._incident_in(cmd.session, job, cmd.instance, self._unhandled(direct, outcome, payload),
                                         cmd.now)
            return status

    @staticmethod
    def _unhandled(direct, outcome: str, payload: dict) -> str:
        if direct is not None:
            return str(payload.get("message", outcome))
        return f"BPMN error {payload['code']} not caught"

    def _apply_to_task(self, cmd, job, outcome: str, payload: dict) -> str:
        """A service task's result (or BPMN error) into the workflow; the job's status."""
        runner = self.kernel.runner
        opened_before = agency_news.open_task_ids(cmd.instance)
        try:
            if outcome == "result":
                runner.apply_result(cmd.workflow, cmd.process, job.task_id, payload, cmd.run)
            elif not runner.throw_error(cmd.workflow, job.task_id, payload["code"], payload, cmd.run):
                return "unhandled"
        except EngineError as exc:
            cmd.discard()
            job.status, job.last_error, job.updated_at = "cancelled", exc.message_en, cmd.now
            return job.status
        cmd.save()
        agency_news.tell_of_new_tasks(cmd.session, cmd.instance, opened_before, cmd.now)
        job.status, job.updated_at = "done", cmd.now
        return job.status

    def _retry(self, job_id: int, payload: dict) -> str:
        kernel = self.kernel

        def instance_of_job(session):
            return session.get(Instance, session.get(Job, job_id).instance_id)

        with kernel.command(instance_of_job, actor=self.actor) as cmd:
            session, instance, now = cmd.session, cmd.instance, cmd.now
            job = session.get(Job, job_id)
            if payload["final"] or job.attempts >= kernel.settings.job_max_attempts:
                return self._incident_in(session, job, instance, payload["message"], now)
            delay = max(kernel.settings.job_backoff_seconds * 2 ** (job.attempts - 1),
                        payload.get("retry_after") or 0)  # never sooner than the service asked
            job.status, job.last_error = "pending", payload["message"]
            job.next_attempt_at = now + timedelta(seconds=delay * (1 + self.rng.random() * 0.25))
            job.updated_at = now
            audit.append(session, instance, at=now, type_="service_failed", actor=self.actor,
                         task=job.element_id, task_id=job.task_id,
                         data={"operator": job.operator, "error": payload["message"],
                               "attempt": job.attempts, "retry_at": job.next_attempt_at.isoformat()})
            return job.status

    def _incident_in(self, session, job, instance, message: str, now) -> str:
        job.status, job.last_error, job.updated_at = "incident", message, now
        if instance.status != "completed":  # a completed request's own job (a move) stays completed
            instance.status, instance.updated_at = "error", now
        audit.append(session, instance, at=now, type_="service_failed", actor=self.actor,
                     task=job.element_id, task_id=job.task_id,
                     data={"operator": job.operator, "error": message, "attempt": job.attempts,
                           "incident": True})
        return job.status

    def _set_status(self, job_id: int, status: str, message: str) -> str:
        with self.kernel.db.transaction() as session:
            job = session.get(Job, job_id)
            job.status, job.last_error, job.updated_at = status, message, self.kernel.clock.now()
        return status


def _reason(exc: ProcessFailure) -> str:
    """The failure's message with the error at its root (the library's wrapper hides it)."""
    root: BaseException = exc
    while (cause := root.__cause__ or root.__context__) is not None:
        root = cause
    return exc.message_en if root is exc else f"{exc.message_en} ({type(root).__name__}: {root})"
