"""The API's own user-facing messages, Bahasa Indonesia first, English second.

Schemas and handlers name a message by code (``"too_long|200"`` carries its
parameters after ``|``); ``text`` turns a code into words in the caller's
language. Form messages come from the engine already translated.
"""
from __future__ import annotations

CATALOG = {
    # request bodies and query strings
    "required": ("Wajib diisi.", "This field is required."),
    "null": ("Tidak boleh kosong (null).", "May not be null."),
    "unknown": ("Isian tidak dikenal.", "Unknown field."),
    "body_object": ("Isi permintaan harus berupa objek JSON.",
                    "The request body must be a JSON object."),
    "object": ("Harus berupa objek JSON.", "Must be a JSON object."),
    "text": ("Harus berupa teks.", "Must be text."),
    "integer": ("Harus berupa bilangan bulat.", "Must be a whole number."),
    "too_long": ("Maksimal {0} karakter.", "At most {0} characters."),
    "nul": ("Karakter NUL (\\u0000) tidak diizinkan.",
            "The NUL character (\\u0000) is not allowed."),
    "empty": ("Tidak boleh kosong.", "May not be empty."),
    "choice": ("Pilihan tidak dikenal.", "Not one of the allowed choices."),
    "boolean": ("Harus true atau false.", "Must be true or false."),
    "range": ("Harus antara {0} dan {1}.", "Must be between {0} and {1}."),
    "moment": ("Tanggal (TTTT-BB-HH) atau tanggal-jam dengan zona waktu "
               "(mis. 2026-12-01T09:00:00+08:00).",
               "A date (YYYY-MM-DD) or a date-time with offset (e.g. 2026-12-01T09:00:00+08:00)."),
    "before_from": ("Harus sama dengan atau sesudah 'from'.", "Must not be before 'from'."),
    # errors
    "invalid": ("Data tidak valid.", "Invalid data."),
    "invalid_credentials": ("Nama pengguna atau kata sandi salah.", "Wrong username or password."),
    "unauthorized": ("Perlu masuk: kirim header 'Authorization: Bearer <token>'.",
                     "Sign-in needed: send an 'Authorization: Bearer <token>' header."),
    "too_many_attempts": ("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit.",
                          "Too many failed sign-ins. Try again in 15 minutes."),
    "invalid_token": ("Token tidak valid; minta token baru.", "Invalid token; request a new one."),
    "token_expired": ("Token sudah kedaluwarsa; minta token baru.",
                      "The token has expired; request a new one."),
    "bad_json": ("Isi permintaan bukan JSON yang valid.", "The request body is not valid JSON."),
    "json_too_deep": ("Isi permintaan JSON bersarang terlalu dalam (paling banyak 32 tingkat).",
                      "The JSON request body is nested too deeply (at most 32 levels)."),
    "json_required": ("Kirim isi permintaan sebagai JSON (Content-Type: application/json).",
                      "Send the request body as JSON (Content-Type: application/json)."),
    "bad_request": ("Permintaan tidak valid.", "Bad request."),
    "forbidden": ("Peran Anda tidak diizinkan melakukan ini.", "Your role may not do this."),
    "conflict": ("Data berubah sementara itu; muat ulang lalu coba lagi.",
                 "The data changed meanwhile; reload and try again."),
    "not_found": ("Alamat tidak ditemukan.", "No such address."),
    "method_not_allowed": ("Metode tidak diizinkan untuk alamat ini.",
                           "Method not allowed for this address."),
    "too_large": ("Isi permintaan terlalu besar.", "The request body is too large."),
    "process_failure": ("Proses tidak dapat dilanjutkan; tidak ada yang disimpan. "
                        "Hubungi administrator.",
                        "The process could not advance; nothing was stored. "
                        "Contact the administrator."),
    "internal_error": ("Terjadi kesalahan pada server; tidak ada yang disimpan.",
                       "Something went wrong on the server; nothing was stored."),
}
LANGUAGES = ("id", "en")


def text(code: str, lang: str = "id") -> str:
    """The words for message ``code`` (with ``|``-separated parameters) in ``lang``."""
    name, *params = code.split("|")
    pair = CATALOG.get(name)
    if pair is None:
        return code  # already words (e.g. a message from the engine)
    return pair[1 if lang == "en" else 0].format(*params)
