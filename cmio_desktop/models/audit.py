"""Audit trail and workspace-stored settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cmio_desktop.models.base import Base, VersionedBase, utcnow


class AuditEvent(Base):
    """Who changed what, when. No foreign keys: the trail outlives what it describes."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity_entity_id", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user: Mapped[str] = mapped_column("user_name", String(200))
    action: Mapped[str] = mapped_column(String(20))  # create / update / delete
    entity: Mapped[str] = mapped_column(String(60))
    entity_id: Mapped[int | None]
    field: Mapped[str | None] = mapped_column(String(100))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)


class WorkspaceSetting(VersionedBase):
    """Analysis parameters stored with the workspace (shown next to the figures they drive)."""

    __tablename__ = "workspace_setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
