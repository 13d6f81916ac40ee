"""The engagement plan: activities and their audiences, communications, training."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from cmio_desktop.enums import (
    ActivityStatus,
    ActivityType,
    AdkarElement,
    Cadence,
    Proficiency,
    Role,
    StakeholderGroup,
)
from cmio_desktop.models.base import LONG_TEXT, TEXT, VersionedBase, enum_column


class Activity(VersionedBase):
    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("due IS NULL OR start IS NULL OR due >= start", name="dates_ordered"),
        Index("ix_activity_initiative_due", "initiative_id", "due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(TEXT)
    type: Mapped[ActivityType] = mapped_column(enum_column(ActivityType, "activity_type"))
    element: Mapped[AdkarElement | None] = mapped_column(enum_column(AdkarElement, "element"))
    owner: Mapped[str] = mapped_column(String(200), default="", index=True)
    start: Mapped[date | None] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[ActivityStatus] = mapped_column(
        enum_column(ActivityStatus, "activity_status"),
        default=ActivityStatus.PLANNED,
        index=True,
    )
    outcome: Mapped[str] = mapped_column(LONG_TEXT, default="")


class ActivityAudience(VersionedBase):
    """One audience entry: a person, a department or a group (exactly one of them)."""

    __tablename__ = "activity_audience"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN stakeholder_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN department IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN stakeholder_group IS NULL THEN 0 ELSE 1 END) = 1",
            name="exactly_one_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("activity.id", ondelete="CASCADE"), index=True
    )
    stakeholder_id: Mapped[int | None] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), index=True
    )
    department: Mapped[str | None] = mapped_column(String(200))
    group: Mapped[StakeholderGroup | None] = mapped_column(
        "stakeholder_group", enum_column(StakeholderGroup, "audience_group")
    )


class Communication(VersionedBase):
    __tablename__ = "communication"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    audience: Mapped[str] = mapped_column(TEXT)
    message: Mapped[str] = mapped_column(LONG_TEXT)
    channel: Mapped[str] = mapped_column(String(100), default="")
    sender: Mapped[str] = mapped_column(String(200), default="")
    cadence: Mapped[Cadence] = mapped_column(enum_column(Cadence, "cadence"), default=Cadence.ONCE)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class TrainingCourse(VersionedBase):
    __tablename__ = "training_course"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("initiative.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role | None] = mapped_column(enum_column(Role, "course_role"))
    required_by: Mapped[date | None] = mapped_column(Date)


class TrainingCompletion(VersionedBase):
    __tablename__ = "training_completion"
    __table_args__ = (UniqueConstraint("course_id", "stakeholder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_course.id", ondelete="CASCADE"))
    stakeholder_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), index=True
    )
    completed_on: Mapped[date | None] = mapped_column(Date)
    proficiency: Mapped[Proficiency] = mapped_column(
        enum_column(Proficiency, "proficiency"), default=Proficiency.NOT_ASSESSED
    )
