"""A disposition deadline before today is refused over the API, naming the field."""
from tests.api.sop_http import HttpSop


def test_the_api_answers_422_naming_the_deadline(api, clock):
    sop = HttpSop(api, clock)
    sop.start()
    sop.complete("T02_disposition_kadis", deadline="2026-12-08")
    task = sop.ready()["T03_disposition_kabid"]
    before = api.count()
    response = api.post(f"/tasks/{task['id']}/complete", "kabid", json={"data": {"deadline": "2026-12-06"}},
                        headers={"Accept-Language": "en"})
    assert response.status_code == 422 and response.json["error"] == "invalid"
    assert response.json["errors"] == {"deadline": ["The deadline must not be before today."]}
    assert api.count() == before and "T03_disposition_kabid" in sop.ready()
