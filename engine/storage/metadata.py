"""The whole schema's metadata: every model module imported, so no table is
missing from ``create_all`` or from Alembic's comparison."""
from __future__ import annotations

from sqlalchemy import MetaData

# each registers its tables
from engine.storage import (account_models, draft_models, letter_models, models, monitoring_models,  # noqa: F401
                            verification_models)


def target() -> MetaData:
    """The metadata of every table vicon owns."""
    return models.Base.metadata
