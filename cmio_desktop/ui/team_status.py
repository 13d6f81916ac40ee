"""The status bar on a team workspace: who else has it open ("Also open: sam.lee, ana",
refreshed every ten seconds in the background) and, for a database user who may only read, a
"View only" badge with the app's edit commands off (``ui.view_only``). Nothing on a file."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel

from cmio_desktop.ui.view_only import VIEW_ONLY_REASON, view_only_gate

if TYPE_CHECKING:
    from cmio_desktop.ui.main_window import MainWindow

PRESENCE_INTERVAL_MS = 10_000


def _others(_context: Any, engine: Any) -> list[Any]:
    from cmio_desktop.store.presence import others_here

    return others_here(engine)


def presence_text(names: list[str]) -> str:
    return f"Also open: {', '.join(names)}" if names else ""


class TeamStatus(QObject):
    """Presence and viewer mode for the main window's status bar."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        from cmio_desktop.ui.common.tasks import TaskRunner

        self.window = window
        self.facade = window.facade
        self.runner = TaskRunner(self, freeze_heap=False)
        self.badge = QLabel("View only")
        self.badge.setObjectName("viewOnlyBadge")
        self.badge.setToolTip(VIEW_ONLY_REASON)
        self.badge.setStyleSheet(
            "QLabel { background: #fff4d6; color: #6b4a00; border: 1px solid #d9b25c;"
            " border-radius: 3px; padding: 0 6px; font-weight: bold; }"
        )
        self.badge.setVisible(False)
        self.presence = QLabel()
        self.presence.setObjectName("teamPresence")
        self.presence.setStyleSheet("QLabel { color: #1f5f8b; padding: 0 8px; }")
        self.presence.setVisible(False)
        bar = window.statusBar()
        bar.addPermanentWidget(self.presence)
        bar.addPermanentWidget(self.badge)
        self.first_seen: dict[str, datetime] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(PRESENCE_INTERVAL_MS)
        self.timer.timeout.connect(self.refresh_presence)
        self.facade.opened.connect(self._on_opened)
        gate = view_only_gate()
        gate.register(window.file_actions.actions["import"])  # an import writes too
        from cmio_desktop.ui.initiative_switcher import InitiativeSwitcher

        switcher = window.initiative_bar.findChild(InitiativeSwitcher)
        if switcher is not None:  # "Initiatives…" creates and edits initiatives
            gate.register(switcher.manage)

    def _on_opened(self) -> None:
        ws = self.facade.ws
        self.first_seen.clear()
        self.presence.clear()
        self.presence.setVisible(False)
        if not ws.is_team:
            self.timer.stop()
            self._set_view_only(False)
            return
        self._set_view_only(not self._may_write(ws))
        self.refresh_presence()
        self.timer.start()

    @staticmethod
    def _may_write(ws: Any) -> bool:
        from cmio_desktop.store.presence import may_write

        return may_write(ws.engine)

    def _set_view_only(self, on: bool) -> None:
        view_only_gate().set_reason(VIEW_ONLY_REASON if on else None)
        self.badge.setVisible(on)

    def refresh_presence(self) -> None:
        ws = self.facade.workspace
        if ws is None or not ws.is_team:
            return
        task = self.runner.start(_others, ws.engine, name="presence", key="presence")
        task.finished.connect(lambda found, w=ws: self._show(w, found))

    def _show(self, ws: Any, found: list[Any]) -> None:
        if ws is not self.facade.workspace:
            return  # another workspace was opened meanwhile
        now = datetime.now()
        for person in found:
            self.first_seen.setdefault(person.user, now)
        names = [p.user for p in found]
        self.presence.setText(presence_text(names))
        self.presence.setVisible(bool(names))
        lines = []
        for person in found:
            if person.since is not None:
                since = person.since.astimezone().strftime("%d %b %H:%M")
                lines.append(f"{person.user}: open since {since}")
            else:
                since = self.first_seen[person.user].strftime("%d %b %H:%M")
                lines.append(f"{person.user}: seen since {since}")
        self.presence.setToolTip("\n".join(lines))
