"""The migration page in chromium: with version 2 deployed (T02 under another
id), an analyst sees a request past T02 movable and one waiting at T02 refused
with the reason, ticks the first and moves it, and reads the result."""
from __future__ import annotations

from engine import Worker
from tests.conftest import future_request
from tests.e2e.test_modeler_browser import KEY, sign_in
from tests.engine.sop_versions import sop_v2

MOVABLE, REFUSED = "Rapat koordinasi pindah versi", "Rapat yang menunggu Kadis"


def two_requests(engine, clock) -> tuple[str, str]:
    """One request at T03 (Kabid), one still waiting at T02 (Kadis)."""
    opd = engine.actor("opd.dinkes")
    waiting = engine.start(KEY, future_request(clock, topic=REFUSED), opd).summary.id
    ahead = engine.start(KEY, future_request(clock, topic=MOVABLE), opd)
    task = next(t for t in ahead.tasks if t.name == "T02_disposition_kadis")
    engine.complete_task(task.id, {"instructions": ["Untuk ditindaklanjuti"], "note": "Mohon difasilitasi"},
                         engine.actor("kadis"))
    Worker(engine).run_once()
    return ahead.summary.id, waiting


def test_an_analyst_moves_a_request_to_version_2_on_the_migration_page(server, browser, shots, clock):
    base, app = server
    engine = app.extensions["vicon"]
    ahead, waiting = two_requests(engine, clock)
    assert engine.deploy(sop_v2()[0], {}, engine.actor("analyst")).version == 2

    page = sign_in(browser, base, "analyst")
    page.goto(f"{base}/proses/{KEY}/migrasi?ke=2")
    movable = page.locator("tr", has=page.locator(f'input[value="{ahead}"]'))
    refused = page.locator("tr", has=page.locator(f'input[value="{waiting}"]'))
    assert "Ya" in movable.inner_text() and "Disposisi Kabid ke Subkoordinator" in movable.inner_text()
    assert "langkah saat ini T02_disposition_kadis tidak ada di versi 2" in refused.inner_text()
    assert page.get_by_label(f"Pindahkan {REFUSED}").is_disabled()
    box = page.get_by_label(f"Pindahkan {MOVABLE}")
    for other in page.locator('input[name="permohonan"]:checked').all():  # demo requests stay where they are
        other.uncheck()
    box.check()
    if shots:
        page.screenshot(path=f"{shots}/migration-dry-run.png", full_page=True)
    page.get_by_role("button", name="Pindahkan yang dipilih").click()
    page.get_by_role("status").filter(has_text="1 permohonan dipindahkan ke versi 2.").wait_for()
    if shots:
        page.screenshot(path=f"{shots}/migration-result.png", full_page=True)
    assert engine.events(ahead, engine.actor("admin"))[-1].type == "instance_migrated"
    assert "instance_migrated" not in [e.type for e in engine.events(waiting, engine.actor("admin"))]
    # moved: no longer offered for version 2; the refused one still is, with its reason
    assert page.locator(f'input[value="{ahead}"]').count() == 0
    assert page.locator(f'input[value="{waiting}"]').is_disabled()
