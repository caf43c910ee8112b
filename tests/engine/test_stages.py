"""The one rule that names a request's stage, one test per stage."""
from types import SimpleNamespace

import pytest

from engine.requests.stages import stage_of
from engine.views import Actor


def task(lane, title, agency_id=1):
    return SimpleNamespace(lane=lane, title=title, agency_id=agency_id)


AGENCY = Actor("opd.dinkes", frozenset({"opd"}), 1, "dinkes")
KADIS = Actor("kadis", frozenset({"kadis"}))


@pytest.mark.parametrize("outcome, words", [
    ("fulfilled", "Selesai: rapat Zoom dibuat dan surat tanggapan dikirim"),
    ("schedule_full", "Selesai: jadwal penuh, tidak ada akun Zoom yang tersedia"),
    ("rejected", "Ditolak"), ("withdrawn", "Ditarik oleh OPD"),
    ("expired", "Kedaluwarsa: waktu rapat sudah lewat")])
def test_an_ended_request_reads_its_outcome(outcome, words):
    stage = stage_of("completed", outcome, [], [], AGENCY)
    assert (stage.code, stage.text) == (outcome, words)


def test_an_instance_held_by_an_error_waits_for_the_administrator():
    assert stage_of("error", None, [], [], AGENCY).words("en") == "Held up: waiting for an administrator"


def test_the_agency_waiting_on_the_kadis_reads_who_and_which_step():
    stage = stage_of("running", None, [task("Kadis", "Disposisi Kadis ke Kabid")], [], AGENCY)
    assert (stage.code, stage.text) == ("waiting_kadis", "Menunggu Kepala Dinas: Disposisi Kadis ke Kabid")
    assert stage.words("en") == "Waiting for the Head of Agency"  # no Indonesian step name on English pages
    named = SimpleNamespace(lane="Kadis", title="Disposisi", title_en="Disposition", agency_id=1)
    assert stage_of("running", None, [named], [], AGENCY).words("en") == "Waiting for the Head of Agency: Disposition"


@pytest.mark.parametrize("lane, code, who", [("Kabid", "waiting_kabid", "Kepala Bidang"),
                                             ("Subkoordinator", "waiting_subkoordinator", "Subkoordinator"),
                                             ("Staf", "waiting_staf", "Staf")])
def test_each_lane_is_named(lane, code, who):
    stage = stage_of("running", None, [task(lane, "Langkah")], [], AGENCY)
    assert (stage.code, stage.text) == (code, f"Menunggu {who}: Langkah")


def test_the_readers_own_task_reads_your_action():
    receipt = task("OPD", "Konfirmasi penerimaan surat")
    stage = stage_of("running", None, [receipt], [], AGENCY)
    assert (stage.code, stage.text) == ("your_action", "Menunggu tindakan Anda: Konfirmasi penerimaan surat")
    assert stage_of("running", None, [task("Kadis", "Tanda tangan")], [], KADIS).code == "your_action"


def test_another_agency_or_a_public_reader_sees_the_agency_must_act():
    receipt = task("OPD", "Konfirmasi penerimaan surat")
    assert stage_of("running", None, [receipt], [], KADIS).text == "Menunggu tindakan OPD pemohon"
    assert stage_of("running", None, [receipt], [], None).code == "waiting_opd"


@pytest.mark.parametrize("operator, code, words", [
    ("meeting/create", "meeting_creating", "Rapat sedang dibuat"),
    ("letter/dispatch", "letter_sending", "Surat sedang dikirim"),
    ("letter/render", "letter_preparing", "Surat sedang disiapkan"),
    ("notice/schedule_full", "notice_sending", "Pemberitahuan sedang dikirim"),
    ("meeting/cancel", "meeting_cancelling", "Rapat sedang dibatalkan"),
    ("meeting/reschedule", "meeting_moving", "Rapat sedang dipindahkan"),
    ("something/else", "processing", "Sedang diproses sistem")])
def test_a_pending_job_says_what_the_system_is_doing(operator, code, words):
    stage = stage_of("running", None, [], [(operator, "pending")], AGENCY)
    assert (stage.code, stage.text) == (code, words)


def test_a_job_out_of_retries_is_held_up():
    assert stage_of("running", None, [], [("meeting/create", "incident")], AGENCY).code == "held_up"


def test_nothing_open_is_plain_processing():
    assert stage_of("running", None, [], [], AGENCY).code == "processing"
