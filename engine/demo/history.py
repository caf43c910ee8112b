"""Demo mode: six months of past requests, so the managers' dashboard and
recap are not empty on a fresh ``make run``.

Every request is a real instance driven through the engine by a second
engine whose clock is set in the past: the demo users act at realistic
office-time intervals, the worker runs between steps (timers, escalations,
expiries), and the audit chains are the engine's own. Only the letters'
PDF layout is replaced by a one-page placeholder, to keep the first start
short. Seeded once: a database holding any request is left alone.

Start-up code (``api/bootstrap.py``) calls ``seed_history`` with the facade:
it drives the facade as the demo users would, so it sits above it.
"""
from __future__ import annotations

import logging
import random
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import func, select

from engine.calendar.working import WITA
from engine.runtime.clock import FakeClock
from engine.accounts.demo import AGENCIES
from engine.facade import Engine
from engine.letters.press import LetterPress
from engine.storage.models import ExternalBooking, Instance
from engine.worker.loop import Worker

log = logging.getLogger("vicon")
SOP_KEY = "zoom_meeting_request"  # demo data is the SOP's own: the only place the engine names its key
MONTHS = 6
PER_MONTH = (6, 10)
TOPICS = ("Rapat koordinasi percepatan penurunan stunting", "Sosialisasi aplikasi SRIKANDI",
          "Evaluasi kinerja triwulan", "Rapat persiapan Musrenbang kecamatan",
          "Koordinasi kesiapsiagaan banjir rob", "Bimbingan teknis pengelolaan arsip",
          "Rapat kerja penyusunan RKPD", "Sosialisasi penerimaan peserta didik baru",
          "Koordinasi layanan transportasi hari raya", "Rapat evaluasi bantuan sosial")
# outcome, weight
PLANS = (("fulfilled", 60), ("fulfilled_auto", 8), ("withdrawn", 9), ("expired", 7), ("rejected", 7),
         ("schedule_full", 9))
LAG = {  # office minutes each step usually takes (low, high)
    "T02_disposition_kadis": (20, 300), "T03_disposition_kabid": (15, 200), "T04_disposition_staf": (10, 120),
    "T05_enter_meeting_details": (4, 14), "T06_report_meeting": (5, 60), "T07_draft_letter": (30, 300),
    "T08_review_draft": (40, 400), "T09_sign_letter": (30, 300), "T10_acknowledge_receipt": (30, 900),
}
SLOW = {"T05_enter_meeting_details": (16, 45), "T08_review_draft": (480, 1100)}  # over the standard
# the requests in progress today: (the step they wait at, working days since they came)
OPEN = (("T02_disposition_kadis", 0), ("T02_disposition_kadis", 1), ("T03_disposition_kabid", 1),
        ("T04_disposition_staf", 2), ("T07_draft_letter", 2), ("T08_review_draft", 4), ("T06_report_meeting", 1),
        ("T10_acknowledge_receipt", 3))
USER = {"Kadis": "kadis", "Kabid": "kabid", "Subkoordinator": "subkoordinator", "Staf": "staf"}


class _Ended(Exception):
    """The request stops here."""


class QuickPress(LetterPress):
    """The letter press with a one-page placeholder PDF for the seeded letters
    (WeasyPrint takes a second each); past letters no task shows, so no page images."""

    page_images = False

    def pdf(self, kind: str, context: dict) -> bytes:
        """A minimal valid PDF naming the document kind."""
        text = f"Arsip demo: {kind}".encode("latin-1", "replace")
        stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
        objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
                   b"/Resources << /Font << /F1 5 0 R >> >> >>",
                   b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
                   b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
        out, offsets = bytearray(b"%PDF-1.4\n"), []
        for number, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
        return bytes(out)



def seed_history(engine, months: int = MONTHS, seed: int = 2026) -> int:
    """Drive past requests through the engine (empty database only); return how many."""
    with engine.db.reading() as session:
        if session.scalar(select(func.count()).select_from(Instance)):
            return 0
    now = engine.clock.now()
    clock = FakeClock(now)
    past = Engine(engine.settings, clock=clock, registry=engine.registry, meeting_provider=engine.meeting_provider,
                  press=QuickPress())
    try:
        return History(past, clock, engine.calendar.calendar(), random.Random(seed)).run(now, months)
    finally:
        past.close()


