"""Uploaded process definitions: size and name checks, the forms a diagram
may leave out, validation without storing, and deploy.

Forms not uploaded are taken from the bundled ``forms/`` folder, overridden by
the forms stored with the newest version of the same process, overridden by
the uploaded ones: an analyst who changes only the diagram uploads only it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from engine.accounts import access
from engine.definitions.compiler import compile_process
from engine.errors import Conflict
from engine.definitions.model import read_model
from engine.definitions.problems import DeployError, Problem
from engine.definitions.xmlsafe import UnsafeXmlError, parse_xml

MAX_BPMN_BYTES = 2 * 1024 * 1024
MAX_FORM_BYTES = 256 * 1024
MAX_FORMS = 64
FORM_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}\.(schema|uischema)\.json")


@dataclass(frozen=True)
class DeployedVersion:
    """The version an upload produced (or the existing one with the same content)."""

    key: str
    version: int
    hash: str
    created: bool


def upload_problems(bpmn: bytes, form_files: dict[str, bytes]) -> list[Problem]:
    """Problems with the files themselves: sizes, count and form file names."""
    problems = []
    if not bpmn:
        problems.append(Problem(None, "berkas BPMN kosong atau tidak dikirim",
                                "the BPMN file is empty or missing"))
    elif len(bpmn) > MAX_BPMN_BYTES:
        problems.append(Problem(None, f"berkas BPMN lebih besar dari {MAX_BPMN_BYTES // 1024} KiB",
                                f"the BPMN file is larger than {MAX_BPMN_BYTES // 1024} KiB"))
    if len(form_files) > MAX_FORMS:
        problems.append(Problem(None, f"paling banyak {MAX_FORMS} berkas formulir",
                                f"at most {MAX_FORMS} form files"))
    for name, data in sorted(form_files.items()):
        if not FORM_NAME.fullmatch(name):
            shown = name[:120]
            problems.append(Problem(None, f"nama berkas formulir '{shown}' harus "
                                          "<kunci>.schema.json atau <kunci>.uischema.json",
                                    f"form file name '{shown}' must be <key>.schema.json "
                                    "or <key>.uischema.json"))
        elif len(data) > MAX_FORM_BYTES:
            limit = MAX_FORM_BYTES // 1024
            problems.append(Problem(None, f"formulir '{name}' lebih besar dari {limit} KiB",
                                    f"form '{name}' is larger than {limit} KiB"))
    return problems


def process_key(bpmn: bytes) -> str | None:
    """The executable process id of ``bpmn``, or None when it cannot be read."""
    try:
        return read_model(parse_xml(bpmn, MAX_BPMN_BYTES)).process_id
    except (UnsafeXmlError, LookupError):
        return None


def with_fallback_forms(kernel, session, bpmn: bytes,
                        form_files: dict[str, bytes]) -> dict[str, bytes]:
    """The uploaded forms plus the bundled ones and those of the newest stored version."""
    forms = {p.name: p.read_bytes() for p in sorted(kernel.settings.forms_dir.glob("*.json"))}
    key = process_key(bpmn)
    latest = kernel.versions.latest(session, key) if key else None
    if latest is not None:
        forms.update({k: v.encode("utf-8") for k, v in latest.forms.items()})
    forms.update(form_files)
    return forms


def validate(kernel, bpmn: bytes, form_files: dict[str, bytes]) -> list[Problem]:
    """Every problem an upload has (XSD, then the lint), storing nothing; [] when deployable."""
    problems = upload_problems(bpmn, form_files)
    if problems:
        return problems
    with kernel.db.reading() as session:
        forms = with_fallback_forms(kernel, session, bpmn, form_files)
    try:
        compile_process(bpmn, forms, kernel.registry)
    except DeployError as exc:
        return exc.problems
    return []


def deploy(kernel, bpmn: bytes, form_files: dict[str, bytes], actor) -> DeployedVersion:
    """Validate and store a new version (analyst or admin); DeployError lists the problems.
    The same content deploys once: re-uploading it answers the existing version."""
    access.require_role(actor, "analyst", "admin")
    problems = upload_problems(bpmn, form_files)
    if problems:
        raise DeployError(problems)
    try:
        with kernel.db.transaction() as session:
            forms = with_fallback_forms(kernel, session, bpmn, form_files)
            row, created = kernel.versions.deploy(session, bpmn, forms, actor=actor.username,
                                                  now=kernel.clock.now())
            return DeployedVersion(row.key, row.version, row.hash, created)
    except IntegrityError:  # another deploy of the process took the number meanwhile
        raise Conflict("another version was deployed meanwhile; try again",
                       "versi lain diterapkan sementara itu; coba lagi") from None
