"""Roles, and which BPMN lane each role works in.

The SOP's lanes are named for their role (``Kadis``). A lane of another
process may carry another name and say whose it is with a ``role`` property
(``spiffworkflow:properties`` on the lane); the deployed models' lanes are
learned here, so a task's lane, as the projection keeps it, leads to its role.
A lane name therefore means one role in every deployed process.
"""
from __future__ import annotations

import threading

ROLES = ("opd", "kadis", "kabid", "subkoordinator", "staf", "manager", "analyst", "admin")
LANE_ROLES = {"OPD": "opd", "Kadis": "kadis", "Kabid": "kabid",
              "Subkoordinator": "subkoordinator", "Staf": "staf"}
OVERSIGHT_ROLES = frozenset({"manager", "admin"})
ROLE_PROPERTY = "role"  # the lane property naming the role of a lane with another name

_learned: dict[str, str] = {}
_lock = threading.Lock()


def declared_role(lane: str | None, properties: dict | None = None) -> str | None:
    """The role a model's lane stands for: its ``role`` property (a lane role's
    name or its lane's name), else its own name when that is a role lane."""
    declared = (properties or {}).get(ROLE_PROPERTY)
    if declared:
        declared = declared.strip()
        return declared if declared in LANE_ROLES.values() else LANE_ROLES.get(declared)
    return LANE_ROLES.get(lane) if lane else None


def conflicting_lane(lane: str, role: str | None) -> bool:
    """True when ``lane`` names a role lane of the SOP but is given another role."""
    return lane in LANE_ROLES and role != LANE_ROLES[lane]


def learn_lanes(lane_roles: dict) -> None:
    """Remember the roles of a deployed model's lanes (lane name -> role)."""
    new = {lane: role for lane, role in lane_roles.items()
           if lane and role and lane not in LANE_ROLES and _learned.get(lane) != role}
    if new:
        with _lock:
            _learned.update(new)


def role_of_lane(lane: str | None) -> str | None:
    """The role that completes tasks of ``lane``, or None."""
    if not lane:
        return None
    return LANE_ROLES.get(lane) or _learned.get(lane)


def same_role(lane: str | None, other: str | None) -> bool:
    """True when two lanes are worked by one role (a lane of another process
    that names the Kabid's role is the Kabid's, for an acting official too)."""
    role = role_of_lane(lane)
    return role is not None and role == role_of_lane(other)


def lanes_of(roles) -> list[str]:
    """Every known lane whose tasks one of ``roles`` completes."""
    known = {**_learned, **LANE_ROLES}
    return [lane for lane, role in known.items() if role in roles]


def lane_roles(model) -> dict:
    """Lane name -> role of a ProcessModel's lanes (None for a lane no role works)."""
    return {lane: declared_role(lane, props) for lane, props in model.lane_properties.items()}
