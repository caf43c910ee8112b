"""Versions and migration through the facade, on SQLite and PostgreSQL: a
request inside the meeting sub-process moves to a version with a 10-minute
standard and a new step, and completes there; one whose step was removed stays."""
from datetime import timedelta

import pytest

from engine import DeployError, Forbidden
from engine.definitions.compiler import compile_process
from engine.services.catalog import default_registry
from engine.versions.diff import diff_models
from tests.conftest import future_request
from tests.engine.driver import Driver
from tests.engine.sop_versions import sop_bundle, sop_v2, with_new_step, with_ten_minutes

MANUAL_MEETING = {"meeting_id": "987 6543 2109", "passcode": "abc123", "join_url": "https://zoom.us/j/98765432109"}


def models():
    registry = default_registry()
    return [compile_process(*bundle, registry).model for bundle in (sop_bundle(), sop_v2())]


def test_the_diff_names_added_removed_and_changed_elements():
    old, new = models()
    diff = diff_models(old, new)
    assert sorted(c.id for c in diff.added) == ["T02_kadis_disposition", "T06b_check_meeting"]
    assert [(c.id, c.type, c.name) for c in diff.removed] == [
        ("T02_disposition_kadis", "userTask", "Disposisi Kadis ke Kabid")]
    assert {c.id: c.fields for c in diff.changed} == {
        "G02_merge": ("flows",), "G02_decision": ("flows",), "SP05_create_meeting": ("time_standard",),
        "T06_report_meeting": ("flows",), "G07_merge": ("flows",)}
    assert diff_models(None, new).empty and diff_models(new, new).empty


@pytest.fixture
def driver(make_engine):
    return Driver(make_engine())


def next_timer(engine, instance_id):
    from engine.storage.models import Instance
    with engine.db.reading() as session:
        return session.get(Instance, instance_id).next_timer_at


def through_staf(d):
    d.complete("T02_disposition_kadis", {"instructions": ["Untuk ditindaklanjuti"], "note": "Mohon difasilitasi"})
    d.complete("T03_disposition_kabid")
    d.complete("T04_disposition_staf")


def test_a_request_inside_the_sub_process_moves_and_completes_on_the_new_version(driver, clock):
    d = driver
    analyst = d.actor("analyst")
    d.start(future_request(clock))
    waiting = d.instance_id
    d.start(future_request(clock, topic="Rapat evaluasi"))
    inside = d.instance_id
    through_staf(d)
    assert set(d.ready()) == {"T05_enter_meeting_details"}  # inside SP05, which has started
    due_before = d.ready()["T05_enter_meeting_details"].due_at
    bpmn, forms = sop_v2()
    deployed = d.engine.deploy(bpmn, {}, analyst)
    assert (deployed.version, deployed.created) == (2, True)
    assert d.engine.deploy(bpmn, forms, analyst) == deployed.__class__(deployed.key, 2, deployed.hash, False)

    checks = {c.id: c for c in d.engine.migration_dry_run("zoom_meeting_request", 2, None, analyst, "en")}
    assert (checks[inside].movable, checks[inside].current) == (True, ("T05_enter_meeting_details",))
    assert (checks[waiting].movable, checks[waiting].reason) == (
        False, "its current step T02_disposition_kadis does not exist in version 2")
    # what lies ahead of a refused request still shows, the step added later on too
    assert {"T06b_check_meeting", "SP05_create_meeting"} <= {c.id for c in checks[waiting].changes}
    assert "T02_disposition_kadis" not in {c.id for c in checks[inside].changes}  # done, not returned to

    [moving] = checks[inside].deadlines
    assert (moving.id, moving.before, moving.after) == (
        "SP05_create_meeting", due_before, due_before - timedelta(minutes=5))  # PT15M -> PT10M
    result = d.engine.migrate("zoom_meeting_request", 2, [inside, waiting], analyst)
    assert result.migrated == (inside,) and [r.id for r in result.refused] == [waiting]
    versions = d.engine.process_versions("zoom_meeting_request", analyst)
    assert [(v.version, v.running) for v in versions] == [(2, 1), (1, 1)]
    # the started sub-process follows the new standard from when it opened
    assert d.ready()["T05_enter_meeting_details"].due_at == moving.after
    assert next_timer(d.engine, inside) == moving.after

    d.complete("T05_enter_meeting_details", MANUAL_MEETING)
    d.complete("T06_report_meeting")
    assert set(d.ready()) == {"T06b_check_meeting"}
    d.complete("T06b_check_meeting")
    d.complete("T07_draft_letter", {"body": "Bersama ini kami sampaikan detail rapat."})
    d.complete("T08_review_draft")
    d.complete("T09_sign_letter")
    d.complete("T10_acknowledge_receipt")
    final = d.instance()
    assert (final.summary.status, final.summary.outcome) == ("completed", "fulfilled")
    events = d.engine.events(inside, analyst)
    moved = [e for e in events if e.type == "instance_migrated"]
    assert len(moved) == 1 and moved[0].actor == "analyst"
    assert moved[0].data == {"process": "zoom_meeting_request", "from_version": 1, "to_version": 2,
                             "current": ["T05_enter_meeting_details"],
                             "deadlines": {"SP05_create_meeting": moving.after.isoformat()}}
    assert d.engine.verify_audit(inside).ok
    assert "instance_migrated" not in [e.type for e in d.engine.events(waiting, analyst)]


