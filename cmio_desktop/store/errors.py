"""Errors the store raises; each message is written for the user, not the developer."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.exc import OperationalError

BUSY_MESSAGE = "Another program is writing to this workspace; try again in a moment."


class WorkspaceError(Exception):
    """A workspace file could not be created or opened; ``str(err)`` is a user-facing sentence."""


class NotAWorkspaceError(WorkspaceError):
    pass


class NewerWorkspaceError(WorkspaceError):
    pass


class WorkspaceBusyError(WorkspaceError):
    """Another program held the write lock past the busy timeout; nothing was changed, and the
    same action can simply be tried again."""

    def __init__(self, message: str = BUSY_MESSAGE) -> None:
        super().__init__(message)


@contextmanager
def busy_as_sentence() -> Iterator[None]:
    """Turn SQLite's "database is locked" (after the busy timeout) into WorkspaceBusyError."""
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


def is_busy(exc: BaseException | None) -> bool:
    name = str(getattr(exc, "sqlite_errorname", ""))
    return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in str(exc)
