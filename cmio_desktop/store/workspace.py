"""Create and open ``.cmio`` workspace files.

A workspace is a SQLite file stamped with our ``application_id``; ``user_version`` holds the
schema version (the number of the last migration applied). Files are identified from their raw
header bytes before SQLite ever opens them, so a file we refuse is left byte for byte untouched.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from .change_watch import ChangeWatch
from .engine import make_engine, writer_engine
from .errors import NewerWorkspaceError, NotAWorkspaceError, WorkspaceError, busy_as_sentence
from .migrations_runner import HEAD_SCHEMA_VERSION, upgrade_existing, upgrade_to_head

APPLICATION_ID = 0x434D494F  # "CMIO"
SQLITE_MAGIC = b"SQLite format 3\x00"
FILE_SUFFIX = ".cmio"


@dataclass(frozen=True)
class FileIdentity:
    application_id: int
    schema_version: int


def read_identity(path: Path) -> FileIdentity:
    """Read application_id and user_version from the database header without opening it."""
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except FileNotFoundError:
        raise WorkspaceError(f"{path.name}: no such file.") from None
    except OSError as exc:
        raise WorkspaceError(f"{path.name}: cannot be read ({exc.strerror}).") from None
    if not header:
        raise NotAWorkspaceError(f"{path.name} is an empty file, not a CMIO workspace.")
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


def _identity_via_sqlite(path: Path) -> FileIdentity:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            application_id = conn.execute("PRAGMA application_id").fetchone()[0] & 0xFFFFFFFF
            user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise NotAWorkspaceError(f"{path.name} cannot be read as a workspace ({exc}).") from None
    return FileIdentity(application_id, user_version)


class Workspace:
    """An open workspace: its engine and a factory for short, one-action sessions."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._writes = sessionmaker(writer_engine(engine), expire_on_commit=False)
        self._reads = sessionmaker(engine, expire_on_commit=False)
        self.watch = ChangeWatch(path)

    @property
    def name(self) -> str:
        return self.path.stem

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

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """One read-only transaction: a consistent snapshot that never blocks writers."""
        with busy_as_sentence(), self._reads.begin() as session:
            yield session

    def changed_elsewhere(self) -> bool:
        """Whether another program (or another open copy) committed since the last call.

        The first call only starts watching and answers False.
        """
        return self.watch.changed_elsewhere()

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.exec_driver_sql("PRAGMA user_version").scalar_one())

    def backup_to(self, target: Path) -> None:
        """Consistent copy through SQLite's backup API (safe while the workspace is open)."""
        target = Path(target)
        if target.resolve() == self.path.resolve():
            raise WorkspaceError("Choose a different file name for the copy.")
        _create_private_file(target, replace=True)
        src = sqlite3.connect(self.path)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()

    def integrity_problems(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
            fk = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        problems = [r for r in rows if r != "ok"]
        problems += [f"broken reference in {r[0]} row {r[1]}" for r in fk]
        return problems

    def close(self) -> None:
        self.watch.close()
        self.engine.dispose()


def create_workspace(path: Path | str, organisation: str = "My organisation") -> Workspace:
    """Create a new, private (0600) workspace file migrated to the current schema."""
    path = Path(path)
    if path.exists():
        raise WorkspaceError(f"{path.name} already exists; choose another name.")
    _create_private_file(path)
    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            upgrade_to_head(conn)
            conn.execute(
                text("INSERT INTO organisation (name, created_at) VALUES (:n, CURRENT_TIMESTAMP)"),
                {"n": organisation},
            )
    except Exception:
        engine.dispose()
        path.unlink(missing_ok=True)
        raise
    return Workspace(path, engine)


def open_workspace(path: Path | str) -> Workspace:
    """Open an existing workspace, upgrading an older schema (after a backup) in one transaction."""
    path = Path(path)
    identity = read_identity(path)
    if identity.application_id != APPLICATION_ID:
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
    engine = make_engine(path)
    try:
        if identity.schema_version < HEAD_SCHEMA_VERSION:
            Workspace(path, engine).backup_to(
                path.with_name(f"{path.name}.v{identity.schema_version}.bak")
            )
            with busy_as_sentence():
                upgrade_existing(writer_engine(engine))
    except sqlite3.DatabaseError as exc:
        engine.dispose()
        raise NotAWorkspaceError(f"{path.name} is damaged and cannot be opened ({exc}).") from None
    except Exception:
        engine.dispose()
        raise
    return Workspace(path, engine)


def _create_private_file(path: Path, replace: bool = False) -> None:
    """Create an empty file readable and writable by its owner only."""
    flags = os.O_CREAT | os.O_WRONLY | (os.O_TRUNC if replace else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise WorkspaceError(f"{path.name} already exists; choose another name.") from None
    except OSError as exc:
        raise WorkspaceError(f"Cannot create {path}: {exc.strerror}.") from None
    os.close(fd)
    os.chmod(path, 0o600)
