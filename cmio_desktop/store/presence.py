"""Who else has a team workspace open, and whether we may change it.

Every connection the app makes names itself ``application_name = cmio-desktop``; the server's
``pg_stat_activity`` then lists the users connected to the same database. This process's own
connections are left out by their backend pids (noted as each is made), so a colleague logged in
as the same user still shows. ``backend_start`` of another user's session is visible only to
roles with ``pg_read_all_stats``; without it the time is unknown (None) and the app says since
when it has seen them.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

APPLICATION_NAME = "cmio-desktop"
_OWN_PIDS: set[int] = set()  # this process's server connections
_LOCK = threading.Lock()


def note_own_connection(dbapi_conn: Any) -> None:
    """Remember a connection this process made (so presence does not list ourselves)."""
    pid = getattr(getattr(dbapi_conn, "info", None), "backend_pid", None)
    if pid:
        with _LOCK:
            _OWN_PIDS.add(int(pid))


def forget_own_connection(dbapi_conn: Any) -> None:
    pid = getattr(getattr(dbapi_conn, "info", None), "backend_pid", None)
    with _LOCK:
        _OWN_PIDS.discard(int(pid or 0))


def track_own_connections(engine: Engine) -> None:
    event.listen(engine, "connect", lambda conn, _record: note_own_connection(conn))
    event.listen(engine, "close", lambda conn, _record: forget_own_connection(conn))


@dataclass(frozen=True)
class Presence:
    user: str
    since: datetime | None  # their earliest connection, when the server shows it
    connections: int


def others_here(engine: Engine) -> list[Presence]:
    """The users (other than this process) with the app open on this database, by name."""
    with _LOCK:
        own = sorted(_OWN_PIDS) or [0]
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT usename, min(backend_start), count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = :app "
                "AND pid <> pg_backend_pid() AND NOT (pid = ANY(:own)) AND usename IS NOT NULL "
                "GROUP BY usename ORDER BY usename"
            ),
            {"app": APPLICATION_NAME, "own": own},
        ).all()
    return [Presence(str(r[0]), r[1], int(r[2])) for r in rows]


def may_write(engine: Engine) -> bool:
    """Whether the connected user may change the workspace's data (an editor or admin).

    When the server cannot be asked now, True: the server refuses what it must anyway."""
    try:
        with engine.connect() as conn:
            return bool(
                conn.execute(
                    text(
                        "SELECT has_table_privilege(current_user, 'stakeholder', 'INSERT') "
                        "AND has_table_privilege(current_user, 'stakeholder', 'UPDATE')"
                    )
                ).scalar()
            )
    except DBAPIError as exc:
        log.warning("Could not read this user's rights on the team workspace: %s", type(exc))
        return True
