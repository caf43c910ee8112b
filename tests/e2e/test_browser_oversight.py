"""The managers' instance page in a real browser: bpmn-js draws the version a
request runs and marks its passed, current and failed elements."""
from __future__ import annotations

from engine import Worker
from tests.api.accounts import PASSWORD
from tests.conftest import future_request

DESKTOP = {"width": 1280, "height": 900}


def _state(page, element_id: str) -> str:
    """The state marker bpmn-js carries on an element's drawing, or ''."""
    return page.evaluate("""(id) => {
        const node = document.querySelector(`#diagram [data-element-id="${id}"]`);
        if (!node) return 'absent';
        return ['vicon-completed', 'vicon-current', 'vicon-failed']
            .filter((marker) => node.classList.contains(marker)).join(' ');
    }""", element_id)


def test_the_diagram_marks_a_request_paused_at_the_subkoordinator(server, browser, shots, clock):
    base, app = server
    engine = app.extensions["vicon"]
    view = engine.start("zoom_meeting_request", future_request(clock, topic="Rapat evaluasi SPBE"),
                        engine.actor("opd.dinkes"))
    Worker(engine).run_once()
    for element, user in (("T02_disposition_kadis", "kadis"), ("T03_disposition_kabid", "kabid")):
        task = next(t for t in engine.get_instance(view.summary.id, engine.actor("admin")).tasks
                    if t.name == element)
        engine.complete_task(task.id, {}, engine.actor(user))
        Worker(engine).run_once()

    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/masuk")
    page.get_by_label("Nama pengguna").fill("manager")
    page.get_by_label("Kata sandi").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}/kotak-masuk")
    page.get_by_role("link", name="Pemantauan").click()
    page.get_by_role("link", name="Rapat evaluasi SPBE").click()
    page.wait_for_selector('#diagram[data-ready="1"]')
    if shots:
        page.screenshot(path=f"{shots}/manager-permohonan-diagram.png", full_page=True)

    for passed in ("S01_request_submitted", "G02_merge", "T02_disposition_kadis", "G02_decision",
                   "T03_disposition_kabid", "G03_decision", "Flow_T02_to_G02_decision", "G04_merge",
                   "T04_check_schedule", "Flow_G04_free"):
        assert _state(page, passed) == "vicon-completed", passed
    assert _state(page, "T04_disposition_staf") == "vicon-current"
    for untouched in ("end_rejected", "T01_complete_request", "SP05_create_meeting", "T09_sign_letter",
                      "Flow_G03_reject"):
        assert _state(page, untouched) == "", untouched
    legend = page.locator(".legend").inner_text()
    assert "Selesai" in legend and "Sedang berjalan" in legend and "Gagal" in legend
    context.close()
