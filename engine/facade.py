"""The engine facade: every command is one unit of work (``engine.runtime.command``),
every answer a plain dataclass. It builds the kernel once and hands it to the
sub-services, which never call back here. The API calls nothing else."""
from __future__ import annotations

from sqlalchemy.exc import DBAPIError

from engine.accounts import access
from engine.accounts import directory as accounts
from engine.accounts import first_admin
from engine.accounts import host_accounts
from engine.accounts.admin import AccountAdmin
from engine.accounts.sign_in_limit import SignInLimit
from engine.accounts.delegations import Delegations, today as wita_today
from engine.audit import chain as audit
from engine.audit.privacy import PersonalData
from engine.calendar.store import KINDS, CalendarStore, calendar_view
from engine.definitions.forms import message
from engine.accounts import demo
from engine.errors import InvalidData, NotFound
from engine.letters import numbering
from engine.letters.desk import LetterDesk, LetterOffices
from engine.letters.press import LetterPress
from engine.letters import pades, signature_check
from engine.letters.signature import signature_provider
from engine.letters.verification_page import VerificationDesk
from engine.monitoring.service import Monitoring
from engine.notifications import inbox
from engine.requests import completion, late_withdrawal, queries, rescheduling, signing_desk, starting, withdrawal
from engine.requests.files import RequestFiles
from engine.requests.tracking import Tracking
from engine.runtime.clock import SystemClock
from engine.runtime.kernel import Kernel
from engine.runtime.runner import Runner
from engine.services.catalog import default_registry
from engine.services.providers import build_provider
from engine.settings import Settings
from engine.storage.backup import backup as backup_database, restore as restore_database
from engine.storage.db import Database
from engine.adapters import ports as adapter_ports
from engine.adapters.hosts import SqlHostDirectory
from engine.storage.models import Instance, ReadyTaskRow
from engine.adapters.ports import FileOutbox, SqlPorts
from engine.versions import history as version_history
from engine.versions import migration
from engine.versions import upload as process_upload
from engine.versions.store import VersionStore, read_bundle
from engine.views import Actor
from engine.worker import incidents
from engine.worker.busy_sync import BusyTimeSync


