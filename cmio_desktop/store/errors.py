"""Errors the store raises; each message is written for the user, not the developer."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BUSY_MESSAGE = "Another program is writing to this workspace; try again in a moment."


class WorkspaceError(Exception):
    """A workspace file could not be created or opened; ``str(err)`` is a user-facing sentence."""


class NotAWorkspaceError(WorkspaceError):
    pass


class NewerWorkspaceError(WorkspaceError):
    pass


class EncryptedWorkspaceError(WorkspaceError):
    """The file is an encrypted workspace and no passphrase was given; ask for one."""


class WrongPassphraseError(WorkspaceError):
    """The passphrase does not open the encrypted file; nothing was opened or changed."""


class BackupError(WorkspaceError):
    """A backup could not be written or verified; the workspace itself is unaffected."""


_PROBLEMS = (
    (("disk is full", "no space left", "database or disk is full"), "the disk is full"),
    (("read-only", "readonly", "permission denied"), "the folder or file is read-only"),
    (("disk i/o error",), "the disk reported an error"),
    (("unable to open database file",), "the file or its folder cannot be written"),
)


def storage_problem(exc: BaseException, folder: Path | None = None) -> str:
    """A short phrase for the user: why a file could not be written (disk full, read-only…).

    SQLite reports a full disk as an I/O error when it cannot even create its shared-memory
    file; given the ``folder``, an I/O error on a (nearly) full disk says the disk is full."""
    import errno

    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or code == errno.EDQUOT:
        return "the disk is full"
    if folder is not None and _nearly_full(folder) and is_storage_failure(exc):
        return "the disk is full"
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "the folder or file is read-only"
    text = str(getattr(exc, "orig", None) or exc).casefold()
    for needles, phrase in _PROBLEMS:
        if any(n in text for n in needles):
            return phrase
    if isinstance(exc, WorkspaceError):
        return str(exc).rstrip(".")
    return (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__).rstrip(".")


def is_storage_failure(exc: BaseException) -> bool:
    """True when ``exc`` is the disk refusing a write (full, read-only, I/O error), whether
    raised by the OS or by SQLite (also when wrapped by SQLAlchemy, which keeps ``orig``)."""
    import errno
    import sqlite3

    if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO):
        return True
    inner = getattr(exc, "orig", None) or exc
    text = str(inner).casefold()
    # sqlite3's or SQLCipher's (sqlcipher3 has its own, unrelated exception classes)
    kind = type(inner)
    operational = isinstance(inner, sqlite3.OperationalError) or (
        kind.__name__ == "OperationalError" and kind.__module__.startswith("sqlcipher3")
    )
    return operational and any(
        needle in text
        for needle in ("disk is full", "readonly database", "disk i/o error", "read-only")
    )


def storage_sentence(exc: BaseException, folder: Path | None = None) -> str | None:
    """A user-facing sentence when ``exc`` is the disk refusing a write, else None."""
    if not is_storage_failure(exc):
        return None
    return (
        f"The change could not be saved: {storage_problem(exc, folder)}. Nothing was changed; free "
        "some space (or use a writable folder) and try again."
    )


def _nearly_full(folder: Path) -> bool:
    import os

    try:
        stats = os.statvfs(folder)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False
    return stats.f_bavail * stats.f_frsize < 256 * 1024


class WorkspaceBusyError(WorkspaceError):
    """Another program held the write lock past the busy timeout; nothing was changed, and the
    same action can simply be tried again."""

    def __init__(self, message: str = BUSY_MESSAGE) -> None:
        super().__init__(message)


@contextmanager
def busy_as_sentence() -> Iterator[None]:
    """Turn SQLite's "database is locked" (after the busy timeout) into WorkspaceBusyError."""
    from sqlalchemy.exc import OperationalError  # lazily: the window imports this module early

    try:
        yield
    except OperationalError as exc:
        if is_busy(exc.orig):
            raise WorkspaceBusyError() from None
        raise
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise WorkspaceBusyError() from None
        raise


# PostgreSQL: lock timeout, serialization failure, deadlock (the write lock's wait ran out).
_BUSY_SQLSTATES = ("55P03", "40001", "40P01")


def is_busy(exc: BaseException | None) -> bool:
    if getattr(exc, "sqlstate", None) in _BUSY_SQLSTATES:
        return True
    name = str(getattr(exc, "sqlite_errorname", ""))
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(exc)
