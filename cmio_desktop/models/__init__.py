"""Typed ORM entities for the whole domain. No Qt, no I/O beyond the ORM."""

from cmio_desktop.models.audit import AuditEvent, WorkspaceSetting
from cmio_desktop.models.base import Base, VersionedBase
from cmio_desktop.models.engagement import EngagementCommitment, EngagementEntry
from cmio_desktop.models.governance import Decision, GoLiveCriterion, Request, Risk, RiskStakeholder
from cmio_desktop.models.impact import IMPACT_ASPECTS, ChangeImpact
from cmio_desktop.models.organisation import Initiative, Milestone, Organisation, Phase
from cmio_desktop.models.plan import (
    Activity,
    ActivityAudience,
    Communication,
    TrainingCompletion,
    TrainingCourse,
)
from cmio_desktop.models.readiness import ADKAR_COLUMNS, Assessment
from cmio_desktop.models.stakeholder import Relationship, Stakeholder
from cmio_desktop.models.super_user import SuperUserAssignment

__all__ = [
    "ADKAR_COLUMNS",
    "Activity",
    "ActivityAudience",
    "Assessment",
    "ChangeImpact",
    "AuditEvent",
    "Base",
    "Communication",
    "Decision",
    "EngagementCommitment",
    "EngagementEntry",
    "GoLiveCriterion",
    "IMPACT_ASPECTS",
    "Initiative",
    "Milestone",
    "Organisation",
    "Phase",
    "Relationship",
    "Request",
    "Risk",
    "RiskStakeholder",
    "Stakeholder",
    "SuperUserAssignment",
    "TrainingCompletion",
    "TrainingCourse",
    "WorkspaceSetting",
    "VersionedBase",
]
