"""Export the stakeholder register to a workbook that imports straight back (round trip)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import String, select, type_coerce

from cmio_desktop import models as m
from cmio_desktop.services.engagement.log import ContactDates, contact_dates
from cmio_desktop.stakeholder_fields import FIELDS
from cmio_desktop.store import Workspace

S = m.Stakeholder.__table__

_EXPORT_COLUMNS = tuple(
    (type_coerce(S.c[f.db_column], String) if f.enum else S.c[f.db_column]).label(f.key)
    for f in FIELDS
)


def register_export_rows(
    ws: Workspace, *, with_network: bool = True
) -> tuple[list[tuple[Any, ...]], list[str]]:
    """Every person as a sheet row, ordered by name (then id), and the custom field names.

    Custom field names are every name any person uses, sorted without case. The network
    influence comes from :func:`services.network.analyze` (the figure the Network page shows);
    ``with_network=False`` leaves that column blank. Last and next contact come from the
    engagement log (:func:`services.engagement.log.contact_dates`, as the register shows them).
    """
    from cmio_desktop.io.register_export import register_row

    with ws.read_session() as session:
        stmt = select(S.c.id, *_EXPORT_COLUMNS, S.c.custom_fields).order_by(S.c.name, S.c.id)
        rows = [row._mapping for row in session.execute(stmt)]
    influence = network_influence(ws) if with_network and rows else {}
    contacts = contact_dates(ws) if rows else {}
    never = ContactDates(None, None)
    names = sorted(
        {k for row in rows for k in (row["custom_fields"] or {})}, key=lambda k: (k.casefold(), k)
    )
    out = [
        register_row(
            row,
            network_influence=influence.get(row["id"]),
            last_contact=contacts.get(row["id"], never).last,
            next_contact=contacts.get(row["id"], never).next,
            custom=row["custom_fields"],
            custom_names=names,
        )
        for row in rows
    ]
    return out, names


def network_influence(ws: Workspace) -> dict[int, float]:
    """Person id → influence in the network (0–100), as the Network page shows it."""
    from cmio_desktop.services.network.analysis import analyze

    analysis = analyze(ws)
    return dict(zip(analysis.ids.tolist(), analysis.influence.tolist(), strict=True))


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
    from cmio_desktop.io.export_target import refuse_workspace
    from cmio_desktop.io.register_export import write_register

    refuse_workspace(Path(path), ws.path)
    rows, names = register_export_rows(ws)
    return write_register(
        path, rows, len(rows), custom_names=names, progress=progress, cancelled=cancelled
    )
