"""Team workspaces: the same workspace (models, migrations, services) in a PostgreSQL database.

A team workspace is one database; the first migration's tables live in its default schema and a
one-row table ``cmio_workspace`` plays the part of the SQLite header (application id, schema
version). Transactions:

- writes (``session()``) run at READ COMMITTED after taking one transaction-scoped advisory
  lock, so writers take turns exactly as ``BEGIN IMMEDIATE`` makes them on SQLite: every
  read-check-write a service does sees the latest commit and cannot interleave with another
  writer's, and no two writers ever hold row locks in opposite orders (no deadlock). A writer
  waits up to the busy timeout, then gets the same :class:`WorkspaceBusyError` sentence.
- reads (``read_session()``) run at REPEATABLE READ: one consistent snapshot, never blocking
  writers (what WAL gives a SQLite reader).

What only a file has (checkpoints, backups by file copy, encryption) is a no-op or a clear
"not on a team workspace" sentence here; the server's backups are IT's pg_dump.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from cmio_desktop.store.engine import BEGIN_OPTION, BUSY_TIMEOUT_MS, writer_engine
from cmio_desktop.store.errors import (
    NewerWorkspaceError,
    NotAWorkspaceError,
    WorkspaceError,
    busy_as_sentence,
    is_busy,
)
from cmio_desktop.store.migrations_runner import HEAD_SCHEMA_VERSION, upgrade_to_head
from cmio_desktop.store.presence import APPLICATION_NAME, track_own_connections
from cmio_desktop.store.server_url import ServerAddress, masked, parse_server_url
from cmio_desktop.store.server_watch import (
    NotifyChangeWatch,
    WriteNotice,
    claim_writes,
    listening_connection,
    track_writes,
)
from cmio_desktop.store.workspace import _OPEN, APPLICATION_ID, Workspace

log = logging.getLogger(__name__)

META_TABLE = "cmio_workspace"
# The advisory lock every writer takes (per database: another database has its own).
WRITE_LOCK_KEY = APPLICATION_ID
CONNECT_TIMEOUT_S = 10
LOCK_TIMEOUT_MS = BUSY_TIMEOUT_MS  # how long a writer waits for another's turn to end
NOT_ON_SERVER = "{what} is not available on a team workspace (the server's backups are IT's)."


class ServerPath:
    """What a service needs of ``ws.path`` (a name, a cache key) for a workspace on a server.

    Its text is the URL with the password masked; it is no file, so an export can never be
    mistaken for it."""

    def __init__(self, address: ServerAddress) -> None:
        self._address = address
        self.name = address.database
        self.stem = address.database
        self.suffix = ""

    def resolve(self) -> ServerPath:
        return self

    @property
    def parent(self) -> Path:
        return Path.cwd()

    def exists(self) -> bool:
        return False

    def __fspath__(self) -> str:
        return str(self)

    def __str__(self) -> str:
        return self._address.shown

    def __repr__(self) -> str:
        return f"ServerPath({self._address.shown!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ServerPath) and str(other) == str(self)

    def __hash__(self) -> int:
        return hash(str(self))


def make_server_engine(address: ServerAddress) -> Engine:
    """An engine whose connections libpq makes from the URL (so service files, PGPASSFILE and
    ``sslmode`` work as libpq documents them), with the keyring's password when there is one."""
    import psycopg

    extra: dict[str, Any] = address.connect_kwargs()
    if "connect_timeout" not in address.params:
        extra["connect_timeout"] = CONNECT_TIMEOUT_S
    if "application_name" not in address.params:
        extra["application_name"] = APPLICATION_NAME  # how presence finds the app's users

    def connect() -> Any:
        return psycopg.connect(address.url, **extra)

    engine = create_engine("postgresql+psycopg://", creator=connect, pool_pre_ping=True)
    track_own_connections(engine)
    track_writes(engine)

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        if conn.get_execution_options().get(BEGIN_OPTION) == "IMMEDIATE":
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = '{int(LOCK_TIMEOUT_MS)}ms'")
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")

    return engine


def server_sentence(exc: BaseException, address: ServerAddress) -> str:
    """A user-facing sentence for a failure to reach or use the server (password masked)."""
    inner = getattr(exc, "orig", None) or exc
    raw = str(inner)
    low = raw.casefold()
    where = address.where
    user = address.user
    if "password authentication failed" in low:
        return (
            f"The server refused the password for user “{user}” ({where}). Check the password "
            "in your keyring, pgpass file or service file."
        )
    if "no password supplied" in low:
        return (
            f"The server needs a password for user “{user}” ({where}): store it in the OS "
            f"keyring (service “cmio-desktop”, entry “{address.keyring_entry()}”), a pgpass "
            "file or a service file."
        )
    if "does not exist" in low and "database" in low:
        return (
            f"The server has no {where}. Ask IT to create it (see the README's Team server "
            "section), or check the name."
        )
    if "does not exist" in low and "role" in low:
        return f"The server has no user “{user}” ({where}); ask IT for an account."
    if "permission denied" in low or "insufficientprivilege" in type(inner).__name__.casefold():
        return (
            f"User “{user}” has no right to do this on {where}; ask the workspace's admin. "
            "Nothing was changed."
        )
    if "ssl" in low or "certificate" in low:
        return f"The secure connection to {where} failed: {masked(_first_line(raw))}."
    if any(
        needle in low
        for needle in (
            "connection refused",
            "could not connect",
            "could not translate host name",
            "timeout expired",
            "no such file or directory",
            "server closed the connection",
            "connection is closed",
            "consuming input failed",
            "terminating connection",
            "network is unreachable",
            "no route to host",
            "connection failed",
        )
    ):
        return (
            f"The team server for {where} cannot be reached (it may be down, or the network "
            "is unavailable). Nothing was changed; try again later."
        )
    return f"The team server for {where} reported a problem: {masked(_first_line(raw))}."


