"""Workspace files: creation, opening, migrations, backups."""

from .errors import (
    NewerWorkspaceError,
    NotAWorkspaceError,
    WorkspaceBusyError,
    WorkspaceError,
)
from .workspace import Workspace, create_workspace, open_workspace

__all__ = [
    "NewerWorkspaceError",
    "NotAWorkspaceError",
    "Workspace",
    "WorkspaceBusyError",
    "WorkspaceError",
    "create_workspace",
    "open_workspace",
]
