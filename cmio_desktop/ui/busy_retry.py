"""A write that found the workspace busy (another program held the write lock past the busy
timeout) changed nothing, so it can simply run again: the user is told in a sentence and
offered Retry. Cancel leaves everything as it was and raises :class:`BusyDeclined`, which
callers treat as a refusal the user has already been told about (no second message)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from cmio_desktop.store.errors import WorkspaceBusyError

T = TypeVar("T")
TITLE = "Workspace busy"


class BusyDeclined(WorkspaceBusyError):
    """The user saw the busy sentence and chose Cancel; nothing was changed."""


def offer_retry(parent: QWidget | None, message: str) -> bool:
    """Say why the change was not saved; True when the user chooses Retry."""
    answer = QMessageBox.warning(
        parent,
        TITLE,
        message,
        QMessageBox.StandardButton.Retry | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Retry,
    )
    return answer == QMessageBox.StandardButton.Retry


def retry_while_busy(action: Callable[[], T], parent: QWidget | None = None) -> T:
    """Run ``action``; while it finds the workspace busy, offer Retry (Cancel: BusyDeclined)."""
    while True:
        try:
            return action()
        except BusyDeclined:
            raise
        except WorkspaceBusyError as exc:
            if not offer_retry(parent, str(exc)):
                raise BusyDeclined(str(exc)) from None


def already_told(exc: BaseException) -> bool:
    """True for a refusal the user has just seen (and cancelled) in the Retry question."""
    return isinstance(exc, BusyDeclined)
