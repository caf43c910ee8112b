"""The worker: external service jobs, timers, the busy-time copy, jobs of an instance."""
