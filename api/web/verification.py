"""The public verification page behind the QR printed on every letter, notice
and monthly recap (no sign-in): what the document says, the SHA-256 of the
issued PDF and whether it still stands (issued, replaced, voided); an uploaded
PDF is checked against it, byte for byte and by its electronic signature.

As on the tracking page, the token in the address is the only key: never
indexed, never sent on as a referrer, never cached, and unknown tokens are
counted per client address in the database (every process shares the limit)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engine import InvalidData, NotFound

from api.context import engine
from api.web import errors
from api.web.tracking import PRIVATE_HEADERS

bp = Blueprint("web_verification", __name__)
errors.attach(bp)
MAX_UPLOAD = 5 * 1024 * 1024  # the app's request limit (8 MB) stays above it: the form's fields fit
KINDS = {"surat_tanggapan": _l("Surat tanggapan"), "jadwal_penuh": _l("Pemberitahuan jadwal penuh"),
         "kedaluwarsa": _l("Pemberitahuan permohonan kedaluwarsa"), "rekap": _l("Rekapitulasi bulanan")}
STATES = {"issued": _l("Berlaku: dokumen ini diterbitkan dan tidak diganti."),
          "replaced": _l("Diganti: surat yang lebih baru telah diterbitkan untuk permohonan yang sama."),
          "voided": _l("Dibatalkan: permohonannya ditarik atau kedaluwarsa setelah surat ini terbit.")}


@bp.after_request
def _private(response):
    response.headers.update(PRIVATE_HEADERS)
    return response


def _lookup(token: str):
    """The document ``token`` names, or the refusal page (unknown tokens counted per address)."""
    desk, address = engine().verification, request.remote_addr or ""
    if desk.limit.blocked(address):
        return None, errors.error_page(429, _("Terlalu banyak kode verifikasi yang salah. Coba lagi dalam 15 menit."))
    try:
        return desk.view(token), None
    except NotFound:
        desk.limit.missed(address)
        return None, errors.error_page(404, _("Kode verifikasi ini tidak dikenal. Periksa kembali kode QR "
                                              "atau alamat pada dokumen."))


def _page(token: str, view, check=None, problem: str | None = None, status: int = 200):
    return render_template("web/verification.html", view=view, token=token, kind=KINDS.get(view.kind, view.kind),
                           state=STATES.get(view.state, view.state), check=check, problem=problem,
                           limit_mb=MAX_UPLOAD // (1024 * 1024)), status


def _read(upload) -> bytes:
    """At most one byte past the limit of the uploaded file; its spooled copy closed."""
    if upload is None:
        return b""
    try:
        return upload.read(MAX_UPLOAD + 1)
    finally:
        upload.close()


@bp.get("/verifikasi/<token>")
def verify(token: str):
    """What the document says and whether it stands, for whoever holds its QR."""
    view, refused = _lookup(token)
    return refused or _page(token, view)


@bp.post("/verifikasi/<token>")
def check(token: str):
    """An uploaded PDF against the issued one (size checked before the form is read)."""
    view, refused = _lookup(token)
    if refused:
        return refused
    if request.content_length is None or request.content_length > MAX_UPLOAD + 64 * 1024:
        return _page(token, view, problem=_("Berkas terlalu besar: paling besar %(mb)s MB.",
                                            mb=MAX_UPLOAD // (1024 * 1024)), status=413)
    data = _read(request.files.get("file"))
    if not data:
        return _page(token, view, problem=_("Pilih berkas PDF yang akan diperiksa."), status=400)
    if len(data) > MAX_UPLOAD:
        return _page(token, view, problem=_("Berkas terlalu besar: paling besar %(mb)s MB.",
                                            mb=MAX_UPLOAD // (1024 * 1024)), status=413)
    try:
        result = engine().verification.check(token, data)
    except InvalidData:
        return _page(token, view, problem=_("Berkas ini bukan PDF."), status=400)
    return _page(token, view, check=result)
