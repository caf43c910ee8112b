"""The demo accounts the API tests act as."""

PASSWORD = "test-pass"
SECRET = "test-secret-key-for-the-api-tests"
PROCESS = "zoom_meeting_request"
STAFF = ("kadis", "kabid", "subkoordinator", "staf", "manager", "analyst", "admin")
AGENCIES = ("opd.dinkes", "opd.disdik")
USER_OF_LANE = {"OPD": "opd.dinkes", "Kadis": "kadis", "Kabid": "kabid",
                "Subkoordinator": "subkoordinator", "Staf": "staf"}
