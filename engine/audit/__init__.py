"""The audit trail's hash chain and the personal data it may hold."""
