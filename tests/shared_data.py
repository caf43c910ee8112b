"""The reference material kept in ``../shared`` beside the project: the BPMN
corpus (``bpmn/``) and Zoom's API description (``contracts/``).

A bare clone has no such folder: the tests that read it skip and say why. CI
lays the folder beside its clone and sets ``VICON_REQUIRE_SHARED=1``; there a
missing folder stops the run (tests/conftest.py) instead of skipping quietly.
"""
from __future__ import annotations

import pathlib

import pytest

SHARED = pathlib.Path(__file__).resolve().parents[2] / "shared"


def needs_shared(*parts: str) -> pytest.MarkDecorator:
    """A mark that skips the test when ``../shared/<parts>`` is absent."""
    relative = "/".join(("..", "shared") + parts)
    return pytest.mark.skipif(not SHARED.joinpath(*parts).exists(),
                              reason=f"{relative} is not present beside the project (a bare clone)")
