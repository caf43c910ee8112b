"""Managers' oversight: instance lists, dashboards, recaps, audit verification."""
