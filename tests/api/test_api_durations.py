"""A process whose time standard the working calendar cannot count (months)
is refused at deploy with the problem on its element; nothing is stored."""
from tests.api.accounts import PROCESS
from tests.api.test_api_process_versions import upload
from tests.engine.sop_versions import sop_bundle


def test_a_deploy_with_a_month_long_standard_is_refused_and_nothing_stored(api):
    bpmn, forms = sop_bundle()
    monthly = bpmn.replace(b'value="PT15M" />', b'value="P1M" />', 1)
    assert monthly != bpmn
    response = upload(api, monthly, forms, path="?lang=en")
    assert response.status_code == 422, response.json
    assert [p["element_id"] for p in response.json["problems"]] == ["SP05_create_meeting"]
    assert "months and years cannot be counted in working time" in response.json["problems"][0]["message"]
    versions = api.get(f"/process-definitions/{PROCESS}/versions", "analyst").json
    assert [v["version"] for v in versions] == [1]
