"""Typed settings over QSettings: every key and default declared once.

The store is an INI file whose path the caller chooses, so tests point it at ``tmp_path`` and
never touch the user's real settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 8


class AppSettings:
    def __init__(self, path: Path) -> None:
        self._path = path
        if not path.exists() and path.parent.is_dir():
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))  # private from the start
        self._qs = QSettings(str(path), QSettings.Format.IniFormat)

    # -- workspaces -------------------------------------------------------------------------
    @property
    def last_workspace(self) -> Path | None:
        value = self._qs.value("workspace/last", "")
        return Path(str(value)) if value else None

    @last_workspace.setter
    def last_workspace(self, path: Path | None) -> None:
        self._qs.setValue("workspace/last", str(path) if path else "")

    @property
    def recent_workspaces(self) -> list[Path | str]:
        """Files as paths; team workspaces as their URLs (kept without a password)."""
        value = self._qs.value("workspace/recent", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [_location(str(v)) for v in items if v]

    def remove_recent(self, path: Path | str) -> None:
        self._qs.setValue("workspace/recent", [str(p) for p in self.recent_workspaces if p != path])

    def add_recent(self, path: Path | str) -> None:
        paths = [p for p in self.recent_workspaces if p != path]
        self._qs.setValue("workspace/recent", [str(p) for p in [path, *paths][:MAX_RECENT]])

    # -- folders last used, per kind of file (see file_dialogs) -----------------------------------
    def last_folder(self, kind: str) -> Path | None:
        value = self._qs.value(f"folders/{kind}", "")
        return Path(str(value)) if value else None

    def set_last_folder(self, kind: str, folder: Path) -> None:
        self._qs.setValue(f"folders/{kind}", str(folder))

    # -- window state (its own group) ----------------------------------------------------------
    def window_state(self, key: str) -> QByteArray | None:
        value = self._qs.value(f"window/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_window_state(self, key: str, value: QByteArray) -> None:
        self._qs.setValue(f"window/{key}", value)

    @property
    def last_page(self) -> str:
        return str(self._qs.value("window/page", "dashboard"))

    @last_page.setter
    def last_page(self, name: str) -> None:
        self._qs.setValue("window/page", name)

    def sync(self) -> None:
        """Write to disk; the file (recent paths, window state) is private to its owner."""
        self._qs.sync()
        if self._path.exists():
            os.chmod(self._path, 0o600)


def _location(text: str) -> Path | str:
    """A recent entry: a ``postgresql://`` URL stays text (a Path would fold its ``//``)."""
    return text if text.lower().startswith(("postgresql://", "postgres://")) else Path(text)
