"""``letter/dispatch`` (SOP step 9), ``notice/schedule_full`` (step 4, schedule
full) and ``notice/expired``: external operators run by the worker.

The response letter sent is the final PDF the worker laid out after the Kadis
signed (``engine.letters.rendering``) and the electronic-signature provider
signed right after that layout, never laid out or signed again here. Notices are rendered here and stored under the job's
idempotency key. Each goes by e-mail (or to the outbox folder) to the
requesting agency, the request's contact in copy; a retry sends the same
message (same Message-ID) and stores nothing twice.
"""
from __future__ import annotations

import re
from datetime import datetime

from engine.letters import content, verification
from engine.letters.invite import invitation
from engine.letters.mail import Outgoing, compose, letter_text
from engine.errors import ServiceError

KINDS = {"surat_tanggapan": "Surat Tanggapan", "jadwal_penuh": "Pemberitahuan Jadwal Penuh",
         "kedaluwarsa": "Pemberitahuan Permohonan Kedaluwarsa"}
ASKS = {"surat_tanggapan": "Mohon konfirmasi penerimaan surat ini melalui aplikasi layanan Zoom Meeting.",
        "jadwal_penuh": "Waktu alternatif dapat dipilih melalui aplikasi layanan Zoom Meeting."}
FINAL_WAIT_SECONDS = 2  # the final letter's layout job runs before the dispatch; rarely waited for


def _file_name(kind: str, number: str | None) -> str:
    label = KINDS[kind].replace(" ", "-")
    tail = re.sub(r"[^0-9A-Za-z.]+", "-", number or "").strip("-")
    return f"{label}-{tail}.pdf" if tail else f"{label}.pdf"


def _addresses(ctx, recipient, smtp: bool) -> tuple[tuple, tuple]:
    if smtp and not recipient.email:
        raise ServiceError(f"OPD '{recipient.name}' tidak memiliki alamat surel", transient=False)
    contact = (ctx.data.get("request") or {}).get("contact_email")
    to = (recipient.email,) if recipient.email else ()
    return to, (contact,) if contact and contact not in to else ()


def _send(ctx, recipient, document, *, kind: str, subject: str, lines: list[str],
          extra: tuple = ()) -> dict:
    office = ctx.ports.letters
    smtp = office.transport.channel == "smtp"
    to, cc = _addresses(ctx, recipient, smtp)
    pdf_name = _file_name(kind, document.number)
    text = letter_text(addressee=recipient.head or "Bapak/Ibu", what=KINDS[kind], number=document.number,
                       subject=subject, lines=lines, sender_name=office.settings.sender_name,
                       request=ASKS.get(kind))
    outgoing = Outgoing(to, cc, f"{KINDS[kind]}: {subject}", text,
                        ((pdf_name, "application/pdf", document.pdf), *extra))
    message = compose(outgoing, sender=office.mail.sender, sender_name=office.settings.sender_name,
                      key=ctx.idempotency_key, domain=office.mail.domain, now=ctx.now)
    sent = office.transport.send(message, f"{kind}:{ctx.idempotency_key}",
                                 {pdf_name: document.pdf, **{n: d for n, _, d in extra}})
    return {"channel": office.transport.channel, "document": sent if not smtp else pdf_name,
            "document_id": document.id, "number": document.number, "sha256": document.sha256,
            "message_id": message["Message-ID"], "recipients": list(to + cc),
            "sent_at": ctx.now.isoformat()}


def _approved(ctx):
    """The final letter the worker laid out after the Kadis signed; never laid out here.
    Not stored yet (its layout is still queued): a transient failure, retried soon."""
    office = ctx.ports.letters
    signed = ctx.data.get("signed_letter") or {}
    if signed.get("document_id"):  # signed before layouts moved to the worker
        document = office.archive.document(signed["document_id"])
    else:
        document = office.archive.final(ctx.instance_id, signed.get("number"))
    if document is None:
        raise ServiceError("surat final belum selesai disiapkan", transient=True,
                           detail={"retry_after": FINAL_WAIT_SECONDS})
    return document


def _invitation(ctx, recipient, version: int) -> tuple:
    office, request = ctx.ports.letters, ctx.data.get("request") or {}
    meeting = ctx.data.get("meeting") or {}
    if not meeting.get("meeting_id") or not request.get("start_at"):
        return ()
    ics = invitation(uid=f"{ctx.instance_id}@{office.mail.domain}", sequence=version,
                     start=datetime.fromisoformat(request["start_at"]),
                     minutes=int(request.get("duration_minutes") or 60), summary=request.get("topic", ""),
                     meeting=meeting, organizer=office.mail.sender,
                     organizer_name=office.settings.sender_name,
                     attendees=[a for a in (recipient.email, request.get("contact_email")) if a],
                     stamp=ctx.now)
    return (("undangan.ics", "text/calendar; method=REQUEST; charset=UTF-8", ics),)


def dispatch_letter(ctx) -> dict:
    """Operator ``letter/dispatch``: send the response letter, as stored (signed right
    after its layout when a provider signs), with the invitation."""
    office = ctx.ports.letters
    recipient = office.archive.recipient(ctx.instance_id)
    approved = _approved(ctx)
    document = approved  # never signed again here: what was hashed into the chain is what goes out
    provider = office.press.signature.name
    subject = (ctx.data.get("letter_draft") or {}).get("subject") or content.DEFAULT_SUBJECT
    lines = [f"{label}: {value}" for label, value in content.response_letter(
        ctx.data, office.settings, recipient, now=ctx.now, number=approved.number, signed=True)["details"]]
    result = _send(ctx, recipient, document, kind="surat_tanggapan", subject=subject, lines=lines,
                   extra=_invitation(ctx, recipient, approved.version))
    return dict(result, signature={"provider": provider, "signed": provider != "none"})


def _notice(ctx, kind: str, build) -> dict:
    office = ctx.ports.letters
    recipient = office.archive.recipient(ctx.instance_id)
    context = build(ctx.data, office.settings, recipient, now=ctx.now)
    context["verification"] = entry = verification.prepare(office, verification.issue_of(
        kind, ctx.idempotency_key, ctx.instance_id, context, recipient.name, ctx.now), ctx.now)
    document = office.archive.store(instance_id=ctx.instance_id, kind=kind, stage="sent",
                                    pdf=office.press.pdf(kind, context), now=ctx.now,
                                    key=ctx.idempotency_key)
    verification.record(office, entry, document)
    return _send(ctx, recipient, document, kind=kind, subject=context["subject"], lines=[])


def notify_schedule_full(ctx) -> dict:
    """Operator ``notice/schedule_full``: tell the agency the schedule is full, with free slots."""
    return _notice(ctx, "jadwal_penuh", content.schedule_full_notice)


def notify_expired(ctx) -> dict:
    """Operator ``notice/expired``: tell the agency its request expired."""
    return _notice(ctx, "kedaluwarsa", content.expired_notice)
