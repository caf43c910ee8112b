"""Steps 7-9 inside the commands that complete them; no command lays out a PDF.

Each draft the Subkoordinator submits (T07) gets a version and queues its
konsep's layout (``rendering``). The Kabid's review (T08) is refused while that
konsep is not stored, and an approval names the SHA-256 of exactly the stored
konsep. The Kadis's signature (T09) takes the next number of the register in its
command and queues the final letter's layout, whose hash the worker records.
A returned draft goes back to the Subkoordinator with the reviewer's note (the
process routes it; the note stays in the review's data) and burns no number."""
from __future__ import annotations

from engine.accounts import access
from engine.audit import chain as audit
from engine.letters import content, numbering, rendering

DRAFT, KABID, KADIS = "letter_draft", "review_kabid", "review_kadis"
STEPS = (DRAFT, KABID, KADIS)  # the variables of the letter steps (7-9), the only ones acted on here
KIND = rendering.KIND


def before_complete(office, session, instance, task, element, data: dict, actor, now,
                    final: dict | None = None) -> None:
    """Act on a letter step's validated form data before its task completes; ``final``: the
    signed letter already stored by the signer's own request (``requests.signing_desk``)."""
    variable = element.variable
    if variable == DRAFT:
        version = int(task.data.get("letter_version") or 0) + 1
        task.data["letter_version"] = version
        rendering.queue(session, instance.id, rendering.KONSEP, now, supersede=version > 1)
    elif variable == KABID:  # a review of a konsep not laid out yet is refused, whatever its decision
        konsep = rendering.require_konsep(session, instance, _version(task))
        if data.get("decision") == "approve":
            _approve_draft(session, instance, task, element, konsep, actor, now)
    elif variable == KADIS and data.get("decision") == "approve":
        # the Kadis signs the konsep the Kabid approved (stored: T08 refuses otherwise); the
        # signed letter itself is laid out after this command (or was, when ``final`` is given)
        _sign(office, session, instance, task, element, actor, now, final)


def _version(task) -> int:
    return int(task.data.get("letter_version") or 1)


def draft_context(office, data: dict, recipient, now) -> dict:
    """The konsep as it is previewed and as the worker lays it out."""
    return content.response_letter(data, office.settings, recipient, now=now, number=None, signed=False)


def _approve_draft(session, instance, task, element, konsep, actor, now) -> None:
    audit.append(session, instance, at=now, type_="letter_approved", actor=actor.username,
                 lane=element.lane, task=element.id, task_id=str(task.id),
                 data={"stage": "kabid", "version": konsep.version, "sha256": konsep.sha256,
                       "document_id": konsep.id})


def take_number(office, session, instance, task, element, actor, now) -> dict:
    """The letter's number and signer, kept in the task's data: taken once per signing task
    (a signing refused by the certificate service keeps its number for the retry)."""
    kept = task.data.get("signed_letter")
    if isinstance(kept, dict) and kept.get("number") and kept.get("task_id") == str(task.id):
        return kept
    number = numbering.assign(session, office.settings, instance_id=instance.id, kind=KIND,
                              by=actor.username, now=now)
    signed = {"number": number, "version": _version(task), "signed_by": actor.username,
              "signed_at": now.isoformat(), "task_id": str(task.id)}
    official = access.on_behalf_of(actor, element.lane)
    if official:  # a Plt signed: the letter's block says so (engine.letters.signer)
        signed["on_behalf_of"] = official
    task.data["signed_letter"] = signed
    return signed


def _sign(office, session, instance, task, element, actor, now, final: dict | None) -> None:
    signed = take_number(office, session, instance, task, element, actor, now)
    if final is None:
        rendering.queue(session, instance.id, rendering.FINAL, now, supersede=False)  # one signature per request
    audit.append(session, instance, at=now, type_="letter_signed", actor=actor.username,
                 lane=element.lane, task=element.id, task_id=str(task.id),
                 data=dict({k: v for k, v in signed.items() if k != "task_id"}, stage="kadis"))
    if final is not None:  # signed and stored in the signer's request: its hash into the chain
        audit.append(session, instance, at=now, type_="letter_rendered", actor=actor.username,
                     task=rendering.ELEMENTS[rendering.FINAL], task_id=str(task.id), data=dict(final))
