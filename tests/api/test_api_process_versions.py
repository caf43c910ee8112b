"""Uploading process definitions over HTTP (validate, deploy), their versions,
and moving running requests to a new version."""
from __future__ import annotations

import io

import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import stream_encode_multipart

from tests.api.accounts import PROCESS
from tests.api.sop_http import HttpSop
from tests.engine.sop_versions import sop_bundle, sop_v2, with_ten_minutes
from tests.engine.test_deploy_validation import CORPUS, EXPECTED, HOSTILE
from tests.shared_data import needs_shared

MANUAL_MEETING = {"meeting_id": "987 6543 2109", "passcode": "abc123", "join_url": "https://zoom.us/j/98765432109"}


def upload(api, bpmn: bytes, forms: dict | None = None, username="analyst", path="", **kwargs):
    """POST the multipart upload (``bpmn`` plus ``forms`` files)."""
    files = MultiDict([("bpmn", FileStorage(io.BytesIO(bpmn), "process.bpmn"))])
    for name, body in (forms or {}).items():
        files.add("forms", FileStorage(io.BytesIO(body), name))
    # encoded in memory: the test client would spool big bodies to a file it never closes
    stream, length, boundary = stream_encode_multipart(files, use_tempfile=False)
    return api.post(f"/process-definitions{path}", username, data=stream.read(),
                    content_type=f"multipart/form-data; boundary={boundary}", **kwargs)


@needs_shared("bpmn")
@pytest.mark.parametrize("path, element_id, fragment", EXPECTED, ids=[p for p, _, _ in EXPECTED])
def test_corpus_uploads_get_the_verdict_of_the_deploy_table(api, path, element_id, fragment):
    response = upload(api, (CORPUS / path).read_bytes(), path="?lang=en")
    if fragment is None:
        assert response.status_code == 201, response.json
        assert response.json["version"] == 1 and len(response.json["hash"]) == 64
        return
    assert response.status_code == 422, response.json
    first = response.json["problems"][0]
    assert first["element_id"] == element_id and fragment in first["message"]


@pytest.mark.parametrize("name", ["xxe", "billion-laughs", "external-dtd"])
def test_entity_and_dtd_uploads_are_refused(api, name):
    for path in ("", "/validate"):
        response = upload(api, HOSTILE[name], path=path)
        assert response.status_code == (422 if path == "" else 200), response.json
        [problem] = response.json["problems"]
        assert "DOCTYPE" in problem["message"] and "root:" not in problem["message"]
    assert [v["version"] for v in api.get(f"/process-definitions/{PROCESS}/versions", "analyst").json] == [1]


def test_sizes_are_limited_with_a_clear_message(api):
    bpmn, forms = sop_bundle()
    big = b"<!-- x -->".join([bpmn[:40], b" " * (2 * 1024 * 1024)]) + bpmn[40:]
    response = upload(api, big, headers={"Accept-Language": "en"})
    assert response.status_code == 422 and "larger than 2048 KiB" in response.json["problems"][0]["message"]
    response = upload(api, bpmn, {"receipt.schema.json": b" " * (300 * 1024)})
    assert response.status_code == 422
    assert response.json["problems"][0]["message"] == "formulir 'receipt.schema.json' lebih besar dari 256 KiB"
    response = upload(api, bpmn, {"../receipt.txt": b"{}"}, path="?lang=en")
    assert response.status_code == 422 and "must be <key>.schema.json" in response.json["problems"][0]["message"]
    response = api.post("/process-definitions", "analyst", data=b"-" * (api.app.config["MAX_CONTENT_LENGTH"] + 1),
                        content_type="multipart/form-data; boundary=x")
    assert response.status_code == 413 and response.json["error"] == "too_large"
    response = api.post("/process-definitions", "analyst", data={}, content_type="multipart/form-data")
    assert response.status_code == 422 and response.json["problems"][0]["message"].startswith("berkas BPMN kosong")


