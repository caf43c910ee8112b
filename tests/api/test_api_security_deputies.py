"""Acting officials only from the roles that work the SOP's lanes (issue 18,
finding 13): a Kabid or Kadis cannot hand a lane to a manager, analyst or
admin, and a deputy who loses every official role stops acting."""
from __future__ import annotations

import pytest

from engine import InvalidData


@pytest.fixture
def engine(app):
    return app.extensions["vicon"]


@pytest.mark.parametrize("official", ["kabid", "kadis"])
@pytest.mark.parametrize("deputy", ["manager", "analyst", "admin"])
def test_a_read_only_or_admin_account_cannot_be_named(engine, official, deputy):
    with pytest.raises(InvalidData) as caught:
        engine.delegations.name(engine.actor(official), deputy, "2026-12-08", "2026-12-09")
    assert "deputy" in caught.value.errors
    assert deputy not in {u for u, _ in engine.delegations.candidates(engine.actor(official))}
    assert engine.actor(deputy).acting_for == ()


def test_the_officials_of_the_lanes_may_be_named(engine):
    assert {u for u, _ in engine.delegations.candidates(engine.actor("kabid"))} >= {"kadis", "subkoordinator", "staf"}
    engine.delegations.name(engine.actor("kabid"), "subkoordinator", "2026-12-07", "2026-12-09")
    assert [lane for lane, _, _ in engine.actor("subkoordinator").acting_for] == ["Kabid"]


def test_a_deputy_who_becomes_a_manager_stops_acting(engine):
    engine.delegations.name(engine.actor("kabid"), "staf", "2026-12-07", "2026-12-09")
    admin = engine.actor("admin")
    engine.account_admin.update_user("staf", {"full_name": "Staf", "roles": ["manager"]}, admin)
    assert engine.actor("staf").acting_for == ()
