"""File menu: new, open, open recent, save a copy, restore from backup, import, export, the
plan to the calendar and mail drafts (``ui.outbound_actions``), quit; drag and drop."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from cmio_desktop import __version__
from cmio_desktop.store.errors import EncryptedWorkspaceError, WorkspaceError
from cmio_desktop.ui.common.tasks import Task, TaskRunner
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.file_dialogs import ask_open_path, ask_save_path

if TYPE_CHECKING:
    from cmio_desktop.ui.main_window import MainWindow

WORKSPACE_FILTER = "CMIO workspaces (*.cmio)"
WORKSPACES = {WORKSPACE_FILTER: ".cmio"}
IMPORT_SUFFIXES = {".xlsx", ".xlsm", ".csv", ".txt", ".xls"}
NOT_AN_OFFLINE_COPY = (
    "Only an offline copy of a team workspace can sync (make one with “cmio checkout”)."
)


def _import_wizard(window: MainWindow, path: Path | None = None) -> object:
    from cmio_desktop.ui.import_wizard import (
        open_import_wizard,  # loaded on use, not before the first paint
    )

    return open_import_wizard(window, path)


def _export_dialog(window: MainWindow) -> object:
    from cmio_desktop.ui.export_dialog import open_export_dialog

    return open_export_dialog(window)


class FileActions:
    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.facade = window.facade
        self.recent_menu = QMenu("Open &Recent", window)
        # Features register handlers here; the actions stay disabled until one exists.
        self.import_handler = lambda path=None: _import_wizard(window, path)
        self.export_handler = lambda: _export_dialog(window)  # workbook, PDF or register
        self.actions: dict[str, QAction] = {}
        self.outbound_runner = TaskRunner(parent=window)  # the calendar and drafts writes
        self.sync_controller: object | None = None
        self.facade.opened.connect(self._on_facade_opened)

    def populate(self, menu: QMenu) -> None:
        def add(key: str, text: str, slot, shortcut=None) -> QAction:  # type: ignore[no-untyped-def]
            action = QAction(text, self.window)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            menu.addAction(action)
            self.actions[key] = action
            return action

        add("new", "&New Workspace…", self.new_workspace, QKeySequence.StandardKey.New)
        add("new_encrypted", "New &Encrypted Workspace…", self.new_encrypted_workspace)
        add("open", "&Open…", self.open_dialog, QKeySequence.StandardKey.Open)
        add("open_team", "Open &Team Workspace…", self.open_team_dialog)
        menu.addMenu(self.recent_menu)
        add("save_copy", "Save a &Copy As…", self.save_copy, QKeySequence("Ctrl+Shift+S"))
        add("restore", "Restore from &Backup…", self.restore_dialog)
        add("sync", "S&ync with Team Workspace", self.sync)  # enabled for an offline copy
        menu.setToolTipsVisible(True)  # why Sync is disabled
        menu.addSeparator()
        add("import", "&Import…", self.import_dialog, QKeySequence("Ctrl+I"))
        add("export", "&Export…", self.export_dialog, QKeySequence("Ctrl+E"))
        add("calendar", "Export to Ca&lendar…", self.export_calendar)
        add("drafts", "&Draft Messages…", self.draft_messages)
        menu.addSeparator()
        add("quit", "&Quit", self.window.close, QKeySequence.StandardKey.Quit)
        self.refresh_recent()
        self.refresh_enabled()

    def refresh_enabled(self) -> None:
        self.actions["import"].setEnabled(self.import_handler is not None)
        self.actions["export"].setEnabled(self.export_handler is not None)
        if self.facade.workspace is None:
            self._show_sync(False)
        else:
            self._on_facade_opened()

    def _on_facade_opened(self) -> None:
        if "sync" not in self.actions or self.facade.workspace is None:
            return
        from cmio_desktop.ui.sync_dialog import has_origin  # after the store has loaded

        self._show_sync(has_origin(self.facade.workspace))

    def _show_sync(self, offline: bool) -> None:
        action = self.actions["sync"]
        action.setEnabled(offline)
        tip = "Send this offline copy's edits to its team workspace" if offline else ""
        action.setToolTip(tip or NOT_AN_OFFLINE_COPY)
        action.setStatusTip(tip or NOT_AN_OFFLINE_COPY)

    def sync(self) -> None:
        from cmio_desktop.ui.sync_dialog import SyncController  # loaded on use

        if self.sync_controller is None:
            self.sync_controller = SyncController(self.window)
        self.sync_controller.start()  # type: ignore[attr-defined]

    def refresh_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.window.settings.recent_workspaces:  # a team workspace: its URL
            action = self.recent_menu.addAction(path if isinstance(path, str) else path.name)
            action.setToolTip(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))

    def new_workspace(self) -> None:
        target = ask_save_path(self.window, "New workspace", "workspace", "", WORKSPACES)
        if target is None:
            return
        org, ok = QInputDialog.getText(self.window, "New workspace", "Organisation name:")
        if not ok:
            return
        from cmio_desktop.store import create_workspace

        try:
            self.facade.set_workspace(create_workspace(target, org.strip() or "My organisation"))
        except WorkspaceError as exc:
            show_error(self.window, "Cannot create workspace", str(exc))

    def new_encrypted_workspace(self) -> None:
        from cmio_desktop.ui.encrypted_files import new_encrypted_workspace

        new_encrypted_workspace(self.window)

    def open_encrypted(self, path: Path) -> bool:
        """Ask for the passphrase of the encrypted ``path`` and open it; True when opened."""
        from cmio_desktop.ui.encrypted_files import open_encrypted

        return open_encrypted(self.window, path)

    def open_dialog(self) -> None:
        path = ask_open_path(self.window, "Open workspace", "workspace", WORKSPACE_FILTER)
        if path is not None:
            self.open_path(path)

    def open_team_dialog(self) -> object:
        return self.team_opener().show_dialog()

    def team_opener(self):  # type: ignore[no-untyped-def]
        opener = getattr(self, "_team_opener", None)  # made on first use
        if opener is None:
            from cmio_desktop.ui.team_open_dialog import TeamOpener  # loaded on use

            opener = self._team_opener = TeamOpener(self.window)
        return opener

    def open_path(self, path: Path | str) -> None:
        if isinstance(path, str):  # a team workspace's URL (without its password)
            self.team_opener().open_url(path)
            return
        try:
            self.facade.open(path)
        except EncryptedWorkspaceError:
            self.open_encrypted(path)
        except WorkspaceError as exc:
            if not path.exists():  # a recent file that was moved or deleted: forget it
                self.window.settings.remove_recent(path)
                self.refresh_recent()
            show_error(self.window, "Cannot open workspace", str(exc))

    def save_copy(self) -> None:
        name = f"{self.facade.ws.name} copy.cmio"
        path = ask_save_path(self.window, "Save a copy as", "workspace", name, WORKSPACES)
        if path is None:
            return
        try:
            self.facade.ws.backup_to(path)
        except (WorkspaceError, OSError) as exc:
            show_error(self.window, "Cannot save a copy", str(exc))
        else:
            self.window.statusBar().showMessage(f"Copy saved to {path}", 5000)

    def restore_dialog(self) -> object:
        from cmio_desktop.ui.restore_dialog import open_restore_dialog  # loaded on use

        return open_restore_dialog(self.window)

    def import_dialog(self, path: Path | None = None) -> None:
        if self.import_handler is not None:
            self.import_handler(path)

    def export_dialog(self) -> None:
        if self.export_handler is not None:
            self.export_handler()

    def export_calendar(self) -> Task | None:
        from cmio_desktop.ui.outbound_actions import export_calendar  # loaded on use

        return export_calendar(self.window, self.outbound_runner)

    def draft_messages(self) -> Task | None:
        from cmio_desktop.ui.outbound_actions import draft_messages

        return draft_messages(self.window, self.outbound_runner)

    def show_about(self) -> None:
        QMessageBox.about(
            self.window,
            "About CMIO Desktop",
            f"<b>CMIO Desktop {__version__}</b><p>Plan the human side of a clinical-systems "
            "go-live: stakeholders, influence, readiness, the engagement plan and go/no-go."
            "<p>Works offline; your workspace stays on this computer.",
        )

    def drag_enter(self, event) -> None:  # type: ignore[no-untyped-def]
        urls = event.mimeData().urls()
        if urls and all(self._droppable(Path(u.toLocalFile())) for u in urls[:1]):
            event.acceptProposedAction()

    def drop(self, event) -> None:  # type: ignore[no-untyped-def]
        path = Path(event.mimeData().urls()[0].toLocalFile())
        if path.suffix.lower() == ".cmio":
            self.open_path(path)
        elif self.import_handler is not None:
            self.import_handler(path)
        event.acceptProposedAction()

    def _droppable(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        return suffix == ".cmio" or (suffix in IMPORT_SUFFIXES and self.import_handler is not None)
