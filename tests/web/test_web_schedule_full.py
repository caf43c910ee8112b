"""Schedule full as a choice: the offered free times are one-click choices,
the full slot is never prefilled, and a chosen time is checked again."""
import re
from datetime import datetime

from engine import long_datetime, to_wita
from tests.web.flow import PageSop, html_form


def _full(pages, clock):
    for agency in ("opd.dinkes", "opd.disdik"):  # each books one of the two demo hosts
        occupant = PageSop(pages, clock, agency)
        occupant.submit()
        occupant.complete_next()
        occupant.complete_next()
    third = PageSop(pages, clock, "opd.dishub")
    third.submit()
    third.complete_next()
    third.complete_next()
    [task] = third.ready()
    assert task.lane == "OPD"
    return third, task


def test_the_offered_times_are_choices_and_the_full_slot_is_not_prefilled(pages, clock):
    sop, task = _full(pages, clock)
    page = pages("opd.dishub").get(f"/tugas/{task.id}").get_data(as_text=True)
    offered = re.findall(r'name="start_at" value="([^"]+)">Pilih ', page)
    assert offered and f"Pilih {long_datetime(to_wita(offered[0]))}</button>" in page
    assert re.search(r'id="f-start_at"[^>]*value="[^"]+"', page) is None  # the full slot is not offered again


def test_one_click_on_an_offered_time_checks_it_again(pages, clock):
    sop, task = _full(pages, clock)
    agency = pages("opd.dishub")
    page = agency.get(f"/tugas/{task.id}").get_data(as_text=True)
    chosen = re.findall(r'name="start_at" value="([^"]+)">Pilih ', page)[0]
    response = agency.submit(f"/tugas/{task.id}/pilih-waktu", {"start_at": chosen}, page=f"/tugas/{task.id}")
    assert response.status_code == 302
    agency.work()
    view = sop.engine.get_instance(sop.instance_id, sop.engine.actor("admin"))
    assert view.summary.meeting_start == datetime.fromisoformat(chosen)
    assert view.schedule["status"] == "free" and [t.lane for t in view.tasks] == ["Subkoordinator"]


def test_a_time_not_offered_is_refused_on_the_field(pages, clock):
    sop, task = _full(pages, clock)
    response = pages("opd.dishub").submit(f"/tugas/{task.id}/pilih-waktu", {"start_at": "2030-01-01T10:00:00+08:00"},
                                          page=f"/tugas/{task.id}")
    assert response.status_code == 422 and "tidak termasuk waktu yang ditawarkan" in response.get_data(as_text=True)
    assert sop.ready()[0].id == task.id


def test_the_manual_meeting_task_says_what_to_do_on_which_account_and_no_failure(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    for _ in range(3):  # Kadis, Kabid, Subkoordinator
        sop.complete_next()
    [task] = sop.ready()
    page = pages("staf").get(f"/tugas/{task.id}").get_data(as_text=True)
    host = sop.engine.get_instance(sop.instance_id, sop.engine.actor("admin")).schedule["host_name"]
    assert f"Buat rapat di aplikasi Zoom pada akun {host} untuk " in page
    assert "otomatis gagal" not in page


def test_a_proposal_that_is_full_as_well_is_refused_on_the_field_with_free_times(pages, clock):
    sop, task = _full(pages, clock)
    full_start = sop.engine.get_instance(sop.instance_id, sop.engine.actor("admin")).summary.meeting_start
    detail = sop.engine.get_task(task.id, sop.engine.actor("opd.dishub"))
    form = html_form(detail.form.schema, clock, {**detail.context["request"], "start_at": full_start.isoformat(),
                                                 "action": "reschedule"})
    form.pop("letter_file", None)
    response = pages("opd.dishub").submit(f"/tugas/{task.id}", form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Waktu ini juga sudah penuh. Waktu terdekat yang masih kosong: " in page
    assert 'id="e-start_at"' in page
    assert sop.ready()[0].id == task.id  # nothing was stored


def test_the_agency_is_told_in_the_app_that_the_schedule_was_full(pages, clock):
    sop, task = _full(pages, clock)
    [note] = sop.engine.notifications(sop.engine.actor("opd.dishub"))
    assert note.task_id == task.id and f"menunggu tindakan Anda: {task.title}" in note.message


def test_a_wrong_meeting_id_is_answered_with_the_expected_format(pages, clock):
    sop = PageSop(pages, clock)
    sop.submit()
    for _ in range(3):  # Kadis, Kabid, Subkoordinator
        sop.complete_next()
    [task] = sop.ready()
    response = pages("staf").submit(f"/tugas/{task.id}", {"meeting_id": "12-34", "passcode": "abc",
                                                          "join_url": "https://zoom.us/j/1"})
    assert response.status_code == 422
    assert "Format tidak sesuai; contoh: 987 6543 2109" in response.get_data(as_text=True)


def _manual_task(pages, clock, agency="opd.dinkes"):
    sop = PageSop(pages, clock, agency)
    sop.submit()
    for _ in range(3):  # Kadis, Kabid, Subkoordinator
        sop.complete_next()
    return sop, sop.ready()[0]


MEETING = {"meeting_id": "987 6543 2109", "passcode": "abc123", "join_url": "https://zoom.us/j/98765432109"}


def test_the_manual_task_preselects_the_booked_host_and_refuses_a_taken_one(pages, clock):
    first, _ = _manual_task(pages, clock)  # books the first host at the default time
    second, task = _manual_task(pages, clock, "opd.disdik")  # the same time: the other host
    admin = second.engine.actor("admin")
    mine = second.engine.get_task(task.id, second.engine.actor("staf")).context["schedule"]["host_email"]
    page = pages("staf").get(f"/tugas/{task.id}").get_data(as_text=True)
    assert f'value="{mine}"' in page
    taken = first.engine.get_task(first.ready()[0].id, admin).context["schedule"]["host_email"]
    response = pages("staf").submit(f"/tugas/{task.id}", {**MEETING, "host_email": taken})
    assert response.status_code == 422 and "sudah terpakai pada waktu rapat ini" in response.get_data(as_text=True)
    response = pages("staf").submit(f"/tugas/{task.id}", {**MEETING, "host_email": "bukan@contoh.go.id"})
    assert response.status_code == 422 and "Bukan akun host yang terdaftar" in response.get_data(as_text=True)
    assert pages("staf").submit(f"/tugas/{task.id}", {**MEETING, "host_email": mine}).status_code == 302


def test_another_free_host_is_taken_and_the_booking_moves_to_it(pages, clock):
    from sqlalchemy import select

    from engine.storage.models import Booking, HostAccount
    sop, task = _manual_task(pages, clock)
    booked = sop.engine.get_task(task.id, sop.engine.actor("staf")).context["schedule"]["host_email"]
    with sop.engine.db.reading() as session:
        other = session.scalar(select(HostAccount.email).where(HostAccount.email != booked))
    assert pages("staf").submit(f"/tugas/{task.id}", {**MEETING, "host_email": other}).status_code == 302
    with sop.engine.db.reading() as session:
        host = session.scalar(select(HostAccount.email).join(Booking, Booking.host_id == HostAccount.id)
                              .where(Booking.instance_id == sop.instance_id))
    assert host == other
