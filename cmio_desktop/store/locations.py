"""One entry point for a workspace wherever it lives: a ``.cmio`` file, or a database on a team
server named by a ``postgresql://`` URL. Both give the same :class:`Workspace` API."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cmio_desktop.store.errors import WorkspaceError
from cmio_desktop.store.server_url import is_server_url, masked
from cmio_desktop.store.workspace import Workspace


def is_team_location(target: str | os.PathLike[str]) -> bool:
    """True when ``target`` names a team workspace (a URL) rather than a file."""
    return is_server_url(target)


def shown_location(target: str | os.PathLike[str]) -> str:
    """``target`` as it may be shown or logged: a URL with its password masked, a file's name."""
    if is_server_url(target):
        return masked(str(target))
    return Path(target).name


def open_location(target: str | os.PathLike[str], **kw: Any) -> Workspace:
    """Open the workspace at a path (keywords as :func:`open_workspace`, e.g. ``passphrase``)
    or at a ``postgresql://`` URL (no keywords: a server has no passphrase)."""
    if is_server_url(target):
        _refuse_file_options(kw)
        from cmio_desktop.store.postgres import open_team_workspace

        return open_team_workspace(str(target))
    from cmio_desktop.store.workspace import open_workspace

    return open_workspace(Path(target), **kw)


def create_location(
    target: str | os.PathLike[str],
    organisation: str = "My organisation",
    fill: Callable[[Workspace], object] | None = None,
    **kw: Any,
) -> Workspace:
    """Create a workspace file at a path, or a team workspace in the (empty, existing) database
    at a URL; ``fill`` adds the first content either way."""
    if is_server_url(target):
        _refuse_file_options(kw)
        from cmio_desktop.store.postgres import create_team_workspace

        return create_team_workspace(str(target), organisation=organisation, fill=fill)
    from cmio_desktop.store.workspace import create_workspace

    return create_workspace(Path(target), organisation=organisation, fill=fill, **kw)


def _refuse_file_options(kw: dict[str, Any]) -> None:
    if kw.get("passphrase") is not None:
        raise WorkspaceError(
            "A team workspace has no passphrase: the server's accounts and TLS protect it."
        )
