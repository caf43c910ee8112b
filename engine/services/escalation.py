"""``notify/escalate``: a step overran its SOP time standard; record it so the
inboxes and the managers see it (reminders by mail come with the worker)."""
from __future__ import annotations


def escalate(ctx, step: str, standard: str) -> dict:
    """Operator ``notify/escalate``: record an escalation of ``step``."""
    ctx.ports.escalations.record(ctx.instance_id, step, standard, ctx.now)
    return {"step": step, "standard": standard, "escalated_at": ctx.now.isoformat()}
