"""Personal data (UU 27/2022): contacts erased after the retention period and
on request, the audit chain still verifying; export of one person's data."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from engine import Forbidden, Worker
from engine.audit.chain import GENESIS, event_hash
from engine.audit.personal_data import reveal
from engine.storage.packing import unpacked
from tests.conftest import future_request
from tests.engine.driver import Driver
from tests.engine.test_facade_paths import MANUAL_MEETING, letter_steps, through_disposition

EMAIL, PHONE, NAME = "siti.rahma@example.go.id", "+62 812 5555 0101", "Siti Rahmawati"
CONTACT = {"contact_email": EMAIL, "contact_phone": PHONE, "contact_name": NAME}
NEEDLES = (EMAIL, "5555 0101", NAME)


def fulfilled(driver, clock, **contact):
    """A request taken through to ``fulfilled`` (letter mailed to the outbox with the contact in Cc)."""
    driver.start(future_request(clock, **(contact or CONTACT)))
    through_disposition(driver)
    driver.complete("T04_disposition_staf")
    driver.complete("T05_enter_meeting_details", MANUAL_MEETING)
    letter_steps(driver)
    driver.complete("T10_acknowledge_receipt")
    assert driver.instance().summary.outcome == "fulfilled"
    return driver.instance_id


def raw_places(engine, instance_id) -> dict:
    """Every stored text of a request, read with plain SQL (state unpacked)."""
    with engine.db.write_engine.connect() as conn:
        state, facts = conn.execute(text("SELECT state, facts FROM instances WHERE id = :i"),
                                    {"i": instance_id}).one()
        events = conn.execute(text("SELECT data FROM audit_events WHERE instance_id = :i"),
                              {"i": instance_id}).scalars().all()
        calls = conn.execute(text("SELECT payload FROM service_calls WHERE key LIKE :k"),
                             {"k": f"{instance_id}:%"}).scalars().all()
    files = [p.read_text("utf-8", "replace") for p in engine.settings.outbox_dir.glob(f"*{instance_id}*")]
    return {"state": unpacked(state).decode(), "facts": str(facts),
            "events": " ".join(map(str, events)), "service_calls": " ".join(map(str, calls)),
            "outbox": " ".join(files)}


def holding(places: dict) -> dict:
    return {where: [n for n in NEEDLES if n in content] for where, content in places.items()
            if any(n in content for n in NEEDLES)}


def test_contacts_are_erased_after_the_retention_period_and_the_chain_verifies(make_engine, clock):
    engine = make_engine(settings={"retention_days": 30, "retention_sweep_seconds": 0})
    driver = Driver(engine)
    instance_id = fulfilled(driver, clock)
    before = holding(raw_places(engine, instance_id))
    assert set(before) == {"state", "facts", "events", "service_calls", "outbox"}, before

    clock.advance(days=29)  # the meeting was two days after the start: not yet due
    Worker(engine).run_once()
    assert holding(raw_places(engine, instance_id)) == before

    clock.advance(days=4)
    Worker(engine).run_once()
    assert holding(raw_places(engine, instance_id)) == {}
    assert engine.verify_audit(instance_id).ok
    events = engine.events(instance_id, engine.actor("admin"))
    assert events[-1].type == "personal_data_erased"
    assert events[-1].data["reason"] == "retention"
    assert events[0].data["contact_email"] is None and events[0].data["topic"]  # the rest stays
    assert driver.instance().request.get("contact_email") is None
    Worker(engine).run_once()  # nothing left to do: no second erasure event
    assert len(engine.events(instance_id, engine.actor("admin"))) == len(events)


def test_the_sweep_leaves_requests_within_the_period_alone(make_engine, clock):
    engine = make_engine(settings={"retention_days": 30})
    driver = Driver(engine)
    old = fulfilled(driver, clock)
    clock.advance(days=20)
    recent = fulfilled(driver, clock, contact_email="baru@example.go.id")
    clock.advance(days=14)
    assert engine.privacy.sweep() == 1
    assert holding(raw_places(engine, old)) == {}
    assert "baru@example.go.id" in raw_places(engine, recent)["facts"]


def test_export_finds_a_person_in_several_requests(make_engine, clock):
    engine = make_engine()
    driver = Driver(engine)
    first = fulfilled(driver, clock)
    driver.start(future_request(clock, contact_email=EMAIL.upper(), contact_phone="0812 5555 0101"))
    second = driver.instance_id
    driver.start(future_request(clock, contact_email="orang.lain@example.go.id"))
    other = driver.instance_id
    admin = engine.actor("admin")

    by_email = engine.privacy.export(EMAIL, admin)
    assert {r["id"] for r in by_email["requests"]} == {first, second}
    by_phone = engine.privacy.export("081255550101", admin)  # the same number written otherwise
    assert {r["id"] for r in by_phone["requests"]} == {first, second}
    exported = next(r for r in by_email["requests"] if r["id"] == first)
    assert exported["contact"] == CONTACT
    assert exported["events"][0]["type"] == "instance_started"
    assert exported["events"][0]["data"]["contact_email"] == EMAIL
    assert any(EMAIL in e["data"].get("result", {}).get("recipients", []) for e in exported["events"]
               if isinstance(e["data"].get("result"), dict)) or len(exported["events"]) >= 2
    assert other not in {r["id"] for r in by_email["requests"]}
    json.dumps(by_email)  # a JSON document as it is


def test_erasure_on_request_removes_one_person_and_is_audited(make_engine, clock):
    engine = make_engine()
    driver = Driver(engine)
    first = fulfilled(driver, clock)
    driver.start(future_request(clock, **CONTACT))
    running = driver.instance_id
    driver.start(future_request(clock, contact_email="orang.lain@example.go.id"))
    other = driver.instance_id

    erased = engine.privacy.erase(EMAIL, engine.actor("admin"))
    assert sorted(erased) == sorted([first, running])
    for instance_id in (first, running):
        assert holding(raw_places(engine, instance_id)) == {}
        assert engine.verify_audit(instance_id).ok
        last = engine.events(instance_id, engine.actor("admin"))[-1]
        assert (last.type, last.actor, last.data["reason"]) == ("personal_data_erased", "admin", "request")
        assert EMAIL not in json.dumps(last.data)
    assert "orang.lain@example.go.id" in raw_places(engine, other)["facts"]
    assert engine.privacy.export(EMAIL, engine.actor("admin"))["requests"] == []
    driver.instance_id = running  # the running request goes on without its contact
    through_disposition(driver)
    assert engine.verify_audit(running).ok


@pytest.mark.parametrize("username", ["kadis", "staf", "manager", "analyst", "opd.dinkes"])
def test_only_an_admin_exports_or_erases(make_engine, username):
    engine = make_engine()
    Driver(engine)
    with pytest.raises(Forbidden):
        engine.privacy.export(EMAIL, engine.actor(username))
    with pytest.raises(Forbidden):
        engine.privacy.erase(EMAIL, engine.actor(username))


def test_a_value_changed_behind_its_digest_breaks_the_chain(make_engine, clock):
    engine = make_engine()
    driver = Driver(engine)
    driver.start(future_request(clock, **CONTACT))
    with engine.db.transaction() as session:
        row = session.execute(text("SELECT id, data FROM audit_events WHERE instance_id = :i AND seq = 1"),
                              {"i": driver.instance_id}).one()
        data = row.data if isinstance(row.data, dict) else json.loads(row.data)
        data["contact_email"]["$personal"]["value"] = "palsu@example.go.id"
        session.execute(text("UPDATE audit_events SET data = :d WHERE id = :i"),
                        {"d": json.dumps(data), "i": row.id})
    report = engine.verify_audit(driver.instance_id)
    assert (report.ok, report.first_broken_seq) == (False, 1)


def to_scheme_one(engine, instance_id) -> None:
    """Rewrite a chain as events were written before this feature (scheme 1, values as they are)."""
    with engine.db.transaction() as session:
        rows = session.execute(text("SELECT id, seq, at, actor, on_behalf_of, lane, type, task, task_id, data "
                                    "FROM audit_events WHERE instance_id = :i ORDER BY seq"),
                               {"i": instance_id}).all()
        prev = GENESIS
        for row in rows:
            data = reveal(row.data if isinstance(row.data, dict) else json.loads(row.data))
            at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(row.at)
            at = at if at.tzinfo else at.replace(tzinfo=timezone.utc)
            digest = event_hash(prev, instance_id, row.seq, at, row.actor, row.on_behalf_of, row.lane,
                                row.type, row.task, row.task_id, data, 1)
            session.execute(text("UPDATE audit_events SET data = :d, scheme = 1, prev_hash = :p, hash = :h "
                                 "WHERE id = :i"), {"d": json.dumps(data), "p": prev, "h": digest, "i": row.id})
            prev = digest
        session.execute(text("UPDATE instances SET head_hash = :h WHERE id = :i"), {"h": prev, "i": instance_id})


def test_chains_written_before_still_verify_and_are_erased_verifiably(make_engine, clock):
    engine = make_engine()
    driver = Driver(engine)
    instance_id = fulfilled(driver, clock)
    to_scheme_one(engine, instance_id)
    assert engine.verify_audit(instance_id).ok
    assert EMAIL in raw_places(engine, instance_id)["events"]

    engine.privacy.erase(PHONE, engine.actor("admin"))
    assert holding(raw_places(engine, instance_id)) == {}
    assert engine.verify_audit(instance_id).ok
    with engine.db.transaction() as session:  # an erased old event altered afterwards is still caught
        session.execute(text("UPDATE audit_events SET data = :d WHERE instance_id = :i AND seq = 1"),
                        {"d": json.dumps({"topic": "lain"}), "i": instance_id})
    report = engine.verify_audit(instance_id)
    assert (report.ok, report.first_broken_seq) == (False, 1)
