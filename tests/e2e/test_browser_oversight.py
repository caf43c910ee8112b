"""The managers' instance page in a real browser: bpmn-js draws the version a
request runs and marks its passed, current and failed elements."""
from __future__ import annotations

from engine import Worker
from tests.conftest import future_request
from tests.e2e.signed_in import DESKTOP, PHONE, signed_in


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

    context, page = signed_in(browser, base, DESKTOP)
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




def _inside(page, element_id: str) -> bool:
    """True when the element's drawing lies wholly inside the diagram's box."""
    return page.evaluate("""(id) => {
        const box = document.getElementById('diagram').getBoundingClientRect();
        const shape = document.querySelector(`#diagram [data-element-id="${id}"]`).getBoundingClientRect();
        return shape.width > 0 && shape.left >= box.left && shape.right <= box.right
            && shape.top >= box.top && shape.bottom <= box.bottom;
    }""", element_id)


def test_the_request_page_reads_as_sentences_and_the_diagram_fits(server, browser, shots, clock):
    base, app = server
    engine = app.extensions["vicon"]
    view = engine.start("zoom_meeting_request", future_request(clock, topic="Rapat jejak audit"),
                        engine.actor("opd.dinkes"))
    Worker(engine).run_once()
    task = next(t for t in engine.get_instance(view.summary.id, engine.actor("admin")).tasks)
    engine.complete_task(task.id, {"note": "Mohon difasilitasi"}, engine.actor("kadis"))
    Worker(engine).run_once()
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context, page = signed_in(browser, base, viewport)
        page.goto(f"{base}/pemantauan/permohonan/{view.summary.id}")
        page.wait_for_selector('#diagram[data-ready="1"]')
        sentences = page.locator("ol.trail .sentence").all_inner_texts()
        assert sentences[0].startswith("Dinas Kesehatan Kota Tarakan mengajukan permohonan, ") and sentences[0].endswith(" WITA.")
        assert any(s.startswith("Kepala Dinas menyelesaikan “Disposisi Kadis ke Kabid”") for s in sentences)
        assert "UTC" not in page.locator("ol.trail").inner_text()
        assert _inside(page, "T03_disposition_kabid"), name  # the current step is in view on load
        opened = float(page.get_attribute("#diagram", "data-zoom"))
        page.get_by_role("button", name="Perbesar").click()
        assert float(page.get_attribute("#diagram", "data-zoom")) > opened
        page.get_by_role("button", name="Seluruh diagram").click()
        assert _inside(page, "S01_request_submitted") and _inside(page, "end_fulfilled"), name
        assert float(page.get_attribute("#diagram", "data-zoom")) < opened
        page.get_by_role("button", name="Langkah sekarang").click()
        assert _inside(page, "T03_disposition_kabid")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (name, width)  # nothing sticks out sideways
        if shots:
            page.screenshot(path=f"{shots}/manager-jejak-audit-{name}.png", full_page=True)
        context.close()
