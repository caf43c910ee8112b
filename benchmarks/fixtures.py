"""What every benchmark feeds the process: one request, one answer per task."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

WITA = timezone(timedelta(hours=8))
LANE_USERS = {"OPD": "opd.dinkes", "Kadis": "kadis", "Kabid": "kabid", "Subkoordinator": "subkoordinator",
              "Staf": "staf"}
ANSWERS = {
    "disposition_kadis": {"decision": "forward", "instructions": ["Untuk ditindaklanjuti"], "urgency": "biasa"},
    "disposition_kabid": {"decision": "forward", "instructions": ["Untuk ditindaklanjuti"], "urgency": "biasa"},
    "disposition_subkoordinator": {"decision": "forward", "instructions": ["Untuk ditindaklanjuti"],
                                   "urgency": "biasa"},
    "meeting_report": {"reported": True},
    "meeting": {"meeting_id": "98765432109", "passcode": "abc123", "join_url": "https://zoom.us/j/98765432109"},
    "letter_draft": {"subject": "Fasilitasi Zoom Meeting", "body": "Bersama ini kami sampaikan detail rapat.",
                     "carbon_copy": []},
    "review_kabid": {"decision": "approve"},
    "review_kadis": {"decision": "approve"},
    "receipt": {"received": True},
}
TASK_VARIABLES = {"T02_disposition_kadis": "disposition_kadis", "T03_disposition_kabid": "disposition_kabid",
                  "T04_disposition_staf": "disposition_subkoordinator", "T06_report_meeting": "meeting_report",
                  "T05_enter_meeting_details": "meeting",
                  "T07_draft_letter": "letter_draft", "T08_review_draft": "review_kabid",
                  "T09_sign_letter": "review_kadis", "T10_acknowledge_receipt": "receipt"}


def request_at(start: datetime) -> dict:
    """A valid start form for a meeting at ``start``."""
    return {"topic": "Rapat koordinasi stunting", "start_at": start.astimezone(WITA).isoformat(),
            "duration_minutes": 90, "participants": 40, "letter_number": "400.7/123/DINKES/2026",
            "letter_date": "2026-12-01"}


def answers_for(element_id: str) -> dict:
    """The form data a task is completed with."""
    return dict(ANSWERS[TASK_VARIABLES[element_id]])


class StubMeetingProvider:
    """Answers like Zoom, with no I/O."""

    name = "stub"

    def create(self, *, topic, start_at, duration_minutes, host_id, idempotency_key):
        return {"meeting_id": "12345678901", "passcode": "x7Yq2a", "join_url": "https://zoom.us/j/12345678901",
                "host_id": host_id}
