"""The personal-data endpoints: an admin exports one person's data as JSON and
erases it on request; every other role gets 403."""
import pytest

from tests.api.accounts import AGENCIES, STAFF
from tests.api.sop_http import HttpSop

EMAIL = "dewi.lestari@example.go.id"


@pytest.fixture
def two_requests(api, clock):
    """Two requests of the same contact (by two agencies) and one of another."""
    ids = []
    for agency, email in (("dinkes", EMAIL), ("disdik", EMAIL.upper()), ("dinkes", "lain@example.go.id")):
        sop = HttpSop(api, clock, agency)
        sop.start(contact_email=email, contact_phone="0812-7777-1234", contact_name="Dewi Lestari")
        ids.append(sop.instance_id)
    return ids


def test_an_admin_exports_and_erases_one_person(api, two_requests):
    mine, also_mine, other = two_requests
    exported = api.get("/personal-data", "admin", query_string={"q": EMAIL})
    assert exported.status_code == 200, exported.json
    assert {r["id"] for r in exported.json["requests"]} == {mine, also_mine}
    first = next(r for r in exported.json["requests"] if r["id"] == mine)
    assert first["contact"]["contact_email"] == EMAIL and first["agency"] == "dinkes"
    assert first["events"][0]["data"]["contact_phone"] == "0812-7777-1234"

    erased = api.post("/personal-data/erase", "admin", json={"q": EMAIL})
    assert erased.status_code == 200 and sorted(erased.json["erased"]) == sorted([mine, also_mine])
    assert api.get("/personal-data", "admin", query_string={"q": EMAIL}).json["requests"] == []
    events = api.get(f"/instances/{mine}/events", "admin").json
    assert events[-1]["type"] == "personal_data_erased" and events[-1]["actor"] == "admin"
    assert EMAIL not in str(events) and events[0]["data"]["contact_email"] is None
    assert api.get(f"/instances/{other}", "admin").json["request"]["contact_email"] == "lain@example.go.id"


@pytest.mark.parametrize("caller", [u for u in (*AGENCIES, *STAFF) if u != "admin"])
def test_other_roles_get_403(api, caller):
    assert api.get("/personal-data", caller, query_string={"q": EMAIL}).status_code == 403
    assert api.post("/personal-data/erase", caller, json={"q": EMAIL}).status_code == 403


def test_no_token_gets_401(api):
    assert api.client.get("/api/v1/personal-data?q=x@y.id").status_code == 401


@pytest.mark.parametrize("params", [{}, {"q": "12"}, {"q": "bukan kontak"}, {"q": "x" * 300}])
def test_what_to_look_for_is_checked(api, params):
    response = api.get("/personal-data", "admin", query_string=params)
    assert response.status_code == 422 and set(response.json["errors"]) == {"q"}
    english = api.get("/personal-data", "admin", query_string=params, headers={"Accept-Language": "en"})
    assert english.json["errors"] != response.json["errors"]
