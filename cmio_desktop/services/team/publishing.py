"""Publishing a local workspace to a team workspace, and checking out offline copies of one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from cmio_desktop.models import Organisation
from cmio_desktop.services.audit import current_user
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.team.copying import clear, copy_rows, holds_data
from cmio_desktop.services.team.origin import (
    Origin,
    audit_mark,
    location_without_password,
    new_origin,
    read_origin,
    write_origin,
)
from cmio_desktop.services.team.report import Choice, ConflictKey, SyncReport
from cmio_desktop.services.team.syncing import SyncError, sync
from cmio_desktop.store import Workspace, WorkspaceError, create_workspace
from cmio_desktop.store.locations import create_location, open_location


@dataclass(frozen=True)
class Copied:
    rows: int
    origin: Origin | None = None  # a checkout's


def shown(target: str | Path) -> str:
    return location_without_password(target) if "://" in str(target) else str(target)


def publish(local_ws: Workspace, server_ws: Workspace) -> Copied:
    """Copy every row of ``local_ws`` into the empty ``server_ws`` in one server transaction."""
    try:
        with local_ws.read_session() as local, server_ws.session() as server:
            if holds_data(server):
                name = getattr(server_ws, "name", "The team workspace")
                raise ServiceError(
                    f"{name} already holds a workspace's data; publish only into an empty team "
                    "workspace. Nothing was copied."
                )
            clear(server)  # the organisation row its creation wrote
            rows = copy_rows(local, server)
    except DBAPIError as exc:  # a value the server refuses, the connection dropped
        raise ServiceError(f"Publishing stopped and nothing was copied ({_reason(exc)}).") from None
    return Copied(rows)


def _reason(exc: DBAPIError) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


def open_publish_target(target: str, local_ws: Workspace) -> Workspace:
    """The team workspace to publish into: opened, or (a file that does not exist) created."""
    if "://" not in target and not Path(target).exists():
        with local_ws.read_session() as session:
            name = session.scalars(select(Organisation.name).order_by(Organisation.id)).first()
        return create_location(target, organisation=name or "My organisation")
    return open_location(target)


def checkout(server_ws: Workspace, local_path: Path | str, origin: str | None = None) -> Copied:
    """Make ``local_path`` an offline copy of ``server_ws`` that remembers where it came from.

    ``origin``: the location the server was opened by (its password is never stored); by
    default the server workspace's own location."""
    location = origin or str(
        getattr(server_ws, "location", None) or getattr(server_ws, "path", None) or ""
    )
    if not location:
        raise ServiceError("Say where the team workspace is (its URL), so the copy can sync.")
    if "://" in location:
        location = location_without_password(location)
    result: list[Copied] = []

    def fill(ws: Workspace) -> None:
        with server_ws.read_session() as server, ws.session() as local:
            clear(local)
            rows = copy_rows(server, local)
            made = new_origin(
                location,
                audit_mark(server),
                datetime.now().isoformat(timespec="seconds"),
                current_user(),
            )
            write_origin(local, made)
            result.append(Copied(rows, made))

    try:
        ws = create_workspace(Path(local_path), fill=fill)
    except DBAPIError as exc:  # the server's side: the local file was not left behind
        raise ServiceError(
            f"The checkout stopped and no offline copy was made ({_reason(exc)})."
        ) from None
    ws.close()
    return result[0]


def origin_of(ws: Workspace) -> Origin | None:
    """Where this workspace was checked out from (None: it is not an offline copy)."""
    with ws.read_session() as session:
        return read_origin(session)


def sync_with_origin(
    local_ws: Workspace, choices: dict[ConflictKey, Choice] | Choice | None = None
) -> SyncReport:
    """Open the copy's origin, sync, close it. A server that cannot be reached is a sentence."""
    origin = origin_of(local_ws)
    if origin is None:
        raise SyncError(
            f"{local_ws.name} is not an offline copy of a team workspace, so there is nothing "
            "to sync (make one with `cmio checkout`)."
        )
    try:
        server_ws = open_location(origin.location)
    except WorkspaceError as exc:
        raise SyncError(
            f"The team workspace {origin.location} cannot be reached: {exc} Nothing was sent; "
            "this offline copy is unchanged and keeps working."
        ) from None
    try:
        return sync(local_ws, server_ws, choices)
    finally:
        server_ws.close()
