"""What the engine needs to know of a BPMN file, read straight from its XML:
lanes, forms, variables, service operators, time standards and timers.

The SpiffWorkflow specs carry most of this too, but not for every element
(start events keep no extensions), and the lint and the deploy summary need it
before any spec exists.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SPIFF_NS = "http://spiffworkflow.org/bpmn/schema/1.0/core"
NS = {"bpmn": BPMN_NS, "spiffworkflow": SPIFF_NS}
# Engines whose extensions other modelers write; vicon runs none of them.
VENDOR_NS = {"http://camunda.org/schema/1.0/bpmn": "camunda", "http://activiti.org/bpmn": "activiti",
             "http://flowable.org/bpmn": "flowable", "http://camunda.org/schema/zeebe/1.0": "zeebe"}
VENDOR_ATTRIBUTES = ("class", "expression", "delegateExpression")
VENDOR_ELEMENTS = ("executionListener", "taskListener", "connector", "inputOutput", "taskDefinition", "ioMapping")

FLOW_NODE_TAGS = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "task", "userTask", "manualTask", "serviceTask", "scriptTask", "sendTask", "receiveTask",
    "businessRuleTask", "subProcess", "callActivity", "transaction", "adHocSubProcess",
    "exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway", "complexGateway",
}
PASS_THROUGH = {"exclusiveGateway", "inclusiveGateway", "parallelGateway", "eventBasedGateway",
                "complexGateway", "intermediateThrowEvent"}
OUTCOME_PREFIX = "end_"
OUTCOMES = ("fulfilled", "schedule_full", "rejected", "withdrawn", "expired")


@dataclass(frozen=True)
class Element:
    """One flow node of the process."""

    id: str
    kind: str
    name: str | None
    lane: str | None
    parent: str | None
    properties: dict = field(default_factory=dict)
    variable: str | None = None
    operator: str | None = None
    result_variable: str | None = None
    timer: tuple[str, str] | None = None  # (timeDate|timeDuration|timeCycle, expression)
    attached_to: str | None = None
    cancel_activity: bool = True
    error_code_ref: str | None = None
    triggered_by_event: bool = False  # an event sub-process: started by its event, not by flow
    interrupting: bool = True  # a start event's isInterrupting
    parameters: tuple = ()  # ((id, expression), ...) of a service task
    scripts: tuple = ()  # ((where, script), ...): script tasks, pre- and post-scripts
    script_format: str | None = None  # a script task's scriptFormat, as written
    script_resource: str | None = None  # a script kept outside the file (camunda:resource)
    vendor: tuple = ()  # ((prefix:construct, detail), ...): other engines' extensions found on the element

    @property
    def form_key(self) -> str | None:
        """The form key named by ``formJsonSchemaFilename`` (without ``.schema.json``)."""
        filename = self.properties.get("formJsonSchemaFilename")
        return filename.removesuffix(".json").removesuffix(".schema") if filename else None

    @property
    def time_standard(self) -> str | None:
        """The ISO 8601 duration of this step's time standard, if it has one."""
        return self.properties.get("timeStandard") or None

    @property
    def name_en(self) -> str | None:
        """The element's name in English (``nameEn`` property), if given."""
        return self.properties.get("nameEn") or None

    @property
    def step_kind(self) -> str | None:
        """What kind of step this is for the pages (``stepKind`` property), if said."""
        return self.properties.get("stepKind") or None

    @property
    def outcome(self) -> str | None:
        """The request outcome an end event stands for (``end_<outcome>`` or
        ``end_<outcome>_<detail>``)."""
        if self.kind != "endEvent" or not self.id.startswith(OUTCOME_PREFIX):
            return None
        rest = self.id[len(OUTCOME_PREFIX):]
        return next((o for o in OUTCOMES if rest == o or rest.startswith(o + "_")), None)


@dataclass(frozen=True)
class Flow:
    """A sequence flow."""

    id: str
    source: str
    target: str
    name: str | None
    condition: str | None
    is_default: bool


