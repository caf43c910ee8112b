"""One fulfilled request's steps with the lane user who completes each and the data
they enter (the engine fills what is left out from the forms' defaults)."""
from engine import Worker

MEETING = {"meeting_id": "987 6543 2109", "passcode": "abc123", "join_url": "https://zoom.us/j/98765432109"}
STEPS = (("T02_disposition_kadis", "kadis", {"instructions": ["Untuk ditindaklanjuti", "Jadwalkan"],
                                             "note": "Mohon difasilitasi"}),
         ("T03_disposition_kabid", "kabid", {}), ("T04_disposition_staf", "subkoordinator", {}),
         ("T05_enter_meeting_details", "staf", MEETING), ("T06_report_meeting", "staf", {}),
         ("T07_draft_letter", "subkoordinator", {"body": "Bersama ini kami sampaikan detail rapat."}),
         ("T08_review_draft", "kabid", {}), ("T09_sign_letter", "kadis", {}),
         ("T10_acknowledge_receipt", "opd.dinkes", {}))


def complete_step(engine, instance_id: str, element: str, username: str, data: dict) -> None:
    """Complete the instance's ready task ``element`` as ``username``, then let the worker
    run until it is idle (a laid-out letter may queue its dispatch)."""
    task = next(t for t in engine.get_instance(instance_id, engine.actor("admin")).tasks if t.name == element)
    engine.complete_task(task.id, data, engine.actor(username))
    while Worker(engine).run_once():
        pass
