"""Create and open ``.cmio`` workspace files.

A workspace is a SQLite file stamped with our ``application_id``; ``user_version`` holds the
schema version (the number of the last migration applied). Files are identified from their raw
header bytes before SQLite ever opens them, so a file we refuse is left byte for byte untouched.

Copy-safe files. Users copy the ``.cmio`` with the operating system (to e-mail or archive it)
while the app is open; in WAL mode a commit lands in the ``-wal`` side file, so such a copy
would lack the last edits. Every write transaction is therefore followed by a *passive*
checkpoint (:meth:`Workspace.flush_to_file`), which copies the committed pages into the main
file. Alternatives weighed:

- ``journal_mode=DELETE``/``TRUNCATE`` writes every commit into the main file, but then a
  reader blocks a writer: the analysis worker's long reads (or another program's) would stall
  the UI's saves up to the busy timeout and fail them. WAL keeps readers and writers apart.
- ``wal_checkpoint(FULL/RESTART/TRUNCATE)`` after each commit waits (the busy handler, up to
  5 s) for readers to finish: a save on the UI thread would freeze behind a worker's read.

A passive checkpoint never waits. When a reader still holds an older snapshot (the worker in
this process, or another program), the pages it might read cannot be overwritten yet; the
workspace remembers it is behind and checkpoints again when a read ends, at the next write,
on :meth:`Workspace.flush_to_file` (the app calls it on its one-second watch tick) and on close.
The WAL is not truncated after each save (``TRUNCATE``): the pages it holds are all in the
main file already, its space is reused by the next commit, and a truncation counts as a change
in ``PRAGMA data_version``, so the app would take its own saves for other programs' work
(:mod:`store.change_watch`). Closing removes the side files.
Two programs on one file: each flushes after its own commits; the last to close removes the
side files. The cost, measured with ``python -m benchmarks --only edit``, is in RESULTS.md.

An encrypted workspace (SQLCipher, see ``encryption.py``) has no readable header: it is
recognised by that, and its identity is read through the cipher once the passphrase is known.
"""

from __future__ import annotations

import logging
import os
import stat
import struct
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from cmio_desktop.store.change_watch import ChangeWatch
from cmio_desktop.store.copies import (
    remove_with_side_files,
    save_copy,
    write_verified_copy,
)
from cmio_desktop.store.creation import (
    creating_name,
    is_unfinished_workspace,
    publish,
    remove_stale_creations,
)
from cmio_desktop.store.encryption import (
    check_passphrase,
    database_errors,
    encrypted_needs_passphrase,
    looks_encrypted,
    passphrase_for,
    raw_key,
)
from cmio_desktop.store.encryption import connect as connect_raw
from cmio_desktop.store.engine import make_engine, writer_engine
from cmio_desktop.store.errors import (
    NewerWorkspaceError,
    NotAWorkspaceError,
    WorkspaceError,
    busy_as_sentence,
    is_storage_failure,
    storage_problem,
)
from cmio_desktop.store.migrations_runner import (
    HEAD_SCHEMA_VERSION,
    upgrade_existing,
    upgrade_to_head,
)

APPLICATION_ID = 0x434D494F  # "CMIO"
SQLITE_MAGIC = b"SQLite format 3\x00"
FILE_SUFFIX = ".cmio"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FileIdentity:
    application_id: int
    schema_version: int
    encrypted: bool = False


