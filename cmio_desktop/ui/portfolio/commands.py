"""The Portfolio page's edits as undo steps: rate a department's change impact (a new rating is
removed by undo, a re-rating gets its old values back), delete ratings, change thresholds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cmio_desktop.services.conflicts import SINCE_EDIT, SINCE_OPENED, SINCE_UNDO, VERSION
from cmio_desktop.services.portfolio import impact, load
from cmio_desktop.services.portfolio.impact import ImpactRow
from cmio_desktop.ui.common.undo import (
    CreateCommand,
    DeleteCommand,
    Report,
    ServiceCommand,
    UpdateCommand,
    push,
)
from cmio_desktop.ui.facade import WorkspaceFacade


def _scope(department: str, role: str | None) -> str:
    return f"{department or 'all departments'}{f' ({role})' if role else ''}"


def rate_impact(
    facade: WorkspaceFacade, report: Report, initiative_id: int, department: str,
    role: str | None, aspects: Mapping[str, Any], previous: ImpactRow | None,
) -> bool:  # fmt: skip
    """Store a rating as one undo step; says whether it was stored."""
    text = f"rate change impact on {_scope(department, role)}"
    values = dict(aspects)

    def store(ws: Any) -> Any:
        return impact.set_impact(ws, initiative_id, department, role, values)

    if previous is None:
        return push(facade, CreateCommand(facade, text, store, impact.delete_impacts, report))
    old = dict(previous.aspects)
    # The first re-rating expects the rating (and its version) as shown, a redo what the undo
    # put back, an undo what this wrote: a colleague's re-rating in between is never lost.
    expect: dict[str, Any] = {"values": {**old, VERSION: previous.version}, "since": SINCE_OPENED}

    def rerate(ws: Any) -> Any:
        written = impact.set_impact(
            ws, initiative_id, department, role, values, expect["values"], expect["since"]
        )
        expect.update(values=old, since=SINCE_UNDO)
        return written

    def undo(ws: Any) -> Any:
        return impact.set_impact(ws, initiative_id, department, role, old, values, SINCE_EDIT)

    return push(facade, ServiceCommand(facade, text, do=rerate, undo=undo, report=report))


def delete_impacts(facade: WorkspaceFacade, report: Report, rows: list[ImpactRow]) -> bool:
    text = (
        f"delete change impact on {rows[0].scope}"
        if len(rows) == 1
        else f"delete {len(rows)} change impact ratings"
    )
    ids, versions = [r.id for r in rows], {r.id: r.version for r in rows}
    return push(facade, DeleteCommand(facade, text, ids, impact.delete_impacts, report, versions))


def save_thresholds(
    facade: WorkspaceFacade, report: Report, values: Mapping[str, float | None]
) -> bool:
    (name, value), *rest = values.items()
    what = "the default saturation threshold" if name == "default" else f"{name}'s threshold"
    text = f"reset {what}" if value is None and not rest else f"change {what}"
    return push(facade, UpdateCommand(facade, text, load.save_thresholds, dict(values), report))
