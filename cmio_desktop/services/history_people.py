"""The people the workspace activity view can filter by: everyone in the register, and the
people since deleted whose history the audit trail still holds (named by the values their
delete recorded)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from cmio_desktop import models as m
from cmio_desktop.services.history import deleted_people_in
from cmio_desktop.store import Workspace


@dataclass(frozen=True)
class PersonChoice:
    id: int
    name: str
    deleted: bool = False

    @property
    def label(self) -> str:
        return f"{self.name} (deleted)" if self.deleted else self.name


def people_with_history(ws: Workspace) -> list[PersonChoice]:
    """Live people and deleted ones, sorted by name (the deleted after the live of a name)."""
    with ws.read_session() as session:
        rows = session.execute(select(m.Stakeholder.id, m.Stakeholder.name)).all()
        live = {int(i): str(n) for i, n in rows}
        gone = deleted_people_in(session)
    choices = [PersonChoice(i, n) for i, n in live.items()]
    choices += [PersonChoice(i, n, deleted=True) for i, n in gone.items() if i not in live]
    return sorted(choices, key=lambda c: (c.name.casefold(), c.deleted, c.id))
