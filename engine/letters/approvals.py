"""Steps 7-9 inside the command that completes them: each draft gets a
version; Kabid's approval renders the draft (konsep) exactly as previewed and
keeps it; the Kadis's signature takes the next number of the register, renders
the final letter and keeps it for the dispatch job. Each approval's audit event
names who, when, and the SHA-256 of the PDF approved. A returned draft goes back
to the Subkoordinator with the reviewer's note (the process routes it; the note
stays in the review's data) and burns no number."""
from __future__ import annotations

from engine.audit import chain as audit
from engine.letters import content, numbering

DRAFT, KABID, KADIS = "letter_draft", "review_kabid", "review_kadis"
KIND = "surat_tanggapan"


def before_complete(office, session, instance, task, element, data: dict, actor, now) -> None:
    """Act on a letter step's validated form data before its task completes."""
    variable = element.variable
    if variable == DRAFT:
        task.data["letter_version"] = int(task.data.get("letter_version") or 0) + 1
    elif variable in (KABID, KADIS) and data.get("decision") == "approve":
        recipient = office.archive.recipient(instance.id)
        version = int(task.data.get("letter_version") or 1)
        if variable == KABID:
            _approve_draft(office, instance, task, element, recipient, version, actor, now, session)
        else:
            _sign(office, session, instance, task, element, recipient, version, actor, now)


def draft_context(office, data: dict, recipient, now) -> dict:
    """The konsep as it is previewed and as Kabid approves it."""
    return content.response_letter(data, office.settings, recipient, now=now, number=None, signed=False)


def _approve_draft(office, instance, task, element, recipient, version, actor, now, session) -> None:
    pdf = office.press.pdf(KIND, draft_context(office, task.data, recipient, now))
    doc = office.archive.store(instance_id=instance.id, kind=KIND, stage="kabid", pdf=pdf, now=now,
                               version=version, by=actor.username)
    audit.append(session, instance, at=now, type_="letter_approved", actor=actor.username,
                 lane=element.lane, task=element.id, task_id=str(task.id),
                 data={"stage": "kabid", "version": version, "sha256": doc.sha256, "document_id": doc.id})


def _sign(office, session, instance, task, element, recipient, version, actor, now) -> None:
    number = numbering.assign(session, office.settings, instance_id=instance.id, kind=KIND,
                              by=actor.username, now=now)
    context = content.response_letter(task.data, office.settings, recipient, now=now,
                                      number=number.number, signed=True)
    pdf = office.press.pdf(KIND, context)
    doc = office.archive.store(instance_id=instance.id, kind=KIND, stage="kadis", pdf=pdf, now=now,
                               number=number.number, version=version, by=actor.username)
    signed = {"number": number.number, "document_id": doc.id, "sha256": doc.sha256, "version": version,
              "signed_by": actor.username, "signed_at": now.isoformat()}
    task.data["signed_letter"] = signed
    audit.append(session, instance, at=now, type_="letter_signed", actor=actor.username,
                 lane=element.lane, task=element.id, task_id=str(task.id), data=dict(signed, stage="kadis"))
