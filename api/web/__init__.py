"""The web pages (Bahasa Indonesia first): sign-in, inbox, tasks, requests,
the public service standard. Session cookies and CSRF tokens; the JSON API
under /api keeps its bearer tokens."""
from __future__ import annotations

from api.web import (account_pages, dashboard, delegation, favicon, hosts, inbox, meeting_calendar, modeler,
               oversight_admin, oversight_instance, oversight_list, personal_data, process_versions,
               recap, requests, session, sizes, standard, tasks, tracking, vendor, verification, wita)
from api.web.csrf import check_csrf, csrf_token
from api.web.form_fields import shown
from api.web.i18n import init_babel
from api.web.lang import page_lang
from api.web.timeline import step_title

# Officials and agencies; administration; managers' oversight; analysts.
BLUEPRINTS = (
    session.bp, favicon.bp, inbox.bp, tasks.bp, requests.bp, standard.bp, tracking.bp, verification.bp, delegation.bp, vendor.bp,
    hosts.bp, account_pages.bp, personal_data.bp,
    oversight_list.bp, oversight_instance.bp, oversight_admin.bp, dashboard.bp, meeting_calendar.bp,
    recap.bp,
    modeler.bp, modeler.data_bp, process_versions.bp,
)


def init_app(app) -> None:
    """Register the pages, their hooks and the cookie settings on ``app``."""
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    app.before_request(session.load_actor)
    app.before_request(check_csrf)
    app.jinja_env.globals.update(csrf_token=csrf_token, current_user=session.current_actor,
                                 shown=shown, page_lang=page_lang, step_title=step_title,
                                 may_model=modeler.may_model)
    wita.register_filters(app)
    sizes.register_filters(app)
    init_babel(app)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
