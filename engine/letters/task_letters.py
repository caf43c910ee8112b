"""The letter a task is about, as its page shows it: the stored konsep the Kabid
approves (T08) and the Kadis signs (T09), the sent letter the agency confirms
(T10); its page images (``page_images``) and where it stands. Read only: the
pages were made by the worker when it stored the document."""
from __future__ import annotations

from dataclasses import dataclass

from engine.letters import approvals, page_images, rendering

RECEIPT = "receipt"  # the agency's receipt form
ACTIONS = {approvals.KABID: "approve", approvals.KADIS: "sign", RECEIPT: "receive"}


@dataclass(frozen=True)
class TaskLetterView:
    """The letter on a task's page. ``action``: ``approve`` (the Kabid), ``sign`` (the
    Kadis), ``receive`` (the agency); ``state``: ``ready``, ``pending`` (sedang
    disiapkan), ``failed`` or ``missing``; ``pages``: (page, width, height) of its page
    images (empty: the page offers the PDF only); ``letter_id``: the sent letter's id."""

    action: str
    state: str
    document_id: int | None = None
    pages: tuple[tuple[int, int, int], ...] = ()
    letter_id: int | None = None
    number: str | None = None


def action_of(form_key: str | None) -> str | None:
    """What the task does with a letter (None: its task is about no letter)."""
    return ACTIONS.get(form_key or "")


def konsep(session, action: str, state: rendering.DocumentState) -> TaskLetterView:
    """The review's konsep in ``state``, with its page images once stored."""
    if state.state != "ready" or state.document_id is None:
        return TaskLetterView(action, state.state)
    return TaskLetterView(action, "ready", state.document_id,
                          tuple(page_images.sizes(session, state.document_id)), number=state.number)


def sent(session, instance) -> TaskLetterView:
    """The response letter sent to the agency (the newest), with its page images (a letter
    sent before page images were made has none: its page offers the PDF only)."""
    letters = [x for x in (instance.facts or {}).get("letters", [])
               if x.get("kind") == rendering.KIND and x.get("id")]
    if not letters:
        return TaskLetterView("receive", "missing")
    letter, document_id = letters[-1], int(letters[-1]["id"])
    return TaskLetterView("receive", "ready", document_id, tuple(page_images.sizes(session, document_id)),
                          document_id, letter.get("number"))
