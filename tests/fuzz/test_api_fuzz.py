"""API fuzzing with schemathesis: every operation of ``/api/v1/openapi.json``
called on the Flask app (WSGI, no network) with generated input, as a
signed-in admin and as an agency (who alone may submit requests); no answer may be a server error or differ from what the
document describes (status code, content type, headers, body schema)."""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (content_type_conformance, not_a_server_error, response_headers_conformance,
                                 response_schema_conformance, status_code_conformance)

from api.app import create_app
from api.config import Config
from engine import Engine, Settings
from tests.api.accounts import PASSWORD, SECRET
from tests.api.client import Api

EXAMPLES = int(os.environ.get("VICON_FUZZ_EXAMPLES", "10"))  # per operation; CI keeps the suite short
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


def _app():
    """The app on a SQLite file with the demo data (made when the module is collected)."""
    folder = Path(tempfile.mkdtemp(prefix="vicon-fuzz-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    url = f"sqlite:///{folder}/vicon.sqlite"
    engine = Engine(Settings(database_url=url, outbox_dir=folder / "outbox"))
    engine.setup()
    engine.seed_demo(PASSWORD)
    return create_app(Config(env="test", database_url=url, secret_key=SECRET, outbox_dir=folder / "outbox"),
                      engine)


APP = _app()
TOKENS = [Api(APP).token(user) for user in ("admin", "opd.dinkes")]
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_answer_as_documented(case):
    for token in TOKENS:
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