def _first_line(text_: str) -> str:
    lines = [line.strip() for line in text_.strip().splitlines() if line.strip()]
    return (lines[-1] if lines else text_).rstrip(".")


@contextmanager
def server_errors(address: ServerAddress) -> Iterator[None]:
    """Turn driver errors (server down, connection lost, no rights) into WorkspaceError
    sentences; the busy timeout stays WorkspaceBusyError, anything else passes unchanged."""
    import psycopg

    try:
        with busy_as_sentence():
            yield
    except DBAPIError as exc:
        if is_busy(exc.orig) or not isinstance(
            exc.orig, psycopg.OperationalError | psycopg.errors.InsufficientPrivilege
        ):
            raise
        raise WorkspaceError(server_sentence(exc, address)) from None
    except psycopg.OperationalError as exc:
        raise WorkspaceError(server_sentence(exc, address)) from None


class ServerChangeWatch:
    """Commits by others, noticed by the audit trail's newest id (every write is audited);
    our own writes report to it as to the SQLite watch (see ``store.change_watch``)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._seen: int | None = None
        self._pending = False
        self._closed = False

    def _read(self) -> int | None:
        if self._closed:
            return None
        try:
            with self._engine.connect() as conn:
                return int(
                    conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM audit_event").scalar()
                )
        except DBAPIError as exc:
            log.warning("Could not check the team workspace for changes: %s", masked(str(exc)))
            return None

    def changed_elsewhere(self) -> bool:
        current = self._read()
        if current is None:
            return False
        changed = self._pending or (self._seen is not None and current != self._seen)
        self._seen, self._pending = current, False
        return changed

    def before_own_write(self) -> None:
        if self._seen is None:
            return
        current = self._read()
        if current != self._seen:
            self._pending = True
        self._seen = current

    def after_own_commit(self) -> None:
        if self._seen is not None:
            self._seen = self._read()

    def close(self) -> None:
        self._closed = True


class TeamWorkspace(Workspace):
    """A workspace in a PostgreSQL database: the same API the services use."""

    def __init__(self, address: ServerAddress, engine: Engine) -> None:
        self.address = address
        self.path = ServerPath(address)  # type: ignore[assignment]
        self.engine = engine
        self.passphrase = None
        self._writes = sessionmaker(writer_engine(engine), expire_on_commit=False)
        self._reads = sessionmaker(
            engine.execution_options(isolation_level="REPEATABLE READ"), expire_on_commit=False
        )
        # Others' commits arrive by LISTEN/NOTIFY (store/server_watch.py).
        self.watch = NotifyChangeWatch(address, lambda: listening_connection(engine))  # type: ignore[assignment]
        self._behind = False
        self._closed = False
        _OPEN.add(self)

    @property
    def is_team(self) -> bool:
        return True

    @property
    def url(self) -> str:
        """The address with any password masked (for titles, recent lists, logs)."""
        return self.address.shown

    @contextmanager
    def session(self) -> Iterator[Session]:
        with server_errors(self.address), super().session() as session:
            notice = WriteNotice(session)
            claim_writes(session, self.watch.client)
            yield session
            notice.send(session, self.watch.client)  # in the transaction: sent on commit

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        with server_errors(self.address), super().read_session() as session:
            yield session

    def flush_to_file(self) -> bool:
        return True  # every commit is on the server already

    def schema_version(self) -> int:
        with server_errors(self.address), self.engine.connect() as conn:
            return int(
                conn.exec_driver_sql(f"SELECT schema_version FROM {META_TABLE}").scalar_one()
            )

    def backup_to(self, target: Path) -> None:
        raise WorkspaceError(NOT_ON_SERVER.format(what="Saving a copy as a file"))

    def integrity_problems(self) -> list[str]:
        return []  # the server enforces every constraint and reference on each commit

    def current_user(self) -> str:
        """The database user this workspace is connected as (what the server's rights use)."""
        with server_errors(self.address), self.engine.connect() as conn:
            return str(conn.exec_driver_sql("SELECT current_user").scalar_one())

    def close(self) -> None:
        if self._closed:
            return
        _OPEN.discard(self)
        self.watch.close()
        self._closed = True
        self.engine.dispose()


def _tables(conn: Any) -> set[str]:
    return set(inspect(conn).get_table_names())


def _read_identity(conn: Any, address: ServerAddress) -> tuple[int, int] | None:
    """(application id, schema version), or None for a database without the stamp."""
    if META_TABLE not in _tables(conn):
        return None
    row = conn.exec_driver_sql(f"SELECT application_id, schema_version FROM {META_TABLE}").first()
    if row is None:
        raise NotAWorkspaceError(
            f"The {address.where} has an empty {META_TABLE} table, so it is not a usable CMIO "
            "workspace; it was left unchanged."
        )
    return int(row[0]), int(row[1])


def _stamp(conn: Any, version: int) -> None:
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {META_TABLE} (application_id integer NOT NULL, "
        "schema_version integer NOT NULL)"
    )
    updated = conn.execute(text(f"UPDATE {META_TABLE} SET schema_version = :v"), {"v": version})
    if updated.rowcount == 0:
        conn.execute(
            text(f"INSERT INTO {META_TABLE} (application_id, schema_version) VALUES (:a, :v)"),
            {"a": APPLICATION_ID, "v": version},
        )


def migrate_server(conn: Any) -> None:
    """Apply every pending migration on ``conn`` (the caller's transaction) and stamp it."""
    upgrade_to_head(conn)
    _stamp(conn, HEAD_SCHEMA_VERSION)


def create_team_workspace(
    url: str,
    organisation: str = "My organisation",
    fill: Callable[[Workspace], object] | None = None,
) -> TeamWorkspace:
    """Make a new team workspace in an existing, empty database (IT creates the database).

    The schema and the organisation are one transaction; should ``fill`` fail, every table is
    dropped again, so the database is as empty as it was."""
    address = parse_server_url(url)
    engine = make_server_engine(address)
    try:
        with server_errors(address), writer_engine(engine).begin() as conn:
            present = _tables(conn)
            if META_TABLE in present:
                raise WorkspaceError(
                    f"The {address.where} already holds a team workspace; open it instead."
                )
            if present:
                raise WorkspaceError(
                    f"The {address.where} already holds other tables; a team workspace needs an "
                    "empty database. Nothing was changed."
                )
            migrate_server(conn)
            conn.execute(
                text("INSERT INTO organisation (name, created_at) VALUES (:n, CURRENT_TIMESTAMP)"),
                {"n": organisation},
            )
    except BaseException:
        engine.dispose()
        raise
    ws = TeamWorkspace(address, engine)
    if fill is not None:
        try:
            fill(ws)
        except BaseException:
            _drop_everything(ws)
            ws.close()
            raise
    return ws


def _drop_everything(ws: TeamWorkspace) -> None:
    from cmio_desktop.models import Base

    names = [*Base.metadata.tables, "alembic_version", META_TABLE]
    try:
        with ws.engine.begin() as conn:
            for name in names:
                conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}" CASCADE')
    except DBAPIError as exc:
        log.warning("Could not remove a half-filled team workspace: %s", masked(str(exc)))


