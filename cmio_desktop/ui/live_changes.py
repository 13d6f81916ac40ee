"""What another client changed, as a ChangeSet: a team workspace's notices name the tables (and
row ids) each commit wrote; a file (or a notice too long to list them) reloads everything."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cmio_desktop.services.changes import NOTHING, ChangeSet

if TYPE_CHECKING:
    from cmio_desktop.store import Workspace


def changes_elsewhere(workspace: Workspace) -> ChangeSet:
    """What others committed since the last look (NOTHING when no one did)."""
    if not workspace.changed_elsewhere():
        return NOTHING
    take = getattr(workspace.watch, "take_changes", None)  # a team workspace's notices
    detail = take() if take is not None else None
    if detail is None:
        return ChangeSet.everything()
    tables, ids = detail
    return ChangeSet.of_tables(tables, ids)
