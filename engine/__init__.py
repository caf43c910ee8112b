"""vicon's engine: process versions, instances, service tasks, timers, audit.

The API uses only what this module exports.
"""
from .account_views import AccountEventView, AgencyView, DelegationView, TrackingView, UserView
from .calendar import WorkingCalendar, parse_office_hours
from .clock import FakeClock, SystemClock
from .errors import Conflict, EngineError, Forbidden, InvalidData, NotFound, ProcessFailure
from .errors import Unavailable
from .facade import Engine
from .migration import MigrationChange, MigrationCheck, MigrationRefusal, MigrationResult
from .process_upload import DeployedVersion
from .version_diff import ElementChange, VersionChanges
from .version_history import ProcessSummary, VersionView
from .letters.config import LetterSettings, MailSettings
from .monitoring.instances import Filters as InstanceFilters
from .monitoring.oversight import Oversight
from .monitoring import charts as monitoring_charts, labels as monitoring_labels
from .monitoring.dashboard_views import (AgencyLine, AgencyMonth, Breach, CalendarEntry, Compliance, Dashboard,
                                        MeetingCalendar, OutcomeMonth, Recap, StepLine, StepStat)
from .modeler import DraftView, Modeler, ModelerCatalogue, ModelSource, OperatorInfo
from .problems import DeployError, Problem
from .settings import Settings, ZoomSettings
from .views import (Actor, ClosedDayView, DefinitionView, EventView, FormView, HostAccountView,
                    InstanceSummary, InstanceView, JobView, NotificationView, Page, TaskDetailView,
                    TaskView)
from .worker import Worker

__all__ = [
    "Unavailable",
    "InstanceFilters", "Oversight",
    "monitoring_charts", "monitoring_labels", "AgencyLine", "AgencyMonth", "Breach", "CalendarEntry",
    "Compliance", "Dashboard", "MeetingCalendar", "OutcomeMonth", "Recap", "StepLine", "StepStat",
    "DeployedVersion", "ElementChange", "MigrationChange", "MigrationCheck", "MigrationRefusal",
    "MigrationResult", "ProcessSummary", "VersionChanges", "VersionView",
    "AccountEventView", "AgencyView", "DelegationView", "TrackingView", "UserView",
    "Actor", "ClosedDayView", "Conflict", "DefinitionView", "DeployError", "Engine", "EngineError", "EventView",
    "FakeClock", "Forbidden", "FormView", "InstanceSummary", "InstanceView", "InvalidData", "JobView",
    "LetterSettings", "MailSettings", "NotFound", "NotificationView", "Page", "Problem", "ProcessFailure", "Settings", "SystemClock", "TaskDetailView",
    "DraftView", "Modeler", "ModelerCatalogue", "ModelSource", "OperatorInfo",
    "TaskView", "Worker", "WorkingCalendar", "parse_office_hours", "HostAccountView", "ZoomSettings",
]
