"""The modeler in chromium: an analyst opens the SOP, the spiffworkflow
extensions survive an export without edits, a task is renamed, a step added and
SP05's time standard changed in the side panel, broken edits are marked on the
diagram and the marks go when fixed, the deploy makes version 2 and a new
request runs on it."""
from __future__ import annotations

import pathlib

from lxml import etree

from tests.e2e.signed_in import signed_in
from tests.shared_data import SHARED, needs_shared
from tests.web.browser import Pages
from tests.web.flow import PageSop

ROOT = pathlib.Path(__file__).resolve().parents[2]
SOP = ROOT / "processes" / "zoom_meeting_request.bpmn"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
KEY = "zoom_meeting_request"
RENAMED = "Laporkan detail rapat ke OPD"
NEW_STEP = "Periksa tautan rapat"


REALWORLD = SHARED / "bpmn" / "realworld"
SPIFF_FILES = sorted(p for p in REALWORLD.rglob("*.bpmn") if b"spiffworkflow.org" in p.read_bytes())


def extensions(xml: bytes) -> dict:
    """Every extensionElements by its owner (id, else tag and position), as a comparable tree."""
    def tree(node):
        return (node.tag, tuple(sorted(node.attrib.items())), (node.text or "").strip(),
                tuple(tree(c) for c in node if isinstance(c.tag, str)))
    root = etree.fromstring(xml)
    found = {}
    for n, e in enumerate(root.iter(f"{BPMN}extensionElements")):
        owner = e.getparent()
        found[owner.get("id") or f"{owner.tag}#{n}"] = tree(e)
    return found


def sign_in(browser, base: str, username: str):
    """The page of ``username`` signed in on a desktop wide enough for the modeler."""
    return signed_in(browser, base, {"width": 1400, "height": 900}, username, timeout_ms=10_000)[1]


def select(page, element_id: str) -> None:
    """Select an element as a click on it would (inside an expanded sub-process
    only the border of the sub-process takes clicks)."""
    page.evaluate("id => { const m = window.viconModeler.modeler;"
                  " m.get('selection').select(m.get('elementRegistry').get(id)); }", element_id)
    page.locator("#element-form [data-field=id]").filter(has_text=element_id).wait_for()


def checked(page) -> str:
    """Wait until the newest edit was checked by the server; the status line."""
    page.wait_for_function("() => window.viconModeler.state.validRevision === window.viconModeler.state.revision")
    return page.locator("#modeler-status").inner_text()


def in_sight(page, element_id: str) -> bool:
    """True when the element lies wholly inside the canvas's viewbox."""
    return page.evaluate("""id => { const m = window.viconModeler.modeler, box = m.get('canvas').viewbox(),
        e = m.get('elementRegistry').get(id);
        return e.x >= box.x && e.y >= box.y && e.x + e.width <= box.x + box.width
            && e.y + e.height <= box.y + box.height; }""", element_id)


def marked(page, element_id: str):
    return page.locator(f'.djs-element.vicon-problem[data-element-id="{element_id}"]')


