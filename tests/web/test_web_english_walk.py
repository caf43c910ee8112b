"""The English walk: every page each role reaches, in Indonesian and in English,
shows no visible text that stays the same in both, except names, numbers and
codes (an allowlist) and the data people typed. Letters stay Indonesian (they
are official documents), so their PDFs are never walked."""
from __future__ import annotations

import base64
import html
import logging
import pathlib
import re
from collections import Counter, deque
from urllib.parse import urlsplit

import pytest

from engine import Worker
from tests.conftest import future_request
from tests.web.sop_steps import complete_step as _complete, MEETING, STEPS
from tests.web.browser import Pages

ROLES = ("opd.dinkes", "staf", "subkoordinator", "kabid", "kadis", "manager", "analyst", "admin")
START = ("/kotak-masuk", "/permohonan", "/standar-layanan")
PAGES_PER_ROLE = 80
# Pages each role's walk must reach (beside the inbox, the requests and the service standard).
REACHED = {"opd.dinkes": ("/tugas/", "/permohonan/baru", "/lacak/"), "staf": ("/tugas/", "/permohonan/baru"),
           "subkoordinator": ("/tugas/",), "kabid": ("/tugas/", "/plt"), "kadis": ("/tugas/", "/plt"),
           "manager": ("/dasbor", "/pemantauan/permohonan/", "/kalender-rapat", "/rekap", "/pemantauan/insiden"),
           "analyst": ("/proses/zoom_meeting_request/modeler", "/proses/zoom_meeting_request/versi"),
           "admin": ("/admin/pengguna/", "/admin/instansi", "/admin/akun-zoom", "/pemantauan/audit",
                     "/proses/zoom_meeting_request/migrasi")}
PAGES_PER_KIND = 12  # every request's page and every task's form; one of each filter
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
LINK = re.compile(r'href="(/[^"#]*)"')
TRACKING = re.compile(r"(/lacak/[\w-]{20,})")  # the public tracking link is shown in full
NOT_PAGES = re.compile(r"\.(pdf|csv|json|bpmn|ico|css|js|svg|png)(\?|$)|^/(vendor|static|keluar|bahasa|masuk)\b")
PDF = b"%PDF-1.4\n% vicon English walk\n%%EOF\n"
TOPICS = ("Rapat koordinasi stunting", "Sosialisasi kurikulum merdeka", "Rapat evaluasi SPBE",
          "Bimbingan teknis aplikasi", "Rapat jejak audit", "Rapat persiapan HUT Kota", "Rapat yang dikembalikan",
          "Rapat yang dibatalkan", "Rapat menunggu surat",
          "Rapat jadwal penuh")
RETURNED = {"decision": "return", "reason": "Lampirkan daftar peserta"}  # back to the agency (T01)


@pytest.fixture
def walked(app, clock):
    """Requests paused at every lane's steps (``depth``: how many of STEPS each has done; 9 is
    fulfilled), one returned to the agency, one withdrawn, one whose time is full (both host
    accounts hold the 12.00 meetings): every page has something to show."""
    engine = app.extensions["vicon"]
    letter = "data:application/pdf;base64," + base64.b64encode(PDF).decode()
    ids = []
    walks = zip((9, 0, 1, 3, 6, 8, 0, 1, 5, 2), (8, 8, 10, 10, 12, 12, 14, 14, 16, 12), TOPICS)
    for depth, hour, topic in walks:
        start_at = future_request(clock)["start_at"].replace("T10:", f"T{hour:02d}:")
        view = engine.start("zoom_meeting_request",
                            future_request(clock, topic=topic, letter_file=letter, start_at=start_at),
                            engine.actor("opd.dinkes"))
        Worker(engine).run_once()
        for element, user, data in STEPS[:depth]:
            clock.advance(minutes=30)
            _complete(engine, view.summary.id, element, user, data)
        ids.append(view.summary.id)
    _complete(engine, ids[6], "T02_disposition_kadis", "kadis", RETURNED)
    engine.withdraw(ids[7], engine.actor("opd.dinkes"), "Rapat ditunda oleh pimpinan")
    while Worker(engine).run_once():
        pass
    return app


