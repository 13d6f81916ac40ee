"""Typed ORM entities for the whole domain. No Qt, no I/O beyond the ORM."""

from .audit import AuditEvent, WorkspaceSetting
from .base import Base
from .governance import Decision, GoLiveCriterion, Request, Risk, RiskStakeholder
from .organisation import Initiative, Milestone, Organisation, Phase
from .plan import Activity, ActivityAudience, Communication, TrainingCompletion, TrainingCourse
from .readiness import ADKAR_COLUMNS, Assessment
from .stakeholder import Relationship, Stakeholder

__all__ = [
    "ADKAR_COLUMNS",
    "Activity",
    "ActivityAudience",
    "Assessment",
    "AuditEvent",
    "Base",
    "Communication",
    "Decision",
    "GoLiveCriterion",
    "Initiative",
    "Milestone",
    "Organisation",
    "Phase",
    "Relationship",
    "Request",
    "Risk",
    "RiskStakeholder",
    "Stakeholder",
    "TrainingCompletion",
    "TrainingCourse",
    "WorkspaceSetting",
]
