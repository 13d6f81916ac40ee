"""ChartWidget: a matplotlib Figure on a FigureCanvasQTAgg with a "Save chart…" button.

matplotlib is imported when a chart is first shown (not at start-up), never through pyplot.
Subclasses implement ``draw_chart(figure)`` from plain data and call ``request_redraw()`` when
their data changes; a hidden chart only remembers that it is stale and draws when shown.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QMenu,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.io.export_target import ExportError, written_in_place
from cmio_desktop.ui.common.chart_header import chart_header
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.file_dialogs import ask_save_path

SAVE_FILTERS = {
    "PNG image (*.png)": ".png",
    "SVG vector image (*.svg)": ".svg",
    "PDF document (*.pdf)": ".pdf",
}
SAVE_DPI = 200
FACE_COLOUR = "#ffffff"
MIN_FONT_PT = 6.5  # text shrinks to fit the canvas, never below this
BASE_FONT_PT = 10.0
REFERENCE_WIDTH_PX = 560  # a chart this wide draws its default text at BASE_FONT_PT


def font_scale(width_px: int) -> float:
    """Default text grows and shrinks a little with the chart (not with the screen's DPI,
    which matplotlib already follows)."""
    return min(1.25, max(0.8, width_px / REFERENCE_WIDTH_PX))


def clipped_texts(figure: Any, tolerance_px: float = 1.0) -> list[tuple[str, Any]]:
    """Visible texts whose drawn extent leaves the figure: (text, Text artist) pairs.

    Needs a laid-out figure (after ``draw`` or ``draw_without_rendering``). The screenshot
    tests fail on any of these; ``fit_texts`` shrinks or wraps them before drawing.
    """
    from matplotlib.text import Text

    renderer = figure.canvas.get_renderer()
    box = figure.bbox
    undrawn = _undrawn_tick_labels(figure)
    clipped = []
    for text in figure.findobj(Text):
        if not text.get_visible() or not text.get_text().strip() or id(text) in undrawn:
            continue
        extent = text.get_window_extent(renderer)
        if (
            extent.x0 < box.x0 - tolerance_px
            or extent.y0 < box.y0 - tolerance_px
            or extent.x1 > box.x1 + tolerance_px
            or extent.y1 > box.y1 + tolerance_px
        ):
            clipped.append((text.get_text(), text))
    return clipped


def _undrawn_tick_labels(figure: Any) -> set[int]:
    """Tick labels matplotlib keeps but does not draw (ticks outside the view limits)."""
    undrawn: set[int] = set()
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            drawn = {id(t) for t in axis._update_ticks()}  # what Axis.draw draws
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if id(tick) not in drawn:
                    undrawn.update((id(tick.label1), id(tick.label2)))
    return undrawn


def _legends_holding(figure: Any, texts: list[Any]) -> list[Any]:
    ids = {id(t) for t in texts}
    legends = list(figure.legends) + [ax.get_legend() for ax in figure.axes if ax.get_legend()]
    return [leg for leg in legends if any(id(t) in ids for t in leg.get_texts())]


def fit_texts(figure: Any, rounds: int = 8) -> None:
    """Make texts that the canvas edge would cut fit: a long label too wide wraps once at its
    middle space (legend entries excepted), anything else shrinks (to MIN_FONT_PT); the
    layout is re-run between rounds so constrained layout can make room."""
    for _ in range(rounds):
        figure.draw_without_rendering()
        clipped = clipped_texts(figure)
        if not clipped:
            return
        renderer = figure.canvas.get_renderer()
        box = figure.bbox
        legend_texts = {
            id(t)
            for legend in _legends_holding(figure, [text for _label, text in clipped])
            for t in legend.texts
        }
        changed = False
        for label, text in clipped:
            extent = text.get_window_extent(renderer)
            too_wide = extent.x0 < box.x0 or extent.x1 > box.x1
            if (
                too_wide
                and id(text) not in legend_texts
                and "\n" not in label
                and " " in label.strip()
                and len(label) > 16
            ):
                middle = len(label) // 2
                spaces = [i for i, ch in enumerate(label) if ch == " "]
                cut = min(spaces, key=lambda i: abs(i - middle))
                text.set_text(label[:cut] + "\n" + label[cut + 1 :])
                changed = True
            elif text.get_fontsize() > MIN_FONT_PT:
                text.set_fontsize(max(MIN_FONT_PT, text.get_fontsize() * 0.85))
                changed = True
        if not changed:
            return


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
        self._drawn_texts: list[tuple[Any, str, float]] = []
        layout, self.title_label, self.save_button = chart_header(self, title, self.save_dialog)
        self._body = QVBoxLayout()
        self._body.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._body, 1)
        self.setMinimumSize(240, 220)  # splitters on a 1024×700 screen must still fit

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
            self.canvas.mpl_connect("resize_event", self._on_canvas_resized)
            self.on_canvas_created(self.canvas)
        return self.canvas

    def request_redraw(self) -> None:
        """Redraw now if visible, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.redraw()

    def redraw(self) -> None:
        from matplotlib import rc_context

        self.ensure_canvas()
        self.figure.clear()
        size = BASE_FONT_PT * font_scale(self.canvas.width())
        with rc_context({"font.size": size, "axes.titlesize": size * 1.1}):
            self.draw_chart(self.figure)
        from matplotlib.text import Text

        self._drawn_texts = [(t, t.get_text(), t.get_fontsize()) for t in self.figure.findobj(Text)]
        self._fit_texts()
        self._stale = False
        self.canvas.draw_idle()

    def _fit_texts(self) -> None:
        with contextlib.suppress(ValueError, RuntimeError):  # a zero-size canvas: draw as is
            fit_texts(self.figure)

    def _on_canvas_resized(self, _event: Any) -> None:
        # Texts fitted for the old size start again from the chart's own wording and sizes
        # (artists are kept, so subclasses' references to them stay valid).
        if self._stale or self.figure is None:
            return
        for text, label, size in self._drawn_texts:
            text.set_text(label)
            text.set_fontsize(size)
        self._fit_texts()

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
