"""The operators this product ships, registered by their BPMN ids."""
from __future__ import annotations

from engine.letters.rendering import render_letter
from engine.services.escalation import escalate
from engine.services.letters import dispatch_letter, notify_expired, notify_schedule_full
from engine.services.meeting import cancel_meeting, create_meeting
from engine.services.meeting_changes import reschedule_meeting
from engine.runtime.operators import OperatorRegistry
from engine.services.schedule import check_schedule


def default_registry() -> OperatorRegistry:
    """Local: ``schedule/check``, ``notify/escalate``; external: the rest."""
    registry = OperatorRegistry()
    registry.register("schedule/check", check_schedule, external=False,
                      description="Periksa jadwal akun host Zoom")
    registry.register("notify/escalate", escalate, external=False, audit_event="escalated",
                      description="Catat eskalasi keterlambatan")
    registry.register("meeting/create", create_meeting, external=True, secret_keys=("start_url",),
                      description="Buat rapat melalui penyedia rapat")
    registry.register("letter/dispatch", dispatch_letter, external=True,
                      description="Kirim surat tanggapan ke OPD")
    registry.register("letter/render", render_letter, external=True, audit_event="letter_rendered",
                      description="Siapkan dokumen surat tanggapan (konsep atau final)")
    registry.register("notice/schedule_full", notify_schedule_full, external=True,
                      description="Beri tahu OPD bahwa jadwal penuh")
    registry.register("meeting/cancel", cancel_meeting, external=True,
                      description="Batalkan rapat di penyedia rapat")
    registry.register("meeting/reschedule", reschedule_meeting, external=True, secret_keys=("start_url",),
                      description="Ubah waktu rapat di penyedia rapat dan beri tahu OPD")
    registry.register("notice/expired", notify_expired, external=True,
                      description="Beri tahu OPD bahwa permohonan kedaluwarsa")
    return registry
