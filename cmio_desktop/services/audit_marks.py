"""Marking the audit rows an undo or a redo writes, so the history can tell them apart.

The undo stack's commands run their service calls inside :func:`recorded_as`; the audit trail
then records "undo:update", "redo:create" and so on. No SQLAlchemy here: the UI imports it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

MARKS = ("undo", "redo")
_marked: ContextVar[str | None] = ContextVar("audit_marked", default=None)


@contextmanager
def recorded_as(mark: str | None) -> Iterator[None]:
    """Every audit row written inside is marked ``mark`` ("undo" or "redo"; None: unmarked)."""
    if mark is not None and mark not in MARKS:
        raise ValueError(f"unknown audit mark {mark!r}")
    token = _marked.set(mark)
    try:
        yield
    finally:
        _marked.reset(token)


def current_mark() -> str | None:
    return _marked.get()
