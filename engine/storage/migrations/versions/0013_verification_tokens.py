"""Verification entries of issued documents (the QR on a letter leads to
``/verifikasi/<token>``) and the unknown tokens asked for, counted in the
database so every server process shares the limit. Letters and notices issued
before this revision get their entries here: for each request and letter
number the newest stored PDF, the newest number issued and the earlier ones
replaced.

Revision ID: 0013_verification_tokens
Revises: 0012_notification_params
Create Date: 2026-12-03
"""
import json
import secrets
import zlib
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

revision = "0013_verification_tokens"
down_revision = "0012_notification_params"
branch_labels = None
depends_on = None
TOKEN_BYTES = 32
SUBJECTS = {"surat_tanggapan": "Fasilitasi Zoom Meeting",
            "jadwal_penuh": "Pemberitahuan Jadwal Zoom Meeting Penuh",
            "kedaluwarsa": "Pemberitahuan Permohonan Zoom Meeting Kedaluwarsa"}


def upgrade() -> None:
    """Create both tables (a ``create_all`` database may have them) and give every
    document issued so far its entry."""
    tables = set(sa.inspect(op.get_bind()).get_table_names())
    if "verification_tokens" not in tables:
        _create_tokens()
    if "verification_misses" not in tables:
        _create_misses()
    _backfill(op.get_bind())


def _create_tokens() -> None:
    op.create_table(
        "verification_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=True),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("instance_id", sa.String(length=36), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.String(length=120), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("addressee", sa.String(length=300), nullable=False),
        sa.Column("signer_position", sa.String(length=300), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["instance_id"], ["instances.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["letter_documents.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token"),
        sa.UniqueConstraint("key"),
    )
    op.create_index("ix_verification_tokens_instance_kind", "verification_tokens", ["instance_id", "kind"])


def _create_misses() -> None:
    op.create_table(
        "verification_misses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_verification_misses_key_at", "verification_misses", ["key", "at"])
    op.create_index(op.f("ix_verification_misses_at"), "verification_misses", ["at"])


ISSUED = sa.text(
    "SELECT d.id, d.instance_id, d.kind, d.number, d.sha256, d.created_at, a.name "
    "FROM letter_documents d JOIN instances i ON i.id = d.instance_id "
    "LEFT JOIN agencies a ON a.id = i.agency_id "
    "WHERE ((d.kind = 'surat_tanggapan' AND d.stage IN ('kadis', 'sent')) "
    "OR (d.kind IN ('jadwal_penuh', 'kedaluwarsa') AND d.stage = 'sent')) "
    "AND NOT EXISTS (SELECT 1 FROM verification_tokens t WHERE t.document_id = d.id) "
    "ORDER BY d.id")


def _backfill(bind) -> None:
    """An entry for each issued document; of a letter's number signed and then sent
    signed, the sent PDF (the newest) only."""
    newest: dict = {}
    for row in bind.execute(ISSUED).all():
        key = (row.instance_id, row.kind, row.number) if row.kind == "surat_tanggapan" else row.id
        newest[key] = row  # ordered by id: the last one seen is the newest
    rows = sorted(newest.values(), key=lambda r: r.id)
    last_letter = {r.instance_id: r.id for r in rows if r.kind == "surat_tanggapan"}
    subjects: dict = {}
    for row in rows:
        if row.kind == "surat_tanggapan" and row.instance_id not in subjects:
            subjects[row.instance_id] = _draft_subject(bind, row.instance_id)
        replaced = row.kind == "surat_tanggapan" and last_letter[row.instance_id] != row.id
        subject = subjects.get(row.instance_id) if row.kind == "surat_tanggapan" else None
        bind.execute(sa.text(
            "INSERT INTO verification_tokens (token, key, kind, instance_id, document_id, number, subject, "
            "addressee, signer_position, issued_at, sha256, state, created_at) VALUES (:token, NULL, :kind, "
            ":instance_id, :document_id, :number, :subject, :addressee, NULL, :issued_at, :sha256, :state, "
            ":created_at)").bindparams(sa.bindparam("issued_at", type_=sa.DateTime(timezone=True)),
                                       sa.bindparam("created_at", type_=sa.DateTime(timezone=True))),
            {"token": secrets.token_urlsafe(TOKEN_BYTES), "kind": row.kind, "instance_id": row.instance_id,
             "document_id": row.id, "number": row.number, "subject": subject or SUBJECTS[row.kind],
             "addressee": row.name or "", "issued_at": _aware(row.created_at), "sha256": row.sha256,
             "state": "replaced" if replaced else "issued", "created_at": datetime.now(timezone.utc)})


def _aware(value):
    """SQLite gives text or naive datetimes back; they were stored in UTC."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value


def _draft_subject(bind, instance_id: str) -> str | None:
    """The subject of the request's letter draft, from its stored workflow state."""
    state = bind.execute(sa.text("SELECT state FROM instances WHERE id = :id"), {"id": instance_id}).scalar()
    try:
        data = json.loads(zlib.decompress(bytes(state)).decode("utf-8"))
    except (TypeError, ValueError, zlib.error):
        return None
    found: list[str] = []
    _subjects(data, found)
    return found[-1] if found else None


def _subjects(node, found: list) -> None:
    """Every ``letter_draft.subject`` in the state's task data, in order."""
    if isinstance(node, dict):
        draft = node.get("letter_draft")
        if isinstance(draft, dict) and isinstance(draft.get("subject"), str) and draft["subject"].strip():
            found.append(draft["subject"].strip()[:300])
        for value in node.values():
            _subjects(value, found)
    elif isinstance(node, list):
        for value in node:
            _subjects(value, found)


def downgrade() -> None:
    """Drop both tables: the QR codes already printed lead to an unknown token."""
    op.drop_index(op.f("ix_verification_misses_at"), table_name="verification_misses")
    op.drop_index("ix_verification_misses_key_at", table_name="verification_misses")
    op.drop_table("verification_misses")
    op.drop_index("ix_verification_tokens_instance_kind", table_name="verification_tokens")
    op.drop_table("verification_tokens")
