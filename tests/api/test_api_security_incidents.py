"""A service task whose parameters cannot be evaluated becomes an incident with
the reason (issue 18, finding 8), instead of a job silently cancelled as "no
longer waiting" while the request waits for ever."""
from __future__ import annotations

import logging

from tests.api.sop_http import HttpSop
from tests.api.test_api_security_healthz import _deploy
from tests.engine.test_deploy_validation import sop_variant


def test_parameters_that_fail_to_evaluate_are_an_incident(api, clock, caplog):
    caplog.set_level(logging.CRITICAL, logger="vicon")  # the failure is expected here
    bpmn, forms = sop_variant(b'<spiffworkflow:parameter id="topic" type="str" value="request[&quot;topic&quot;]" />',
                              b'<spiffworkflow:parameter id="topic" type="str" value="round(1, -len(request[&quot;topic&quot;]) * 100000000000)" />')
    assert _deploy(api, bpmn, forms).status_code == 201
    sop = HttpSop(api, clock)
    sop.start()
    for step in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        sop.complete(step)
    incidents = api.get("/incidents", "manager").json
    assert [(i["instance_id"], i["status"]) for i in incidents] == [(sop.instance_id, "incident")]
    assert "round() takes at most 20 digits" in incidents[0]["last_error"]
    assert sop.instance()["status"] == "error"