def read_identity(path: Path, passphrase: str | None = None) -> FileIdentity:
    """Read application_id and user_version from the database header without opening it.

    An encrypted file needs its ``passphrase`` (else :class:`EncryptedWorkspaceError`; a wrong
    one: :class:`WrongPassphraseError`), and is read through SQLCipher, read-only."""
    try:
        # A FIFO or device would block open() or read forever: only regular files qualify.
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise NotAWorkspaceError(
                f"{path.name} is not a regular file (a folder, pipe or device), so it is not a "
                "CMIO workspace."
            )
        with open(path, "rb") as fh:
            start = fh.read(512)  # the header, and enough to tell an encrypted file
        header = start[:100]
        size = os.path.getsize(path)
    except FileNotFoundError:
        raise WorkspaceError(f"{path.name}: no such file.") from None
    except OSError as exc:
        raise WorkspaceError(f"{path.name}: cannot be read ({exc.strerror}).") from None
    if not header:
        raise NotAWorkspaceError(f"{path.name} is an empty file, not a CMIO workspace.")
    if looks_encrypted(start, size):
        if passphrase is None:
            raise encrypted_needs_passphrase(path)
        check_passphrase(path, passphrase)
        return _identity_via_sqlite(path, passphrase)
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        raise NotAWorkspaceError(
            f"{path.name} is not a CMIO workspace (it is not a database file at all)."
        )
    (user_version,) = struct.unpack(">i", header[60:64])
    (application_id,) = struct.unpack(">I", header[68:72])
    wal = path.with_name(path.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        # Committed changes not yet checkpointed live in the WAL; ask SQLite, read-only.
        return _identity_via_sqlite(path)
    return FileIdentity(application_id, user_version)


def _identity_via_sqlite(path: Path, passphrase: str | None = None) -> FileIdentity:
    try:
        conn = connect_raw(path, passphrase, readonly=True)
        try:
            application_id = conn.execute("PRAGMA application_id").fetchone()[0] & 0xFFFFFFFF
            user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except database_errors() as exc:
        raise NotAWorkspaceError(f"{path.name} cannot be read as a workspace ({exc}).") from None
    return FileIdentity(application_id, user_version, encrypted=passphrase is not None)


class Workspace:
    """An open workspace: its engine and a factory for short, one-action sessions."""

    is_team = False  # a file; store/postgres.py's TeamWorkspace is a database on a server

    def __init__(self, path: Path, engine: Engine, passphrase: str | None = None) -> None:
        self.path = path
        self.engine = engine
        # An encrypted workspace's key (the raw key derived from its passphrase), kept for the
        # connections made outside the engine (copies, backups, the change watch).
        self.passphrase = passphrase
        self._writes = sessionmaker(writer_engine(engine), expire_on_commit=False)
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self.watch = ChangeWatch(path, passphrase)
        # Committed pages not yet in the main file (a reader blocked the checkpoint).
        self._behind = False
        self._flush_lock = threading.Lock()
        self._closed = False
        _OPEN.add(self)

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def encrypted(self) -> bool:
        return self.passphrase is not None

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One write transaction: committed on success, rolled back on any error.

        It takes the write lock when it begins (BEGIN IMMEDIATE), waiting up to the busy timeout
        while another program writes, so it never fails half-way for lack of the lock; if the
        lock stays taken, :class:`WorkspaceBusyError` says so and nothing was changed.
        """
        with busy_as_sentence():
            with self._writes.begin() as session:
                session.connection()  # BEGIN IMMEDIATE now: wait for the lock, or fail here
                self.watch.before_own_write()
                yield session
            self.watch.after_own_commit()
        self.flush_to_file()  # the acknowledged save reaches the .cmio file itself

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """One read-only transaction: a consistent snapshot that never blocks writers."""
        with busy_as_sentence(), self._reads.begin() as session:
            yield session
        if self._behind:  # this read may have been what held the checkpoint back
            self.flush_to_file()

    @property
    def behind(self) -> bool:
        """True while committed changes are only in the ``-wal`` side file."""
        return self._behind

    def flush_to_file(self) -> bool:
        """Copy committed pages from the WAL into the main file without ever waiting.

        Returns True when the main file holds every commit. A failure is logged, never raised:
        the commit itself is safe in the WAL.
        """
        if self._closed:
            return False
        self._flush_lock.acquire()  # one checkpoint at a time (a worker's read may end now)
        try:
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                busy, frames, copied = cursor.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                self._behind = bool(busy) or copied < frames  # busy: another checkpoint ran
                cursor.close()
            finally:
                raw.close()
        except (*database_errors(), DBAPIError) as exc:  # logged, never raised
            log.warning("Could not copy saved changes into the workspace file: %s", exc)
            self._behind = True
        finally:
            self._flush_lock.release()
        return not self._behind

    def changed_elsewhere(self) -> bool:
        """Whether another program (or another open copy) committed since the last call.

        The first call only starts watching and answers False.
        """
        return self.watch.changed_elsewhere()

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())

    def backup_to(self, target: Path) -> None:
        """Consistent copy through SQLite's backup API (safe while the workspace is open).

        Written beside ``target`` and verified before it replaces anything, so a full disk or a
        read-only folder never destroys an earlier copy."""
        save_copy(self.path, Path(target), passphrase=self.passphrase)

    def integrity_problems(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        problems = [r for r in rows if r != "ok"]
        problems += [f"broken reference in {r[0]} row {r[1]}" for r in fk]
        return problems

    def close(self) -> None:
        """Close every connection; the last one removes the ``-wal`` and ``-shm`` files.

        The flush first: should a connection outlive the pool (a worker still reading), the
        main file is complete all the same."""
        if self._closed:
            return
        _OPEN.discard(self)
        self.watch.close()
        self.flush_to_file()
        self._closed = True  # never reconnect: that would recreate a file moved away
        self.engine.dispose()


# Every workspace not yet closed: exit paths (an error, Ctrl+C) close what is left.
_OPEN: weakref.WeakSet[Workspace] = weakref.WeakSet()


def open_workspaces() -> set[Workspace]:
    """The workspaces this process has open now."""
    return set(_OPEN)


def close_open_workspaces(keep: set[Workspace] | None = None) -> None:
    """Close every workspace this process still has open but those in ``keep`` (a safety net
    for exit paths: the CLI closes what its command opened)."""
    for workspace in list(_OPEN):
        if keep is None or workspace not in keep:
            workspace.close()


def create_workspace(
    path: Path | str,
    organisation: str = "My organisation",
    fill: Callable[[Workspace], object] | None = None,
    passphrase: str | None = None,
) -> Workspace:
    """Create a new, private (0600) workspace file migrated to the current schema (encrypted
    with SQLCipher when a ``passphrase`` is given).

    The file is built under a temporary name in the same folder (``fill``, if given, adds the
    first content, such as the sample) and renamed into place only when complete. An existing
    file is refused, unless it holds nothing (what an interrupted creation left behind).
    """
    path = Path(path)
    if passphrase is not None and not passphrase:
        raise WorkspaceError("An encrypted workspace needs a passphrase that is not empty.")
    if os.path.lexists(path) and not is_unfinished_workspace(path):
        raise WorkspaceError(f"{path.name} already exists; choose another name.")
    if not path.parent.is_dir():
        raise WorkspaceError(f"Cannot create {path.name}: the folder {path.parent} does not exist.")
    remove_stale_creations(path)
    temp = creating_name(path)
    remove_with_side_files(temp)  # our own pid's leftover can only be stale
    _create_private_file(temp, shown=path)
    engine = make_engine(temp, passphrase)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            upgrade_to_head(conn)
            conn.execute(
                text("INSERT INTO organisation (name, created_at) VALUES (:n, CURRENT_TIMESTAMP)"),
                {"n": organisation},
            )
        if fill is not None:
            filling = Workspace(temp, engine, passphrase)
            _OPEN.discard(filling)  # closed below with its engine, under its temporary name
            fill(filling)
        engine.dispose()  # the last connection closes: the WAL is folded into the file
        wal = temp.with_name(temp.name + "-wal")
        if wal.exists() and wal.stat().st_size:  # not folded in: the file alone is incomplete
            raise WorkspaceError(
                f"{path.name} could not be completed (its journal could not be written back); "
                "nothing was left behind."
            )
        if not publish(temp, path):
            raise WorkspaceError(f"{path.name} already exists; choose another name.")
    except BaseException as exc:
        engine.dispose()
        remove_with_side_files(temp)
        if is_storage_failure(exc) or isinstance(exc, OSError):
            raise WorkspaceError(
                f"{path.name} could not be created: {storage_problem(exc, path.parent)}; "
                "nothing was left behind."
            ) from None
        raise
    if passphrase is not None:
        passphrase = raw_key(path, passphrase)  # later connections skip the key derivation
    return Workspace(path, make_engine(path, passphrase), passphrase)


def open_workspace(path: Path | str, passphrase: str | None = None) -> Workspace:
    """Open an existing workspace, upgrading an older schema (after a backup) in one transaction.

    An encrypted file opens with its ``passphrase`` (when none is given, the registered
    passphrase source is asked, see :func:`encryption.set_passphrase_source`); a plain file
    ignores it."""
    path = Path(path)
    encrypted = _is_encrypted_file(path)
    if passphrase is None and encrypted:
        passphrase = passphrase_for(path)
    if passphrase is not None and encrypted:
        passphrase = raw_key(path, passphrase)  # the one slow key derivation of this open
    identity = read_identity(path, passphrase)
    if not identity.encrypted:
        passphrase = None
    if identity.application_id != APPLICATION_ID:
        if is_unfinished_workspace(path):
            raise NotAWorkspaceError(
                f"{path.name} is an unfinished workspace (its creation was interrupted) and holds "
                "no data; create it again under the same name."
            )
        raise NotAWorkspaceError(
            f"{path.name} is a database, but not a CMIO workspace; it was left unchanged."
        )
    if identity.schema_version > HEAD_SCHEMA_VERSION:
        raise NewerWorkspaceError(
            f"{path.name} was saved by a newer version of CMIO Desktop (schema "
            f"{identity.schema_version}; this version reads up to {HEAD_SCHEMA_VERSION}). "
            "Update the app to open it; the file was left unchanged."
        )
    if not os.access(path, os.W_OK):
        raise WorkspaceError(f"{path.name} is read-only; copy it somewhere writable to open it.")
    if not os.access(path.parent, os.W_OK):
        raise WorkspaceError(
            f"{path.name} is in a folder you cannot write to ({path.parent}); the app keeps its "
            "journal beside the file. Copy it to a writable folder to open it."
        )
    if identity.schema_version == 0 and _has_workspace_tables(path, passphrase):
        raise NotAWorkspaceError(
            f"{path.name} has workspace tables but no schema version stamp, so it cannot be "
            "upgraded safely (it was not saved by CMIO Desktop, or is damaged); it was left "
            "unchanged."
        )
    engine = make_engine(path, passphrase)
    try:
        with engine.connect() as conn:  # connect now: a damaged file fails here, not later
            conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar_one()
        if identity.schema_version < HEAD_SCHEMA_VERSION:
            bak = path.with_name(f"{path.name}.v{identity.schema_version}.bak")
            write_verified_copy(
                path, bak, require_tables=identity.schema_version > 0, passphrase=passphrase
            )
            with busy_as_sentence():
                upgrade_existing(writer_engine(engine))
    except (*database_errors(), DBAPIError) as exc:
        engine.dispose()
        if is_storage_failure(exc):
            raise WorkspaceError(
                f"{path.name} cannot be opened: {storage_problem(exc, path.parent)}."
            ) from None
        reason = getattr(exc, "orig", None) or exc
        raise NotAWorkspaceError(
            f"{path.name} is damaged and cannot be opened ({reason})."
        ) from None
    except Exception:
        engine.dispose()
        raise
    return Workspace(path, engine, passphrase)


def _is_encrypted_file(path: Path) -> bool:
    from cmio_desktop.store.encryption import is_encrypted

    return os.path.isfile(path) and is_encrypted(path)


def _has_workspace_tables(path: Path, passphrase: str | None = None) -> bool:
    """True when a file at schema 0 already holds tables the first migration would create
    (so upgrading it would fail half-way, or mix two schemas)."""
    from cmio_desktop.models import Base

    ours = set(Base.metadata.tables) | {"alembic_version"}
    try:
        conn = connect_raw(path, passphrase, readonly=True)
        try:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except database_errors():
        return False
    return bool(names & ours)


def _create_private_file(path: Path, replace: bool = False, shown: Path | None = None) -> None:
    """Create an empty file readable and writable by its owner only (``shown``: the name to
    use in messages, when ``path`` is a temporary name)."""
    shown = shown or path
    flags = os.O_CREAT | os.O_WRONLY | (os.O_TRUNC if replace else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise WorkspaceError(f"{shown.name} already exists; choose another name.") from None
    except OSError as exc:
        raise WorkspaceError(f"Cannot create {shown}: {storage_problem(exc)}.") from None
    os.close(fd)
    os.chmod(path, 0o600)