def test_a_request_moved_before_the_timed_step_gets_the_new_standard(driver, clock):
    d = driver
    analyst = d.actor("analyst")
    d.start(future_request(clock))
    d.complete("T02_disposition_kadis", {"instructions": ["Untuk ditindaklanjuti"], "note": "x"})
    d.complete("T03_disposition_kabid")
    bpmn, _ = sop_bundle()
    d.engine.deploy(with_new_step(with_ten_minutes(bpmn)), {}, analyst)
    assert d.engine.migrate("zoom_meeting_request", 2, [d.instance_id], analyst).migrated == (d.instance_id,)
    d.complete("T04_disposition_staf")
    due = d.ready()["T05_enter_meeting_details"].due_at
    assert (due - clock.now()).total_seconds() == 600  # PT10M from the new version


def test_only_analysts_and_admins_see_versions_and_bad_uploads_store_nothing(driver):
    d = driver
    for username in ("kadis", "manager", "opd.dinkes"):
        with pytest.raises(Forbidden):
            d.engine.process_versions("zoom_meeting_request", d.actor(username))
    bpmn, _ = sop_bundle()
    problems = d.engine.validate(bpmn.replace(b'id="meeting/create"', b'id="meeting/invent"'), {})
    assert [p.element_id for p in problems] == ["T05_create_meeting"]
    with pytest.raises(DeployError):
        d.engine.deploy(bpmn.replace(b'id="meeting/create"', b'id="meeting/invent"'), {}, d.actor("admin"))
    assert [v.version for v in d.engine.process_versions("zoom_meeting_request", d.actor("admin"))] == [1]


def test_a_request_changed_meanwhile_is_refused_and_left_as_it_was(driver, clock, monkeypatch):
    from sqlalchemy import update

    from engine.runtime import command
    from engine.storage.models import Instance
    d = driver
    analyst = d.actor("analyst")
    d.start(future_request(clock))
    bpmn, _ = sop_bundle()
    d.engine.deploy(with_ten_minutes(bpmn), {}, analyst)
    real_save = command.save_instance

    def save_after_someone_else(session, instance, *args, **kwargs):
        # another command committed in between: the row's lock version moved on
        session.execute(update(Instance).where(Instance.id == instance.id)
                        .values(lock_version=Instance.lock_version + 1)
                        .execution_options(synchronize_session=False))
        return real_save(session, instance, *args, **kwargs)

    monkeypatch.setattr(command, "save_instance", save_after_someone_else)
    result = d.engine.migrate("zoom_meeting_request", 2, [d.instance_id], analyst, "en")
    assert result.migrated == ()
    assert [(r.id, r.reason) for r in result.refused] == [(d.instance_id, "the request changed meanwhile; try again")]
    assert [(v.version, v.running) for v in d.engine.process_versions("zoom_meeting_request", analyst)] == [
        (2, 0), (1, 1)]
    assert "instance_migrated" not in [e.type for e in d.engine.events(d.instance_id, analyst)]


def test_a_current_step_that_changed_type_cannot_move(driver, clock):
    from tests.engine.sop_versions import with_manual_kabid_step
    d = driver
    analyst = d.actor("analyst")
    d.start(future_request(clock))
    d.complete("T02_disposition_kadis", {"instructions": ["Untuk ditindaklanjuti"], "note": "x"})
    assert set(d.ready()) == {"T03_disposition_kabid"}
    d.engine.deploy(with_manual_kabid_step(sop_bundle()[0]), {}, analyst)
    [check] = d.engine.migration_dry_run("zoom_meeting_request", 2, [d.instance_id], analyst, "en")
    assert (check.movable, check.reason) == (
        False, "its current step T03_disposition_kabid changed type (userTask -> manualTask) in version 2")
    assert d.engine.migrate("zoom_meeting_request", 2, [d.instance_id], analyst).migrated == ()


