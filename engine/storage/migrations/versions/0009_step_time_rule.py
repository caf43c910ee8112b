"""One step-time rule (engine/monitoring/step_times.py): ``step_times`` and
``step_days`` are a cache of it, so the rows projected under the earlier rule
(every step held to the version the request ran last, a deemed receipt
never a breach, a step finished after closing time on its due day always
one) are dropped and projected again on the next dashboard or recap.

Revision ID: 0009_step_time_rule
Revises: 0008_instances_search
Create Date: 2026-12-02
"""
from alembic import op

revision = "0009_step_time_rule"
down_revision = "0008_instances_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Empty the cache; the projection refills it from the audit trail."""
    op.execute("DELETE FROM step_days")
    op.execute("DELETE FROM step_times")


def downgrade() -> None:
    """Nothing to restore: the earlier rule's rows are projected again from the trail."""
    op.execute("DELETE FROM step_days")
    op.execute("DELETE FROM step_times")
