"""The scanned letter over the JSON API: a PDF of 5 MB is taken, one byte more is
named on its field, and the body limit leaves room for a 5 MB data URL."""
import base64

from tests.api.accounts import PROCESS
from tests.conftest import future_request

START = f"/process-definitions/{PROCESS}/instances"
HEAD = b"%PDF-1.4\n"


def _letter(size: int) -> str:
    return "data:application/pdf;base64," + base64.b64encode(HEAD + b"0" * (size - len(HEAD))).decode()


def test_a_5_mb_pdf_is_taken_and_one_byte_more_is_refused_on_its_field(api, clock):
    accepted = api.post(START, "opd.dinkes", json={"data": future_request(clock, letter_file=_letter(5 * 1024 * 1024))})
    assert accepted.status_code == 201, accepted.json
    refused = api.post(START, "opd.dinkes",
                       json={"data": future_request(clock, letter_file=_letter(5 * 1024 * 1024 + 1))})
    assert refused.status_code == 422 and list(refused.json["errors"]) == ["letter_file"]
    assert "5 MB" in refused.json["errors"]["letter_file"][0]
    listed = api.get("/instances", "opd.dinkes").json
    assert (listed["total"] if isinstance(listed, dict) else len(listed)) == 1