@pytest.mark.parametrize("username", ["opd.dinkes", "kadis", "manager", "staf"])
def test_only_analysts_and_admins_deploy_or_migrate(api, username):
    bpmn, _ = sop_v2()
    assert upload(api, bpmn, username=username).status_code == 403
    assert upload(api, bpmn, username=username, path="/validate").status_code == 403
    assert api.get(f"/process-definitions/{PROCESS}/versions", username).status_code == 403
    assert api.get(f"/process-definitions/{PROCESS}/versions/1/bpmn", username).status_code == 403
    body = {"to_version": 1}
    assert api.post(f"/process-definitions/{PROCESS}/migrations/dry-run", username, json=body).status_code == 403
    assert api.post(f"/process-definitions/{PROCESS}/migrations", username,
                    json={**body, "instance_ids": ["x"]}).status_code == 403
    assert [v["version"] for v in api.get(f"/process-definitions/{PROCESS}/versions", "admin").json] == [1]
    assert upload(api, bpmn, username=None).status_code == 401


def test_validate_names_elements_in_the_callers_language_and_stores_nothing(api):
    bpmn, _ = sop_bundle()
    assert upload(api, with_ten_minutes(bpmn), path="/validate").json == {"problems": []}
    bad = bpmn.replace(b'value="PT15M"', b'value="PT15X"', 1)
    indonesian = upload(api, bad, path="/validate").json["problems"]
    english = upload(api, bad, path="/validate", headers={"Accept-Language": "en"}).json["problems"]
    assert [p["element_id"] for p in indonesian] == ["SP05_create_meeting"]
    assert "bukan durasi ISO 8601" in indonesian[0]["message"]
    assert "not an ISO 8601 duration" in english[0]["message"]
    assert len(api.get(f"/process-definitions/{PROCESS}/versions", "admin").json) == 1


def test_a_deploy_is_versioned_and_new_requests_take_it(api, clock):
    running = HttpSop(api, clock)
    running.start()
    bpmn, _ = sop_v2()
    created = upload(api, bpmn)  # no forms: those of version 1 are used
    assert created.status_code == 201, created.json
    assert created.json["key"] == PROCESS and created.json["version"] == 2
    again = upload(api, bpmn, username="admin")
    assert again.status_code == 200 and again.json == created.json
    new = HttpSop(api, clock)
    new.start()
    assert set(new.ready()) == {"T02_kadis_disposition"}  # the new version's element
    assert set(running.ready()) == {"T02_disposition_kadis"}  # the running request stays on version 1
    versions = api.get(f"/process-definitions/{PROCESS}/versions", "analyst").json
    assert [(v["version"], v["running"], v["deployed_by"], v["latest"]) for v in versions] == [
        (2, 1, "analyst", True), (1, 1, "system", False)]
    changes = versions[0]["changes"]
    assert {c["id"] for c in changes["added"]} == {"T02_kadis_disposition", "T06b_check_meeting"}
    assert [(c["id"], c["type"]) for c in changes["removed"]] == [("T02_disposition_kadis", "userTask")]
    changed = {c["id"]: c["fields"] for c in changes["changed"]}
    assert changed["SP05_create_meeting"] == ["time_standard"]
    assert changed["T06_report_meeting"] == ["flows"]
    assert versions[1]["changes"] == {"added": [], "removed": [], "changed": []}
    xml = api.get(f"/process-definitions/{PROCESS}/versions/2/bpmn", "analyst")
    assert xml.status_code == 200 and xml.mimetype == "application/xml" and xml.data == bpmn
    assert api.get(f"/process-definitions/{PROCESS}/versions/3/bpmn", "analyst").status_code == 404
    assert api.get("/process-definitions/nope/versions", "analyst").status_code == 404