def test_a_deploy_that_loses_the_version_number_to_another_is_a_conflict(driver, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from engine import Conflict
    d = driver

    def taken(*_args, **_kwargs):  # what the unique (key, version) constraint says
        raise IntegrityError("INSERT INTO process_versions", {}, Exception("unique"))

    monkeypatch.setattr(d.engine.versions, "deploy", taken)
    with pytest.raises(Conflict):
        d.engine.deploy(with_ten_minutes(sop_bundle()[0]), {}, d.actor("analyst"))


def to_review(d):
    through_staf(d)
    d.complete("T05_enter_meeting_details", MANUAL_MEETING)
    d.complete("T06_report_meeting")
    d.complete("T07_draft_letter", {"body": "Bersama ini kami sampaikan detail rapat."})


def test_a_step_under_way_follows_a_changed_standard_and_its_timer_fires_then(driver, clock):
    from tests.engine.sop_versions import with_four_hour_review
    d = driver
    analyst = d.actor("analyst")
    d.start(future_request(clock))
    clock.advance(minutes=30)
    to_review(d)
    opened = clock.now()
    old_due = d.ready()["T08_review_draft"].due_at
    assert old_due == d.engine.calendar.deadline(opened, "P1D")
    clock.advance(hours=1)  # measured from when T08 opened, not from the move
    d.engine.deploy(with_four_hour_review(sop_bundle()[0]), {}, analyst)
    new_due = d.engine.calendar.deadline(opened, "PT4H")
    [check] = d.engine.migration_dry_run("zoom_meeting_request", 2, [d.instance_id], analyst, "en")
    assert check.movable
    assert [(x.id, x.before, x.after) for x in check.deadlines] == [("T08_review_draft", old_due, new_due)]
    assert d.engine.migrate("zoom_meeting_request", 2, [d.instance_id], analyst).migrated == (d.instance_id,)
    assert d.ready()["T08_review_draft"].due_at == new_due
    assert next_timer(d.engine, d.instance_id) == new_due

    def fired():
        return [e.task for e in d.engine.events(d.instance_id, analyst) if e.type == "timer_fired"]
    clock.set(new_due - timedelta(minutes=1))
    d.work()
    assert "B08_sla_timer" not in fired()
    clock.set(new_due + timedelta(seconds=1))  # the library fires a timer once its time has passed
    d.work()
    assert "B08_sla_timer" in fired()
    assert set(d.ready()) == {"T08_review_draft"}  # a non-interrupting reminder: the step stays


def test_the_dry_run_lists_only_the_changes_ahead_of_each_request(driver, clock):
    d = driver
    analyst = d.actor("analyst")
    d.start(future_request(clock))
    early = d.instance_id
    d.start(future_request(clock, topic="Rapat evaluasi"))
    late = d.instance_id
    to_review(d)  # past T06 and SP05
    d.engine.deploy(with_new_step(with_ten_minutes(sop_bundle()[0])), {}, analyst)
    checks = {c.id: c for c in d.engine.migration_dry_run("zoom_meeting_request", 2, None, analyst, "en")}
    assert {c.id for c in checks[early].changes} == {
        "T06b_check_meeting", "T06_report_meeting", "G07_merge", "SP05_create_meeting"}
    assert checks[early].deadlines == ()  # SP05 has not started: it takes PT10M when it does
    assert {c.id for c in checks[late].changes} == {"G07_merge"}  # reached again when the draft returns
    assert checks[late].movable and checks[late].deadlines == ()


def test_a_step_already_done_that_is_missing_in_the_target_is_refused(driver, clock):
    from tests.engine.sop_versions import without_report_step
    d = driver
    analyst = d.actor("analyst")
    d.start(future_request(clock))
    through_staf(d)
    d.complete("T05_enter_meeting_details", MANUAL_MEETING)
    d.complete("T06_report_meeting")  # done; the target has no T06 and nothing to match it with
    assert set(d.ready()) == {"T07_draft_letter"}
    d.engine.deploy(without_report_step(sop_bundle()[0]), {}, analyst)
    [check] = d.engine.migration_dry_run("zoom_meeting_request", 2, [d.instance_id], analyst, "en")
    assert (check.movable, check.reason, check.current) == (
        False, "steps already done do not exist in the target version: T06_report_meeting",
        ("T07_draft_letter",))
    result = d.engine.migrate("zoom_meeting_request", 2, [d.instance_id], analyst, "id")
    assert result.migrated == ()
    assert [r.reason for r in result.refused] == [
        "langkah yang sudah dilalui tidak ada di versi tujuan: T06_report_meeting"]
    assert [(v.version, v.running) for v in d.engine.process_versions("zoom_meeting_request", analyst)] == [
        (2, 0), (1, 1)]
    assert "instance_migrated" not in [e.type for e in d.engine.events(d.instance_id, analyst)]
