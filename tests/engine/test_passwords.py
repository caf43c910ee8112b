"""Password hashes: salted scrypt that names its own cost, so hashes made at any
cost keep verifying (the suite hashes at a lower cost than the shipped one)."""
from engine.accounts import passwords


def test_a_hash_checks_its_password_only():
    stored = passwords.hash_password("rahasia-Tarakan-2026")
    assert passwords.check_password(stored, "rahasia-Tarakan-2026")
    assert not passwords.check_password(stored, "rahasia-Tarakan-2027")


def test_two_hashes_of_one_password_differ_by_their_salt():
    assert passwords.hash_password("sama") != passwords.hash_password("sama")


def test_a_hash_made_at_another_cost_still_checks(monkeypatch):
    monkeypatch.setattr(passwords, "COST", 2**14)
    shipped = passwords.hash_password("rahasia")
    monkeypatch.setattr(passwords, "COST", 2**4)
    assert shipped.split("$")[1] == "16384"
    assert passwords.check_password(shipped, "rahasia")


def test_a_damaged_or_foreign_hash_is_refused_not_raised():
    assert not passwords.check_password("bcrypt$x", "rahasia")
    assert not passwords.check_password("scrypt$16384$8$1$!!$!!", "rahasia")
    assert not passwords.check_password("", "rahasia")
