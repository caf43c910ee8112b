"""The Kadis's signature (T09) with a provider that needs the signer there (BSrE).

The passphrase can only be used while the signer is there, so the letter is
signed in the signer's own request instead of the worker:

1. a short command takes the letter's number (kept in the task's data, so a retry
   takes no second one) and leaves the step open;
2. outside any transaction the final letter is laid out exactly as the worker's
   ``@letter/final`` job lays it out (``rendering.render_letter``), the provider
   signing it with the NIK on the signer's account and the passphrase held in
   memory for that call only, and the signed PDF is stored;
3. a second short command completes the step with the stored letter's hash in
   the audit chain (``approvals``), queueing no layout.

A refusal (wrong passphrase, NIK not registered, certificate revoked, service
down) is ``SignatureRefused``: one sentence in the page's language, the step open,
its number kept. The passphrase is never put in task data, the audit, a log or an
error; it is not even a form field of the process.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from engine.accounts import access
from engine.errors import InvalidData
from engine.letters import approvals, bsre, rendering
from engine.letters.signer import signature_block
from engine.requests import completion
from engine.runtime.operators import OperatorContext
from engine.storage.models import Instance, ReadyTaskRow, User

FIELD = "passphrase"  # the confirmation's field and the JSON API's (beside ``data``, never in it)
MISSING, NO_NIK = "missing", "no_nik"
SENTENCES = {  # kind -> (English, Indonesian)
    MISSING: ("Type your signing passphrase to sign the letter.",
              "Isi passphrase TTE Anda untuk menandatangani surat."),
    NO_NIK: ("Your account has no NIK for BSrE signing yet; ask an administrator to enter it.",
             "Akun Anda belum memiliki NIK untuk tanda tangan elektronik BSrE; minta administrator mengisinya."),
    bsre.PASSPHRASE: ("The passphrase is wrong, so the letter is not signed; check it and try again.",
                      "Passphrase salah sehingga surat belum ditandatangani; periksa kembali lalu coba lagi."),
    bsre.NOT_REGISTERED: ("Your NIK is not registered with BSrE for an electronic certificate; contact the "
                          "agency's e-signature coordinator.",
                          "NIK Anda tidak terdaftar sebagai pemilik sertifikat elektronik di BSrE; hubungi "
                          "koordinator TTE instansi."),
    bsre.CERTIFICATE: ("Your electronic certificate is revoked or no longer valid; contact the e-signature "
                       "coordinator to renew it.",
                       "Sertifikat elektronik Anda sudah dicabut atau tidak berlaku lagi; hubungi koordinator "
                       "TTE untuk memperbaruinya."),
    bsre.REFUSED: ("BSrE refused to sign the letter; try again or contact the e-signature coordinator.",
                   "BSrE menolak menandatangani surat ini; coba lagi atau hubungi koordinator TTE."),
    bsre.UNAVAILABLE: ("BSrE's signing service cannot be reached now, so the letter is not signed yet; try "
                       "again in a few minutes.",
                       "Layanan tanda tangan elektronik BSrE sedang tidak dapat dihubungi sehingga surat belum "
                       "ditandatangani; coba lagi beberapa menit lagi."),
    bsre.CREDENTIALS: ("The application's access to BSrE's signing service is not set up correctly, so the "
                       "letter is not signed yet; tell an administrator.",
                       "Akses aplikasi ke layanan tanda tangan BSrE belum diatur dengan benar sehingga surat "
                       "belum ditandatangani; beri tahu administrator."),
}


class SignatureRefused(InvalidData):
    """The letter was not signed: one sentence on the passphrase field (422), or, when the
    service is down, the same with ``unavailable`` (the API answers 502). The step stays open."""

    code = "signature_refused"

    def __init__(self, kind: str, lang: str = "id"):
        english, indonesian = SENTENCES.get(kind, SENTENCES[bsre.REFUSED])
        super().__init__({FIELD: [indonesian if lang == "id" else english]})
        self.message_en, self.message_id = english, indonesian
        self.args = (english,)
        self.kind = kind
        self.unavailable = kind in (bsre.UNAVAILABLE, bsre.CREDENTIALS)


def signs_here(kernel) -> bool:
    """True when the provider signs in the signer's request (it needs their passphrase)."""
    return bool(getattr(_provider(kernel), "interactive", False))


