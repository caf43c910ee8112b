"""Building the engine a configuration describes: schema, bundled process,
demo data (demo mode only, never in production)."""
from __future__ import annotations

import logging

from engine import Engine

from .config import Config

log = logging.getLogger("vicon")


def build_engine(config: Config, **engine_options) -> Engine:
    """An engine set up for ``config``: schema created, processes deployed, demo seeded."""
    if config.meeting_provider != "manual":
        log.warning("VICON_MEETING_PROVIDER=%s is not available in the engine yet; "
                    "meetings are entered by hand (manual)", config.meeting_provider)
    engine = Engine(config.engine_settings(), **engine_options)
    engine.setup()
    if config.demo:
        engine.seed_demo(config.demo_password)
    return engine
