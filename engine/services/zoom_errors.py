"""Zoom's answers as errors: which may be retried, which block one host
account, and what staff read (Bahasa Indonesia first, English second).

Zoom answers a failure with ``{"code": <int>, "message": <text>}``; the codes
that matter here are listed in ``notes/zoom-and-letters.md`` A.6.
"""
from __future__ import annotations

from engine.services.meeting import MEETING_FAILED
from engine.errors import ServiceError

# code -> (Indonesian, English); {host} and {meeting} are filled in when known
MESSAGES = {
    124: ("Token akses Zoom tidak valid atau kedaluwarsa; periksa kredensial Server-to-Server OAuth "
          "(VICON_ZOOM_ACCOUNT_ID, VICON_ZOOM_CLIENT_ID, VICON_ZOOM_CLIENT_SECRET).",
          "Invalid or expired Zoom access token; check the Server-to-Server OAuth credentials."),
    300: ("Zoom menolak data rapat (parameter tidak valid): {detail}.",
          "Zoom refused the meeting data (invalid parameter): {detail}."),
    1001: ("Akun host {host} tidak ada di akun Zoom ini; periksa e-mail akun host di menu akun host.",
           "Host {host} does not exist in this Zoom account; check the host account's e-mail."),
    1010: ("Akun host {host} bukan bagian dari akun Zoom ini.",
           "Host {host} does not belong to this Zoom account."),
    3001: ("Rapat {meeting} tidak ditemukan atau sudah kedaluwarsa di Zoom.",
           "Meeting {meeting} was not found at Zoom or has expired."),
    3002: ("Rapat {meeting} sedang berlangsung sehingga tidak dapat dihapus.",
           "Meeting {meeting} is in progress and cannot be deleted."),
    3003: ("Akun host {host} bukan host rapat {meeting}.", "Host {host} is not the host of meeting {meeting}."),
    3161: ("Akun host {host} tidak diizinkan menyelenggarakan atau menjadwalkan rapat "
           "(lisensi atau pengaturan Zoom).",
           "Host {host} may not host or schedule meetings (Zoom licence or settings)."),
    4700: ("Aplikasi Zoom tidak memiliki izin (scope) yang diperlukan; admin Zoom harus menambahkan "
           "scope rapat dan pengguna pada aplikasi Server-to-Server OAuth.",
           "The Zoom app lacks a required scope; a Zoom admin must add the meeting and user scopes."),
    429: ("Batas laju permintaan Zoom tercapai; dicoba lagi otomatis.",
          "Zoom's rate limit was reached; retried automatically."),
}
DAILY = ("Batas harian Zoom (100 pembuatan/perubahan rapat per host per hari) untuk akun host {host} "
         "tercapai; batas dibuka lagi pukul 08.00 WITA.",
         "Zoom's daily limit (100 meeting creates/updates per host) is reached for host {host}; "
         "it resets at 08:00 WITA.")
CREDENTIALS = ("Kredensial Zoom ditolak (Account ID, Client ID atau Client Secret salah, atau aplikasi "
               "belum diaktifkan).",
               "Zoom refused the credentials (wrong Account ID, Client ID or Client Secret, or the app "
               "is not activated).")
TIMEOUT = ("Zoom tidak menjawab dalam {seconds} detik; dicoba lagi otomatis.",
           "Zoom did not answer within {seconds} s; retried automatically.")
UNREACHABLE = ("Zoom tidak dapat dihubungi; dicoba lagi otomatis.",
               "Zoom cannot be reached; retried automatically.")
SERVER = ("Layanan Zoom sedang bermasalah (HTTP {status}); dicoba lagi otomatis.",
          "Zoom's service is failing (HTTP {status}); retried automatically.")
OTHER = ("Zoom menolak permintaan (HTTP {status}, kode {code}): {detail}",
         "Zoom refused the request (HTTP {status}, code {code}): {detail}")
HOST_BLOCKED_CODES = {1001, 1010, 3161}
GONE_CODES = {1001, 3001}


class ZoomError(Exception):
    """A failed Zoom call.

    ``transient``: worth trying again later; ``ambiguous``: a create may have
    reached Zoom (look before creating again); ``daily``: the host's daily
    create/update limit; ``retry_after``: seconds Zoom asked us to wait.
    """

    def __init__(self, status: int, code, detail: str, *, transient=False, ambiguous=False,
                 daily=False, retry_after: float | None = None, kind: str | None = None):
        super().__init__(f"HTTP {status} code {code}: {detail}")
        self.status, self.code, self.detail = status, code, detail
        self.transient, self.ambiguous, self.daily = transient, ambiguous, daily
        self.retry_after, self.kind = retry_after, kind

    @property
    def host_blocked(self) -> bool:
        """The host account cannot take this meeting (another host may)."""
        return self.daily or self.code in HOST_BLOCKED_CODES

    @property
    def gone(self) -> bool:
        """The meeting (or its host) no longer exists at Zoom."""
        return self.status == 404 or self.code in GONE_CODES

    def words(self, host: str = "", meeting: str = "") -> tuple[str, str]:
        """(Indonesian, English) for staff."""
        if self.daily:
            pair = DAILY
        elif self.kind == "credentials":
            pair = CREDENTIALS
        elif self.kind == "timeout":
            pair = TIMEOUT
        elif self.kind == "unreachable":
            pair = UNREACHABLE
        elif self.code in MESSAGES:
            pair = MESSAGES[self.code]
        elif self.status >= 500:
            pair = SERVER
        else:
            pair = OTHER
        values = {"host": host or "-", "meeting": meeting or "-", "detail": self.detail,
                  "status": self.status, "code": self.code, "seconds": self.detail}
        text_id, text_en = pair
        return text_id.format(**values), text_en.format(**values)


def service_error(error: ZoomError, *, host: str = "", meeting: str = "") -> ServiceError:
    """The ServiceError the worker understands: transient ones are retried with
    backoff (no sooner than Zoom's Retry-After), the rest become an incident."""
    indonesian, english = error.words(host, meeting)
    code = f" [Zoom {error.code}]" if error.code else ""
    detail = {"message_en": english, "zoom_status": error.status, "zoom_code": error.code}
    if error.retry_after is not None:
        detail["retry_after"] = error.retry_after
    return ServiceError(indonesian + code, transient=error.transient, detail=detail)


def manual_fallback(reasons: list[tuple[str, str]]) -> ServiceError:
    """No host account could take the meeting: hand over to Staf's manual task."""
    indonesian = " ".join(r[0] for r in reasons) or "Tidak ada akun host Zoom yang dapat dipakai."
    english = " ".join(r[1] for r in reasons) or "No Zoom host account could be used."
    return ServiceError(indonesian + " Buat rapat secara manual.", bpmn_error_code=MEETING_FAILED,
                        detail={"provider": "zoom", "message_en": english + " Create the meeting by hand."})
