"""Mail over TLS on loopback (aiosmtpd, trustme certificates): STARTTLS and
implicit TLS deliver with the log-in only on the encrypted connection; a
certificate that does not verify, or a server without STARTTLS, is refused
before any credential leaves; ``none`` sends plain, as it says.

The refusing servers are deliberately lax (AUTH accepted without TLS) so that
a client that did send its credentials would be caught on the server side."""
import socket
import ssl
from email.message import EmailMessage

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult

from engine import MailSettings
from engine.errors import ServiceError
from engine.letters.transport import SmtpTransport
from tests.engine.driver import Driver
from tests.engine.letter_setup import OFFICE, to_signature

USER, PASSWORD = "vicon", "rahasia-tls-456"
SENDER = "layanan@dkisp.example.go.id"
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


class Server:
    """What an SMTP server saw: every AUTH command (was the link encrypted?) and the mail."""

    def __init__(self):
        self.auths, self.logins, self.received = [], [], []

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


def encrypted(smtp: SMTP) -> bool:
    """True when the server's side of the connection runs over TLS."""
    return smtp.transport is not None and smtp.transport.get_extra_info("ssl_object") is not None


class RecordingSMTP(SMTP):
    """Notes each AUTH command as it arrives, before aiosmtpd judges it."""

    async def smtp_AUTH(self, arg: str) -> None:
        self.event_handler.auths.append((arg.split(" ", 1)[0].upper(), encrypted(self)))
        await super().smtp_AUTH(arg)


class RecordingController(Controller):
    def factory(self):
        return RecordingSMTP(self.handler, **self.SMTP_kwargs)


def login(smtp, session, envelope, mechanism, auth_data):
    smtp.event_handler.logins.append((auth_data.login, encrypted(smtp)))
    return AuthResult(success=(auth_data.login, auth_data.password) == (USER.encode(), PASSWORD.encode()))


@pytest.fixture
def ca():
    """The CA the client is told to trust."""
    return trustme.CA()


@pytest.fixture
def ca_file(ca, tmp_path):
    path = tmp_path / "city-ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


def server_context(authority: trustme.CA, name: str = LOOPBACK) -> ssl.SSLContext:
    """A server-side TLS context whose certificate ``authority`` issued for ``name``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert(name).configure_cert(context)
    return context


@pytest.fixture
def smtp():
    """Start SMTP servers on loopback; yields ``start(**aiosmtpd options) -> (Server, port)``."""
    started = []

    def start(**options):
        server = Server()
        controller = RecordingController(server, hostname=LOOPBACK, port=free_port(),
                                         authenticator=login, **options)
        controller.start()
        started.append(controller)
        return server, controller.port

    yield start
    for controller in started:
        controller.stop()


def settings(port: int, security: str, ca_file=None) -> MailSettings:
    return MailSettings(host=LOOPBACK, port=port, security=security, user=USER, password=PASSWORD,
                        mail_from=SENDER, timeout=5, ca_file=ca_file)


def letter() -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"] = SENDER, "dinkes@tarakankota.go.id"
    message["Subject"], message["Message-ID"] = "Surat Tanggapan", "<uji-tls@dkisp.example.go.id>"
    message.set_content("Surat Tanggapan terlampir.")
    return message


def send(mail: MailSettings) -> str:
    return SmtpTransport(mail).send(letter(), "letter:1", {})


def assert_refused_before_login(server: Server, mail: MailSettings, why: str) -> None:
    with pytest.raises(ServiceError) as refused:
        send(mail)
    assert refused.value.transient is False and why in str(refused.value)
    assert PASSWORD not in str(refused.value)
    assert (server.auths, server.logins, server.received) == ([], [], [])


def test_starttls_logs_in_only_after_the_handshake(smtp, ca, ca_file):
    server, port = smtp(tls_context=server_context(ca), require_starttls=True)
    assert send(settings(port, "starttls", ca_file)) == "<uji-tls@dkisp.example.go.id>"
    assert server.auths == [("PLAIN", True)] and server.logins == [(USER.encode(), True)]
    [(sender, recipients, raw)] = server.received
    assert (sender, recipients) == (SENDER, ["dinkes@tarakankota.go.id"])
    assert b"Surat Tanggapan terlampir." in raw


def test_implicit_tls_delivers_with_the_log_in_encrypted(smtp, ca, ca_file):
    server, port = smtp(ssl_context=server_context(ca), auth_require_tls=False)
    send(settings(port, "ssl", ca_file))
    assert server.auths == [("PLAIN", True)] and server.logins == [(USER.encode(), True)]
    assert len(server.received) == 1


@pytest.mark.parametrize("security", ["starttls", "ssl"])
@pytest.mark.parametrize("trusted", ["another CA", "the system's CAs", "wrong host name"])
def test_a_certificate_that_does_not_verify_is_refused(smtp, ca, ca_file, security, trusted):
    issuer = ca if trusted == "wrong host name" else trustme.CA()
    context = server_context(issuer, "mail.tarakankota.go.id" if trusted == "wrong host name" else LOOPBACK)
    tls = {"tls_context": context} if security == "starttls" else {"ssl_context": context}
    server, port = smtp(auth_require_tls=False, **tls)
    mail = settings(port, security, None if trusted == "the system's CAs" else ca_file)
    assert_refused_before_login(server, mail, "SSLCertVerificationError")


def test_starttls_refuses_a_server_that_does_not_offer_it(smtp, ca_file):
    server, port = smtp(auth_require_tls=False)  # plain only, and would take AUTH in the clear
    assert_refused_before_login(server, settings(port, "starttls", ca_file), "does not offer STARTTLS")


def test_an_unreadable_ca_file_is_refused_before_connecting(smtp, tmp_path):
    server, port = smtp(auth_require_tls=False)
    (tmp_path / "broken.pem").write_text("not a certificate")
    assert_refused_before_login(server, settings(port, "starttls", tmp_path / "broken.pem"), "CA file")


def test_none_sends_plain_as_configured(smtp):
    server, port = smtp(auth_require_tls=False)
    send(settings(port, "none"))
    assert server.auths == [("PLAIN", False)] and len(server.received) == 1


@pytest.fixture
def database_url(tmp_path):
    """SQLite only: the exchange does not depend on the database."""
    return f"sqlite:///{tmp_path}/vicon.sqlite"


def test_an_untrusted_server_makes_the_letter_an_incident_at_once(make_engine, smtp, clock):
    server, port = smtp(tls_context=server_context(trustme.CA()), auth_require_tls=False)
    engine = make_engine(settings={"letters": OFFICE, "mail": settings(port, "starttls")})
    d = Driver(engine)
    to_signature(d, clock)
    d.complete("T09_sign_letter")
    [job] = engine.incidents(d.actor("admin"))
    assert job.attempts == 1 and "SSLCertVerificationError" in job.last_error
    assert (server.auths, server.received) == ([], [])
