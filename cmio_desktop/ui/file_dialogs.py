"""Open and save dialogs that start in the folder last used for that kind of file.

The folders are remembered in the settings of the main window the dialog's parent belongs to
(``folders/<kind>``); a widget outside a main window (a preview, a test) starts in the home
folder. A saved name gets the suffix of the chosen filter unless it already has one of the
allowed suffixes, so "plan.v2" becomes "plan.v2.xlsx", not "plan.xlsx".
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from PySide6.QtWidgets import QFileDialog, QWidget

from cmio_desktop.ui.settings import AppSettings

FolderKind = Literal["workspace", "import", "export", "image"]


def ask_save_path(
    parent: QWidget,
    caption: str,
    kind: FolderKind,
    file_name: str,
    filters: Mapping[str, str],
    folder: Path | None = None,
) -> Path | None:
    """The path to save to, or ``None`` if cancelled. ``filters``: filter text → suffix;
    ``folder`` overrides the remembered one (a path the user already typed)."""
    start = folder if folder is not None and folder.is_dir() else start_folder(parent, kind)
    start = start / file_name
    name, chosen = QFileDialog.getSaveFileName(parent, caption, str(start), ";;".join(filters))
    if not name:
        return None
    path = Path(name)
    allowed = {suffix.casefold() for suffix in filters.values()}
    if path.suffix.casefold() not in allowed:
        path = path.with_name(path.name + filters.get(chosen, next(iter(filters.values()))))
    remember_folder(parent, kind, path.parent)
    return path


def ask_open_path(parent: QWidget, caption: str, kind: FolderKind, filters: str) -> Path | None:
    """The file to open, or ``None`` if cancelled."""
    name, _ = QFileDialog.getOpenFileName(parent, caption, str(start_folder(parent, kind)), filters)
    if not name:
        return None
    path = Path(name)
    remember_folder(parent, kind, path.parent)
    return path


def start_folder(parent: QWidget | None, kind: FolderKind) -> Path:
    settings = _settings_of(parent)
    folder = settings.last_folder(kind) if settings is not None else None
    return folder if folder is not None and folder.is_dir() else Path.home()


def remember_folder(parent: QWidget | None, kind: FolderKind, folder: Path) -> None:
    settings = _settings_of(parent)
    if settings is not None:
        settings.set_last_folder(kind, folder)


def _settings_of(widget: QWidget | None) -> AppSettings | None:
    """The settings of the main window ``widget`` is in (dialogs included, via their parent)."""
    while widget is not None:
        settings = getattr(widget, "settings", None)
        if isinstance(settings, AppSettings):
            return settings
        widget = widget.parentWidget()
    return None
