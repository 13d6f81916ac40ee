"""The moment the main window first reaches the screen, and what had been imported by then.

The app opens the workspace and builds the other pages only after this moment, so the window
appears before the heavy libraries load. ``--first-paint-report`` writes the moment down (a
test checks that none of :data:`HEAVY_MODULES` was loaded; the start-up benchmark times it).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Signal

#: Libraries that must not be loaded when the window first paints.
HEAVY_MODULES = (
    *("sqlalchemy", "scipy", "igraph", "networkit", "openpyxl", "matplotlib"),
    *("sqlcipher3", "keyring"),  # only an encrypted workspace needs them
)


def heavy_modules_loaded() -> list[str]:
    return [name for name in HEAVY_MODULES if name in sys.modules]


class FirstPaintWatcher(QObject):
    """Emits ``painted`` once, after the watched widget's first paint event."""

    painted = Signal()

    def __init__(self, widget: QObject) -> None:
        super().__init__(widget)
        self.loaded_at_paint: list[str] | None = None
        self.at = 0.0
        self._widget = widget
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        first = self.loaded_at_paint is None
        if first and watched is self._widget and event.type() == QEvent.Type.Paint:
            self.loaded_at_paint = heavy_modules_loaded()
            self.at = time.perf_counter()
            self._widget.removeEventFilter(self)
            self.painted.emit()
        return False

    def write_report(self, path: Path, at_dashboard: list[str] | None = None) -> None:
        """``at_dashboard``: what was loaded when the dashboard was complete, if it is."""
        report: dict[str, list[str]] = {"heavy_modules_at_first_paint": self.loaded_at_paint or []}
        if at_dashboard is not None:
            report["heavy_modules_at_dashboard"] = at_dashboard
        path.write_text(json.dumps(report), encoding="utf-8")