def test_dry_run_then_migrate_moves_what_can_move_and_it_completes(api, clock):
    at_t02 = HttpSop(api, clock)
    at_t02.start()
    at_t06 = HttpSop(api, clock)
    at_t06.start()
    at_t06.complete("T02_disposition_kadis")
    at_t06.complete("T03_disposition_kabid")
    at_t06.complete("T04_disposition_staf")
    at_t06.complete("T05_enter_meeting_details", **MANUAL_MEETING)
    assert set(at_t06.ready()) == {"T06_report_meeting"}
    assert upload(api, sop_v2()[0]).status_code == 201
    before = api.get(f"/instances/{at_t02.instance_id}/events", "admin").json

    dry = api.post(f"/process-definitions/{PROCESS}/migrations/dry-run?lang=en", "analyst",
                   json={"to_version": 2})
    assert dry.status_code == 200, dry.json
    checks = {c["id"]: c for c in dry.json["instances"]}
    assert set(checks) == {at_t02.instance_id, at_t06.instance_id}
    assert checks[at_t06.instance_id]["movable"] and checks[at_t06.instance_id]["reason"] is None
    assert checks[at_t06.instance_id]["current"] == ["T06_report_meeting"]
    assert checks[at_t02.instance_id] == {**checks[at_t02.instance_id], "movable": False, "from_version": 1,
                                          "current": ["T02_disposition_kadis"],
                                          "reason": "its current step T02_disposition_kadis does not exist in version 2"}
    assert {"change": "added", "id": "T06b_check_meeting", "type": "userTask", "name": "Periksa tautan rapat",
            "fields": []} in checks[at_t06.instance_id]["changes"]
    # only what lies ahead: T02 (done) and SP05 (done, its standard changed) are not listed
    assert not {"T02_disposition_kadis", "SP05_create_meeting"} & {
        c["id"] for c in checks[at_t06.instance_id]["changes"]}
    assert "SP05_create_meeting" in {c["id"] for c in checks[at_t02.instance_id]["changes"]}
    assert checks[at_t06.instance_id]["deadlines"] == []
    assert set(at_t06.ready()) == {"T06_report_meeting"}  # the dry run stored nothing

    moved = api.post(f"/process-definitions/{PROCESS}/migrations", "analyst",
                     json={"to_version": 2, "instance_ids": [at_t06.instance_id, at_t02.instance_id]})
    assert moved.status_code == 200, moved.json
    assert moved.json["migrated"] == [at_t06.instance_id]
    assert [r["id"] for r in moved.json["refused"]] == [at_t02.instance_id]
    assert "T02_disposition_kadis" in moved.json["refused"][0]["reason"]
    events = api.get(f"/instances/{at_t06.instance_id}/events", "admin").json
    migrated = [e for e in events if e["type"] == "instance_migrated"]
    assert len(migrated) == 1 and migrated[0]["actor"] == "analyst"
    assert api.get(f"/instances/{at_t02.instance_id}/events", "admin").json == before
    versions = api.get(f"/process-definitions/{PROCESS}/versions", "analyst").json
    assert [(v["version"], v["running"]) for v in versions] == [(2, 1), (1, 1)]

    at_t06.complete("T06_report_meeting")
    assert set(at_t06.ready()) == {"T06b_check_meeting"}  # the step added after the current one
    at_t06.complete("T06b_check_meeting")
    at_t06.complete("T07_draft_letter")
    at_t06.complete("T08_review_draft")
    at_t06.complete("T09_sign_letter")
    at_t06.complete("T10_acknowledge_receipt")
    assert at_t06.outcome() == ("completed", "fulfilled")
    again = api.post(f"/process-definitions/{PROCESS}/migrations", "admin",
                     json={"to_version": 2, "instance_ids": [at_t06.instance_id]})
    assert again.json["migrated"] == [] and again.json["refused"][0]["reason"] == "permohonan sudah selesai"