def open_team_workspace(url: str) -> TeamWorkspace:
    """Open the team workspace at ``url``, upgrading an older schema in one transaction (under
    the write lock, so two clients opening at once upgrade it once)."""
    address = parse_server_url(url)
    engine = make_server_engine(address)
    try:
        with server_errors(address):
            with engine.connect() as conn:
                identity = _read_identity(conn, address)
                present = _tables(conn)
            _check_identity(identity, present, address)
            assert identity is not None
            if identity[1] < HEAD_SCHEMA_VERSION:
                with writer_engine(engine).begin() as conn:
                    again = _read_identity(conn, address)
                    assert again is not None
                    _check_identity(again, present, address)
                    if again[1] < HEAD_SCHEMA_VERSION:
                        migrate_server(conn)
    except BaseException:
        engine.dispose()
        raise
    return TeamWorkspace(address, engine)


def _check_identity(
    identity: tuple[int, int] | None, present: set[str], address: ServerAddress
) -> None:
    from cmio_desktop.models import Base

    if identity is None:
        if present & set(Base.metadata.tables):
            raise NotAWorkspaceError(
                f"The {address.where} has workspace tables but no {META_TABLE} stamp, so it "
                "cannot be opened safely; it was left unchanged."
            )
        raise NotAWorkspaceError(
            f"The {address.where} holds no CMIO workspace yet; create one there with "
            "“cmio new URL” (or File → New Team Workspace)."
        )
    application_id, version = identity
    if application_id != APPLICATION_ID:
        raise NotAWorkspaceError(
            f"The {address.where} is not a CMIO workspace; it was left unchanged."
        )
    if version > HEAD_SCHEMA_VERSION:
        raise NewerWorkspaceError(
            f"{address.database} was saved by a newer version of CMIO Desktop (schema "
            f"{version}; this version reads up to {HEAD_SCHEMA_VERSION}). "
            "Update the app to open it; the database was left unchanged."
        )


def team_workspace_exists(url: str) -> bool:
    """Whether the database at ``url`` already holds a (stamped) team workspace."""
    address = parse_server_url(url)
    engine = make_server_engine(address)
    try:
        with server_errors(address), engine.connect() as conn:
            return META_TABLE in _tables(conn)
    finally:
        engine.dispose()
