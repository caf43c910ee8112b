"""The hostile-expression corpus deployed over the API, and a bomb only the
data arms run to its step, while another thread keeps asking /healthz: the
server answers throughout (issue 18, findings 2 and 3)."""
from __future__ import annotations

import io
import threading
import time
from xml.sax.saxutils import escape

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import stream_encode_multipart

from tests.api.sop_http import HttpSop
from tests.engine.test_deploy_validation import sop_variant
from tests.engine.test_expressions_hostile import HOSTILE

CONDITION = b'disposition_kadis["decision"] == "forward"'


class HealthProbe:
    """Asks /healthz over and over in a thread; ``slowest`` is the longest wait."""

    def __init__(self, app):
        self.client, self.slowest, self.answers = app.test_client(), 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            started = time.monotonic()
            assert self.client.get("/healthz").status_code == 200
            self.slowest = max(self.slowest, time.monotonic() - started)
            self.answers += 1
            time.sleep(0.01)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)


def _deploy(api, bpmn: bytes, forms: dict):
    files = MultiDict([("bpmn", FileStorage(io.BytesIO(bpmn), "process.bpmn"))])
    for name, body in forms.items():
        files.add("forms", FileStorage(io.BytesIO(body), name))
    stream, _, boundary = stream_encode_multipart(files, use_tempfile=False)
    return api.post("/process-definitions", "analyst", data=stream.read(),
                    content_type=f"multipart/form-data; boundary={boundary}")


@pytest.mark.timeout(300)
def test_deploying_the_corpus_never_stalls_the_server(api):
    with HealthProbe(api.app) as probe:
        for source in HOSTILE:
            bpmn, forms = sop_variant(CONDITION, escape(source).encode())
            response = _deploy(api, bpmn, forms)
            assert response.status_code in (201, 422), (source, response.status_code)
    assert probe.answers > 0 and probe.slowest < 2


@pytest.mark.timeout(120)
def test_a_bomb_the_data_arms_fails_its_step_while_healthz_answers(api, clock):
    bomb = b'round(1, -len(disposition_kadis["decision"]) * 100000000000) == 1'
    bpmn, forms = sop_variant(CONDITION, bomb)
    assert _deploy(api, bpmn, forms).status_code == 201  # the text shows no bomb: deploy accepts it
    sop = HttpSop(api, clock)
    sop.start()
    task = sop.ready()["T02_disposition_kadis"]
    with HealthProbe(api.app) as probe:
        response = api.post(f"/tasks/{task['id']}/complete", "kadis", json={"data": {"decision": "forward"}})
    assert response.json["error"] == "process_failure", response.json
    assert probe.slowest < 2
    assert sop.ready()["T02_disposition_kadis"]["id"] == task["id"]  # nothing was stored
