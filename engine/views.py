"""What the facade returns: plain frozen dataclasses, never ORM rows or
SpiffWorkflow objects."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user, their roles and (for an OPD) their agency."""

    username: str
    roles: frozenset
    agency_id: int | None = None
    agency_code: str | None = None
    full_name: str = ""
    # (lane, official's username, official's position) of each lane the actor
    # works today as acting official (Plt)
    acting_for: tuple = ()
    session_epoch: int = 0  # tokens and session cookies of an earlier epoch are refused
    agency_name: str | None = None  # read with the account: a start's answer names the agency

    def has(self, role: str) -> bool:
        """True when the actor holds ``role``."""
        return role in self.roles


@dataclass(frozen=True)
class FormView:
    """A form's JSON Schema and uiSchema."""

    key: str
    schema: dict
    ui_schema: dict


@dataclass(frozen=True)
class DefinitionView:
    """A deployed process version."""

    key: str
    name: str | None
    version: int
    hash: str
    deployed_at: datetime
    start_form: FormView | None


@dataclass(frozen=True)
class TaskView:
    """A ready human task."""

    id: str
    instance_id: str
    name: str
    title: str
    lane: str | None
    created_at: datetime
    due_at: datetime | None
    form_key: str | None = None
    can_complete: bool = False
    role: str | None = None  # the role that works the task's lane
    kind: str | None = None  # the step's ``stepKind`` property (views that read the model)
    acting_position: str | None = None  # the official's position when the caller works it as Plt
    # the request's context, from the projection (worklists show it)
    topic: str | None = None
    agency: str | None = None  # the agency's code
    agency_name: str | None = None
    letter_number: str | None = None  # the agency's request letter
    meeting_start: datetime | None = None
    overdue: bool | None = None  # None where no clock was asked (views of one request)
    title_en: str | None = None  # the model's ``nameEn`` (views that read the model)


@dataclass(frozen=True)
class StepView:
    """One element of a process model as pages name it: its title, lane and the
    model properties that say what the step is, never its element id."""

    id: str
    title: str
    lane: str | None
    role: str | None
    kind: str | None  # ``stepKind`` property, e.g. ``letter_draft``, ``letter_review``
    variable: str | None  # the task's result variable (``variableName``)
    operator: str | None = None  # a service task's operator
    title_en: str | None = None  # the ``nameEn`` property, for English pages


@dataclass(frozen=True)
class TaskDetailView:
    """A task with its form and the context the caller may see."""

    task: TaskView
    form: FormView | None
    context: dict
    steps: dict = field(default_factory=dict)  # element id -> StepView of the instance's model
    forms: dict = field(default_factory=dict)  # form key -> FormView of the instance's version (choice names)


@dataclass(frozen=True)
class StageView:
    """Where a request stands, in words (``engine.requests.stages``)."""

    code: str  # e.g. ``your_action``, ``waiting_kadis``, ``meeting_creating``, ``fulfilled``
    text: str  # Indonesian
    text_en: str
    step: str | None = None  # the title of the step it waits on

    def words(self, lang: str = "id") -> str:
        """The stage in ``lang`` (Indonesian unless ``en``)."""
        return self.text_en if lang == "en" else self.text


@dataclass(frozen=True)
class InstanceSummary:
    """An instance as lists show it."""

    id: str
    process_key: str
    version: int
    status: str
    outcome: str | None
    agency: str | None
    topic: str
    letter_number: str
    meeting_start: datetime | None
    created_at: datetime
    updated_at: datetime
    stage: StageView | None = None
    agency_name: str | None = None


@dataclass(frozen=True)
class InstanceView:
    """An instance in full, as the caller may see it."""

    summary: InstanceSummary
    tasks: list
    request: dict
    meeting: dict | None
    letters: list
    schedule: dict | None = None
    dispositions: list = field(default_factory=list)
    steps: dict = field(default_factory=dict)  # element id -> StepView of the instance's model
    forms: dict = field(default_factory=dict)  # form key -> FormView of the instance's version (choice names)


@dataclass(frozen=True)
class EventView:
    """One audit event."""

    seq: int
    at: datetime
    actor: str | None
    on_behalf_of: str | None
    lane: str | None
    type: str
    task: str | None
    data: dict


@dataclass(frozen=True)
class Page:
    """One page of a list."""

    items: list
    page: int
    per_page: int
    total: int


@dataclass(frozen=True)
class JobView:
    """An external service job."""

    id: int
    instance_id: str
    element_id: str
    operator: str
    status: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime


@dataclass(frozen=True)
class HostAccountView:
    """A licensed Zoom user we own, as an admin manages it."""

    id: str
    name: str
    email: str | None
    capacity: int
    max_participants: int
    active: bool


@dataclass(frozen=True)
class NotificationView:
    """A reminder or escalation for the caller."""

    id: int
    instance_id: str | None
    task_id: str | None
    kind: str
    message: str
    created_at: datetime
    read_at: datetime | None
    topic: str | None = None  # the request's topic, for grouping per request


@dataclass(frozen=True)
class ClosedDayView:
    """A day the office is closed (or a shipped one an admin reopened)."""

    date: date
    name: str
    kind: str
    provisional: bool
    closed: bool
