"""ChartWidget: a matplotlib Figure on a FigureCanvasQTAgg with a "Save chart…" button.

matplotlib is imported when a chart is first shown (not at start-up), never through pyplot.
Subclasses implement ``draw_chart(figure)`` from plain data and call ``request_redraw()`` when
their data changes; a hidden chart only remembers that it is stale and draws when shown.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..io.export_target import ExportError, written_in_place
from .dialogs import show_error
from .file_dialogs import ask_save_path

SAVE_FILTERS = {
    "PNG image (*.png)": ".png",
    "SVG vector image (*.svg)": ".svg",
    "PDF document (*.pdf)": ".pdf",
}
SAVE_DPI = 200
FACE_COLOUR = "#ffffff"


class ChartWidget(QWidget):
    """Base class: owns the figure and canvas, saving, and redraw-when-visible."""

    def __init__(
        self, title: str = "", file_stem: str = "chart", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.file_stem = file_stem
        self.figure: Any = None
        self.canvas: Any = None
        self._stale = True
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        bar = QHBoxLayout()
        bar.setContentsMargins(8, 4, 8, 0)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("chartTitle")
        self.title_label.setStyleSheet("font-weight: 600; color: #1f2a37;")
        self.save_button = QToolButton()
        self.save_button.setText("Save chart…")
        self.save_button.setToolTip("Save this chart as PNG, SVG or PDF")
        self.save_button.clicked.connect(self.save_dialog)
        bar.addWidget(self.title_label, 1)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)
        self._body = QVBoxLayout()
        self._body.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._body, 1)
        self.setMinimumSize(320, 280)

    # -- to implement ---------------------------------------------------------------------------
    def draw_chart(self, figure: Any) -> None:
        raise NotImplementedError

    def on_canvas_created(self, canvas: Any) -> None:
        """Hook for subclasses to connect matplotlib events."""

    # -- canvas life cycle ----------------------------------------------------------------------
    def ensure_canvas(self) -> Any:
        if self.canvas is None:
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            self.figure = Figure(
                figsize=(6, 5), dpi=100, facecolor=FACE_COLOUR, layout="constrained"
            )
            self.canvas = FigureCanvasQTAgg(self.figure)
            self.canvas.setParent(self)
            self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            self.canvas.customContextMenuRequested.connect(self._on_canvas_context_menu)
            self._body.addWidget(self.canvas, 1)
            self.on_canvas_created(self.canvas)
        return self.canvas

    def request_redraw(self) -> None:
        """Redraw now if visible, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.redraw()

    def redraw(self) -> None:
        self.ensure_canvas()
        self.figure.clear()
        self.draw_chart(self.figure)
        self._stale = False
        self.canvas.draw_idle()

    def draw_now(self) -> None:
        """Draw synchronously (tests, screenshots and saving need the pixels now)."""
        if self._stale or self.canvas is None:
            self.redraw()
        self.canvas.draw()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale or self.canvas is None:
            self.redraw()

    # -- saving -----------------------------------------------------------------------------------
    def save(self, path: Path | str) -> Path:
        """Save the chart; the format follows the suffix (.png, .svg or .pdf)."""
        path = Path(path)
        if path.suffix.lower() not in SAVE_FILTERS.values():
            path = path.with_suffix(".png")
        self.ensure_canvas()
        if self._stale:
            self.redraw()
        with written_in_place(path) as temp:  # never a half-written or clobbered file
            self.figure.savefig(temp, format=path.suffix.lower()[1:], dpi=SAVE_DPI,
                                facecolor=FACE_COLOUR)  # fmt: skip
        return path

    def save_dialog(self) -> None:
        target = ask_save_path(self, "Save chart", "image", f"{self.file_stem}.png", SAVE_FILTERS)
        if target is None:
            return
        try:
            self.save(target)
        except ExportError as exc:
            show_error(self, "Cannot save chart", str(exc))
        except (OSError, ValueError) as exc:
            show_error(self, "Cannot save chart", f"The chart could not be saved: {exc}")

    def _on_canvas_context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        action = QAction("Save chart…", menu)
        action.triggered.connect(self.save_dialog)
        menu.addAction(action)
        menu.exec(self.canvas.mapToGlobal(pos))