def test_an_analyst_changes_the_sop_in_the_modeler_and_deploys_it(server, browser, shots, clock):
    base, app = server
    page = sign_in(browser, base, "analyst")
    page.get_by_role("link", name="Modeler proses").click()
    page.wait_for_url(f"{base}/proses/{KEY}/modeler")
    assert checked(page) == "Tidak ada masalah."
    deploy = page.get_by_role("button", name="Terapkan (versi baru)")
    assert deploy.is_enabled()

    exported = page.evaluate("() => window.viconModeler.modeler.saveXML({format: true}).then(r => r.xml)")
    assert extensions(exported.encode()) == extensions(SOP.read_bytes())
    assert len(extensions(exported.encode())) == 51  # every element of the SOP that carries extensions

    page.locator('[data-element-id="T06_report_meeting"]').click()  # a real click on the canvas
    page.get_by_label("Nama", exact=True).fill(RENAMED)
    page.get_by_label("Nama", exact=True).press("Enter")
    assert page.evaluate("() => window.viconModeler.modeler.get('elementRegistry')"
                         ".get('T06_report_meeting').businessObject.name") == RENAMED
    assert "Laporkan" in page.locator('[data-element-id="T06_report_meeting"]').text_content()

    page.get_by_label("Formulir (JSON Schema)").select_option("")  # a user task without a form
    assert "Ada masalah" in checked(page)
    assert marked(page, "T06_report_meeting").count() == 1
    assert "T06_report_meeting" in page.locator("#problem-list").inner_text()
    assert deploy.is_disabled()
    page.get_by_role("button", name="Simpan draf").click()  # a draft may keep its problems
    page.locator("#modeler-status").filter(has_text="Draf disimpan #1 (1)").wait_for()
    assert page.locator("#draft-list a").first.inner_text() == "#1"
    page.evaluate("() => window.viconModeler.modeler.get('canvas').zoom(1.3)")
    assert not in_sight(page, "T06_report_meeting")
    page.locator("#problem-list button").filter(has_text="T06_report_meeting").click()
    assert in_sight(page, "T06_report_meeting")
    if shots:
        page.screenshot(path=f"{shots}/modeler-problem.png")
    page.get_by_label("Formulir (JSON Schema)").select_option("meeting_report")
    assert checked(page) == "Tidak ada masalah."
    assert marked(page, "T06_report_meeting").count() == 0

    select(page, "Lane_Staf")  # a lane that maps to no role: its tasks have problems
    page.get_by_label("Nama", exact=True).fill("Staf TI")
    page.get_by_label("Nama", exact=True).press("Enter")
    assert "Ada masalah" in checked(page) and marked(page, "T06_report_meeting").count() == 1
    page.get_by_label("Nama", exact=True).fill("Staf")
    page.get_by_label("Nama", exact=True).press("Enter")
    assert checked(page) == "Tidak ada masalah."

    select(page, "T05_create_meeting")
    operators = page.get_by_label("Operator layanan")
    assert operators.input_value() == "meeting/create"
    assert "notify/escalate" in operators.locator("option").all_inner_texts()[-2]

    select(page, "SP05_create_meeting")
    assert page.get_by_label("Standar waktu (ISO 8601, mis. PT15M)").input_value() == "PT15M"
    page.get_by_label("Standar waktu (ISO 8601, mis. PT15M)").fill("PT10")  # not a duration
    page.get_by_label("Standar waktu (ISO 8601, mis. PT15M)").press("Enter")
    assert page.get_by_text("Standar waktu harus durasi ISO 8601").is_visible() and deploy.is_disabled()
    page.get_by_label("Standar waktu (ISO 8601, mis. PT15M)").fill("PT10M")
    page.get_by_label("Standar waktu (ISO 8601, mis. PT15M)").press("Enter")
    assert checked(page) == "Tidak ada masalah."
    added = page.evaluate("""() => {  // a new step between T06 and its merge, as the palette would
        const m = window.viconModeler.modeler, reg = m.get('elementRegistry'), modeling = m.get('modeling');
        const t06 = reg.get('T06_report_meeting');
        const step = modeling.createShape({type: 'bpmn:UserTask'}, {x: 2300, y: 1240}, t06.parent);
        modeling.reconnectEnd(reg.get('Flow_T06_to_G07_merge'), step, {x: 2250, y: 1240});
        modeling.connect(step, reg.get('G07_merge'));
        return step.id; }""")
    assert "Ada masalah" in checked(page) and marked(page, added).count() == 1  # no form, no variable
    page.locator("#problem-list button").filter(has_text=added).first.click()  # selects it
    assert in_sight(page, added)
    page.get_by_label("Nama", exact=True).fill(NEW_STEP)
    page.get_by_label("Nama", exact=True).press("Enter")
    page.get_by_label("Formulir (JSON Schema)").select_option("receipt")
    page.get_by_label("Variabel hasil").fill("link_check")
    page.get_by_label("Variabel hasil").press("Enter")
    assert checked(page) == "Tidak ada masalah." and marked(page, added).count() == 0
    page.get_by_label("Standar waktu (ISO 8601, mis. PT15M)").fill("P1M")  # months: the engine's grammar refuses
    page.get_by_label("Standar waktu (ISO 8601, mis. PT15M)").press("Enter")
    assert page.locator('[data-error="standard"]').is_visible()
    page.get_by_label("Standar waktu (ISO 8601, mis. PT15M)").fill("PT1H")
    page.get_by_label("Standar waktu (ISO 8601, mis. PT15M)").press("Enter")
    assert "Ada masalah" in checked(page) and marked(page, added).count() == 1  # a standard without a timer
    page.get_by_role("button", name="Tambah timer batas dan eskalasi").click()
    assert checked(page) == "Tidak ada masalah." and marked(page, added).count() == 0
    if shots:
        page.screenshot(path=f"{shots}/modeler-new-step.png")

    edited = etree.fromstring(page.evaluate(
        "() => window.viconModeler.modeler.saveXML({format: true}).then(r => r.xml)").encode())
    assert edited.xpath('//*[@id="T05_escalate"]//*[local-name()="parameter"][@id="standard"]/@value') \
        == ['"PT10M"']  # the escalation records the new standard
    checks = page.evaluate("() => window.viconModeler.state.checks")
    page.get_by_role("button", name="Validasi").click()
    page.wait_for_function("n => window.viconModeler.state.checks > n", arg=checks)
    assert checked(page) == "Tidak ada masalah."
    deploy.click()
    page.locator("#modeler-status").filter(has_text="Diterapkan sebagai versi 2").wait_for()
    assert page.locator("h1 small").inner_text() == "versi 2"
    migrate = page.get_by_role("link", name="Pindahkan permohonan yang sedang berjalan ke versi baru")
    assert migrate.get_attribute("href") == f"/proses/{KEY}/migrasi?ke=2"

    broken = SOP.read_text("utf-8").replace('id="meeting/create"', 'id="meeting/explode"')
    page.locator("#upload-bpmn").set_input_files(
        files=[{"name": "dari-camunda.bpmn", "mimeType": "application/xml", "buffer": broken.encode()}])
    assert "Ada masalah" in checked(page)
    assert marked(page, "T05_create_meeting").count() == 1 and deploy.is_disabled()

    engine = app.extensions["vicon"]
    made = {}
    sop = PageSop(lambda user: made.setdefault(user, Pages(app, user)), clock)
    assert sop.submit().status_code == 302
    view = engine.get_instance(sop.instance_id, engine.actor("admin"))
    assert view.summary.version == 2
    while not any(t.name == "T06_report_meeting" for t in sop.ready()):
        sop.complete_next()
    assert [t.title for t in sop.ready()] == [RENAMED]
    sop.complete_next()
    step = sop.ready()
    assert [t.title for t in step] == [NEW_STEP] and step[0].due_at is not None  # added in the browser
    with engine.db.reading() as session:
        deployed = engine.versions.compiled(engine.versions.latest(session, KEY))
    assert deployed.model.elements["SP05_create_meeting"].time_standard == "PT10M"


