"""Stakeholders and the directed influence ties between them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from cmio_desktop.enums import Attitude, Role, StakeholderGroup, TieKind
from cmio_desktop.models.base import (
    LONG_TEXT,
    TEXT,
    VersionedBase,
    enum_column,
    score_check,
    utcnow,
)


class Stakeholder(VersionedBase):
    __tablename__ = "stakeholder"
    __table_args__ = (
        score_check("power"),
        score_check("interest"),
        Index("ix_stakeholder_department_name", "department", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    # Round-trip key for imports; NULLs do not collide in a UNIQUE index.
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    title: Mapped[str] = mapped_column(TEXT, default="")
    role: Mapped[Role] = mapped_column(enum_column(Role, "role"), index=True)
    group: Mapped[StakeholderGroup] = mapped_column(
        "stakeholder_group", enum_column(StakeholderGroup, "stakeholder_group"), index=True
    )
    department: Mapped[str] = mapped_column(String(200), default="")
    site: Mapped[str] = mapped_column(String(200), default="", index=True)
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(LONG_TEXT, default="")
    is_body: Mapped[bool] = mapped_column(Boolean, default=False)
    power: Mapped[int] = mapped_column(default=3)
    interest: Mapped[int] = mapped_column(default=3)
    attitude: Mapped[Attitude] = mapped_column(
        enum_column(Attitude, "attitude"), default=Attitude.NEUTRAL, index=True
    )
    desired_attitude: Mapped[Attitude] = mapped_column(
        enum_column(Attitude, "desired_attitude"), default=Attitude.SUPPORTIVE
    )
    salience_power: Mapped[bool] = mapped_column(Boolean, default=False)
    salience_legitimacy: Mapped[bool] = mapped_column(Boolean, default=False)
    salience_urgency: Mapped[bool] = mapped_column(Boolean, default=False)
    physician_champion: Mapped[bool] = mapped_column(Boolean, default=False)
    super_user: Mapped[bool] = mapped_column(Boolean, default=False)
    custom_fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Relationship(VersionedBase):
    """A directed tie: ``source`` influences ``target``. Deleting either person removes it."""

    __tablename__ = "relationship"
    __table_args__ = (
        score_check("strength"),
        CheckConstraint("source_id <> target_id", name="not_self"),
        Index("uq_relationship_source_id_target_id", "source_id", "target_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("stakeholder.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(
        ForeignKey("stakeholder.id", ondelete="CASCADE"), index=True
    )
    strength: Mapped[int] = mapped_column(default=3)
    kind: Mapped[TieKind] = mapped_column(enum_column(TieKind, "tie_kind"), default=TieKind.PEER)
    note: Mapped[str] = mapped_column(LONG_TEXT, default="")