@dataclass(frozen=True)
class ProcessModel:
    """The executable process of a BPMN document, as plain data."""

    process_id: str
    name: str | None
    lanes: tuple[str, ...]
    elements: dict
    flows: tuple[Flow, ...]
    lane_properties: dict = field(default_factory=dict)  # lane name -> its spiffworkflow properties

    @property
    def start_event(self) -> Element | None:
        """The process's top-level start event."""
        return next((e for e in self.elements.values()
                     if e.kind == "startEvent" and e.parent is None), None)

    @functools.cached_property
    def lane_of(self) -> dict[str, str | None]:
        """Each element's lane, by the element's id (every command's audit events name theirs)."""
        return {e.id: e.lane for e in self.elements.values()}

    def timed_elements(self) -> list[Element]:
        """Elements that carry a time standard."""
        return [e for e in self.elements.values() if e.time_standard]

    def deadline_setters(self) -> dict[str, list[str]]:
        """For each task, the timed elements it leads to directly (through
        gateways and events only): completing it is when their clocks start."""
        incoming: dict[str, list[str]] = {}
        for flow in self.flows:
            incoming.setdefault(flow.target, []).append(flow.source)
        setters: dict[str, list[str]] = {}
        for host in self.timed_elements():
            seen, stack = set(), list(incoming.get(host.id, []))
            while stack:
                node = stack.pop()
                if node in seen or node not in self.elements:
                    continue
                seen.add(node)
                if self.elements[node].kind in PASS_THROUGH:
                    stack.extend(incoming.get(node, []))
                else:
                    setters.setdefault(node, []).append(host.id)
        return setters

    def interrupts(self, element_id: str) -> bool:
        """True for an event sub-process whose start event interrupts the instance."""
        element = self.elements.get(element_id)
        return bool(element and element.triggered_by_event) and any(
            e.kind == "startEvent" and e.parent == element_id and e.interrupting for e in self.elements.values())

    def boundary_events(self, host_id: str) -> list[Element]:
        """Boundary events attached to ``host_id``."""
        return [e for e in self.elements.values() if e.attached_to == host_id]


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _properties(node) -> dict:
    return {p.get("name"): p.get("value") for p in node.xpath(
        "./bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NS)}


def _first_text(node, path: str) -> str | None:
    found = node.xpath(path, namespaces=NS)
    return found[0].text.strip() if found and found[0].text else None


def _timer(node) -> tuple[str, str] | None:
    for kind in ("timeDate", "timeDuration", "timeCycle"):
        if node.xpath(f"./bpmn:timerEventDefinition/bpmn:{kind}", namespaces=NS):
            return kind, _first_text(node, f"./bpmn:timerEventDefinition/bpmn:{kind}") or ""
    if node.xpath("./bpmn:timerEventDefinition", namespaces=NS):
        return "none", ""
    return None


def _parameters(operator) -> tuple:
    return tuple((p.get("id"), p.get("value")) for p in operator.xpath(
        ".//spiffworkflow:parameter", namespaces=NS) if p.get("value") is not None)


def _scripts(node) -> tuple:
    found = []
    for where, path in (("script", "./bpmn:script"),
                        ("preScript", "./bpmn:extensionElements/spiffworkflow:preScript"),
                        ("postScript", "./bpmn:extensionElements/spiffworkflow:postScript")):
        text = _first_text(node, path)
        if text:
            found.append((where, text))
    return tuple(found)


def _vendor_attributes(node) -> list[tuple[str, str]]:
    found = []
    for name, value in node.attrib.items():
        namespace, _, local = name[1:].partition("}") if name.startswith("{") else ("", "", name)
        prefix = VENDOR_NS.get(namespace)
        if prefix and local in VENDOR_ATTRIBUTES:
            found.append((f"{prefix}:{local}", value))
        elif prefix and local == "type" and value == "external":  # an external task: its topic says which
            found.append((f"{prefix}:topic", node.get(name.replace("}type", "}topic")) or value))
    return found


def _vendor(node) -> tuple:
    """Other engines' implementations, listeners and mappings on ``node``, as
    (``prefix:construct``, detail): the lint names each, vicon would not run them."""
    found = _vendor_attributes(node)
    extensions = node.xpath("./bpmn:extensionElements", namespaces=NS)
    for child in extensions[0].iter() if extensions else ():
        namespace = child.tag[1:].partition("}")[0] if isinstance(child.tag, str) else ""
        prefix, local = VENDOR_NS.get(namespace), _local(child.tag)
        if prefix and local in VENDOR_ELEMENTS:
            detail = child.get("event") or child.get("type") or "".join(
                t.strip() for t in child.xpath("./*[local-name()='connectorId']/text()"))
            found.append((f"{prefix}:{local}", detail or ""))
    return tuple(found)


def _script_resource(node) -> str | None:
    return next((v for k, v in node.attrib.items()
                 if k.endswith("}resource") and k[1:].partition("}")[0] in VENDOR_NS), None)


def _element(node, lane: str | None, parent: str | None) -> Element:
    operator = node.xpath("./bpmn:extensionElements/spiffworkflow:serviceTaskOperator", namespaces=NS)
    error = node.xpath("./bpmn:errorEventDefinition", namespaces=NS)
    return Element(
        id=node.get("id"), kind=_local(node.tag), name=node.get("name"), lane=lane, parent=parent,
        properties=_properties(node),
        variable=_first_text(node, "./bpmn:extensionElements/spiffworkflow:variableName"),
        operator=operator[0].get("id") if operator else None,
        result_variable=operator[0].get("resultVariable") if operator else None,
        timer=_timer(node), attached_to=node.get("attachedToRef"),
        cancel_activity=node.get("cancelActivity", "true") != "false",
        error_code_ref=error[0].get("errorRef") if error else None,
        triggered_by_event=node.get("triggeredByEvent") == "true",
        interrupting=node.get("isInterrupting", "true") != "false",
        parameters=_parameters(operator[0]) if operator else (), scripts=_scripts(node),
        script_format=node.get("scriptFormat"), script_resource=_script_resource(node), vendor=_vendor(node),
    )


def _lane_index(process) -> dict:
    index = {}
    for lane in process.xpath(".//bpmn:lane", namespaces=NS):
        for ref in lane.xpath("./bpmn:flowNodeRef", namespaces=NS):
            index[(ref.text or "").strip()] = lane.get("name")
    return index


def _walk(container, lanes: dict, inherited: str | None, parent: str | None, out: dict, flows: list):
    for node in container:
        tag = _local(node.tag)
        if tag == "sequenceFlow":
            flows.append(node)
        elif tag in FLOW_NODE_TAGS:
            lane = inherited or lanes.get(node.get("id"))
            out[node.get("id")] = _element(node, lane, parent)
            if tag in ("subProcess", "transaction", "adHocSubProcess"):
                _walk(node, lanes, lane, node.get("id"), out, flows)


def _flow(node, defaults: set) -> Flow:
    condition = _first_text(node, "./bpmn:conditionExpression")
    return Flow(node.get("id"), node.get("sourceRef"), node.get("targetRef"), node.get("name"),
                condition, node.get("id") in defaults)


def read_model(tree, process_id: str | None = None) -> ProcessModel:
    """Read the (first executable, or named) process of a parsed BPMN tree."""
    processes = tree.xpath("//bpmn:process", namespaces=NS)
    chosen = [p for p in processes if (p.get("id") == process_id if process_id
                                       else p.get("isExecutable") == "true")]
    if not chosen:
        raise LookupError(process_id or "no executable process")
    process = chosen[0]
    lanes = _lane_index(process)
    elements: dict[str, Element] = {}
    flow_nodes: list = []
    _walk(process, lanes, None, None, elements, flow_nodes)
    defaults = {n.get("default") for n in process.xpath(".//*[@default]")}
    lane_nodes = process.xpath(".//bpmn:lane", namespaces=NS)
    lane_names = tuple(lane.get("name") for lane in lane_nodes)
    return ProcessModel(process.get("id"), process.get("name"), lane_names, elements,
                        tuple(_flow(f, defaults) for f in flow_nodes),
                        {lane.get("name"): _properties(lane) for lane in lane_nodes})
