"""The admin's page of Zoom host accounts."""


def test_admin_adds_and_changes_a_host_account(pages):
    admin = pages("admin")
    page = admin.get("/admin/akun-zoom").get_data(as_text=True)
    assert "Akun host Zoom" in page and "zoom-1" in page and "zoom-2" in page
    added = admin.submit("/admin/akun-zoom", {"id": "zoom-3", "name": "Zoom Diskominfo 3",
                                              "email": "zoom3@tarakankota.go.id", "capacity": "2",
                                              "max_participants": "500"}, page="/admin/akun-zoom")
    assert added.status_code in (200, 302)
    page = admin.get("/admin/akun-zoom").get_data(as_text=True)
    assert "zoom-3" in page and "Zoom Diskominfo 3" in page
    admin.submit("/admin/akun-zoom/zoom-3", {"name": "Zoom Diskominfo 3", "email": "zoom3@tarakankota.go.id",
                                            "capacity": "1", "max_participants": "300"}, page="/admin/akun-zoom")
    hosts = {h.id: h for h in admin.engine.host_accounts(admin.engine.actor("admin"))}
    assert (hosts["zoom-3"].capacity, hosts["zoom-3"].max_participants, hosts["zoom-3"].active) == (1, 300, False)


def test_bad_values_are_named_and_nothing_is_added(pages):
    admin = pages("admin")
    answer = admin.submit("/admin/akun-zoom", {"id": "", "name": "", "capacity": "0", "max_participants": "x"},
                          page="/admin/akun-zoom")
    assert answer.status_code == 422
    assert len(admin.engine.host_accounts(admin.engine.actor("admin"))) == 2


def test_only_admins_see_the_page(pages):
    for user in ("kadis", "staf", "opd.dinkes", "manager"):
        assert pages(user).get("/admin/akun-zoom").status_code == 403


def test_the_subkoordinator_previews_the_typed_draft_without_sending(pages, clock):
    from tests.web.flow import PageSop, html_form
    sop = PageSop(pages, clock)
    assert sop.submit().status_code == 302
    manual = {"meeting_id": "98765432109", "passcode": "abc123", "join_url": "https://zoom.us/j/98765432109"}
    while sop.ready()[0].name != "T07_draft_letter":
        sop.complete_next(**(manual if sop.ready()[0].name == "T05_enter_meeting_details" else {}))
    task = sop.ready()[0]
    browser = pages("subkoordinator")
    detail = sop.engine.get_task(task.id, sop.engine.actor("subkoordinator"))
    page = browser.get(f"/tugas/{task.id}").get_data(as_text=True)
    assert f'formaction="/tugas/{task.id}/pratinjau"' in page
    typed = html_form(detail.form.schema, clock, {"body": "Isi konsep yang sedang diketik."})
    answer = browser.submit(f"/tugas/{task.id}/pratinjau", typed, page=f"/tugas/{task.id}")
    assert answer.status_code == 200 and answer.mimetype == "application/pdf"
    assert answer.data.startswith(b"%PDF")
    assert sop.ready()[0].id == task.id  # nothing was sent or stored
    assert pages("kabid").submit(f"/tugas/{task.id}/pratinjau", typed).status_code == 403
