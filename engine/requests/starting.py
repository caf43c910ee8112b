"""Starting a request: the start form checked, the instance created and run to
its first wait, in one unit of work. The facade and the secretariat's
registration on behalf of an agency both start requests here."""
from __future__ import annotations

import uuid

from engine.accounts import access
from engine.audit import chain as audit
from engine.definitions.forms import message
from engine.errors import InvalidData, NotFound
from engine.requests import queries
from engine.requests.form_data import checked, meeting_start


def start(kernel, key: str, data, actor, lang: str = "id", on_behalf_of: str | None = None):
    """Start an instance of ``key`` with the start form's data; its InstanceView."""
    access.require_role(actor, "opd")
    if actor.agency_id is None:
        raise InvalidData({"_form": [message("forbidden", lang)]})
    with kernel.command() as cmd:
        if actor.agency_name:  # the answer names the agency: no read of its own
            queries.note_agency_name(cmd.session, actor.agency_id, actor.agency_name)
        row = kernel.versions.latest(cmd.session, key)
        if row is None:
            raise NotFound(f"no process '{key}'", f"proses '{key}' tidak ada")
        process = kernel.versions.compiled(row)
        start_event = process.model.start_event
        data = checked(kernel, process.forms[start_event.form_key], data, None, lang)
        instance = cmd.create(_new_instance(row.id, data, actor, cmd.now), process)
        cmd.workflow = kernel.runner.start(process, data, cmd.run)
        audit.append(cmd.session, instance, at=cmd.now, type_="instance_started", actor=actor.username,
                     on_behalf_of=on_behalf_of, lane=start_event.lane, task=start_event.id, data=data)
        cmd.save()
        cmd.answer_with(queries.answer_view(cmd.session, instance, process, actor, row, cmd.projected))
    return cmd.answer


def _new_instance(version_id: int, data: dict, actor, now) -> dict:
    return dict(id=str(uuid.uuid4()), process_version_id=version_id, status="running",
                agency_id=actor.agency_id, topic=data.get("topic", ""),
                letter_number=data.get("letter_number", ""), meeting_start=meeting_start(data),
                state=b"", created_at=now, updated_at=now, created_by=actor.username, head_hash="",
                event_count=0, facts={"agency": actor.agency_code})
