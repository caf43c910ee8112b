"""Notifications in plain words, made when read in the reader's language: step
titles, durations in words; marking all read; old text rows migrated."""
from alembic import command
from sqlalchemy import text

from engine.notifications.texts import render
from engine.storage import schema
from tests.conftest import future_request
from tests.engine.driver import Driver


def _overdue_at_step5(make_engine, clock):
    engine = make_engine()
    d = Driver(engine)
    d.start(future_request(clock, topic="Rapat stunting"))
    for step in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        d.complete(step)
    clock.advance(minutes=11)
    d.work()  # the reminder
    clock.advance(minutes=5)
    d.work()  # the escalation
    return engine


def test_an_escalation_names_the_step_and_says_the_standard_in_words(make_engine, clock):
    engine = _overdue_at_step5(make_engine, clock)
    [note] = engine.notifications(engine.actor("subkoordinator"))
    assert note.kind == "escalation" and "T05_" not in note.message and "PT15M" not in note.message
    assert "Rapat stunting" in note.message and "15 menit kerja" in note.message
    [english] = engine.notifications(engine.actor("subkoordinator"), lang="en")
    assert "15 working minutes" in english.message and english.message.startswith("Escalation: step")


def test_a_reminder_says_the_due_time_in_wita_in_the_readers_language(make_engine, clock):
    engine = _overdue_at_step5(make_engine, clock)
    reminder = next(n for n in engine.notifications(engine.actor("staf")) if n.kind == "reminder")
    assert reminder.message.startswith("Pengingat: langkah") and "WITA" in reminder.message
    english = next(n for n in engine.notifications(engine.actor("staf"), lang="en") if n.kind == "reminder")
    assert english.message.startswith("Reminder: step") and "WITA" in english.message


def test_marking_all_read_touches_only_the_callers_unread_ones(make_engine, clock):
    engine = _overdue_at_step5(make_engine, clock)
    staf, boss = engine.actor("staf"), engine.actor("subkoordinator")
    assert engine.mark_all_notifications_read(staf) >= 1
    assert engine.notifications(staf, unread_only=True) == []
    assert len(engine.notifications(boss, unread_only=True)) == 1
    assert engine.mark_all_notifications_read(staf) == 0


def test_a_row_without_parameters_reads_its_stored_text():
    assert render("escalation", None, "en", ("teks", "text")) == "text"
    assert render("news", {"x": 1}, "id", ("teks", "text")) == "teks"


def test_escalations_stored_as_text_are_migrated_to_parameters(make_engine, clock):
    engine = _overdue_at_step5(make_engine, clock)
    boss = engine.actor("subkoordinator")
    with engine.db.write_engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "0011_sign_in_failures")
        instance_id = conn.execute(text("SELECT instance_id FROM notifications WHERE kind = 'escalation'")).scalar()
        conn.execute(text("UPDATE notifications SET message_id = :m WHERE kind = 'escalation'"),
                     {"m": "Eskalasi: langkah T05_enter_meeting_details pada permohonan 'Rapat stunting' "
                           "melewati standar waktu PT15M."})
    engine.db.upgrade_schema()
    [note] = engine.notifications(boss)
    assert note.instance_id == instance_id
    assert "T05_enter_meeting_details" not in note.message and "15 menit kerja" in note.message
    assert "Masukkan detail rapat" in note.message


def test_the_agency_hears_in_the_app_when_a_step_of_its_own_opens(make_engine, clock):
    engine = make_engine()
    d = Driver(engine)
    d.start(future_request(clock, topic="Rapat stunting"))
    for step in ("T02_disposition_kadis", "T03_disposition_kabid", "T04_disposition_staf"):
        d.complete(step)
    agency = engine.actor("opd.dinkes")
    assert engine.notifications(agency) == []  # nothing of its own so far
    d.complete("T05_enter_meeting_details", {"meeting_id": "987 6543 2109", "passcode": "abc123",
                                             "join_url": "https://zoom.us/j/98765432109"})
    for step in ("T06_report_meeting", "T07_draft_letter", "T08_review_draft", "T09_sign_letter"):
        d.complete(step)
    d.work()  # the letter goes out: the receipt step opens
    [note] = engine.notifications(agency)
    assert note.kind == "agency_task" and note.message.startswith("Permohonan \u201cRapat stunting\u201d menunggu")
    assert engine.notifications(agency, lang="en")[0].message.startswith("Request \u201cRapat stunting\u201d is")
