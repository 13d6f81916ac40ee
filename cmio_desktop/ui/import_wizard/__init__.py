"""Import from spreadsheets (the wizard) and export the register: the File menu's handlers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from ..dialogs import show_error

if TYPE_CHECKING:
    from ..main_window import MainWindow
    from .wizard import ImportWizard


def open_import_wizard(window: MainWindow, path: Any = None) -> ImportWizard | None:
    """Open the wizard (window-modal); with a ``path`` (a dropped file) start reading it."""
    from .wizard import ImportWizard

    if window.facade.workspace is None:
        show_error(window, "Import", "Open or create a workspace first.")
        return None
    wizard = ImportWizard(window.facade, window)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if isinstance(path, str | Path) and str(path):
        wizard.load_file(Path(path))
    wizard.open()
    return wizard


def export_register_dialog(window: MainWindow) -> None:
    from .export_action import export_register_dialog as run

    run(window)