def test_migration_requests_are_checked(api):
    path = f"/process-definitions/{PROCESS}/migrations"
    assert api.post(path, "analyst", json={"to_version": 9, "instance_ids": ["x"]}).status_code == 404
    assert api.post(path, "analyst", json={"to_version": 1, "instance_ids": []}).status_code == 422
    assert api.post(path + "/dry-run", "analyst", json={"to_version": "satu"}).status_code == 422
    assert api.post(path + "/dry-run", "analyst", json={}).status_code == 422
    refused = api.post(path, "analyst", json={"to_version": 1, "instance_ids": ["nope"]}).json
    assert refused == {"migrated": [], "refused": [{"id": "nope", "reason": "permohonan tidak ditemukan"}]}


def test_the_openapi_document_describes_the_upload_and_its_problems(api):
    spec = api.get("/openapi.json").json
    schemas = spec["components"]["schemas"]
    deploy = spec["paths"]["/api/v1/process-definitions"]["post"]
    body = deploy["requestBody"]["content"]["multipart/form-data"]["schema"]
    upload_fields = schemas[body["$ref"].rsplit("/", 1)[1]]["properties"]
    assert upload_fields["bpmn"]["format"] == "binary" and upload_fields["forms"]["type"] == "array"
    assert {"201", "401", "403", "413", "422"} <= set(deploy["responses"])
    invalid = deploy["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
    assert "problems" in schemas[invalid.rsplit("/", 1)[1]]["properties"]
    xml = spec["paths"]["/api/v1/process-definitions/{key}/versions/{version}/bpmn"]
    assert xml["parameters"][1] == {"in": "path", "name": "version", "required": True,
                                    "schema": {"type": "integer"}}
    assert "application/xml" in xml["get"]["responses"]["200"]["content"]


def test_an_uploaded_form_replaces_the_stored_one_and_makes_a_version(api):
    bpmn, forms = sop_bundle()
    receipt = forms["receipt.schema.json"].replace(b"diterima", b"DITERIMA")
    assert receipt != forms["receipt.schema.json"]
    response = upload(api, bpmn, {"receipt.schema.json": receipt})
    assert response.status_code == 201 and response.json["version"] == 2
    versions = api.get(f"/process-definitions/{PROCESS}/versions", "analyst").json
    assert versions[0]["changes"] == {"added": [], "removed": [], "changed": []}  # only a form
    assert upload(api, bpmn, {"receipt.schema.json": receipt}).status_code == 200  # now stored
    broken = upload(api, bpmn, {"receipt.schema.json": b"{not json"}, path="?lang=en")
    assert broken.status_code == 422
    assert [p["element_id"] for p in broken.json["problems"]] == ["T10_acknowledge_receipt"]


def test_the_dry_run_shows_a_deadline_that_moves_with_a_changed_standard(api, clock):
    from tests.engine.sop_versions import with_four_hour_review
    sop = HttpSop(api, clock)
    sop.start()
    for step in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        sop.complete(step)
    sop.complete("T05_enter_meeting_details", **MANUAL_MEETING)
    sop.complete("T06_report_meeting")
    sop.complete("T07_draft_letter")
    tasks = api.get(f"/instances/{sop.instance_id}", "admin").json["tasks"]
    [review] = [t for t in tasks if t["name"] == "T08_review_draft"]
    assert upload(api, with_four_hour_review(sop_bundle()[0])).status_code == 201
    dry = api.post(f"/process-definitions/{PROCESS}/migrations/dry-run", "analyst",
                   json={"to_version": 2, "instance_ids": [sop.instance_id]})
    [deadline] = dry.json["instances"][0]["deadlines"]
    assert deadline["id"] == "T08_review_draft" and deadline["before"] == review["due_at"]
    assert deadline["after"] < deadline["before"]  # 4 working hours instead of a working day
    assert api.post(f"/process-definitions/{PROCESS}/migrations", "analyst", json={
        "to_version": 2, "instance_ids": [sop.instance_id]}).json["migrated"] == [sop.instance_id]
    tasks = api.get(f"/instances/{sop.instance_id}", "admin").json["tasks"]
    assert [t["due_at"] for t in tasks if t["name"] == "T08_review_draft"] == [deadline["after"]]
