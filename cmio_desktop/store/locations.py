"""Where a workspace lives: a ``.cmio`` file path, or (with pg-store) a ``postgresql://`` URL.

THE SEAM. This minimal version handles file paths only, by delegating to the store's
``open_workspace``/``create_workspace``; it exists so that team publishing and offline copies
(``services/team``) can be written against the final interface now. The pg-store branch
provides the real module (paths *and* server URLs); at merge, its version wins.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cmio_desktop.store.errors import WorkspaceError
from cmio_desktop.store.workspace import Workspace, create_workspace, open_workspace


def _path_of(target: str | Path) -> Path:
    if isinstance(target, str) and "://" in target:
        raise WorkspaceError(
            "Team workspaces on a server are not available in this build; "
            "give the path of a .cmio file."
        )
    return Path(target)


def open_location(target: str | Path, **kw: Any) -> Workspace:
    """Open the workspace at ``target`` (a path; pg-store adds ``postgresql://`` URLs)."""
    return open_workspace(_path_of(target), **kw)


def create_location(target: str | Path, organisation: str = "My organisation") -> Workspace:
    """Create an empty workspace at ``target`` (a path; pg-store adds ``postgresql://`` URLs)."""
    return create_workspace(_path_of(target), organisation=organisation)
