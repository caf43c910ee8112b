"""Developer scripts run from the project folder (not shipped with the app)."""
