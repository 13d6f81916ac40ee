"""Noticing commits made by other programs, through SQLite's ``PRAGMA data_version``.

``data_version`` read on one connection changes whenever *any other* connection has committed
since that connection last read it, which includes our own writes (they use the engine's
pool). So our write sessions report to the watch: just after taking the write lock (when no
one else can commit) the watch checks whether someone else committed before us, and just
after our commit it takes the new value as seen. What is left over is other people's work.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from cmio_desktop.store.encryption import connect, database_errors

log = logging.getLogger(__name__)


class ChangeWatch:
    """Says whether anyone but us committed since the last :meth:`changed_elsewhere`."""

    def __init__(self, path: Path, passphrase: str | None = None) -> None:
        self._path = path
        self._passphrase = passphrase  # an encrypted workspace's, for our own connection
        self._lock = threading.Lock()
        self._conn: Any = None  # a sqlite3 (or SQLCipher) connection, made on first look
        self._seen: int | None = None  # None until someone asks: costs nothing before that
        self._pending = False  # someone else committed just before one of our writes
        self._closed = False

    def changed_elsewhere(self) -> bool:
        with self._lock:
            current = self._read()
            if current is None:  # could not look: try again next time
                return False
            changed = self._pending or (self._seen is not None and current != self._seen)
            self._seen, self._pending = current, False
            return changed

    def before_own_write(self) -> None:
        """Call while holding the write lock, before writing."""
        with self._lock:
            if self._seen is None:
                return
            current = self._read()
            if current != self._seen:
                self._pending = True  # (also when the look failed: better reload once more)
            self._seen = current

    def after_own_commit(self) -> None:
        with self._lock:
            if self._seen is not None:
                self._seen = self._read()

    def close(self) -> None:
        with self._lock:
            self._closed = True  # never reopen: that would recreate a file moved away
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _read(self) -> int | None:
        """The current data_version; None if it cannot be read (never fails a write)."""
        if self._closed:
            return None
        try:
            if self._conn is None:
                self._conn = connect(
                    self._path, self._passphrase, check_same_thread=False, timeout=0.5
                )
            return int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except database_errors() as exc:
            log.warning("Could not check the workspace for changes made elsewhere: %s", exc)
            return None
