"""Migration 0013 gives every document issued before it a verification entry:
the newest PDF of each letter number, the newest number issued and the
earlier ones replaced, the notices issued, nothing for a konsep."""
import json
import zlib

from alembic import command
from sqlalchemy import text

from engine.storage import schema
from engine.storage.db import Database

AT = "2026-11-02 02:00:00"


def _insert(conn, sql: str, **values) -> None:
    conn.execute(text(sql), values)


def _seed(conn) -> None:
    _insert(conn, "INSERT INTO agencies (id, code, name) VALUES (1, 'dinkes', 'Dinas Kesehatan')")
    _insert(conn, "INSERT INTO process_versions (id, key, version, hash, bpmn, forms, deployed_at) "
                  "VALUES (1, 'zoom', 1, 'h', :bpmn, '{}', :at)", bpmn=b"<x/>", at=AT)
    state = zlib.compress(json.dumps({"tasks": {"t1": {"data": {"letter_draft": {"subject": "Rapat Evaluasi"}}}}})
                          .encode("utf-8"))
    _insert(conn, "INSERT INTO instances (id, process_version_id, status, agency_id, topic, letter_number, state, "
                  "facts, lock_version, created_at, updated_at, head_hash, event_count) VALUES ('i-1', 1, "
                  "'completed', 1, 'Rapat', '', :state, '{}', 1, :at, :at, '', 0)", state=state, at=AT)
    documents = [(1, "surat_tanggapan", "konsep", None), (2, "surat_tanggapan", "kadis", "001/DKISP/2026"),
                 (3, "surat_tanggapan", "sent", "001/DKISP/2026"), (4, "surat_tanggapan", "kadis", "002/DKISP/2026"),
                 (5, "jadwal_penuh", "sent", None)]
    for doc_id, kind, stage, number in documents:
        _insert(conn, "INSERT INTO letter_documents (id, instance_id, kind, stage, version, number, sha256, pdf, "
                      "created_at) VALUES (:id, 'i-1', :kind, :stage, 1, :number, :sha, :pdf, :at)",
                id=doc_id, kind=kind, stage=stage, number=number, sha=f"{doc_id:064d}", pdf=b"%PDF", at=AT)


def test_documents_issued_before_the_migration_get_their_entries(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/old.sqlite")
    try:
        with db.write_engine.begin() as conn:
            command.upgrade(schema.alembic_config(conn), "0012_notification_params")
            _seed(conn)
        db.upgrade_schema()
        with db.write_engine.connect() as conn:
            rows = conn.execute(text("SELECT document_id, kind, number, subject, addressee, state, sha256, token "
                                     "FROM verification_tokens ORDER BY document_id")).all()
    finally:
        db.dispose()
    assert [(r.document_id, r.kind, r.number, r.state) for r in rows] == [
        (3, "surat_tanggapan", "001/DKISP/2026", "replaced"),  # signed and sent: the sent PDF, later replaced
        (4, "surat_tanggapan", "002/DKISP/2026", "issued"),
        (5, "jadwal_penuh", None, "issued")]
    assert rows[0].subject == "Rapat Evaluasi" and rows[2].subject.startswith("Pemberitahuan Jadwal")
    assert {r.addressee for r in rows} == {"Dinas Kesehatan"} and rows[1].sha256 == f"{4:064d}"
    assert len({r.token for r in rows}) == 3 and all(len(r.token) >= 43 for r in rows)
