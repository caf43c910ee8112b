"""Acting officials (Plt) and tracking links over the JSON API: who may list,
name and end delegations, and who gets a request's public tracking link."""
import pytest

from tests.api.sop_http import HttpSop

RANGE = {"deputy": "subkoordinator", "starts_on": "2026-12-07", "ends_on": "2026-12-11"}


def _name(api, username="kadis", **overrides):
    return api.post("/delegations", username, json={**RANGE, **overrides})


def test_a_kadis_names_a_deputy_who_then_works_the_lane(api):
    response = _name(api)
    assert response.status_code == 201, response.json
    made = response.json
    assert (made["official"], made["deputy"], made["lane"], made["starts_on"], made["current"]) == \
        ("kadis", "subkoordinator", "Kadis", "2026-12-07", True)
    assert made["official_position"] == "Kepala Dinas"
    assert [d["id"] for d in api.get("/delegations", "kadis").json] == [made["id"]]
    assert [d["id"] for d in api.get("/delegations", "subkoordinator").json] == [made["id"]]  # the deputy
    assert api.get("/delegations", "kabid").json == []  # neither gave nor received it
    assert [d["id"] for d in api.get("/delegations", "admin").json] == [made["id"]]


@pytest.mark.parametrize("username", ["staf", "subkoordinator", "manager", "admin", "opd.dinkes"])
def test_only_a_kadis_or_kabid_names_a_deputy(api, username):
    response = _name(api, username, deputy="kabid")
    assert response.status_code == 403 and response.json["error"] == "forbidden"
    assert api.get("/delegations", "admin").json == []


def test_a_kabid_names_a_deputy_for_the_kabid_lane(api):
    response = _name(api, "kabid", deputy="staf")
    assert response.status_code == 201 and response.json["lane"] == "Kabid"


@pytest.mark.parametrize("body, field", [
    ({"deputy": "opd.dinkes"}, "deputy"),  # not Diskominfo staff
    ({"deputy": "kadis"}, "deputy"),  # oneself
    ({"deputy": "nobody"}, "deputy"),
    ({"starts_on": "besok"}, "starts_on"),
    ({"ends_on": "2026-12-06", "starts_on": "2026-12-01"}, "ends_on"),  # over before today
    ({"ends_on": "2026-12-01"}, "ends_on"),  # before the first day
    ({"deputy": ""}, "deputy"),
    ({"lane": "Kabid"}, "lane"),
])
def test_bad_bodies_name_the_field(api, body, field):
    response = _name(api, **body)
    assert response.status_code == 422 and response.json["error"] == "invalid", response.json
    assert field in response.json["errors"]
    assert api.get("/delegations", "admin").json == []


def test_missing_fields_are_named_in_english_when_asked(api):
    response = api.post("/delegations", "kadis", json={}, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.json["errors"] == {f: ["This field is required."] for f in ("deputy", "starts_on", "ends_on")}


def test_an_overlapping_range_is_refused(api):
    assert _name(api).status_code == 201
    again = _name(api, starts_on="2026-12-10", ends_on="2026-12-12")
    assert again.status_code == 422 and "starts_on" in again.json["errors"]


@pytest.mark.parametrize("username, status", [("kabid", 404), ("subkoordinator", 404), ("staf", 404),
                                              ("opd.dinkes", 404), ("kadis", 204), ("admin", 204)])
def test_the_owner_or_an_admin_ends_a_delegation(api, username, status):
    made = _name(api).json
    response = api.call("DELETE", f"/delegations/{made['id']}", username)
    assert response.status_code == status
    ended = api.get("/delegations", "admin").json[0]
    assert ended["cancelled"] is (status == 204) and ended["current"] is (status != 204)


def test_ending_an_unknown_delegation_is_404(api):
    assert api.call("DELETE", "/delegations/999", "admin").status_code == 404
    assert api.call("DELETE", "/delegations/1", None).status_code == 401


@pytest.mark.parametrize("username, status", [("opd.dinkes", 200), ("kadis", 200), ("staf", 200),
                                              ("opd.disdik", 404)])
def test_the_tracking_link_is_for_those_who_may_see_the_request(api, clock, username, status):
    sop = HttpSop(api, clock)
    sop.start()
    response = api.get(f"/instances/{sop.instance_id}/tracking-link", username)
    assert response.status_code == status, response.json
    if status == 200:
        assert response.json["url"].endswith(f"/lacak/{response.json['token']}")
        assert len(response.json["token"]) >= 20
        again = api.get(f"/instances/{sop.instance_id}/tracking-link", "opd.dinkes").json
        assert again == response.json  # one link per request
        assert response.json["url"].startswith("http://127.0.0.1:5000/lacak/")  # VICON_PUBLIC_URL
        page = api.client.get(response.json["url"].split("127.0.0.1:5000", 1)[1])
        assert page.status_code == 200


def test_the_tracking_link_of_an_unknown_request_is_404(api):
    assert api.get("/instances/00000000-0000-0000-0000-000000000000/tracking-link", "admin").status_code == 404
