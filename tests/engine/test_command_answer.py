"""A command's answer (``Command.answer_with``) is made while the server writes its COMMIT on
PostgreSQL and once committed on SQLite; it is given only for a command that committed, and
an answer that could not be made fails where it is asked for, the command standing."""
import pytest
from sqlalchemy import update

from engine import Conflict
from engine.audit import chain as audit
from engine.runtime import command as command_module
from engine.storage import libpq_pipeline
from engine.storage.models import Instance
from tests.conftest import future_request
from tests.engine.driver import Driver


def _note(cmd, text: str) -> None:
    audit.append(cmd.session, cmd.instance, at=cmd.now, type_="note_added", actor="admin", data={"note": text})


def _notes(engine, instance_id) -> list:
    return [e.data["note"] for e in engine.events(instance_id, engine.actor("manager")) if e.type == "note_added"]


def test_the_answer_is_made_while_the_commit_is_written_or_once_committed(make_engine, clock):
    d = Driver(make_engine())
    d.start(future_request(clock))
    seen = []

    def answer():
        if d.engine.db.is_sqlite:  # committed already: another session reads the note
            seen.append(_notes(d.engine, d.instance_id) == ["dicatat"])
        else:  # the COMMIT is on its way, its answer not read yet
            seen.append(libpq_pipeline.committing(driver))
        return "jawaban"

    with d.engine.kernel.command(d.instance_id) as cmd:
        _note(cmd, "dicatat")
        cmd.workflow  # noqa: B018 - saved as every step's command saves it: its writes wait for the COMMIT
        driver = cmd.session.connection().connection.driver_connection
        cmd.answer_with(answer)
    assert cmd.answer == "jawaban" and cmd.answer == "jawaban" and seen == [True]
    assert _notes(d.engine, d.instance_id) == ["dicatat"] and d.engine.verify_audit(d.instance_id).ok


def test_an_answer_that_cannot_be_made_fails_where_it_is_asked_for_and_the_command_stands(make_engine, clock):
    d = Driver(make_engine())
    d.start(future_request(clock))
    with d.engine.kernel.command(d.instance_id) as cmd:
        _note(cmd, "tetap tersimpan")
        cmd.answer_with(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        cmd.answer  # noqa: B018 - asking for it is what raises
    assert _notes(d.engine, d.instance_id) == ["tetap tersimpan"]
    d.complete("T02_disposition_kadis")  # the workflow kept is current
    assert "T03_disposition_kabid" in d.ready()


def test_a_command_that_lost_its_race_makes_no_answer_and_keeps_nothing(make_engine, clock):
    d = Driver(make_engine())
    d.start(future_request(clock))
    made = []
    with pytest.raises(Conflict):
        with d.engine.kernel.command(d.instance_id) as cmd:
            _note(cmd, "kalah")
            cmd.session.execute(update(Instance).where(Instance.id == d.instance_id)
                                .values(lock_version=Instance.lock_version + 1)
                                .execution_options(synchronize_session=False))
            cmd.workflow  # noqa: B018 - loaded, so the command saves it under the optimistic lock
            cmd.answer_with(lambda: made.append("jawaban"))
    assert made == [] and _notes(d.engine, d.instance_id) == []
    assert command_module.CHANGED[1] == "permohonan berubah sementara itu; coba lagi"
    d.complete("T02_disposition_kadis")
    assert "T03_disposition_kabid" in d.ready()


@pytest.mark.postgres
def test_what_was_kept_while_a_commit_was_written_is_forgotten_when_that_commit_fails(postgres_url, clock,
                                                                                      tmp_path):
    from sqlalchemy import text

    from engine import Engine, Settings
    engine = Engine(Settings(database_url=postgres_url, outbox_dir=tmp_path / "outbox"), clock=clock)
    engine.setup()
    d = Driver(engine)
    d.start(future_request(clock))
    with d.engine.db.transaction() as session:
        session.execute(text("DROP TABLE IF EXISTS commit_probe"))
        session.execute(text("CREATE TABLE commit_probe (n INTEGER, CONSTRAINT once UNIQUE (n) "
                             "DEFERRABLE INITIALLY DEFERRED)"))
    live = d.engine.kernel.live
    kept_meanwhile = []
    with pytest.raises(Conflict):
        with d.engine.kernel.command(d.instance_id) as cmd:
            _note(cmd, "tidak tersimpan")
            cmd.workflow  # noqa: B018 - saved and kept as every step's command does
            cmd.session.execute(text("INSERT INTO commit_probe VALUES (1), (1)"))  # refused by the COMMIT
            cmd.answer_with(lambda: kept_meanwhile.append(d.instance_id in live._items))
    assert kept_meanwhile == [True] and d.instance_id not in live._items
    assert _notes(d.engine, d.instance_id) == [] and d.engine.verify_audit(d.instance_id).ok
    d.complete("T02_disposition_kadis")  # from the stored state
    assert "T03_disposition_kabid" in d.ready()
    with engine.db.transaction() as session:
        session.execute(text("DROP TABLE commit_probe"))
    engine.db.dispose()