class Engine:
    """The one entry point of the engine."""

    def __init__(self, settings: Settings | None = None, *, clock=None, registry=None,
                 meeting_provider=None, deadline=None, press=None):
        """Build the kernel once (``press``: the letter press, e.g. the demo history's
        quick one) and the sub-services on it."""
        settings = settings or Settings()
        db = Database(settings.database_url)
        calendar = CalendarStore(db, settings.office_hours)
        registry = registry or default_registry()
        press = press or LetterPress(signature_provider(settings.signature))
        self.signature_trust_roots = pades.trust_roots(settings.signature)  # VICON_SIGN_TRUST_ROOTS
        self.kernel = Kernel(
            settings=settings, clock=clock or SystemClock(), db=db, calendar=calendar, registry=registry,
            runner=Runner(registry, deadline or calendar.deadline), versions=VersionStore(registry),
            outbox=FileOutbox(settings.outbox_dir),
            meeting_provider=meeting_provider or build_provider(settings),
            hosts=SqlHostDirectory(db, settings.schedule_buffer_minutes),
            letter_office=LetterOffices(settings, db, press), port_binder=adapter_ports.bind,
            instance_jobs={rescheduling.ELEMENT: rescheduling.RescheduleJob(),
                           late_withdrawal.ELEMENT: late_withdrawal.CancelJob()},
            on_release=numbering.void_unsent)
        kernel = self.kernel
        # the parts, as attributes (tests and the worker read them)
        self.settings, self.clock, self.db, self.calendar = settings, kernel.clock, db, calendar
        self.registry, self.runner, self.versions, self.outbox = registry, kernel.runner, kernel.versions, \
            kernel.outbox
        self.meeting_provider, self.hosts = kernel.meeting_provider, kernel.hosts
        self.live, self.work_signal = kernel.live, kernel.work_signal
        self.busy_sync = BusyTimeSync(kernel)
        self.letters = LetterDesk(kernel, press)
        self.delegations = Delegations(kernel)
        self.account_admin = AccountAdmin(kernel)
        self.sign_in_limit = SignInLimit(kernel)  # failed sign-ins, shared by every process
        self.tracking = Tracking(kernel)
        # the public page behind each letter's QR
        self.verification = VerificationDesk(kernel, self.signature_trust_roots)
        self.request_files = RequestFiles(kernel)
        self.monitoring = Monitoring(kernel)  # dashboard, recap, meeting calendar
        self.privacy = PersonalData(kernel)  # retention, export and erasure of contacts' data

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
        return process_upload.deploy(self.kernel, bpmn, form_files, actor)

    def validate(self, bpmn: bytes, form_files: dict[str, bytes]) -> list:
        """Every Problem of a process definition (XSD, then the lint), storing nothing."""
        return process_upload.validate(self.kernel, bpmn, form_files)

    def process_versions(self, key: str, actor: Actor) -> list:
        """Every version of a process, newest first, with changes and running requests."""
        return version_history.list_versions(self.kernel, key, actor)

    def processes(self, actor: Actor) -> list:
        """Every process with its newest version and running requests (analyst, admin)."""
        return version_history.list_processes(self.kernel, actor)

    def version_bpmn(self, key: str, version: int, actor: Actor) -> bytes:
        """The stored BPMN XML of one version."""
        return version_history.version_bpmn(self.kernel, key, version, actor)

    def migration_dry_run(self, key: str, to_version: int, instance_ids, actor: Actor, lang: str = "id"):
        """Per running request: can it move to ``to_version``, and what changes."""
        return migration.dry_run(self.kernel, key, to_version, instance_ids, actor, lang)

    def migrate(self, key: str, to_version: int, instance_ids, actor: Actor, lang: str = "id"):
        """Move the chosen requests to ``to_version``; each one audited."""
        return migration.migrate(self.kernel, key, to_version, instance_ids, actor, lang)

    def close(self) -> None:
        """Release the database connections."""
        self.db.dispose()

    def ports(self, session) -> SqlPorts:
        """Operator ports bound to ``session`` (None: no database, worker side)."""
        return self.kernel.ports(session)

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

    def list_tasks(self, actor: Actor, step: str | None = None) -> list:
        """Ready tasks the actor may complete, by due time, with their request's
        context; ``step``: only the tasks of that element (a task's ``name``)."""
        with self.db.reading() as session:
            return queries.tasks_for(session, actor, self.clock.now(), step,
                                     lambda version_id: self.versions.compiled_by_id(session, version_id).model)

    def get_task(self, task_id: str, actor: Actor):
        """A ready task with its form and context."""
        with self.db.reading() as session:
            row = session.get(ReadyTaskRow, str(task_id))
            if row is None:
                raise completion.missing_task(session, task_id, actor)
            access.require_instance(actor, row.agency_id)
            instance = session.get_one(Instance, row.instance_id)  # a ready task's instance exists
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

    def verify_signature(self, pdf: bytes):
        """The SignatureReport of a PDF's newest electronic signature, checked against the
        configured trust roots (None: it carries none); UnreadablePdf for a file too large
        or not readable."""
        return signature_check.verify_pdf_signature(pdf, self.signature_trust_roots)

    # -- commands ---------------------------------------------------------------

    def start(self, key: str, data, actor: Actor, lang: str = "id", *, on_behalf_of: str | None = None):
        """Start an instance of ``key`` with the start form's data (``on_behalf_of``:
        the agency a secretariat registers it for, see ``request_files.register``)."""
        return starting.start(self.kernel, key, data, actor, lang, on_behalf_of)

    @property
    def passphrase_signing(self) -> bool:
        """True when the Kadis types a passphrase to sign the letter (the ``bsre`` provider)."""
        return signing_desk.signs_here(self.kernel)

    def complete_task(self, task_id: str, data, actor: Actor, lang: str = "id", *, passphrase: str | None = None):
        """Complete a ready task with form data; Conflict when it changed meanwhile. The
        Kadis's signature with BSrE takes the signer's ``passphrase`` (``signing_desk``)."""
        return signing_desk.complete_task(self.kernel, task_id, data, actor, lang, passphrase)

    # -- meetings: withdrawal, moving, host accounts ---------------------------------

    def withdraw(self, instance_id: str, actor: Actor, reason: str, lang: str = "id"):
        """The agency withdraws its request before the meeting starts (BPMN message
        ``withdraw_request``); Conflict when nothing waits for it."""
        return withdrawal.withdraw(self.kernel, instance_id, actor, reason, lang)

    def reschedule_meeting(self, instance_id: str, start_at: str, actor: Actor, reason: str = "",
                           lang: str = "id"):
        """Staff move a created meeting to a free slot; the worker updates the provider
        and tells the agency."""
        return rescheduling.reschedule(self.kernel, instance_id, start_at, actor, reason, lang)

    def host_accounts(self, actor: Actor) -> list:
        """Every host account (admin)."""
        return host_accounts.list_all(self.kernel, actor)

    def create_host_account(self, data: dict, actor: Actor, lang: str = "id"):
        """Add a host account (admin); InvalidData names the wrong fields."""
        return host_accounts.create(self.kernel, data, actor, lang)

    def update_host_account(self, host_id: str, data: dict, actor: Actor, lang: str = "id"):
        """Change a host account (admin)."""
        return host_accounts.update(self.kernel, host_id, data, actor, lang)

    def notifications(self, actor: Actor, unread_only: bool = False, lang: str = "id") -> list:
        """The caller's reminders and escalations, newest first."""
        with self.db.reading() as session:
            return inbox.notifications(session, actor.username, unread_only, lang,
                                       lambda version_id: self.versions.compiled_by_id(session, version_id).model)

    def mark_notification_read(self, notification_id: int, actor: Actor, lang: str = "id"):
        """Mark one of the caller's notifications read."""
        with self.db.transaction() as session:
            return inbox.mark_read(session, actor.username, int(notification_id), self.clock.now(), lang)

    def mark_all_notifications_read(self, actor: Actor) -> int:
        """Mark every unread notification of the caller read; how many were."""
        with self.db.transaction() as session:
            return inbox.mark_all_read(session, actor.username, self.clock.now())

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
        return incidents.list_incidents(self.kernel, actor)

    def retry_job(self, job_id: int, actor: Actor):
        """Put an incident back in the queue (admin)."""
        return incidents.retry_job(self.kernel, job_id, actor)

    # -- internals ----------------------------------------------------------------

    def _visible_instance(self, session, instance_id, actor):
        instance = session.get(Instance, str(instance_id))
        if instance is None:
            raise NotFound("no such request", "permohonan tidak ditemukan")
        access.require_instance(actor, instance.agency_id)
        return instance
