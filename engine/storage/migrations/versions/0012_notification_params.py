"""Notifications keep their kind's parameters, so their words are made when read,
in the reader's language. Escalations stored as text are given parameters read
from that text (the step's title from the request's process version).

Revision ID: 0012_notification_params
Revises: 0011_sign_in_failures
Create Date: 2026-12-02
"""
import re

from alembic import op
import sqlalchemy as sa

revision = "0012_notification_params"
down_revision = "0011_sign_in_failures"
branch_labels = None
depends_on = None
ESCALATION = re.compile(r"^Eskalasi: langkah (?P<step>\S+) pada permohonan '(?P<topic>.*)' "
                        r"melewati standar waktu (?P<standard>\S+)\.$", re.S)


def upgrade() -> None:
    """Add the column (a ``create_all`` database may have it) and fill it for
    escalations stored as text."""
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("notifications")}
    if "params" not in columns:
        op.add_column("notifications", sa.Column("params", sa.JSON(), nullable=True))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, instance_id, message_id FROM notifications "
                                "WHERE kind = 'escalation' AND params IS NULL")).all()
    for row_id, instance_id, text in rows:
        found = ESCALATION.match(text or "")
        if found is None:
            continue
        params = dict(found.groupdict(), title=_title(bind, instance_id, found["step"]) or found["step"])
        bind.execute(sa.text("UPDATE notifications SET params = :params WHERE id = :id")
                     .bindparams(sa.bindparam("params", type_=sa.JSON())), {"params": params, "id": row_id})


def _title(bind, instance_id, step: str) -> str | None:
    """The step's name in the BPMN of the request's version (None when not found)."""
    bpmn = bind.execute(sa.text("SELECT v.bpmn FROM process_versions v JOIN instances i "
                                "ON i.process_version_id = v.id WHERE i.id = :id"), {"id": instance_id}).scalar()
    if not bpmn:
        return None
    text = bytes(bpmn).decode("utf-8", "replace") if not isinstance(bpmn, str) else bpmn
    found = re.search(r'\bid="' + re.escape(step) + r'"[^>]*?\bname="([^"]*)"', text)
    return found.group(1) if found else None


def downgrade() -> None:
    """Drop the column: every notification reads its stored text again."""
    op.drop_column("notifications", "params")
