"""Import from spreadsheets (the wizard) and export the register: the File menu's handlers."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt

from cmio_desktop.ui.dialogs import show_error

if TYPE_CHECKING:
    from cmio_desktop.ui.import_wizard.wizard import ImportWizard
    from cmio_desktop.ui.main_window import MainWindow


def open_import_wizard(window: MainWindow, path: Any = None) -> ImportWizard | None:
    """Open the wizard (window-modal); with a ``path`` (a dropped file) start reading it."""
    from cmio_desktop.ui.import_wizard.wizard import ImportWizard

    if window.facade.workspace is None:
        show_error(window, "Import", "Open or create a workspace first.")
        return None
    wizard = ImportWizard(window.facade, window)
    wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    wizard.show_classification_requested.connect(lambda: show_needing_classification(window))
    wizard.accepted.connect(
        lambda: (
            wizard.closing_summary
            and window.statusBar().showMessage(wizard.closing_summary, 15_000)
        )
    )
    if isinstance(path, str | Path) and str(path):
        wizard.load_file(Path(path))
    wizard.open()
    return wizard


def show_needing_classification(window: MainWindow) -> None:
    """The register, filtered to the people whose role or group is unclassified."""
    window.show_page("stakeholders")
    window.page_by_key["stakeholders"].show_needing_classification()  # type: ignore[attr-defined]


def export_register_dialog(window: MainWindow) -> None:
    from cmio_desktop.ui.import_wizard.export_action import export_register_dialog as run

    run(window)
