"""Error pages: the user's language, no stack traces, the right status."""
from __future__ import annotations

import logging

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from engine import EngineError

from api.error_mapping import engine_answer
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


def error_page(status: int, message: str, headers: dict | None = None):
    """A rendered error page."""
    return render_template("web/error.html", status=status, title=TITLES.get(status, _("Kesalahan")),
                           message=message), status, headers or {}


def http_error_page(exc: HTTPException):
    """An HTTP error (an unknown address, a method not allowed) as a page in the user's language."""
    return _http(exc)


def _http(exc: HTTPException):
    status = exc.code or 500
    message = MESSAGES.get(exc.description) or MESSAGES.get(status) or MESSAGES[400]
    return error_page(status, message)


def _engine(exc: EngineError):
    """The same status and words as the JSON API (``api.error_mapping``), as a page."""
    answer = engine_answer(exc, page_lang())
    if answer.logged:
        log.error("engine error on a page: %s", exc)
    message = "; ".join(m for ms in answer.fields.values() for m in ms) or answer.message
    return error_page(answer.status, message[:1].upper() + message[1:], answer.headers)


def attach(bp) -> None:
    """Answer errors raised by ``bp``'s pages with error pages (not JSON)."""
    bp.register_error_handler(HTTPException, _http)
    bp.register_error_handler(EngineError, _engine)
