"""The stored state is SpiffWorkflow's own serialization less the specs, key for
key (the converter skips the specs rather than converting and dropping them)."""
import json

from engine.runtime.state import dump_default, dump_state
from tests.conftest import future_request
from tests.engine.sop import MemoryInstance


def test_the_state_is_the_default_serialization_without_the_specs(clock):
    inst = MemoryInstance(clock).start(future_request(clock))
    for element in ("T02_disposition_kadis", "T03_disposition_kabid", None):
        default = json.loads(dump_default(inst.workflow))
        spec = default.pop("spec")
        default.pop("subprocess_specs")
        assert json.loads(dump_state(inst.workflow)) == dict(default, spec_name=spec["name"])
        if element:
            inst.complete(element)
