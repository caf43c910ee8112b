"""Building the engine a configuration describes: schema, bundled process,
demo data (demo mode only, never in production)."""
from __future__ import annotations

import logging

from engine import Engine

from .config import Config

log = logging.getLogger("vicon")


def build_engine(config: Config, **engine_options) -> Engine:
    """An engine set up for ``config``: schema created, processes deployed, demo seeded."""
    engine = Engine(config.engine_settings(), **engine_options)
    log.info("meeting provider: %s", engine.meeting_provider.name)
    engine.setup()
    if config.demo:
        engine.seed_demo(config.demo_password)
    return engine
