"""Withdrawal and expiry: messages that start interrupting event sub-processes."""
from engine.runtime.runner import snapshot
from tests.conftest import future_request
from tests.engine.sop import MemoryInstance
from tests.engine.test_sop_paths import WorkingProvider
from tests.fakes.memory_ports import MemoryPorts


def send(inst, name, payload):
    delivered = inst.runner.send_message(inst.workflow, inst.process, name, payload, inst.session())
    inst._roundtrip()
    inst.run_external()
    return delivered


def test_withdrawal_interrupts_the_request_and_cancels_nothing_when_no_meeting(clock):
    inst = MemoryInstance(clock).start(future_request(clock))
    inst.complete("T02_disposition_kadis")
    assert send(inst, "withdraw_request", {"meeting": None, "reason": "Acara dibatalkan"})
    assert inst.ready() == {}
    assert inst.outcome == "withdrawn"
    assert "T_cancel_meeting" in inst.steps
    assert inst.data["cancellation"] == {"cancelled": False, "reason": "no meeting"}


def test_withdrawal_after_the_meeting_passes_it_to_cancel(clock):
    ports = MemoryPorts(meeting_provider=WorkingProvider())
    inst = MemoryInstance(clock, ports=ports).start(future_request(clock))
    for step in ["T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf", "T06_report_meeting"]:
        inst.complete(step)
    cancelled = []
    ports.meeting_provider.cancel = lambda meeting, idempotency_key: cancelled.append(meeting) or {"cancelled": True}
    assert send(inst, "withdraw_request", {"meeting": inst.data["meeting"], "reason": "x"})
    assert cancelled[0]["meeting_id"] == "12345678901"
    assert inst.outcome == "withdrawn" and inst.ready() == {}
    assert not inst.workflow.waiting_events() or all(
        e.event_type not in ("TimeDateEventDefinition",) for e in inst.workflow.waiting_events())


def test_expiry_message_ends_the_request_as_expired(clock):
    inst = MemoryInstance(clock).start(future_request(clock))
    inst.complete("T02_disposition_kadis")
    assert send(inst, "request_expired", {"meeting_start": "x", "expired_at": "y"})
    assert inst.outcome == "expired" and inst.ready() == {}
    assert "T_notify_expired" in inst.steps and inst.data["expiry_notice"]["sent_at"]


def test_a_message_does_not_leak_into_other_instances(clock):
    first = MemoryInstance(clock).start(future_request(clock))
    send(first, "withdraw_request", {"meeting": None, "reason": "x"})
    second = MemoryInstance(clock)
    second.process = first.process  # the same cached spec, as the engine shares it
    second.start(future_request(clock))
    assert set(second.ready()) == {"T02_disposition_kadis"}
    assert snapshot(second.workflow, second.process).pending == []


def test_no_message_after_completion(clock):
    inst = MemoryInstance(clock).start(future_request(clock))
    send(inst, "withdraw_request", {"meeting": None, "reason": "x"})
    assert not send(inst, "withdraw_request", {"meeting": None, "reason": "again"})
