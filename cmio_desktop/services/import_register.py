"""Export the stakeholder register to a workbook that imports straight back (round trip)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import String, func, select, type_coerce

from .. import models as m
from ..store import Workspace

S = m.Stakeholder.__table__

_EXPORT_COLUMNS = (
    S.c.external_id,
    S.c.name,
    S.c.title,
    type_coerce(S.c.role, String),
    type_coerce(S.c.stakeholder_group, String),
    S.c.department,
    S.c.site,
    S.c.email,
    S.c.phone,
    S.c.power,
    S.c.interest,
    type_coerce(S.c.attitude, String),
    type_coerce(S.c.desired_attitude, String),
    S.c.physician_champion,
    S.c.super_user,
    S.c.notes,
)


def register_export_rows(ws: Workspace) -> list[tuple]:
    """Every person as a sheet row, ordered by name (then id), in one read."""
    from ..io.register_export import register_row

    with ws.read_session() as session:
        rows = session.execute(select(*_EXPORT_COLUMNS).order_by(S.c.name, S.c.id)).all()
    return [register_row(*row) for row in rows]


def count_people(ws: Workspace) -> int:
    with ws.read_session() as session:
        return int(session.execute(select(func.count()).select_from(S)).scalar_one())


def export_register(
    ws: Workspace,
    path: str | Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Write the register to ``path`` (.xlsx); returns the number of people written.

    Raises :class:`cmio_desktop.io.register_export.ExportError` with a user-facing message.
    """
    from ..io.register_export import write_register

    rows = register_export_rows(ws)
    return write_register(path, rows, len(rows), progress=progress, cancelled=cancelled)
