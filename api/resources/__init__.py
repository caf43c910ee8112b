"""The JSON API under /api/v1: its resources and their marshmallow schemas."""
