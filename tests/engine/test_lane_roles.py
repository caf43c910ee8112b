"""Lanes and roles: a lane named for a role is that role's; a lane with another
name says whose it is with a ``role`` property, checked at deploy."""
from __future__ import annotations

import pytest

from engine.accounts.roles import declared_role, lane_roles
from engine.definitions.compiler import compile_process
from engine.definitions.problems import DeployError
from engine.services.catalog import default_registry
from tests.second_process import bundle

ROLE_OF_PIMPINAN = b'<spiffworkflow:property name="role" value="Kabid" />'


def _compile(bpmn: bytes):
    _original, forms = bundle()
    return compile_process(bpmn, forms, default_registry())


def test_the_second_bundle_names_its_lanes_roles_by_property():
    compiled = _compile(bundle()[0])
    assert lane_roles(compiled.model) == {"Pemohon": "opd", "Sekretariat": "staf", "Pimpinan": "kabid"}
    assert compiled.model.elements["approve_booking"].lane == "Pimpinan"


@pytest.mark.parametrize("lane, properties, role", [
    ("Kadis", {}, "kadis"),
    ("Pimpinan", {}, None),
    ("Pimpinan", {"role": "kabid"}, "kabid"),
    ("Pimpinan", {"role": " Kabid "}, "kabid"),  # a role lane's name stands for its role
    ("Pimpinan", {"role": "manager"}, None),  # a role that works no lane
    ("Pimpinan", {"role": "lurah"}, None),
])
def test_the_role_a_lane_declares(lane, properties, role):
    assert declared_role(lane, properties) == role


@pytest.mark.parametrize("replacement, lane", [
    (b"", "Pimpinan"),
    (b'<spiffworkflow:property name="role" value="manager" />', "Pimpinan"),
])
def test_a_lane_naming_no_lane_role_is_a_deploy_problem_on_its_tasks(replacement, lane):
    with pytest.raises(DeployError) as raised:
        _compile(bundle()[0].replace(ROLE_OF_PIMPINAN, replacement))
    assert [(p.element_id, lane in p.message_en) for p in raised.value.problems] == [("approve_booking", True)]


def test_a_role_lane_may_not_be_given_another_role():
    bpmn = bundle()[0].replace(b'name="Sekretariat"', b'name="Kadis"')  # role staf on the Kadis lane
    with pytest.raises(DeployError) as raised:
        _compile(bpmn)
    assert [p.element_id for p in raised.value.problems] == ["check_room"]
    assert "another role's lane" in raised.value.problems[0].message_en