@needs_shared("bpmn", "realworld")
def test_spiffarena_and_camunda_files_keep_their_extensions_through_the_modeler(server, browser):
    base, _ = server
    assert len(SPIFF_FILES) >= 7
    page = sign_in(browser, base, "analyst")
    page.goto(f"{base}/proses/{KEY}/modeler")
    checked(page)
    for path in SPIFF_FILES:
        exported = page.evaluate("xml => { const m = window.viconModeler.modeler;"
                                 " return m.importXML(xml).then(() => m.saveXML({format: true})).then(r => r.xml); }",
                                 path.read_text("utf-8"))
        original = extensions(path.read_bytes())
        assert original, path.name
        assert extensions(exported.encode()) == original, path.name


def test_the_palette_stands_beside_the_fitted_diagram(server, browser):
    base, _ = server
    page = sign_in(browser, base, "analyst")
    page.goto(f"{base}/proses/{KEY}/modeler")
    checked(page)
    gap = page.evaluate("""() => {
        const palette = document.querySelector('.djs-palette').getBoundingClientRect();
        const start = document.querySelector('[data-element-id="S01_request_submitted"]').getBoundingClientRect();
        const lanes = document.querySelector('[data-element-id="Participant_diskominfo"]').getBoundingClientRect();
        return [start.left - palette.right, lanes.left - palette.right]; }""")
    assert min(gap) >= 0, gap  # neither the start event nor the lane labels lie under the palette
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    checked(page)
    assert page.locator(".modeler-phone-note").is_visible()  # a phone is told it needs a larger screen
    assert not page.locator("#element-panel").is_visible()  # and offered the diagram to read, not to edit
    assert not page.locator(".djs-palette").is_visible() and page.locator("#modeler-canvas svg[data-element-id]").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
