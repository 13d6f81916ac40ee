"""Workspace files: creation, opening, migrations, backups."""

from .errors import NewerWorkspaceError, NotAWorkspaceError, WorkspaceError
from .workspace import Workspace, create_workspace, open_workspace

__all__ = [
    "NewerWorkspaceError",
    "NotAWorkspaceError",
    "Workspace",
    "WorkspaceError",
    "create_workspace",
    "open_workspace",
]
