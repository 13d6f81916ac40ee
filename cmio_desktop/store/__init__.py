"""Workspace files: creation, opening, migrations, backups.

The names are resolved on first use (PEP 562), so importing ``store.errors`` — as the window
does before its first paint — does not load SQLAlchemy.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cmio_desktop.store.errors import (
        NewerWorkspaceError,
        NotAWorkspaceError,
        WorkspaceBusyError,
        WorkspaceError,
    )
    from cmio_desktop.store.workspace import Workspace, create_workspace, open_workspace

_HOME = {
    "NewerWorkspaceError": ".errors",
    "NotAWorkspaceError": ".errors",
    "WorkspaceBusyError": ".errors",
    "WorkspaceError": ".errors",
    "Workspace": ".workspace",
    "create_workspace": ".workspace",
    "open_workspace": ".workspace",
}

__all__ = [
    "NewerWorkspaceError",
    "NotAWorkspaceError",
    "Workspace",
    "WorkspaceBusyError",
    "WorkspaceError",
    "create_workspace",
    "open_workspace",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_HOME[name], __name__), name)
    globals()[name] = value  # resolved once
    return value