def _visible(body: str) -> set[str]:
    """The page's visible text pieces (text nodes, labels people read in attributes)."""
    body = re.sub(r"<(script|style|template)\b.*?</\1>", " ", body, flags=re.S | re.I)
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    said = re.findall(r'\s(?:placeholder|title|aria-label|alt)="([^"]*)"', body)
    pieces = re.split(r"<[^>]+>", body) + said
    return {" ".join(html.unescape(p).split()) for p in pieces if html.unescape(p).strip()}


def _kind(path: str) -> str:
    """A page's kind: its path with ids and numbers blanked, and its query's keys."""
    parts = urlsplit(path)
    keys = ",".join(sorted(p.split("=")[0] for p in parts.query.split("&") if p))
    return re.sub(r"\d+", "N", UUID.sub("ID", parts.path)) + "?" + keys


def _crawl(browser: Pages) -> list[str]:
    """The pages a role reaches by following links from its start pages (one of each kind)."""
    seen: Counter[str] = Counter()
    visited, order, queue = set(), [], deque(START)
    while queue and len(order) < PAGES_PER_ROLE:
        path = html.unescape(queue.popleft())
        limit = PAGES_PER_KIND if UUID.search(path) and "?" not in path else 1
        if path in visited or seen[_kind(path)] >= limit or NOT_PAGES.search(path):
            continue
        visited.add(path)
        seen[_kind(path)] += 1
        response = browser.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        order.append(path)
        body = response.get_data(as_text=True)
        queue.extend(LINK.findall(body) + TRACKING.findall(body))
    return order


# Text that reads the same in both languages: the product's name, codes, units,
# month names spelled alike, the letter's subject (letters stay Indonesian) and
# the model's lane names (names of roles in the SOP).
SAME_IN_BOTH = ("vicon", "Status:", "Status", "E-mail", "median", "ID", "Zoom", "WITA", "PDF", "CSV", "SHA-256",
                "Administrator", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Sep", "Nov", "April", "September",
                "November", "Fasilitasi Zoom Meeting", "OPD", "Kadis", "Kabid", "Subkoordinator", "Staf")
CODES = re.compile("|".join((
    r"<[^<>\s]+@[^<>\s]+>", r"https?://\S+", r"[\w.+-]+@[\w-]+(\.[\w-]+)+",  # message ids, links, e-mail
    r"\S+\.(eml|pdf|ics|bpmn|json|csv)\b", r"\b[a-z0-9-]+(\.[a-z0-9-]+)*\.(go\.id|id|com|org)\b",  # files, sites
    r"\b[0-9a-f]{4,}…[0-9a-f]{4}\b", r"\b[0-9a-f]{12,}\b",  # hashes, whole or shortened
    r"\[[A-Z ]+\]/\S+", r"\S*\d\S*/\S+",  # letter numbers (an unset classification code included)
    r"\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\b", r"\b[a-z][a-z0-9]*(_[a-z0-9]+)+\b",  # error codes, process keys
    r"\bP(T?\d+[WDHMS])+\b", r"\b[A-Z]{2,}\b",  # ISO 8601 durations, agency codes, acronyms
    r"\b[a-z]+/[a-z_]+\b", r"\b[A-Z]+\d*_\w+\b",  # service operators, element ids (T05_create_meeting)
    r"\b[A-Z]\w*Error: .*")))  # a failure's technical record


def _data_names(app) -> set[str]:
    """What people typed or named: users, positions, agencies, host accounts and the walked requests' data."""
    from sqlalchemy import select
    from engine.storage.models import Agency, HostAccount, ProcessVersion, User
    with app.extensions["vicon"].db.reading() as session:
        rows = [*session.execute(select(User.username, User.full_name, User.position)),
                *session.execute(select(Agency.code, Agency.name)),
                *session.execute(select(HostAccount.id, HostAccount.name)),
                *session.execute(select(ProcessVersion.key, ProcessVersion.name))]  # the process's own name
    # typed text stays as typed; a stored choice (an instruction) is shown by its name, so it is not here
    typed = [*TOPICS, *MEETING.values(), "Budi", "Mohon difasilitasi", "Bersama ini kami sampaikan detail rapat.",
             RETURNED["reason"], "Rapat ditunda oleh pimpinan"]
    return {str(v) for row in rows for v in row if v} | set(typed)


