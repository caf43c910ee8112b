"""The Flask application factory."""
from __future__ import annotations

from datetime import date

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.middleware.proxy_fix import ProxyFix

from engine import Engine

from api import errors, pages
from api.entrypoints import audit_cli
from api.entrypoints import cli
from api.resources import health
from api.resources import v1
from api import security_headers, timing
from api.bootstrap import build_engine
from api.config import Config
from api.context import EXTENSION
from api.template_cache import SHARED as TEMPLATE_CACHE

MAX_BODY_BYTES = 8 * 1024 * 1024  # a 5 MB PDF as a data URL (~6.7 MB), plus the rest of the form


class JsonProvider(DefaultJSONProvider):
    """JSON with ISO 8601 dates (Flask's default writes HTTP dates)."""

    ensure_ascii = False

    @staticmethod
    def default(o):
        """Serialize what the standard encoder cannot."""
        if isinstance(o, date):
            return o.isoformat()
        return DefaultJSONProvider.default(o)


def create_app(config: Config | None = None, engine: Engine | None = None) -> Flask:
    """Build the app for ``config`` (default: the environment) around ``engine``
    (default: one built and set up for ``config``)."""
    config = config or Config.from_env()
    config.check()
    app = Flask(__name__)
    app.json = JsonProvider(app)
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    app.config.update(SECRET_KEY=config.secret_key, MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
                      VICON=config, TESTING=config.env == "test")
    app.extensions[EXTENSION] = engine if engine is not None else build_engine(config)
    errors.register(app)
    timing.init_app(app)  # Server-Timing: the time each request spends in the app
    security_headers.init_app(app, https=config.https)
    if config.trusted_proxies:  # the client's address and scheme as the last N proxies saw them
        # Flask's documented way to wrap the WSGI app; its type hints call wsgi_app a method
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=config.trusted_proxies,  # type: ignore[method-assign]
                                x_proto=config.trusted_proxies)
    app.register_blueprint(pages.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(v1.blueprint())
    app.cli.add_command(cli.worker_command)
    app.cli.add_command(cli.create_admin_command)
    app.cli.add_command(audit_cli.verify_audit_command)
    return app
