"""The letter's documents are laid out by the worker after commit: a review
before its konsep exists is refused, the approval names the stored konsep's
hash, the signed letter's hash in the chain is the dispatched attachment's,
and a layout that fails is an incident an admin retries."""
import email

import pytest

from engine import Conflict
from engine.letters.press import sha256
from engine.storage.models import Instance
from tests.engine.documents import attachments
from tests.engine.driver import Driver
from tests.engine.letter_setup import DRAFT, OFFICE, to_draft, to_signature


@pytest.fixture
def office_engine(make_engine):
    return make_engine(settings={"letters": OFFICE, "job_max_attempts": 1})


def events(d, type_):
    return [e for e in d.engine.events(d.instance_id, d.actor("manager")) if e.type == type_]


def konsep_fact(d):
    """The konsep the instance's stored facts name."""
    with d.engine.db.reading() as session:
        return session.get(Instance, d.instance_id).facts["konsep"]


def submit_without_worker(d, element, data=None, username=None):
    """Complete a task and leave the worker idle (the layout stays queued)."""
    task = d.ready()[element]
    d.engine.complete_task(task.id, data or {}, d.actor(username or task.lane.lower()))


def test_a_review_before_its_konsep_exists_is_refused(office_engine, clock):
    d = Driver(office_engine)
    to_draft(d, clock)
    submit_without_worker(d, "T07_draft_letter", DRAFT, "subkoordinator")
    review = d.ready()["T08_review_draft"]
    assert d.engine.letters.task_document(review.id, d.actor("kabid")).state == "pending"
    for decision in ("approve", "return"):
        with pytest.raises(Conflict) as refused:
            d.engine.complete_task(review.id, {"decision": decision, "note": "Hal surat kurang lengkap"}, d.actor("kabid"))
        assert "sedang disiapkan" in refused.value.message_id
    assert events(d, "letter_approved") == [] and "T08_review_draft" in d.ready()
    d.work()
    document = d.engine.letters.task_document(review.id, d.actor("kabid"))
    assert (document.state, document.version) == ("ready", 1)
    d.complete("T08_review_draft")
    [approved] = events(d, "letter_approved")
    assert approved.data["sha256"] == document.sha256


def test_a_revised_draft_is_reviewed_only_once_its_own_konsep_is_laid_out(office_engine, clock):
    """The instance's facts name the konsep laid out last (the review reads nothing else):
    the first version's stays known while the revision's layout is pending, and never
    stands in for it."""
    d = Driver(office_engine)
    to_draft(d, clock)
    d.complete("T07_draft_letter", DRAFT)
    first = konsep_fact(d)
    assert first["version"] == 1
    d.complete("T08_review_draft", {"decision": "return", "note": "Perbaiki paragraf kedua"})
    submit_without_worker(d, "T07_draft_letter", DRAFT, "subkoordinator")
    review = d.ready()["T08_review_draft"]
    with pytest.raises(Conflict) as refused:
        d.engine.complete_task(review.id, {"decision": "approve"}, d.actor("kabid"))
    assert "sedang disiapkan" in refused.value.message_id
    assert events(d, "letter_approved") == [] and konsep_fact(d) == first
    d.work()
    second = konsep_fact(d)
    rendered = [e.data for e in events(d, "letter_rendered")]
    assert [(e["version"], e["document_id"], e["sha256"]) for e in rendered] == \
        [(x["version"], x["document_id"], x["sha256"]) for x in (first, second)]
    d.complete("T08_review_draft")
    [approved] = events(d, "letter_approved")
    assert (approved.data["version"], approved.data["sha256"], approved.data["document_id"]) == \
        (2, second["sha256"], second["document_id"])
    assert konsep_fact(d) == second  # kept by the commands after it


def test_the_approval_names_the_stored_konsep_and_the_chain_the_sent_letter(office_engine, clock, tmp_path):
    d = Driver(office_engine)
    to_signature(d, clock)
    [konsep] = events(d, "letter_rendered")
    [approved] = events(d, "letter_approved")
    stored = d.engine.letters.draft_pdf(d.instance_id, d.actor("kabid"))  # the stored konsep, not a new layout
    assert approved.data["sha256"] == konsep.data["sha256"] == sha256(stored)
    assert approved.data["document_id"] == konsep.data["document_id"]
    d.complete("T09_sign_letter")
    [signed] = events(d, "letter_signed")
    final = [e for e in events(d, "letter_rendered") if e.data["stage"] == "final"]
    assert [e.data["number"] for e in final] == [signed.data["number"]]
    [eml] = (tmp_path / "outbox").glob("surat_tanggapan-*.eml")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    [pdf] = [data for name, data in attachments(message).items() if name.endswith(".pdf")]
    assert sha256(pdf) == final[0].data["sha256"]


def test_a_failed_layout_is_an_incident_retried_and_the_number_given_once(office_engine, clock):
    d = Driver(office_engine)
    to_signature(d, clock)
    press, real = office_engine.letters.press, office_engine.letters.press.pdf
    press.pdf = lambda *args, **kwargs: (_ for _ in ()).throw(RuntimeError("pango crashed"))
    d.complete("T09_sign_letter")
    incident, waited = d.engine.incidents(d.actor("admin"))
    assert incident.element_id == "@letter/final" and "pango crashed" in incident.last_error
    assert waited.operator == "letter/dispatch" and "belum selesai disiapkan" in waited.last_error
    assert d.instance().letters == []  # the dispatch never laid the letter out itself
    press.pdf = real
    d.engine.retry_job(incident.id, d.actor("admin"))  # the letter's layout puts the dispatch back
    d.work()
    assert d.instance().summary.status == "running" and d.engine.incidents(d.actor("admin")) == []
    [letter] = d.instance().letters
    register = d.engine.letters.register(2026)
    assert [r["number"] for r in register] == [letter["number"]] == ["000.7.2/1/DKISP/2026"]


def test_a_failed_konsep_layout_tells_the_reviewer(office_engine, clock):
    d = Driver(office_engine)
    to_draft(d, clock)
    press, real = office_engine.letters.press, office_engine.letters.press.pdf
    press.pdf = lambda *args, **kwargs: (_ for _ in ()).throw(RuntimeError("pango crashed"))
    d.complete("T07_draft_letter", DRAFT)
    review = d.ready()["T08_review_draft"]
    assert d.engine.letters.task_document(review.id, d.actor("kabid")).state == "failed"
    with pytest.raises(Conflict) as refused:
        d.engine.complete_task(review.id, {}, d.actor("kabid"))
    assert "gagal disiapkan" in refused.value.message_id
    press.pdf = real
    [incident] = d.engine.incidents(d.actor("admin"))
    d.engine.retry_job(incident.id, d.actor("admin"))
    d.work()
    d.complete("T08_review_draft")
    assert len(events(d, "letter_approved")) == 1


def test_a_draft_whose_konsep_was_never_queued_gets_it_on_the_review_page(office_engine, clock):
    from sqlalchemy import delete

    from engine.storage.models import Job
    d = Driver(office_engine)
    to_draft(d, clock)
    submit_without_worker(d, "T07_draft_letter", DRAFT, "subkoordinator")
    with d.engine.db.transaction() as session:  # as a draft submitted before the layouts moved
        session.execute(delete(Job).where(Job.operator == "letter/render"))
    review = d.ready()["T08_review_draft"]
    assert d.engine.letters.task_document(review.id, d.actor("kabid")).state == "pending"
    d.work()
    assert d.engine.letters.task_document(review.id, d.actor("kabid")).state == "ready"
    d.complete("T08_review_draft")
    assert len(events(d, "letter_approved")) == 1
