"""Initiatives with their phases and milestones: list, create, edit, delete (undoable)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select

from cmio_desktop import models as m
from cmio_desktop.services import crud
from cmio_desktop.services.changes import ChangeSet, Written
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.store import Workspace


@dataclass(frozen=True)
class InitiativeFact:
    id: int
    name: str
    go_live: date | None


def initiative_in(session: Any, initiative_id: int | None) -> InitiativeFact | None:
    """The initiative (default: the first one); ``None`` when the workspace has none. The one
    lookup every service uses, so "the current initiative" means the same everywhere."""
    ini = m.Initiative
    stmt = select(ini.id, ini.name, ini.go_live).order_by(ini.id).limit(1)
    if initiative_id is not None:
        stmt = stmt.where(ini.id == initiative_id)
    row = session.execute(stmt).first()
    if row is None:
        if initiative_id is not None:
            raise NotFoundError(f"There is no initiative with id {initiative_id}.")
        return None
    return InitiativeFact(int(row[0]), str(row[1]), row[2])


I = m.Initiative.__table__  # noqa: E741
P = m.Phase.__table__
MS = m.Milestone.__table__


@dataclass(frozen=True)
class PhaseRow:
    id: int
    name: str
    start_date: date | None
    end_date: date | None
    version: int = 0  # the row version as read: an edit or delete made on it checks it


@dataclass(frozen=True)
class MilestoneRow:
    id: int
    name: str
    due: date
    version: int = 0


@dataclass(frozen=True)
class InitiativeRow:
    id: int
    name: str
    description: str
    go_live: date | None
    phases: tuple[PhaseRow, ...] = field(default=())
    milestones: tuple[MilestoneRow, ...] = field(default=())
    version: int = 0

    def days_to_go_live(self, today: date) -> int | None:
        return (self.go_live - today).days if self.go_live else None


def list_initiatives(ws: Workspace) -> list[InitiativeRow]:
    """Every initiative (without phases and milestones), oldest first."""
    stmt = select(I.c.id, I.c.name, I.c.description, I.c.go_live, I.c.version).order_by(I.c.id)
    with ws.read_session() as session:
        return [
            InitiativeRow(int(i), n, d or "", g, version=int(v))
            for i, n, d, g, v in session.execute(stmt)
        ]


def get_initiative(ws: Workspace, ident: int) -> InitiativeRow:
    with ws.read_session() as session:
        row = session.execute(
            select(I.c.id, I.c.name, I.c.description, I.c.go_live, I.c.version).where(
                I.c.id == ident
            )
        ).first()
        if row is None:
            raise NotFoundError(f"That initiative no longer exists (id {ident}).")
        phases = tuple(
            PhaseRow(int(i), n, s, e, int(v))
            for i, n, s, e, v in session.execute(
                select(P.c.id, P.c.name, P.c.start_date, P.c.end_date, P.c.version)
                .where(P.c.initiative_id == ident)
                .order_by(P.c.start_date, P.c.id)
            )
        )
        milestones = tuple(
            MilestoneRow(int(i), n, d, int(v))
            for i, n, d, v in session.execute(
                select(MS.c.id, MS.c.name, MS.c.due, MS.c.version)
                .where(MS.c.initiative_id == ident)
                .order_by(MS.c.due, MS.c.id)
            )
        )
    return InitiativeRow(int(row[0]), row[1], row[2] or "", row[3], phases, milestones, int(row[4]))


def _require_name(values: dict[str, Any], what: str) -> None:
    if "name" in values and not str(values["name"] or "").strip():
        raise ServiceError(f"Give the {what} a name.")


def create_initiative(
    ws: Workspace, name: str, go_live: date | None = None, description: str = ""
) -> Written[int]:
    _require_name({"name": name}, "initiative")
    with ws.session() as session:
        org = session.scalar(select(m.Organisation.id).order_by(m.Organisation.id))
        if org is None:
            raise ServiceError("The workspace has no organisation.")
        record = crud.create_in(
            session, m.Initiative, organisation_id=org, name=name, go_live=go_live,
            description=description,
        )  # fmt: skip
        return Written(int(record.id), record.changes)


def update_initiative(ws: Workspace, ident: int, **values: Any) -> Written[dict[str, Any]]:
    """Returns the previous values of the changed fields (for undo)."""
    _require_name(values, "initiative")
    old = crud.get(ws, m.Initiative, ident)
    new = crud.update(ws, m.Initiative, ident, **values)
    return Written({k: getattr(old, k) for k in values}, new.changes)


def delete_initiative(ws: Workspace, ident: int) -> crud.DeletedSnapshot:
    """Delete an initiative and everything in it (restore puts it all back)."""
    with ws.session() as session:
        count = len(session.execute(select(I.c.id)).all())
        if count <= 1:
            raise ServiceError("A workspace keeps at least one initiative.")
        return crud.delete_rows_in(session, m.Initiative, [ident])


def add_phase(
    ws: Workspace, initiative_id: int, name: str, start: date | None, end: date | None
) -> Written[int]:
    _require_name({"name": name}, "phase")
    record = crud.create(
        ws, m.Phase, initiative_id=initiative_id, name=name, start_date=start, end_date=end
    )
    return Written(int(record.id), record.changes)


def add_milestone(ws: Workspace, initiative_id: int, name: str, due: date) -> Written[int]:
    _require_name({"name": name}, "milestone")
    if due is None:
        raise ServiceError("Give the milestone a date.")
    record = crud.create(ws, m.Milestone, initiative_id=initiative_id, name=name, due=due)
    return Written(int(record.id), record.changes)


def update_phase(ws: Workspace, ident: int, **values: Any) -> Written[dict[str, Any]]:
    _require_name(values, "phase")
    old = crud.get(ws, m.Phase, ident)
    new = crud.update(ws, m.Phase, ident, **values)
    return Written({k: getattr(old, k) for k in values}, new.changes)


def update_milestone(ws: Workspace, ident: int, **values: Any) -> Written[dict[str, Any]]:
    _require_name(values, "milestone")
    old = crud.get(ws, m.Milestone, ident)
    new = crud.update(ws, m.Milestone, ident, **values)
    return Written({k: getattr(old, k) for k in values}, new.changes)


def delete_phases(ws: Workspace, ids: Sequence[int]) -> crud.DeletedSnapshot:
    return crud.delete_rows(ws, m.Phase, list(ids))


def delete_milestones(ws: Workspace, ids: Sequence[int]) -> crud.DeletedSnapshot:
    return crud.delete_rows(ws, m.Milestone, list(ids))


def restore(ws: Workspace, snapshot: crud.DeletedSnapshot) -> ChangeSet:
    return crud.restore(ws, snapshot)
