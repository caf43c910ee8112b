"""Error pages: the user's language, no stack traces, the right status."""
from __future__ import annotations

import logging

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from engine import Conflict, EngineError, Forbidden, InvalidData, NotFound, Unavailable

from api.web.lang import page_lang

log = logging.getLogger("vicon.web")
TITLES = {
    400: _l("Permintaan tidak valid"), 403: _l("Tidak diizinkan"), 404: _l("Tidak ditemukan"),
    405: _l("Metode tidak diizinkan"), 409: _l("Data sudah berubah"), 413: _l("Berkas terlalu besar"),
    429: _l("Terlalu banyak percobaan"), 503: _l("Layanan sementara tidak tersedia"),
}
MESSAGES = {
    "csrf": _l("Formulir ini kedaluwarsa atau tidak dikirim dari halaman vicon. Muat ulang halaman "
               "lalu kirim lagi; tidak ada yang disimpan."),
    400: _l("Permintaan tidak dapat diproses; tidak ada yang disimpan."),
    403: _l("Peran Anda tidak diizinkan membuka atau mengerjakan ini."),
    404: _l("Halaman atau permohonan ini tidak ada, atau Anda tidak berhak melihatnya."),
    405: _l("Alamat ini tidak menerima permintaan seperti itu."),
    413: _l("Kiriman terlalu besar. Unggah PDF berukuran paling besar 5 MB."),
}


def error_page(status: int, message: str):
    """A rendered error page."""
    return render_template("web/error.html", status=status, title=TITLES.get(status, _("Kesalahan")),
                           message=message), status


def _http(exc: HTTPException):
    status = exc.code or 500
    message = MESSAGES.get(exc.description) or MESSAGES.get(status) or MESSAGES[400]
    return error_page(status, message)


def _engine(exc: EngineError):
    status = 404 if isinstance(exc, NotFound) else 403 if isinstance(exc, Forbidden) else \
        409 if isinstance(exc, Conflict) else 400
    if isinstance(exc, Unavailable):  # the database restarts: nothing was stored, try again
        return error_page(503, _("Basis data sedang tidak menjawab; tidak ada yang disimpan. "
                                 "Coba lagi sebentar lagi."))
    if isinstance(exc, InvalidData):
        return error_page(400, "; ".join(m for ms in exc.errors.values() for m in ms))
    if status == 400:
        log.error("engine error on a page: %s", exc)
        return error_page(400, _("Proses tidak dapat dilanjutkan; tidak ada yang disimpan. "
                                 "Hubungi administrator."))
    message = exc.message(page_lang())
    return error_page(status, message[:1].upper() + message[1:])


def attach(bp) -> None:
    """Answer errors raised by ``bp``'s pages with error pages (not JSON)."""
    bp.register_error_handler(HTTPException, _http)
    bp.register_error_handler(EngineError, _engine)
