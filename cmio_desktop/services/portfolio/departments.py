"""The departments a change-impact rating can name: those of the stakeholder register, so a
typo never creates a department nobody is in (its load and red zone would be empty)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from cmio_desktop import models as m
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.store import Workspace

S = m.Stakeholder.__table__


def department_names(ws: Workspace) -> list[str]:
    """Every department a person of the register is in, alphabetically."""
    with ws.read_session() as session:
        return department_names_in(session)


def department_names_in(session: Any) -> list[str]:
    stmt = select(S.c.department).where(S.c.department.is_not(None)).distinct()
    names = {str(d).strip() for (d,) in session.execute(stmt)}
    return sorted((n for n in names if n), key=str.casefold)


def known_department(name: str, known: list[str]) -> str:
    """``name`` as the register spells it ("" for all departments), or a ServiceError naming
    the problem. Case and surrounding spaces are forgiven."""
    wanted = (name or "").strip()
    if not wanted:
        return ""
    match = next((k for k in known if k.casefold() == wanted.casefold()), None)
    if match is None:
        raise ServiceError(
            f"There is no department “{wanted}” in this workspace's stakeholder register. "
            "Choose one from the list, or leave it blank for all departments."
        )
    return match
