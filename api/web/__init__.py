"""The web pages (Bahasa Indonesia first): sign-in, inbox, tasks, requests,
the public service standard. Session cookies and CSRF tokens; the JSON API
under /api keeps its bearer tokens."""
from __future__ import annotations

from . import hosts, inbox, modeler, requests, session, standard, tasks, vendor, wita
from . import account_pages, delegation, tracking
from .csrf import check_csrf, csrf_token
from .form_fields import shown
from .i18n import init_babel
from .lang import page_lang
from . import dashboard, meeting_calendar, recap
from . import oversight_admin, oversight_instance, oversight_list
from . import process_versions
from . import personal_data


def init_app(app) -> None:
    """Register the pages, their hooks and the cookie settings on ``app``."""
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.before_request(session.load_actor)
    app.before_request(check_csrf)
    app.jinja_env.globals.update(csrf_token=csrf_token, current_user=session.current_actor,
                                 shown=shown, page_lang=page_lang,
                                 may_model=modeler.may_model)
    wita.register_filters(app)
    init_babel(app)
    for bp in (session.bp, inbox.bp, tasks.bp, requests.bp, standard.bp, hosts.bp,
               vendor.bp, modeler.bp, modeler.data_bp):
        app.register_blueprint(bp)
    for bp in (account_pages.bp, delegation.bp, tracking.bp):  # accounts, acting officials, tracking
        app.register_blueprint(bp)
    for bp in (oversight_list.bp, oversight_instance.bp, oversight_admin.bp):  # managers' monitoring
        app.register_blueprint(bp)
    for bp in (dashboard.bp, meeting_calendar.bp, recap.bp):  # dashboard, meeting calendar, monthly recap
        app.register_blueprint(bp)
    app.register_blueprint(process_versions.bp)  # analysts: processes, versions, migration
    app.register_blueprint(personal_data.bp)  # contacts' data: export and erasure (admin)