def _provider(kernel):
    return kernel.letter_office.press.signature


def complete_task(kernel, task_id: str, data, actor, lang: str = "id", passphrase: str | None = None):
    """Complete a ready task (``completion.complete_task``); the Kadis's approval of the letter,
    with a provider that needs the signer there, is signed here first (see the module)."""
    task_id = str(task_id)
    if not signs_here(kernel) or not _signing(kernel, task_id, data, actor):
        return completion.complete_task(kernel, task_id, data, actor, lang)
    if not isinstance(passphrase, str) or not passphrase.strip():
        raise SignatureRefused(MISSING, lang)
    nik = _nik(kernel, actor)
    if nik is None:
        raise SignatureRefused(NO_NIK, lang)
    signed, instance_id = _take_number(kernel, task_id, actor)
    final = _stored_final(kernel, instance_id, signed) or _sign(kernel, instance_id, task_id, signed, nik,
                                                                passphrase, lang)
    return completion.complete_task(kernel, task_id, data, actor, lang, final=final)


def _signing(kernel, task_id: str, data, actor) -> bool:
    """The task is the Kadis's review and its decision is to sign (the form's default)."""
    with kernel.db.reading() as session:
        row = session.get(ReadyTaskRow, task_id)
        if row is None or row.form_key != approvals.KADIS:
            return False
        access.require_instance(actor, row.agency_id)
        access.require_complete(actor, row.lane, row.agency_id)
    decision = data.get("decision", "approve") if isinstance(data, dict) else None
    return decision == "approve"


def _nik(kernel, actor) -> str | None:
    """The NIK on the signer's own account (the one who signs is the one named)."""
    with kernel.db.reading() as session:
        nik = session.scalar(select(User.nik).where(User.username == actor.username))
    return nik if nik and nik.isdigit() and len(nik) == 16 else None


def _take_number(kernel, task_id: str, actor) -> tuple[dict, str]:
    """Command 1: the letter's number (the one taken before, on a retry); the step stays open."""
    found = []

    def ready_row_instance(session):
        row = session.get(ReadyTaskRow, task_id)
        if row is None:
            raise completion.missing_task(session, task_id, actor)
        found.append(row)
        return session.get(Instance, row.instance_id)

    with kernel.command(ready_row_instance, conflict=completion.CHANGED) as cmd:
        row = found[0]
        task = kernel.runner.user_task(cmd.workflow, row.id)
        element = cmd.process.model.elements[row.element_id]
        signed = approvals.take_number(kernel.letter_office(cmd.session), cmd.session, cmd.instance, task,
                                       element, actor, cmd.now)
        return dict(signed), cmd.instance.id


def _stored_final(kernel, instance_id: str, signed: dict) -> dict | None:
    """The final letter of that number already signed and stored (a retry after the second
    command failed): it is not signed twice."""
    with kernel.db.reading() as session:
        row = rendering.stored(session, instance_id, rendering.FINAL, number=signed["number"])
        return None if row is None else {"stage": rendering.FINAL, "version": row.version, "number": row.number,
                                         "document_id": row.id, "sha256": row.sha256}


def _sign(kernel, instance_id: str, task_id: str, signed: dict, nik: str, passphrase: str, lang: str) -> dict:
    """Lay the final letter out and have it signed, outside any transaction; the stored letter."""
    with kernel.db.reading() as session:
        workflow, _ = kernel.peek(session, session.get(Instance, instance_id))
        data = dict(kernel.runner.user_task(workflow, task_id).data)  # the signing task's, with its number
        block = signature_block(session, kernel.settings.letters, signed)  # who signs is who is named
    key = f"{instance_id}:sign:{task_id}"
    context = OperatorContext(instance_id=instance_id, task_id=f"sign:{task_id}",
                              element_id=rendering.ELEMENTS[rendering.FINAL],
                              now=datetime.fromisoformat(signed["signed_at"]), idempotency_key=key, data=data,
                              ports=kernel.ports(None))
    provider = _provider(kernel)
    try:
        with provider.holding(key, nik=nik, passphrase=passphrase):
            return rendering.render_letter(context, rendering.FINAL, int(signed.get("version") or 1),
                                           signed["number"], signer=block)
    except bsre.BsreRefusal as refusal:
        raise SignatureRefused(refusal.kind, lang) from None
