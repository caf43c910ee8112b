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
