"""Signing in and out of the pages; who the signed-in user is."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import (Blueprint, g, redirect, render_template, request, session,
                   url_for)
from flask_babel import gettext as _

from api.context import engine
from api.throttle import TooManyAttempts, sign_in
from api.web import errors
from api.web.csrf import FIELD
from api.web.lang import LANG_KEY

bp = Blueprint("web_session", __name__)
errors.attach(bp)
USER_KEY = "user"
EPOCH_KEY = "epoch"
MAX_NEXT = 2000  # characters of a ``next`` address


def load_actor() -> None:
    """Before each request: ``g.web_actor`` from the session (None when signed out
    or when the account was deactivated since)."""
    g.web_actor = None
    if request.path.startswith("/api/"):
        return
    username = session.get(USER_KEY)
    if username:
        actor = engine().actor(username)
        if actor is not None and actor.session_epoch == session.get(EPOCH_KEY):
            g.web_actor = actor
        else:  # deactivated, signed out elsewhere or password reset since this cookie was made
            session.pop(USER_KEY, None)


def current_actor():
    """The signed-in actor, or None."""
    return g.get("web_actor")


def login_required(view):
    """Send signed-out visitors to the sign-in page, then back."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_actor() is None:
            return redirect(url_for("web_session.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapper


OFFICIAL_ROLES = frozenset({"kadis", "kabid", "subkoordinator", "staf", "manager", "analyst", "admin"})


def is_agency(actor) -> bool:
    """The account is a requesting agency's only (no official's role beside it)."""
    return actor is not None and actor.has("opd") and not (actor.roles & OFFICIAL_ROLES)


def home(actor) -> str:
    """Where a user starts: an agency's account on its requests, officials on their inbox."""
    if is_agency(actor):
        return url_for("web_requests.listing")
    return url_for("web_inbox.inbox")


def _safe_next(target: str | None, actor=None) -> str:
    """``target`` when it is a path of this site, else the actor's home page (never
    another site, never a control character that would split the Location header)."""
    if not target or len(target) > MAX_NEXT or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return home(actor)
    parts = urlsplit(target)
    if not parts.scheme and not parts.netloc and target.startswith("/") \
            and not target.startswith(("//", "/\\")):
        return target
    return home(actor)


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    """The sign-in form; at most 5 failed attempts per 15 minutes per username and address."""
    if request.method == "GET":
        return render_template("web/login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "").strip()
    password = request.form.get("password", "")
    try:
        actor = sign_in(username, password) if username and password else None
    except TooManyAttempts:
        return _login_again(_("Terlalu banyak percobaan masuk yang gagal. Coba lagi dalam 15 menit."),
                            username, 429)
    if actor is None:
        return _login_again(_("Nama pengguna atau kata sandi salah."), username, 401)
    lang = session.get(LANG_KEY)
    session.clear()  # a fresh session (and CSRF token) after signing in
    session[USER_KEY] = actor.username
    session[EPOCH_KEY] = actor.session_epoch
    if lang:
        session[LANG_KEY] = lang
    return redirect(_safe_next(request.form.get("next"), actor))


def _login_again(error: str, username: str, status: int):
    return render_template("web/login.html", error=error, username=username,
                           next=request.form.get("next", "")), status


@bp.post("/keluar")
def logout():
    """Sign out (a POST with the CSRF token, so no other site can sign you out): every
    session cookie and bearer token of the account ends, on every device."""
    actor = current_actor()
    if actor is not None:
        engine().account_admin.end_sessions(actor)
    session.pop(USER_KEY, None)
    session.pop(EPOCH_KEY, None)
    session.pop(FIELD, None)
    return redirect(url_for("web_session.login"))


@bp.post("/bahasa")
def language():
    """Switch the pages' language (id or en)."""
    chosen = request.form.get("lang")
    if chosen in ("id", "en"):
        session[LANG_KEY] = chosen
    return redirect(_safe_next(request.form.get("next"), current_actor()))
