"""Roles, and which BPMN lane each role works in."""
from __future__ import annotations

ROLES = ("opd", "kadis", "kabid", "subkoordinator", "staf", "manager", "analyst", "admin")
LANE_ROLES = {"OPD": "opd", "Kadis": "kadis", "Kabid": "kabid",
              "Subkoordinator": "subkoordinator", "Staf": "staf"}
OVERSIGHT_ROLES = frozenset({"manager", "admin"})


def role_of_lane(lane: str | None) -> str | None:
    """The role that completes tasks of ``lane``, or None."""
    return LANE_ROLES.get(lane) if lane else None
