"""The managers' pages fit a phone (390 px) as well as a desktop (1280 px): the
request list reads as cards, the dashboard's sections fold on a phone and stay
open on a desktop, and the audit trail's fields start folded on a phone."""
from __future__ import annotations

from engine import Worker
from tests.conftest import future_request
from tests.e2e.signed_in import DESKTOP, PHONE, signed_in as _manager


def _request(engine, clock) -> str:
    view = engine.start("zoom_meeting_request", future_request(clock, topic="Rapat muat di ponsel"),
                        engine.actor("opd.dinkes"))
    Worker(engine).run_once()
    task = engine.get_instance(view.summary.id, engine.actor("admin")).tasks[0]
    engine.complete_task(task.id, {"instructions": ["Jadwalkan"], "note": "Mohon difasilitasi"}, engine.actor("kadis"))
    Worker(engine).run_once()
    return view.summary.id


def _folds(page) -> list[bool]:
    return page.eval_on_selector_all("details.mon-fold", "folds => folds.map(f => f.open)")


def test_the_dashboard_folds_its_sections_on_a_phone_only(server, browser, clock):
    base, app = server
    _request(app.extensions["vicon"], clock)
    context, page = _manager(browser, base, DESKTOP)
    page.goto(f"{base}/dasbor")
    assert _folds(page) == [True] * 4
    context.close()
    context, page = _manager(browser, base, PHONE)
    page.goto(f"{base}/dasbor")
    assert _folds(page) == [False] * 4
    assert page.evaluate("document.documentElement.scrollHeight") < 2 * PHONE["height"]  # figures and titles only
    page.get_by_role("heading", name="Kepatuhan standar waktu").click()
    assert _folds(page) == [False, True, False, False]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_the_list_reads_as_cards_and_the_trail_folds_on_a_phone(server, browser, clock):
    base, app = server
    instance_id = _request(app.extensions["vicon"], clock)
    context, page = _manager(browser, base, PHONE)
    page.goto(f"{base}/pemantauan/permohonan")
    row = page.locator("table.grid.cards tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    for label in ("Status", "Tahap sekarang", "Diajukan", "Waktu rapat"):
        cell = row.locator(f'td[data-label="{label}"]').bounding_box()
        assert cell and cell["width"] > 0 and cell["x"] + cell["width"] <= PHONE["width"], label  # none cut off
    submitted, meeting = (row.locator(f'td[data-label="{label}"]').bounding_box()
                          for label in ("Diajukan", "Waktu rapat"))
    assert submitted["y"] == meeting["y"] and submitted["x"] < meeting["x"]  # the two dates side by side
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.goto(f"{base}/pemantauan/permohonan/{instance_id}")
    opened = page.eval_on_selector_all("details.trail-fields", "folds => folds.filter(f => f.open).length")
    assert page.locator("details.trail-fields").count() >= 2 and opened == 0
    context.close()
    context, page = _manager(browser, base, DESKTOP)
    page.goto(f"{base}/pemantauan/permohonan/{instance_id}")
    assert page.eval_on_selector_all("details.trail-fields", "folds => folds.filter(f => f.open).length") >= 1
    context.close()
