"""Turn a BPMN file and its forms into a runnable, immutable process version.

Steps: hardened XML parse, the XSD that ships inside SpiffWorkflow (with the
spiffworkflow extensions), the semantic lint, then SpiffWorkflow's own parser.
External service tasks are marked manual so ``do_engine_steps`` pauses at
them and the worker runs them after commit.
"""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from functools import cached_property

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.spiff.parser.process import VALIDATOR, SpiffBpmnParser
from SpiffWorkflow.spiff.specs.defaults import ServiceTask

from engine.definitions import lint
from engine.definitions.forms import load_form
from engine.definitions.model import ProcessModel, read_model
from engine.definitions.problems import DeployError, Problem
from engine.definitions.xmlsafe import UnsafeXmlError, parse_xml

_xsd_lock = threading.Lock()


@dataclass(frozen=True, eq=False)
class CompiledProcess:
    """A parsed process version: source, hash, model, forms and specs."""

    key: str
    hash: str
    bpmn: bytes
    form_files: dict
    forms: dict
    model: ProcessModel
    spec: object
    subprocess_specs: dict

    @cached_property
    def deadline_setters(self) -> dict:
        """Tasks whose completion starts a timed step."""
        return self.model.deadline_setters()


def content_hash(bpmn: bytes, form_files: dict[str, bytes]) -> str:
    """SHA-256 over the BPMN and the referenced forms, in a stable order."""
    digest = hashlib.sha256()
    digest.update(b"bpmn\0" + bpmn + b"\0")
    for name in sorted(form_files):
        digest.update(name.encode() + b"\0" + form_files[name] + b"\0")
    return digest.hexdigest()


def xsd_problems(tree) -> list[Problem]:
    """Schema errors, each with its line, against BPMN 2.0 + spiffworkflow.xsd."""
    with _xsd_lock:
        VALIDATOR.preprocess(tree)
        schema = VALIDATOR.validator
        if schema.validate(tree):
            return []
        errors = list(schema.error_log)
    return [Problem(None, f"baris {e.line}: {e.message}", f"line {e.line}: {e.message}")
            for e in errors[:20]]


def referenced_forms(model: ProcessModel, form_files: dict[str, bytes]) -> tuple[dict, list[Problem]]:
    """Load the forms the model names; problems for missing or broken ones."""
    forms, problems = {}, []
    for element in model.elements.values():
        key = element.form_key
        if not key or key in forms:
            continue
        try:
            forms[key] = load_form(key, form_files)
        except KeyError:
            problems.append(Problem(element.id, f"formulir '{key}' tidak ditemukan",
                                    f"form '{key}' does not exist"))
        except ValueError as exc:
            problems.append(Problem(element.id, f"formulir '{key}' tidak valid: {exc}",
                                    f"form '{key}' is invalid: {exc}"))
    return forms, problems


def _spiff_parse(tree, process_id: str, filename: str):
    parser = SpiffBpmnParser()
    parser.add_bpmn_xml(tree, filename=filename)
    spec = parser.get_spec(process_id)
    return spec, parser.get_subprocess_specs(process_id)


def _mark_external(spec, subprocess_specs: dict, external: set[str]) -> None:
    for process_spec in [spec, *subprocess_specs.values()]:
        for task_spec in process_spec.task_specs.values():
            if isinstance(task_spec, ServiceTask) and task_spec.operation_name in external:
                task_spec.manual = True


def _prewire_event_subprocesses(spec) -> None:
    """Connect message-started event sub-processes as SpiffWorkflow would on
    their first message, so delivering one never changes the shared spec
    (which would make every later instance start the sub-process at once)."""
    start = spec.start
    for name in start.trigger_specs:
        triggered = spec.task_specs[name]
        if start not in triggered.inputs:
            triggered.inputs = [*triggered.inputs, start]
            triggered.connect(spec.end)


def compile_process(bpmn: bytes, form_files: dict[str, bytes], registry,
                    filename: str = "process.bpmn", lint_rules: bool = True) -> CompiledProcess:
    """Validate and parse; raise DeployError listing every problem found.

    ``lint_rules=False`` skips the semantic lint, for versions that passed it
    when they were deployed and are only being loaded again.
    """
    try:
        tree = parse_xml(bpmn)
    except UnsafeXmlError as exc:
        raise DeployError([Problem(None, exc.message_id, exc.message_en)]) from None
    problems = xsd_problems(tree)
    if problems:
        raise DeployError(problems)
    try:
        model = read_model(tree)
    except LookupError:
        raise DeployError([Problem(None, "tidak ada proses yang dapat dijalankan (isExecutable)",
                                   "no executable process (isExecutable)")]) from None
    forms, problems = referenced_forms(model, form_files)
    if lint_rules:
        problems += lint.check(model, registry, forms)
    if problems:
        raise DeployError(problems)
    try:
        spec, subs = _spiff_parse(tree, model.process_id, filename)
    except (ValidationException, SpiffWorkflowException, etree.LxmlError, ValueError) as exc:
        element = getattr(exc, "id", None)
        raise DeployError([Problem(element, f"ditolak oleh parser BPMN: {exc}",
                                   f"rejected by the BPMN parser: {exc}")]) from None
    _mark_external(spec, subs, registry.external_names())
    _prewire_event_subprocesses(spec)
    used = {name: data for name, data in form_files.items()
            if name.removesuffix(".json").removesuffix(".schema").removesuffix(".uischema") in forms}
    return CompiledProcess(model.process_id, content_hash(bpmn, used), bpmn, used, forms,
                           model, spec, subs)
