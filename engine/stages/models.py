"""Every stage's tables, imported together so Alembic and ``Base.metadata`` see them all."""

from engine.stages.design.models import BudgetLine, Post, Project, Shift
from engine.stages.needs.models import Need, ProjectNeed
from engine.stages.records.models import CAPTURED, ServiceRecord, VolunteerTotal
from engine.stages.recruitment.claims import IdentityClaim
from engine.stages.recruitment.consent_models import ConsentEvent, GuardianLink, GuardianPresence
from engine.stages.recruitment.models import Agreement, Application, Enrolment, Volunteer
from engine.stages.rewards.models import (
    Balance,
    CatalogueItem,
    Honour,
    LedgerEntry,
    LevelNomination,
    Redemption,
    RuleChange,
    TimeBankEntry,
)
from engine.stages.service.models import Assignment, Checkin, HourReport, Incident, IncidentEvent
from engine.stages.training.models import Attendance, Completion, Course, TrainingSession

__all__ = [
    "CAPTURED",
    "Agreement",
    "Application",
    "Assignment",
    "Attendance",
    "Balance",
    "BudgetLine",
    "CatalogueItem",
    "Checkin",
    "Completion",
    "ConsentEvent",
    "Course",
    "Enrolment",
    "GuardianLink",
    "GuardianPresence",
    "Honour",
    "HourReport",
    "IdentityClaim",
    "Incident",
    "IncidentEvent",
    "LedgerEntry",
    "LevelNomination",
    "Need",
    "Post",
    "Project",
    "ProjectNeed",
    "Redemption",
    "RuleChange",
    "ServiceRecord",
    "Shift",
    "TimeBankEntry",
    "TrainingSession",
    "Volunteer",
    "VolunteerTotal",
]
