"""``notify/escalate``: a step overran its SOP time standard; record it and
tell the superior (in the app, and by e-mail through the worker)."""
from __future__ import annotations


def escalate(ctx, step: str, standard: str, notify_role: str = "manager") -> dict:
    """Operator ``notify/escalate``: record an escalation of ``step`` and tell
    ``notify_role`` (the superior of the step's lane, as the model says)."""
    told = ctx.ports.escalations.record(ctx.instance_id, step, standard, ctx.now, notify_role)
    return {"step": step, "standard": standard, "escalated_at": ctx.now.isoformat(),
            "notified_role": notify_role, "notified": told}
