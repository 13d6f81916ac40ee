"""Workspace-level facts: organisation, initiatives, counts of every entity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from cmio_desktop.models import Base, Initiative, Organisation
from cmio_desktop.store import Workspace

COUNTED_TABLES = (
    "stakeholder",
    "relationship",
    "initiative",
    "phase",
    "milestone",
    "assessment",
    "activity",
    "activity_audience",
    "communication",
    "training_course",
    "training_completion",
    "risk",
    "decision",
    "request",
    "golive_criterion",
    "audit_event",
)


@dataclass(frozen=True)
class InitiativeSummary:
    id: int
    name: str
    go_live: date | None


@dataclass(frozen=True)
class WorkspaceInfo:
    path: str
    schema_version: int
    organisation: str
    initiatives: list[InitiativeSummary]
    counts: dict[str, int]


def workspace_info(ws: Workspace) -> WorkspaceInfo:
    tables = Base.metadata.tables
    with ws.read_session() as session:
        organisation = session.scalar(select(Organisation.name).order_by(Organisation.id)) or ""
        initiatives = [
            InitiativeSummary(i.id, i.name, i.go_live)
            for i in session.execute(
                select(Initiative.id, Initiative.name, Initiative.go_live).order_by(Initiative.id)
            )
        ]
        counts = {
            name: int(session.scalar(select(func.count()).select_from(tables[name])) or 0)
            for name in COUNTED_TABLES
        }
    return WorkspaceInfo(str(ws.path), ws.schema_version(), organisation, initiatives, counts)


def revision(ws: Workspace) -> int:
    """Changes whenever anything is written (every write is audited): a cache key."""
    with ws.engine.connect() as conn:
        return int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM audit_event").scalar())
