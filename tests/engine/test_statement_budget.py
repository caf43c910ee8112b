"""A statement budget per command of the SOP: each command is one commit and
runs at most the statements it runs today (counted by an SQLAlchemy event hook,
as ``make bench`` counts them), so a change that adds a statement to a command
fails here. Lower a budget when a command gets cheaper.

Measured on SQLite (the default database, ``BEGIN IMMEDIATE`` included); the
commands run the same ORM statements on PostgreSQL."""
import pytest

from benchmarks.statements import counting
from engine import Engine, Settings, Worker
from tests.conftest import future_request
from tests.engine.letter_setup import DRAFT, MEETING

# A plain completion is 6: BEGIN IMMEDIATE, the audit event, the instance row (state, facts,
# chain head), the task projection's delete and insert, and the agency's name for the answer,
# read right before the COMMIT; the task and its instance come from the row this process kept
# when it last committed the instance (the live cache), so nothing is read before the writes.
# Beyond that: the schedule check and booking (T03), the jobs a step queues and the stage's
# open jobs read for the answer (T04, T05, T07, T09), the approval's own event (T08: the konsep
# it names is known from the facts), the number register (T09), the agency's news of its own
# step marked read (T10).
BUDGET = {"start": 7, "T02_disposition_kadis": 6, "T03_disposition_kabid": 12, "T04_disposition_staf": 7,
          "T05_enter_meeting_details": 9, "T06_report_meeting": 6, "T07_draft_letter": 7,
          "T08_review_draft": 7, "T09_sign_letter": 11, "T10_acknowledge_receipt": 7}
DATA = {"T05_enter_meeting_details": MEETING, "T07_draft_letter": DRAFT}
USERS = {"OPD": "opd.dinkes", "Kadis": "kadis", "Kabid": "kabid", "Subkoordinator": "subkoordinator",
         "Staf": "staf"}


@pytest.fixture
def sqlite_engine(clock, tmp_path):
    engine = Engine(Settings(database_url=f"sqlite:///{tmp_path}/budget.sqlite", outbox_dir=tmp_path / "outbox"),
                    clock=clock)
    engine.setup()
    engine.seed_demo("test-pass")
    yield engine
    engine.db.dispose()


def walk(engine, clock, count=counting, figure=lambda counted: (counted.count, counted.commits)) -> dict:
    """A request from start to fulfilled; element (or "start") -> ``figure`` of what ``count()``
    counted around the command (by default its statements and commits)."""
    spent, worker = {}, Worker(engine)
    actors = {lane: engine.actor(username) for lane, username in USERS.items()}  # the request's sign-in read
    with count() as counted:
        view = engine.start("zoom_meeting_request", future_request(clock), actors["OPD"])
    spent["start"] = figure(counted)
    while True:
        worker.run_once()
        view = engine.get_instance(view.summary.id, engine.actor("admin"))
        if not view.tasks:
            return spent
        task = view.tasks[0]
        with count() as counted:
            engine.complete_task(task.id, DATA.get(task.name, {}), actors[task.lane])
        spent[task.name] = figure(counted)


def test_every_sop_command_is_one_commit_within_its_statement_budget(sqlite_engine, clock):
    walk(sqlite_engine, clock)  # the first request warms the caches (compiled version, live workflows)
    spent = walk(sqlite_engine, clock)
    assert set(spent) == set(BUDGET)
    assert {name: commits for name, (_, commits) in spent.items()} == dict.fromkeys(BUDGET, 1)
    over = {name: (count, BUDGET[name]) for name, (count, _) in spent.items() if count > BUDGET[name]}
    assert not over, f"statements over budget (spent, budget): {over}"


def test_a_signed_in_request_reads_its_actor_in_one_statement(sqlite_engine, clock):
    """What every API request and page does before its work: the account, its roles,
    agency, session epoch and today's Plt lanes, in one indexed read."""
    engine = sqlite_engine
    today = engine.clock.now().date()
    engine.delegations.name(engine.actor("kadis"), "kabid", today, today)  # kabid stands in for the Kadis
    for username in ("kabid", "opd.dinkes", "admin"):
        with counting() as counted:
            actor = engine.actor(username)
        reads = [sql for sql in counted.sql if sql.lstrip().upper().startswith("SELECT")]
        assert len(reads) == 1, (username, counted.sql)
        assert counted.count - len(reads) <= 1  # SQLite's BEGIN of the read transaction
    assert actor.roles == frozenset({"admin"})
    kabid = engine.actor("kabid")
    assert [(lane, official) for lane, official, _ in kabid.acting_for] == [("Kadis", "kadis")]
    assert engine.actor("opd.dinkes").agency_code == "dinkes"


def _instance_update(counted) -> str:
    [sql] = [s for s in counted.sql if s.lstrip().upper().startswith("UPDATE INSTANCES")]
    return sql.split(" WHERE ")[0]


def test_the_instance_row_is_written_with_only_the_columns_that_changed(sqlite_engine, clock):
    """Each column named in the instance's UPDATE rewrites its indexes: a disposition changes the
    state, the facts, the chain head and the version, not the status or the meeting start."""
    engine = sqlite_engine
    actors = {lane: engine.actor(username) for lane, username in USERS.items()}
    view = engine.start("zoom_meeting_request", future_request(clock), actors["OPD"])
    task = view.tasks[0]
    with counting() as counted:
        engine.complete_task(task.id, {}, actors[task.lane])
    written = _instance_update(counted)
    for column in ("state", "facts", "lock_version", "head_hash", "event_count"):
        assert f"{column}=" in written
    for column in ("status", "outcome", "meeting_start", "expires_at"):
        assert f" {column}=" not in written and not written.startswith(f"UPDATE instances SET {column}=")


def test_facts_changed_in_place_and_assigned_again_are_written(sqlite_engine, clock):
    from engine.runtime.unit_of_work import write_instance
    from engine.storage.models import Instance
    engine = sqlite_engine
    view = engine.start("zoom_meeting_request", future_request(clock), engine.actor("opd.dinkes"))
    with engine.db.transaction() as session:
        instance = session.get(Instance, view.summary.id)
        facts = instance.facts
        facts["note"] = "changed in place"
        instance.facts = facts
        write_instance(session, instance)
    with engine.db.reading() as session:
        assert session.get(Instance, view.summary.id).facts["note"] == "changed in place"
