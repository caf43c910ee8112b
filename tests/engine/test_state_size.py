"""Stored state is the instance without its spec: at most 40 % of
SpiffWorkflow's default serialization at every step of the SOP, even before
compression; what the database holds is also compressed."""
from engine.runtime.state import dump_default, dump_state, pack_state
from tests.conftest import future_request
from tests.engine.sop import MemoryInstance
from tests.engine.test_sop_paths import WorkingProvider
from tests.fakes.memory_ports import MemoryPorts

STEPS = ["T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf", "T06_report_meeting",
         "T07_draft_letter", "T08_review_draft", "T09_sign_letter", "T10_acknowledge_receipt"]


def test_state_is_at_most_40_percent_of_the_default_at_every_step(clock):
    inst = MemoryInstance(clock, ports=MemoryPorts(meeting_provider=WorkingProvider()))
    inst.start(future_request(clock))
    ratios, stored = [], []
    for step in STEPS + [None]:
        default = len(dump_default(inst.workflow))
        ratios.append(len(dump_state(inst.workflow)) / default)
        stored.append(len(pack_state(inst.workflow)) / default)
        if step:
            inst.complete(step)
    assert inst.outcome == "fulfilled"
    assert max(ratios) <= 0.40, ratios
    assert max(stored) <= 0.15, stored
