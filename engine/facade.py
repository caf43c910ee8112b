"""The engine facade: every command is one transaction, every answer a plain
dataclass. The API calls nothing else."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from engine.accounts import access
from engine.accounts import directory as accounts
from engine.audit import chain as audit
from engine.demo import accounts as demo
from engine.accounts import first_admin
from engine.accounts import host_accounts
from engine.notifications import inbox
from engine.requests import late_withdrawal
from engine.requests import queries
from engine.requests import rescheduling
from engine.requests import withdrawal
from engine.versions import migration
from engine.versions import upload as process_upload
from engine.versions import history as version_history
from engine.storage.backup import backup as backup_database, restore as restore_database
from engine.runtime.clock import SystemClock
from engine.errors import Conflict, InvalidData, NotFound
from engine.definitions.forms import fill_defaults, message, validate
from engine.definitions import form_rules
from engine.calendar.store import KINDS, CalendarStore, calendar_view
from engine.calendar.dates import long_datetime
from engine.runtime.runner import Runner, task_data
from engine.services.catalog import default_registry
from engine.worker.busy_sync import BusyTimeSync
from engine.services.providers import build_provider
from engine.settings import Settings
from engine.letters.desk import LetterDesk
from engine.accounts.admin import AccountAdmin
from engine.accounts.delegations import Delegations, today as wita_today
from engine.requests.files import RequestFiles
from engine.requests.tracking import Tracking
from engine.runtime.live import LiveWorkflows
from engine.monitoring.service import Monitoring
from engine.audit.privacy import PersonalData
from engine.storage.db import Database
from engine.storage.models import AuditEvent, Instance, Job, ReadyTaskRow
from engine.storage.hosts import SqlHostDirectory
from engine.storage.ports import FileOutbox, SqlEscalations, SqlPorts, SqlSchedule
from engine.runtime.unit_of_work import save_instance
from engine.versions.store import VersionStore, read_bundle
from engine.views import Actor

RACE_ERRORS = (StaleDataError, IntegrityError)


class Engine:
    """The one entry point of the engine."""

    def __init__(self, settings: Settings | None = None, *, clock=None, registry=None,
                 meeting_provider=None, deadline=None):
        self.settings = settings or Settings()
        self.clock = clock or SystemClock()
        self.db = Database(self.settings.database_url)
        self.calendar = CalendarStore(self.db, self.settings.office_hours)
        self.registry = registry or default_registry()
        self.runner = Runner(self.registry, deadline or self.calendar.deadline)
        self.versions = VersionStore(self.registry)
        self.outbox = FileOutbox(self.settings.outbox_dir)
        self.meeting_provider = meeting_provider or build_provider(self.settings)
        self.hosts = SqlHostDirectory(self.db, self.settings.schedule_buffer_minutes)
        self.busy_sync = BusyTimeSync(self, self.hosts)
        self.direct_jobs = {rescheduling.ELEMENT: rescheduling.RescheduleJob(),
                            late_withdrawal.ELEMENT: late_withdrawal.CancelJob()}
        self.letters = LetterDesk(self)
        self.delegations = Delegations(self)
        self.account_admin = AccountAdmin(self)
        self.tracking = Tracking(self)
        self.request_files = RequestFiles(self)
        self.work_signal = threading.Event()
        self.live = LiveWorkflows()
        self.monitoring = Monitoring(self)  # dashboard, recap, meeting calendar
        self.privacy = PersonalData(self)  # retention, export and erasure of contacts' data

    # -- set-up ---------------------------------------------------------------

    def setup(self) -> None:
        """Migrate the schema to the newest revision and deploy the bundled
        processes (new content only)."""
        self.db.upgrade_schema()
        with self.db.transaction() as session:
            # app and worker processes start together: they take turns, so the
            # bundled processes deploy once
            self.db.take_turns(session)
            self.calendar.seed(session)
            for path in sorted(self.settings.processes_dir.glob("*.bpmn")):
                bpmn, forms = read_bundle(path, self.settings.forms_dir)
                self.versions.deploy(session, bpmn, forms, actor="system", now=self.clock.now())

    def deploy(self, bpmn: bytes, form_files: dict[str, bytes], actor: Actor):
        """Validate and store a new version (analyst, admin): a DeployedVersion, the
        existing one for identical content; DeployError lists the problems. Forms
        not given come from the newest version of the process or from ``forms/``."""
        return process_upload.deploy(self, bpmn, form_files, actor)

    def validate(self, bpmn: bytes, form_files: dict[str, bytes], lang: str = "id") -> list:
        """Every Problem of a process definition (XSD, then the lint), storing nothing."""
        return process_upload.validate(self, bpmn, form_files)

    def process_versions(self, key: str, actor: Actor) -> list:
        """Every version of a process, newest first, with changes and running requests."""
        return version_history.list_versions(self, key, actor)

    def processes(self, actor: Actor) -> list:
        """Every process with its newest version and running requests (analyst, admin)."""
        return version_history.list_processes(self, actor)

    def version_bpmn(self, key: str, version: int, actor: Actor) -> bytes:
        """The stored BPMN XML of one version."""
        return version_history.version_bpmn(self, key, version, actor)

    def migration_dry_run(self, key: str, to_version: int, instance_ids, actor: Actor, lang: str = "id"):
        """Per running request: can it move to ``to_version``, and what changes."""
        return migration.dry_run(self, key, to_version, instance_ids, actor, lang)

    def migrate(self, key: str, to_version: int, instance_ids, actor: Actor, lang: str = "id"):
        """Move the chosen requests to ``to_version``; each one audited."""
        return migration.migrate(self, key, to_version, instance_ids, actor, lang)

    def close(self) -> None:
        """Release the database connections."""
        self.db.dispose()

    def ports(self, session) -> SqlPorts:
        """Operator ports bound to ``session`` (None: no database, worker side)."""
        return SqlPorts(
            schedule=SqlSchedule(session, self.settings.schedule_buffer_minutes,
                                 self.calendar.calendar) if session else None,
            escalations=SqlEscalations(session) if session else None,
            outbox=self.outbox, meeting_provider=self.meeting_provider, hosts=self.hosts,
            letters=self.letters.office(session))

    # -- accounts ---------------------------------------------------------------

    def authenticate(self, username: str, password: str) -> Actor | None:
        """The actor when the credentials are right, else None."""
        with self.db.reading() as session:
            return accounts.authenticate(session, username, password, wita_today(self.clock.now()))

    def actor(self, username: str) -> Actor | None:
        """The actor of an active account (for token and session look-ups)."""
        with self.db.reading() as session:
            return accounts.find_actor(session, username, wita_today(self.clock.now()))

    def seed_demo(self, password: str) -> None:
        """Create the demo agencies, accounts and host accounts."""
        demo.seed(self.db, password)

    def demo_accounts(self) -> list[str]:
        """Usernames of the demo accounts present (production refuses to start with any)."""
        with self.db.reading() as session:
            return demo.accounts_present(session)

    def create_admin(self, username: str, password: str, full_name: str) -> None:
        """Create an administrator account (the first one of a production database)."""
        with self.db.transaction() as session:
            first_admin.create(session, username, password, full_name)

    def backup(self, target) -> None:
        """Write a backup of the database to the new file ``target``."""
        backup_database(self.settings.database_url, target)

    def restore(self, source) -> None:
        """Restore the backup file ``source`` into this engine's database, which
        must be empty (run ``setup`` afterwards: it migrates an older backup)."""
        self.db.dispose()  # no pooled connection may outlive the restore
        restore_database(source, self.settings.database_url)

    def database_ready(self) -> bool:
        """True when the database answers (readiness checks)."""
        try:
            return self.db.ping()
        except DBAPIError:  # refused, timed out, shutting down: not ready, whatever the cause
            return False

    # -- queries ----------------------------------------------------------------

    def process_definitions(self, actor: Actor) -> list:
        """The newest version of every process, with its start form."""
        with self.db.reading() as session:
            return [queries.definition_view(row, self.versions.compiled(row))
                    for row in self.versions.all_latest(session)]

    def list_tasks(self, actor: Actor) -> list:
        """Ready tasks the actor may complete, by due time."""
        with self.db.reading() as session:
            return queries.tasks_for(session, actor)

    def get_task(self, task_id: str, actor: Actor):
        """A ready task with its form and context."""
        with self.db.reading() as session:
            row = session.get(ReadyTaskRow, str(task_id))
            if row is None:
                raise self._missing_task(session, task_id, actor)
            access.require_instance(actor, row.agency_id)
            instance = session.get(Instance, row.instance_id)
            process = self.versions.compiled_by_id(session, instance.process_version_id)
            return queries.task_detail(session, row, instance, process, actor,
                                       self.versions.row(session, instance.process_version_id))

    def get_instance(self, instance_id: str, actor: Actor):
        """An instance as the actor may see it."""
        with self.db.reading() as session:
            instance = self._visible_instance(session, instance_id, actor)
            process = self.versions.compiled_by_id(session, instance.process_version_id)
            return queries.instance_view(session, instance, process, actor,
                                         self.versions.row(session, instance.process_version_id))

    def list_instances(self, actor: Actor, **filters):
        """A page of instances the actor may see."""
        with self.db.reading() as session:
            return queries.instances_page(session, actor, **filters)

    def events(self, instance_id: str, actor: Actor) -> list:
        """The audit events of an instance, oldest first."""
        with self.db.reading() as session:
            self._visible_instance(session, instance_id, actor)
            return queries.events(session, instance_id, actor)

    def verify_audit(self, instance_id: str):
        """Recompute an instance's hash chain."""
        with self.db.reading() as session:
            return audit.verify(session, instance_id)

    # -- commands ---------------------------------------------------------------

    def start(self, key: str, data, actor: Actor, lang: str = "id", *, on_behalf_of: str | None = None):
        """Start an instance of ``key`` with the start form's data (``on_behalf_of``:
        the agency a secretariat registers it for, see ``request_files.register``)."""
        access.require_role(actor, "opd")
        if actor.agency_id is None:
            raise InvalidData({"_form": [message("forbidden", lang)]})
        now = self.clock.now()
        with self.db.transaction() as session:
            row = self.versions.latest(session, key)
            if row is None:
                raise NotFound(f"no process '{key}'", f"proses '{key}' tidak ada")
            process = self.versions.compiled(row)
            form = process.forms[process.model.start_event.form_key]
            data = self._checked(form, data, None, lang)
            instance = Instance(id=str(uuid.uuid4()), process_version_id=row.id, status="running",
                                agency_id=actor.agency_id, topic=data.get("topic", ""),
                                letter_number=data.get("letter_number", ""),
                                meeting_start=_meeting_start(data), state=b"", created_at=now,
                                updated_at=now, created_by=actor.username, head_hash="", event_count=0,
                                facts={"agency": actor.agency_code})
            session.add(instance)
            session.flush()  # the row exists before rows that refer to it
            run = self.runner.new_session(self.clock, instance.id, self.ports(session))
            workflow = self.runner.start(process, data, run)
            audit.append(session, instance, at=now, type_="instance_started", actor=actor.username,
                         on_behalf_of=on_behalf_of, lane=process.model.start_event.lane,
                         task=process.model.start_event.id,
                         data=data)
            self._finish(session, instance, workflow, process, run, now)
            view = queries.instance_view(session, instance, process, actor,
                                         self.versions.row(session, instance.process_version_id))
        self.live.keep(instance, workflow)
        self.work_signal.set()
        return view

    def complete_task(self, task_id: str, data, actor: Actor, lang: str = "id"):
        """Complete a ready task with form data; Conflict when it changed meanwhile."""
        now = self.clock.now()
        try:
            with self.db.transaction() as session:
                row = session.get(ReadyTaskRow, str(task_id))
                if row is None:
                    raise self._missing_task(session, task_id, actor)
                access.require_instance(actor, row.agency_id)
                access.require_complete(actor, row.lane, row.agency_id)
                instance = session.get(Instance, row.instance_id)
                process = self.versions.compiled_by_id(session, instance.process_version_id)
                run = self.runner.new_session(self.clock, instance.id, self.ports(session))
                workflow = self.live.take(instance, process, self.runner.script_engine)
                element = process.model.elements[row.element_id]
                current = task_data(workflow).get(element.variable)
                data = self._checked(process.forms[element.form_key], data, current, lang)
                self.letters.before_complete(session, instance, self.runner.user_task(workflow, row.id),
                                             element, data, actor, now)
                self.runner.complete(workflow, process, row.id, data, run)
                audit.append(session, instance, at=now, type_="task_completed", actor=actor.username,
                             on_behalf_of=access.on_behalf_of(actor, row.lane), lane=row.lane,
                             task=row.element_id, task_id=row.id, data=data)
                self._finish(session, instance, workflow, process, run, now)
                view = queries.instance_view(session, instance, process, actor,
                                         self.versions.row(session, instance.process_version_id))
            self.live.keep(instance, workflow)
            self.work_signal.set()  # wake an in-process worker: a job may be waiting
            return view
        except RACE_ERRORS:
            raise Conflict("the task was completed or changed meanwhile",
                           "tugas ini sudah diselesaikan atau berubah sementara itu") from None
        except OperationalError as exc:
            if "locked" in str(exc).lower():
                raise Conflict("the request is busy; try again", "permohonan sedang diproses; coba lagi") from None
            raise

    # -- meetings: withdrawal, moving, host accounts ---------------------------------

    def withdraw(self, instance_id: str, actor: Actor, reason: str, lang: str = "id"):
        """The agency withdraws its request before the meeting starts (BPMN message
        ``withdraw_request``); Conflict when nothing waits for it."""
        return withdrawal.withdraw(self, instance_id, actor, reason, lang)

    def reschedule_meeting(self, instance_id: str, start_at: str, actor: Actor, reason: str = "",
                           lang: str = "id"):
        """Staff move a created meeting to a free slot; the worker updates the provider
        and tells the agency."""
        return rescheduling.reschedule(self, instance_id, start_at, actor, reason, lang)

    def host_accounts(self, actor: Actor) -> list:
        """Every host account (admin)."""
        return host_accounts.list_all(self, actor)

    def create_host_account(self, data: dict, actor: Actor, lang: str = "id"):
        """Add a host account (admin); InvalidData names the wrong fields."""
        return host_accounts.create(self, data, actor, lang)

    def update_host_account(self, host_id: str, data: dict, actor: Actor, lang: str = "id"):
        """Change a host account (admin)."""
        return host_accounts.update(self, host_id, data, actor, lang)

    def notifications(self, actor: Actor, unread_only: bool = False, lang: str = "id") -> list:
        """The caller's reminders and escalations, newest first."""
        with self.db.reading() as session:
            return inbox.notifications(session, actor.username, unread_only, lang)

    def mark_notification_read(self, notification_id: int, actor: Actor, lang: str = "id"):
        """Mark one of the caller's notifications read."""
        with self.db.transaction() as session:
            return inbox.mark_read(session, actor.username, int(notification_id), self.clock.now(), lang)

    def closed_days(self, year: int, actor: Actor) -> list:
        """The year's closed days (holidays, collective leave, reopened days)."""
        with self.db.reading() as session:
            return [calendar_view(r) for r in self.calendar.days(session, int(year))]

    def close_day(self, day, name: str, kind: str, actor: Actor):
        """Close the office on ``day`` (admin)."""
        access.require_role(actor, "admin")
        errors = {"kind": [message("enum", options=", ".join(KINDS))]} if kind not in KINDS else {}
        if not name.strip():
            errors["name"] = [message("required")]
        if errors:
            raise InvalidData(errors)
        with self.db.transaction() as session:
            return calendar_view(self.calendar.put(session, day, name.strip()[:200], kind))

    def reopen_day(self, day, actor: Actor) -> bool:
        """Make a closed day a working day again (admin); False when it was open."""
        access.require_role(actor, "admin")
        with self.db.transaction() as session:
            return self.calendar.reopen(session, day)

    def incidents(self, actor: Actor) -> list:
        """External jobs whose retries ran out (admin and manager)."""
        access.require_role(actor, "admin", "manager")
        with self.db.reading() as session:
            return queries.jobs(session, status="incident")

    def retry_job(self, job_id: int, actor: Actor):
        """Put an incident back in the queue (admin)."""
        access.require_role(actor, "admin")
        now = self.clock.now()
        with self.db.transaction() as session:
            job = session.get(Job, int(job_id))
            if job is None:
                raise NotFound("no such job", "tugas layanan tidak ditemukan")
            if job.status != "incident":
                raise Conflict("only an incident can be retried", "hanya insiden yang dapat diulang")
            instance = session.get(Instance, job.instance_id)
            job.status, job.attempts, job.next_attempt_at, job.updated_at = "pending", 0, now, now
            if instance.status == "error":
                instance.status, instance.updated_at = "running", now
            audit.append(session, instance, at=now, type_="job_retried", actor=actor.username,
                         task=job.element_id, task_id=job.task_id, data={"operator": job.operator})
            return queries.job_view(job)

    # -- internals ----------------------------------------------------------------

    def _finish(self, session, instance, workflow, process, run, now) -> None:
        save_instance(session, instance, workflow, process, now, run.events)

    def _checked(self, form, data, current, lang: str) -> dict:
        if not isinstance(data, dict):
            raise InvalidData({"data": [message("type", lang, expected="objek" if lang == "id" else "object")]})
        data = fill_defaults(form, data, current)
        errors = validate(form, data, lang)
        if "start_at" in form.schema.get("properties", {}) and "start_at" not in errors:
            problem = self._start_problem(_meeting_start(data), lang)
            if problem:
                errors["start_at"] = [problem]
        if "deadline" in form.schema.get("properties", {}) and "deadline" not in errors:
            problem = form_rules.deadline_problem(data, self.clock.now(), lang)
            if problem:
                errors["deadline"] = [problem]
        if errors:
            raise InvalidData(errors)
        return data

    def _start_problem(self, start: datetime | None, lang: str) -> str | None:
        """Why a meeting start is not acceptable: past, or inside the lead time."""
        if start is None:
            return None
        now = self.clock.now()
        if start <= now:
            return "Waktu mulai harus di masa depan." if lang == "id" else "The start must be in the future."
        earliest = self.calendar.deadline(now, self.settings.lead_time)
        if start < earliest:
            when = long_datetime(earliest, lang)
            return (f"Permohonan harus diajukan paling lambat {self.settings.lead_time_label} sebelum rapat; "
                    f"waktu mulai paling cepat {when}." if lang == "id" else
                    f"Requests must come {self.settings.lead_time_label_en} before the meeting; "
                    f"the earliest start is {when}.")
        return None

    def _visible_instance(self, session, instance_id, actor):
        instance = session.get(Instance, str(instance_id))
        if instance is None:
            raise NotFound("no such request", "permohonan tidak ditemukan")
        access.require_instance(actor, instance.agency_id)
        return instance

    @staticmethod
    def _missing_task(session, task_id, actor):
        event = session.scalars(select(AuditEvent).where(AuditEvent.task_id == str(task_id))).first()
        if event is not None:
            instance = session.get(Instance, event.instance_id)
            if access.can_see_instance(actor, instance.agency_id):
                return Conflict("the task is already completed", "tugas ini sudah diselesaikan")
        return NotFound("no such task", "tugas tidak ditemukan")


def _meeting_start(data: dict) -> datetime | None:
    try:
        return datetime.fromisoformat(data["start_at"])
    except (KeyError, TypeError, ValueError):
        return None
