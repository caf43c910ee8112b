"""vicon's engine: process versions, instances, service tasks, timers, audit.

The API uses only what this module exports.
"""
from engine.accounts.views import AccountEventView, AgencyView, DelegationView, TrackingView, UserView
from engine.calendar.dates import WITA, date_and_time, long_date, long_datetime, month_names, to_wita
from engine.calendar.durations import DurationError, duration_words, parse_duration
from engine.calendar.working import WorkingCalendar, parse_office_hours
from engine.runtime.clock import FakeClock, SystemClock
from engine.errors import Conflict, EngineError, Forbidden, InvalidData, NotFound, ProcessFailure
from engine.errors import Unavailable
from engine.facade import Engine
from engine.demo.history import seed_history as seed_demo_history
from engine.versions.migration import MigrationChange, MigrationCheck, MigrationRefusal, MigrationResult
from engine.versions.upload import DeployedVersion
from engine.versions.diff import ElementChange, VersionChanges
from engine.versions.history import ProcessSummary, VersionView
from engine.letters.config import LetterSettings, MailSettings, SignatureSettings
from engine.letters.signature_check import SignatureReport, UnreadablePdf
from engine.letters.verification_views import UploadCheck, VerificationView
from engine.monitoring.instances import Filters as InstanceFilters
from engine.monitoring.oversight import Oversight
from engine.monitoring import charts as monitoring_charts, labels as monitoring_labels
from engine.monitoring.dashboard_views import (AgencyLine, AgencyMonth, Breach, CalendarEntry, Compliance, Dashboard,
                                        MeetingCalendar, OutcomeMonth, Recap, StepLine, StepStat)
from engine.versions.modeler import DraftView, Modeler, ModelerCatalogue, ModelSource, OperatorInfo
from engine.definitions.problems import DeployError, Problem
from engine.settings import Settings, ZoomSettings
from engine.views import (Actor, ClosedDayView, DefinitionView, EventView, FormView, HostAccountView,
                    InstanceSummary, InstanceView, JobView, NotificationView, Page, TaskDetailView,
                    TaskView)
from engine.worker.loop import Worker

__all__ = [
    "Unavailable", "seed_demo_history",
    "WITA", "date_and_time", "long_date", "long_datetime", "month_names", "to_wita",
    "DurationError", "duration_words", "parse_duration",
    "InstanceFilters", "Oversight",
    "monitoring_charts", "monitoring_labels", "AgencyLine", "AgencyMonth", "Breach", "CalendarEntry",
    "Compliance", "Dashboard", "MeetingCalendar", "OutcomeMonth", "Recap", "StepLine", "StepStat",
    "DeployedVersion", "ElementChange", "MigrationChange", "MigrationCheck", "MigrationRefusal",
    "MigrationResult", "ProcessSummary", "VersionChanges", "VersionView",
    "AccountEventView", "AgencyView", "DelegationView", "TrackingView", "UserView",
    "Actor", "ClosedDayView", "Conflict", "DefinitionView", "DeployError", "Engine", "EngineError", "EventView",
    "FakeClock", "Forbidden", "FormView", "InstanceSummary", "InstanceView", "InvalidData", "JobView",
    "SignatureReport", "SignatureSettings", "UnreadablePdf",
    "LetterSettings", "MailSettings", "NotFound", "NotificationView", "Page", "Problem", "ProcessFailure", "Settings", "SystemClock", "TaskDetailView",
    "DraftView", "Modeler", "ModelerCatalogue", "ModelSource", "OperatorInfo",
    "TaskView", "Worker", "WorkingCalendar", "parse_office_hours", "HostAccountView", "ZoomSettings",
    "UploadCheck", "VerificationView",
]
