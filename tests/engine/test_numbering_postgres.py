"""The letter register under truly parallel signatures (PostgreSQL): twenty requests
wait at the Kadis's signature (T09) and each is signed twice at the same moment (a
double click, a retry racing its original), forty threads in all. Every request gets
exactly one number, the twenty numbers are 1..20 with no gap (a losing attempt gives
its number back with its transaction, as the register promises), and the number in
each request's audit chain is the register's."""
import threading

import pytest

from engine import Conflict, Engine, Settings
from tests.engine.driver import Driver
from tests.engine.letter_setup import OFFICE, to_signature

pytestmark = pytest.mark.postgres
REQUESTS = 20
AGENCIES = ("dinkes", "disdik", "dishub", "dinsos", "bappeda")


@pytest.fixture
def postgres_engine(postgres_url, clock, tmp_path):
    engine = Engine(Settings(database_url=postgres_url, outbox_dir=tmp_path / "outbox", letters=OFFICE), clock=clock)
    engine.setup()
    yield engine
    engine.db.dispose()


def test_twenty_racing_signatures_take_twenty_consecutive_numbers(postgres_engine, clock):
    engine, d = postgres_engine, Driver(postgres_engine)
    waiting = {}  # T09 task id -> instance id
    for index in range(REQUESTS):  # five meetings an hour apart a day, on successive days
        to_signature(d, clock, AGENCIES[index % 5], hour=index % 5 + 24 * (index // 5))
        waiting[d.ready()["T09_sign_letter"].id] = d.instance_id
    kadis = d.actor("kadis")
    barrier, lock = threading.Barrier(2 * REQUESTS), threading.Lock()
    signed, refused, failed = [], [], []

    def sign(task_id):
        barrier.wait()
        try:
            engine.complete_task(task_id, {}, kadis)
        except Conflict:
            outcome = refused
        except Exception as exc:  # collected: the assertion below names it
            outcome, task_id = failed, f"{task_id}: {exc!r}"
        else:
            outcome = signed
        with lock:
            outcome.append(task_id)

    threads = [threading.Thread(target=sign, args=(task_id,)) for task_id in waiting for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failed == []
    assert sorted(signed) == sorted(waiting) and sorted(refused) == sorted(waiting)  # one win per request

    register = engine.letters.register(2026)
    assert [r["seq"] for r in sorted(register, key=lambda r: r["seq"])] == list(range(1, REQUESTS + 1))
    assert all(r["voided_at"] is None for r in register)
    number_of = {r["instance_id"]: r["number"] for r in register}
    assert set(number_of) == set(waiting.values())
    for instance_id in waiting.values():
        [event] = [e for e in engine.events(instance_id, d.actor("manager")) if e.type == "letter_signed"]
        assert event.data["number"] == number_of[instance_id]
