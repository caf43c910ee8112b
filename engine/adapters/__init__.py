"""Adapters: what the operators and the meeting provider reach through their ports,
backed by the database (schedule, escalations, host accounts) and the outbox folder.
They sit above the services, notifications and calendar they implement ports for,
so the runtime and storage below never import them."""
