"""A round-trip budget per command of the SOP on PostgreSQL, where each time the app waits
for the server costs more than most statements do (counted from libpq's own trace, as
``make bench`` counts them): a command is its first read with the ``BEGIN``, its other reads,
and one pipeline of its writes (the instance row's update checked by the server) with the ``COMMIT``;
a signed-in request's read of its actor is one round trip, with no transaction around it.
A change that adds a wait fails here. Lower a budget when a command gets cheaper. The ping of a
pooled connection that rested (``storage.db.PING_AFTER``) is left out: it depends on the clock."""
import pytest

from benchmarks.round_trips import tracing
from engine import Engine, Settings
from engine.storage import db as storage_db
from tests.engine.test_statement_budget import walk as budget_walk

pytestmark = pytest.mark.postgres
# A command on a task this process kept (the live cache holds its instance row as committed)
# reads nothing before its writes: the BEGIN, the writes with the instance row's checked update,
# the reads of the answer (the stage's open jobs, the agency's name) and the COMMIT are one
# pipeline. Beyond that, reads of their own: the newest version (start), the schedule's hosts,
# bookings and meetings elsewhere, together (T03, T05), the register's counter (T09); the konsep
# the Kabid reviews is known from the instance's facts (the worker recorded it with its layout)
BUDGET = {"start": 2, "T02_disposition_kadis": 1, "T03_disposition_kabid": 2, "T04_disposition_staf": 1,
          "T05_enter_meeting_details": 2, "T06_report_meeting": 1, "T07_draft_letter": 1,
          "T08_review_draft": 1, "T09_sign_letter": 2, "T10_acknowledge_receipt": 1}


@pytest.fixture
def traced(postgres_url, clock, tmp_path, monkeypatch):
    # a pooled connection that rested a second asks the server first (one round trip more): on a
    # loaded machine the worker's layout of a letter can take that long, so it is left out here
    monkeypatch.setattr(storage_db, "PING_AFTER", 3600.0)
    with tracing() as tracer:
        engine = Engine(Settings(database_url=postgres_url, outbox_dir=tmp_path / "outbox"), clock=clock)
        engine.setup()
        engine.seed_demo("test-pass")
        yield engine, tracer
        engine.db.dispose()


def walk(engine, tracer, clock) -> dict:
    """A request from start to fulfilled; element (or "start") -> round trips."""
    return budget_walk(engine, clock, tracer.counting, lambda trips: trips.count)


def test_every_sop_command_waits_for_the_server_within_its_budget(traced, clock):
    engine, tracer = traced
    walk(engine, tracer, clock)  # the first request warms the caches (compiled version, live workflows)
    spent = walk(engine, tracer, clock)
    assert set(spent) == set(BUDGET)
    over = {name: (count, BUDGET[name]) for name, count in spent.items() if count > BUDGET[name]}
    assert not over, f"round trips over budget (spent, budget): {over}"


def test_a_signed_in_requests_actor_is_read_in_one_round_trip(traced):
    engine, tracer = traced
    engine.actor("kadis")  # the first read of a pooled connection may ask whether it is alive
    with tracer.counting() as trips:
        actor = engine.actor("kadis")
    assert actor.username == "kadis" and trips.count == 1
