"""Backup and restore: a request half-way through the SOP is backed up,
restored into an empty database, and completed there (SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from engine import Engine, Settings
from engine.storage.backup import BackupError
from tests.conftest import future_request
from tests.engine.driver import Driver
from tests.engine.test_facade_paths import MANUAL_MEETING, letter_steps, through_disposition

RESTORE_DATABASE = "vicon_test_restore"


@pytest.fixture
def empty_url(database_url, tmp_path):
    """A second, empty database of the same kind to restore into."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path}/restored/vicon.sqlite"
        return
    url = make_url(database_url)
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {RESTORE_DATABASE} WITH (FORCE)"))
        conn.execute(text(f"CREATE DATABASE {RESTORE_DATABASE}"))
    yield url.set(database=RESTORE_DATABASE).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {RESTORE_DATABASE} WITH (FORCE)"))
    admin.dispose()


def test_a_request_midway_is_completed_after_restore(make_engine, empty_url, clock, tmp_path):
    before = Driver(make_engine())
    before.start(future_request(clock))
    through_disposition(before)
    before.complete("T04_disposition_staf")  # now waiting for Staf's meeting details (step 5)
    backup_file = tmp_path / "backups" / "vicon.dump"
    before.engine.backup(backup_file)
    assert backup_file.stat().st_size > 0
    assert backup_file.stat().st_mode & 0o777 == 0o600  # password hashes, personal data

    restored = Engine(Settings(database_url=empty_url, outbox_dir=tmp_path / "outbox2"), clock=clock)
    try:
        restored.restore(backup_file)
        restored.setup()  # migrations find the schema at head; the process is there already
        after = Driver(restored)
        after.instance_id = before.instance_id
        assert set(after.ready()) == {"T05_enter_meeting_details"}
        after.complete("T05_enter_meeting_details", MANUAL_MEETING)
        letter_steps(after)
        after.complete("T10_acknowledge_receipt")
        final = after.instance()
        assert (final.summary.status, final.summary.outcome) == ("completed", "fulfilled")
        assert restored.verify_audit(after.instance_id).ok
    finally:
        restored.close()


def test_restore_refuses_a_database_that_is_not_empty(make_engine, tmp_path):
    engine = make_engine()
    backup_file = tmp_path / "vicon.dump"
    engine.backup(backup_file)
    with pytest.raises(BackupError, match="not empty"):
        engine.restore(backup_file)


def test_backup_never_overwrites_a_file(make_engine, tmp_path):
    engine = make_engine()
    existing = tmp_path / "existing.dump"
    existing.write_bytes(b"keep me")
    with pytest.raises(BackupError, match="exists"):
        engine.backup(existing)
    assert existing.read_bytes() == b"keep me"