class History:
    """Walks the demo users through past requests."""

    def __init__(self, engine, clock, calendar, rng):
        self.engine, self.clock, self.calendar, self.rng = engine, clock, calendar, rng
        self.worker = Worker(engine)

    def run(self, now: datetime, months: int) -> int:
        """Requests submitted over ``months`` months up to a week before ``now``."""
        starts = self._submissions(now, months)
        self.limit = now - timedelta(minutes=1)
        for index, submitted in enumerate(starts):
            self._one(self._plan(), index, submitted, None)
        for offset, (stop, days_ago) in enumerate(OPEN):
            self._one("fulfilled", len(starts) + offset, self._working_days_before(now, days_ago), stop)
        return len(starts) + len(OPEN)

    def _one(self, plan: str, index: int, submitted: datetime, stop: str | None) -> None:
        self._set(submitted)
        self.stop = stop
        try:
            self._request(plan, index)
        except _Ended:
            pass  # the request ended on its own on the way (e.g. its meeting passed): history too
        except Exception:  # noqa: BLE001  one odd request must not stop the demo from starting
            log.exception("demo history: request %d (%s) not completed", index, plan)

    def _working_days_before(self, now: datetime, days: int) -> datetime:
        day = now.astimezone(WITA).date()
        for _ in range(days):
            day -= timedelta(days=1)
            while not self.calendar.is_working_day(day):
                day -= timedelta(days=1)
        return datetime.combine(day, time(8, self.rng.randrange(0, 50)), WITA)

    def _submissions(self, now: datetime, months: int) -> list[datetime]:
        first = (now.astimezone(WITA) - timedelta(days=30 * months)).date()
        last = (now.astimezone(WITA) - timedelta(days=8)).date()
        span = (last - first).days
        count = sum(self.rng.randint(*PER_MONTH) for _ in range(months))
        days = sorted(first + timedelta(days=self.rng.randrange(span)) for _ in range(count))
        out = []
        for day in days:
            while not self.calendar.is_working_day(day):
                day += timedelta(days=1)
            minute = self.rng.randrange(7 * 60 + 45, 15 * 60)
            out.append(datetime.combine(day, time(minute // 60, minute % 60), WITA))
        return out

    def _plan(self) -> str:
        return self.rng.choices([p for p, _ in PLANS], [w for _, w in PLANS])[0]

    # -- one request ---------------------------------------------------------------

    def _request(self, plan: str, index: int) -> None:
        agency = self.rng.choice(AGENCIES)[0]
        meeting = self._meeting_time()
        if plan == "schedule_full":
            self._fill_hosts(meeting)
        view = self.engine.start(SOP_KEY, self._form(agency, meeting, index),
                                 self._actor(f"opd.{agency}"))
        instance_id = view.summary.id
        self._work()
        if plan == "rejected":
            self._step(instance_id, "T02_disposition_kadis", {"decision": "reject",
                                                              "reason": "Kegiatan bukan kewenangan OPD pemohon"})
            return
        self._step(instance_id, "T02_disposition_kadis", {"urgency": self.rng.choice(["biasa", "segera"])})
        self._step(instance_id, "T03_disposition_kabid", {})
        if plan == "schedule_full" or self._offered_alternative(instance_id):  # full by chance too
            self._step(instance_id, "T04_choose_alternative", {"action": "decline"}, user=f"opd.{agency}")
            return
        if plan == "withdrawn":
            self._later("T04_disposition_staf")
            self.engine.withdraw(instance_id, self._actor(f"opd.{agency}"), "Kegiatan ditunda oleh pimpinan OPD")
            self._work()
            return
        self._step(instance_id, "T04_disposition_staf", {})
        if plan == "expired":
            self._set(meeting + timedelta(minutes=1))
            self._work()
            return
        self._step(instance_id, "T05_enter_meeting_details", {
            "meeting_id": f"8{self.rng.randrange(10**9, 10**10)}", "passcode": f"{self.rng.randrange(10**5, 10**6)}",
            "join_url": "https://zoom.us/j/8" + str(self.rng.randrange(10**9, 10**10))})
        for element in ("T06_report_meeting", "T07_draft_letter", "T08_review_draft", "T09_sign_letter"):
            self._step(instance_id, element, {"subject": "Fasilitasi Zoom Meeting"} if element == "T07_draft_letter" else {})
        if plan == "fulfilled_auto":  # the agency never confirms: deemed received after 3 working days
            self._set(self.calendar.add(self.clock.now(), "P3D") + timedelta(minutes=1))
            self._work()
            return
        self._step(instance_id, "T10_acknowledge_receipt", {"received": True}, user=f"opd.{agency}")

    def _step(self, instance_id: str, element: str, data: dict, user: str | None = None) -> None:
        if element == self.stop:
            raise _Ended  # left waiting there: the requests in progress today
        self._later(element)
        view = self.engine.get_instance(instance_id, self._actor("admin"))
        task = next((t for t in view.tasks if t.name == element), None)
        if task is None and view.summary.status == "completed":
            raise _Ended
        if task is None:
            raise RuntimeError(f"{element} is not ready")
        self.engine.complete_task(task.id, data, self._actor(user or USER[task.lane]))
        self._work()

    def _offered_alternative(self, instance_id: str) -> bool:
        """True when the schedule check found every host busy (another seeded request's
        meeting, or the Zoom app's, at that time) and offers the agency another time."""
        view = self.engine.get_instance(instance_id, self._actor("admin"))
        return any(t.name == "T04_choose_alternative" for t in view.tasks)

    def _later(self, element: str) -> None:
        """Move the clock on by the office time ``element`` takes this time, firing what falls due."""
        low, high = SLOW[element] if element in SLOW and self.rng.random() < 0.15 else LAG.get(element, (5, 60))
        moment = self.calendar.add(self.clock.now(), f"PT{self.rng.randint(low, high)}M")
        self._set(min(moment, self.limit))
        self._work()

    def _set(self, moment: datetime) -> None:
        # UTC: audit hashes cover the time as written, and the database gives it back in UTC
        self.clock.set(moment.astimezone(timezone.utc))

    def _work(self) -> None:
        self.worker.run_once()

    # -- data ----------------------------------------------------------------------

    def _meeting_time(self) -> datetime:
        after = self.limit if self.stop else self.clock.now()  # requests in progress meet in the future
        day = self.calendar.add(after, f"P{self.rng.randint(3, 7)}D").astimezone(WITA).date()
        while not self.calendar.is_working_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, time(self.rng.choice([8, 9, 10, 13, 14]), self.rng.choice([0, 30])), WITA)

    def _form(self, agency: str, meeting: datetime, index: int) -> dict:
        submitted = self.clock.now().astimezone(WITA).date()
        return {"topic": self.rng.choice(TOPICS), "start_at": meeting.isoformat(),
                "duration_minutes": self.rng.choice([60, 90, 120]), "participants": self.rng.choice([25, 40, 80, 150]),
                "letter_number": f"005/{100 + index}/{agency.upper()}/{submitted.year}",
                "letter_date": (submitted - timedelta(days=1)).isoformat(),
                "contact_name": "Narahubung " + agency.upper(), "contact_email": f"{agency}@tarakankota.go.id"}

    def _fill_hosts(self, meeting: datetime) -> None:
        """Meetings someone made in the Zoom app on every host at that time: the schedule is full."""
        with self.engine.db.transaction() as session:
            for host in self.engine.hosts.all():
                session.add(ExternalBooking(host_id=host.id, external_id=f"demo-{meeting:%Y%m%d%H%M}-{host.id}",
                                            topic="Rapat internal (aplikasi Zoom)", start=meeting - timedelta(minutes=30),
                                            end=meeting + timedelta(hours=3), synced_at=self.clock.now()))

    def _actor(self, username: str):
        return self.engine.actor(username)

