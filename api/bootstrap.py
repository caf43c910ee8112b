"""Building the engine a configuration describes: schema (migrated), bundled
process, demo data (demo mode only; production refuses a database holding any)."""
from __future__ import annotations

import logging

from engine import Engine, seed_demo_history

from api.config import Config, ConfigError

log = logging.getLogger("vicon")


def build_engine(config: Config, **engine_options) -> Engine:
    """An engine set up for ``config``: schema migrated, processes deployed, demo seeded
    (demo mode) or refused (production)."""
    engine = Engine(config.engine_settings(), **engine_options)
    log.info("meeting provider: %s", engine.meeting_provider.name)
    engine.setup()
    if config.demo:
        engine.seed_demo(config.demo_password)
        if config.demo_history:
            log.info("demo history: %d past requests seeded", seed_demo_history(engine))
    if config.env == "production":
        refuse_demo_accounts(engine)
    return engine


def refuse_demo_accounts(engine: Engine) -> None:
    """Raise ConfigError when the database holds demo accounts (their password
    is public): production does not start until an admin removes them."""
    found = engine.demo_accounts()
    if found:
        engine.close()
        raise ConfigError(f"the database holds demo accounts ({', '.join(found)}): production "
                          "refuses to start; deactivate them or use a database never run in demo mode")