def _untranslated(piece: str, names: list[str]) -> bool:
    """True when ``piece`` still has words after removing names, codes and the allowlist."""
    rest = piece
    for name in names:
        rest = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", " ", rest)
    return any(c.isalpha() for c in CODES.sub(" ", rest))


def _left_untranslated(app, role: str, paths=None) -> tuple[list[str], dict]:
    """(pages compared, path -> text that stays the same in Indonesian and English);
    the pages are ``paths`` or, by default, those the role's walk reaches."""
    indonesian, english = Pages(app, role), Pages(app, role)
    english.submit("/bahasa", {"lang": "en", "next": "/kotak-masuk"}, page="/kotak-masuk")
    names = sorted(_data_names(app) | set(SAME_IN_BOTH), key=len, reverse=True)
    found, compared = {}, list(paths) if paths else _crawl(indonesian)
    for path in compared:
        same = _visible(indonesian.get(path).get_data(as_text=True)) & _visible(
            english.get(path).get_data(as_text=True))
        left = sorted(piece for piece in same if _untranslated(piece, names))
        if left:
            found[path] = left
    return compared, found


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_every_role_speaks_english(walked, role):
    walked_pages, found = _left_untranslated(walked, role)
    for page in REACHED[role] + ("/", "/kotak-masuk", "/permohonan/", "/standar-layanan"):
        assert any(path.startswith(page) for path in walked_pages), (page, walked_pages)  # the walk went far
    assert not found, "\n".join(f"{path}: {left}" for path, left in found.items())


def test_an_incident_reads_in_english(make_app, clock, caplog):
    from tests.api.test_api_incidents import BrokenProvider
    caplog.set_level(logging.CRITICAL, logger="vicon.worker")  # the failure is expected here
    app = make_app(settings={"job_max_attempts": 1}, meeting_provider=BrokenProvider())
    engine = app.extensions["vicon"]
    view = engine.start("zoom_meeting_request", future_request(clock, topic=TOPICS[0]), engine.actor("opd.dinkes"))
    Worker(engine).run_once()
    for element, user, data in STEPS[:3]:
        _complete(engine, view.summary.id, element, user, data)
    assert engine.incidents(engine.actor("admin"))
    paths = ("/pemantauan/insiden", f"/pemantauan/permohonan/{view.summary.id}", f"/permohonan/{view.summary.id}",
             "/pemantauan/permohonan", "/dasbor", "/kotak-masuk")
    for role in ("manager", "admin"):
        _, found = _left_untranslated(app, role, paths)
        assert not found, (role, found)


def test_refusals_and_missing_pages_speak_english(app):
    unknown = "00000000-0000-0000-0000-000000000000"
    paths = ("/pemantauan/permohonan", f"/tugas/{unknown}", f"/permohonan/{unknown}", "/lacak/" + "x" * 43,
             "/alamat-yang-tidak-ada")
    assert [Pages(app, "opd.dinkes").get(path).status_code for path in paths] == [403, 404, 404, 404, 404]
    _, found = _left_untranslated(app, "opd.dinkes", paths)
    assert not found, found


def test_every_named_element_of_the_bundled_processes_has_an_english_name():
    from engine.definitions.model import read_model
    from engine.definitions.xmlsafe import parse_xml
    root = pathlib.Path(__file__).resolve().parents[2] / "processes"
    for path in sorted(root.glob("*.bpmn")):
        model = read_model(parse_xml(path.read_bytes()))
        missing = sorted(e.id for e in model.elements.values()
                         if e.name and not e.name_en and e.kind != "sequenceFlow")
        assert not missing, (path.name, missing)


def test_notifications_name_their_steps_as_the_model_does_in_each_language(walked):
    engine = walked.extensions["vicon"]
    agency = [n.message for n in engine.notifications(engine.actor("opd.dinkes"), lang="en")]
    assert any(m.endswith("is waiting for you: Complete the request.") for m in agency), agency
    escalations = {lang: [n.message for n in engine.notifications(engine.actor("subkoordinator"), lang=lang)
                          if n.kind == "escalation"] for lang in ("id", "en")}
    assert any("“Create the Zoom meeting" in m for m in escalations["en"]), escalations
    assert any("“Buat rapat Zoom" in m for m in escalations["id"]), escalations  # never the element's id
    assert not any("SP05_create_meeting" in m for found in escalations.values() for m in found)
