"""The stored state is SpiffWorkflow's own serialization less the specs, key for
key (the converter skips the specs rather than converting and dropping them),
written by orjson to the same document SpiffWorkflow's encoder writes."""
import json
import math
import zlib

import pytest
from datetime import datetime, timedelta, timezone

from engine.runtime.state import dump_default, dump_state, dump_state_by_spiffworkflow, load_state, pack_state
from engine.storage.packing import unpacked
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


def test_values_outside_json_are_written_as_spiffworkflow_writes_them_and_come_back(clock):
    inst = MemoryInstance(clock).start(future_request(clock))
    when = datetime(2026, 12, 9, 9, 30, tzinfo=timezone.utc)
    inst.workflow.data.update(when=when, pause=timedelta(days=2, seconds=5), tags={"a"},
                              helper=len, nested={"at": [when], "call": len})
    for extra in ({}, {"huge": 2 ** 70 + 1}):  # orjson writes no integer past 64 bits: the standard encoder does
        inst.workflow.data.update(extra)
        written = dump_state(inst.workflow)
        assert json.loads(written) == json.loads(dump_state_by_spiffworkflow(inst.workflow))
        again = load_state(written, inst.process.spec, inst.process.subprocess_specs,
                           inst.runner.script_engine).data
        assert again["when"] == when and again["nested"] == {"at": [when], "call": None}
        assert again["pause"] == timedelta(days=2, seconds=5) and again["tags"] == ["a"]
        assert "helper" not in again and again.get("huge") == extra.get("huge")


def test_a_state_written_by_the_standard_encoder_still_loads(clock):
    inst = MemoryInstance(clock).start(future_request(clock))
    inst.workflow.data["ratio"] = float("nan")  # the standard encoder writes NaN, orjson reads no NaN
    old = zlib.compress(dump_state_by_spiffworkflow(inst.workflow).encode("utf-8"))
    again = load_state(old, inst.process.spec, inst.process.subprocess_specs, inst.runner.script_engine)
    assert math.isnan(again.data["ratio"])
    assert json.loads(dump_state(again)) | {"data": {}} == json.loads(dump_state(inst.workflow)) | {"data": {}}


def test_the_state_is_packed_by_zstandard_smaller_than_zlib_and_zlib_rows_still_load(clock):
    inst = MemoryInstance(clock).start(future_request(clock))
    inst.complete("T02_disposition_kadis")
    text = dump_state(inst.workflow).encode("utf-8")
    stored = pack_state(inst.workflow)
    assert stored[:4] == b"\x28\xb5\x2f\xfd" and unpacked(stored) == text
    assert len(stored) < len(zlib.compress(text, 1))
    for row in (stored, zlib.compress(text, 1), memoryview(stored)):  # a zlib row: packed before Zstandard
        again = load_state(row, inst.process.spec, inst.process.subprocess_specs, inst.runner.script_engine)
        assert dump_state(again) == text.decode("utf-8")


@pytest.mark.parametrize("stored", [b"", b"not packed", b"\x28\xb5\x2f\xfd broken", b"x\x01broken"])
def test_bytes_that_are_no_packed_state_are_refused_plainly(stored):
    with pytest.raises(ValueError, match="not a packed state"):
        unpacked(stored)
