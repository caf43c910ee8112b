"""A database that does not answer: the API says 503 (JSON, Retry-After) and
the pages show a 503 page in the user's language; never a 500."""
import pytest

from engine import Unavailable
from engine.storage.db import Database
from tests.web.browser import Pages

UNREACHABLE = "postgresql+psycopg://vicon@127.0.0.1:1/vicon"  # nothing listens on port 1


def test_a_refused_connection_is_unavailable():
    db = Database(UNREACHABLE)
    with pytest.raises(Unavailable):
        with db.reading() as session:
            session.connection()
    with pytest.raises(Unavailable):
        with db.transaction() as session:
            session.connection()


def test_the_api_answers_503_while_the_database_is_down(api):
    headers = api.headers("kadis")
    api.engine.db = Database(UNREACHABLE)
    response = api.client.get("/api/v1/tasks", headers=headers)
    assert response.status_code == 503 and response.json["error"] == "unavailable"
    assert response.headers["Retry-After"] == "5"
    english = api.client.get("/api/v1/tasks", headers={**headers, "Accept-Language": "en"})
    assert english.json["message"] == "the database is not answering; try again"


def test_pages_show_a_503_page(app):
    browser = Pages(app, "kadis")
    app.extensions["vicon"].db = Database(UNREACHABLE)
    response = browser.get("/kotak-masuk")
    assert response.status_code == 503
    assert "Basis data sedang tidak menjawab" in response.get_data(as_text=True)
