"""A real SMTP exchange on loopback (aiosmtpd): the letter arrives with its
PDF and a calendar invitation whose times are right; failures are retried,
then become an incident; the password never shows."""
import email
import logging
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from icalendar import Calendar

from engine import MailSettings
from tests.engine.documents import attachments, pdf_text
from tests.engine.driver import Driver
from tests.engine.letter_setup import OFFICE, to_signature

USER, PASSWORD = "vicon", "rahasia-smtp-123"
SENDER = "layanan@dkisp.example.go.id"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler keeping what it receives; ``refuse`` answers RCPT with it."""

    def __init__(self, refuse=None):
        self.received, self.refuse = [], refuse

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@pytest.fixture
def database_url(tmp_path):
    """SQLite only: the exchange does not depend on the database (the flow tests run both)."""
    return f"sqlite:///{tmp_path}/vicon.sqlite"


def login(server, session, envelope, mechanism, auth_data):
    return AuthResult(success=(auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode()))


@pytest.fixture
def smtp():
    """Start an SMTP server on loopback; yields a function that starts one with a handler."""
    started = []

    def start(inbox):
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), authenticator=login,
                                auth_require_tls=False)
        controller.start()
        started.append(controller)
        return controller.port

    yield start
    for controller in started:
        controller.stop()


def mail_engine(make_engine, port, **settings):
    mail = MailSettings(host="127.0.0.1", port=port, security="none", user=USER, password=PASSWORD,
                        mail_from=SENDER, timeout=5)
    return make_engine(settings={"letters": OFFICE, "mail": mail, **settings})


def test_the_letter_arrives_with_its_pdf_and_invitation(make_engine, smtp, clock, caplog):
    caplog.set_level(logging.DEBUG)
    inbox = Inbox()
    d = Driver(mail_engine(make_engine, smtp(inbox)))
    to_signature(d, clock)
    d.complete("T09_sign_letter")
    assert set(d.ready()) == {"T10_acknowledge_receipt"}
    [(sender, recipients, raw)] = inbox.received
    assert sender == SENDER and recipients == ["dinkes@tarakankota.go.id", "budi@example.go.id"]
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["Subject"] == "Surat Tanggapan: Tanggapan atas Permohonan Fasilitasi Zoom Meeting"
    assert "Surat Tanggapan Nomor 000.7.2/1/DKISP/2026" in message.get_body(("plain",)).get_content()
    files = attachments(message)
    text = pdf_text(files["Surat-Tanggapan-000.7.2-1-DKISP-2026.pdf"])
    assert "000.7.2/1/DKISP/2026" in text and "Yth. Kepala Dinas Kesehatan Kota Tarakan" in text
    [event] = Calendar.from_ical(files["undangan.ics"]).walk("VEVENT")
    assert event.decoded("dtstart").isoformat() == "2026-12-09T10:00:00+08:00"
    assert event.decoded("dtend").isoformat() == "2026-12-09T11:30:00+08:00"
    assert str(event["dtstart"].params["TZID"]) == "Asia/Makassar"
    assert str(event["location"]) == "https://zoom.us/j/98765432109"
    assert "987 6543 2109" in str(event["description"]) and "abc123" in str(event["description"])
    assert str(event["uid"]) == f"{d.instance_id}@dkisp.example.go.id"
    [letter] = d.instance("opd.dinkes").letters
    assert (letter["channel"], letter["number"]) == ("smtp", "000.7.2/1/DKISP/2026")
    assert PASSWORD not in caplog.text


def test_no_server_is_retried_then_an_incident(make_engine, clock, caplog):
    caplog.set_level(logging.DEBUG)
    engine = mail_engine(make_engine, free_port(), job_max_attempts=2, job_backoff_seconds=1.0)
    d = Driver(engine)
    to_signature(d, clock)
    d.complete("T09_sign_letter")  # the worker tries once: refused, retried later
    assert engine.incidents(d.actor("admin")) == []
    clock.advance(seconds=5)
    d.work()
    [job] = engine.incidents(d.actor("admin"))
    assert job.operator == "letter/dispatch" and job.attempts == 2 and "SMTP 127.0.0.1" in job.last_error
    assert d.instance().summary.status == "error"
    assert PASSWORD not in caplog.text and PASSWORD not in job.last_error


def test_a_refused_recipient_is_an_incident_at_once(make_engine, smtp, clock):
    engine = mail_engine(make_engine, smtp(Inbox(refuse="550 5.1.1 Mailbox unavailable")))
    d = Driver(engine)
    to_signature(d, clock)
    d.complete("T09_sign_letter")
    [job] = engine.incidents(d.actor("admin"))
    assert job.attempts == 1 and "550" in job.last_error
