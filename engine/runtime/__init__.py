"""Running instances: the runner, the script engine, stored state, live workflows, the clock, the unit of work."""
