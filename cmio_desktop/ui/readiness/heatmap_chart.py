"""HeatMapChart: groups × ADKAR elements, mean scores on a diverging scale centred at 3.

Each row shows how many of the group's people were assessed; the weakest element of each row
is outlined. Clicking a cell emits ``cell_clicked(row, element)``, clicking a row's count emits
``row_clicked(row)`` (rows index :attr:`rows`, least ready first).
"""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QPoint, Signal
from PySide6.QtWidgets import QWidget

from cmio_desktop.services.readiness.overview import GroupRow, ReadinessSummary
from cmio_desktop.ui.charts import ChartWidget

ELEMENT_NAMES = ("Awareness", "Desire", "Knowledge", "Ability", "Reinforcement")
NAMES_FLAT_MIN_PX = 600  # narrower charts abbreviate the element names
SHORT_NAMES = ("Aware.", "Desire", "Know.", "Ability", "Reinf.")
MAX_ROWS = 24
FONT = 8.5
INK = "#1f2a37"
MUTED = "#5b6b7c"
SELECTED = "#0f766e"


class HeatMapChart(ChartWidget):
    cell_clicked = Signal(int, int)
    row_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("ADKAR heat map — mean score per element", "adkar-heat-map", parent)
        self.summary: ReadinessSummary | None = None
        self.rows: list[GroupRow] = []
        self.hidden = 0
        self._ax: Any = None
        self._count_ax: Any = None
        self._selection: Any = None
        self._selected: tuple[int, int] | None = None

    def set_summary(self, summary: ReadinessSummary | None) -> None:
        self.summary = summary
        rows = summary.rows if summary is not None else []
        self.rows = rows[:MAX_ROWS]
        self.hidden = max(0, len(rows) - MAX_ROWS)
        self._selected = None
        self.request_redraw()

    # -- drawing ----------------------------------------------------------------------------------
    def draw_chart(self, figure: Any) -> None:
        self._ax = self._count_ax = self._selection = None
        if not self.rows:
            figure.text(
                0.5,
                0.5,
                "No assessments yet for this initiative",
                ha="center",
                va="center",
                color=MUTED,
                fontsize=10,
            )
            return
        import numpy as np
        from matplotlib import colormaps
        from matplotlib.colors import TwoSlopeNorm
        from matplotlib.patches import Rectangle

        grid = figure.add_gridspec(1, 2, width_ratios=[5, 0.9], wspace=0.0)
        ax = figure.add_subplot(grid[0])
        counts = figure.add_subplot(grid[1], sharey=ax)
        values = np.array([r.element_means for r in self.rows], dtype=float)
        cmap = colormaps["RdBu"].with_extremes(bad="#e5e7eb")
        image = ax.imshow(
            np.ma.masked_invalid(values),
            cmap=cmap,
            aspect="auto",
            norm=TwoSlopeNorm(vmin=1.0, vcenter=3.0, vmax=5.0),
        )
        n = len(self.rows)
        size = FONT if n <= 16 else 7.5
        for i, row in enumerate(self.rows):
            for j, value in enumerate(row.element_means):
                if math.isnan(value):
                    continue
                colour = "white" if abs(value - 3.0) > 1.05 else INK
                ax.text(j, i, f"{value:.1f}", ha="center", va="center", fontsize=size, color=colour)
            weakest = row.weakest
            if weakest is not None:
                ax.add_patch(
                    Rectangle(
                        (weakest - 0.5, i - 0.5),
                        1,
                        1,
                        fill=False,
                        edgecolor="#111827",
                        linewidth=1.8,
                    )
                )
            counts.text(
                0.1,
                i,
                f"{len(row.assessed):,}/{len(row.members):,}",
                va="center",
                ha="left",
                fontsize=size,
                color=INK,
            )
        ax.set_xticks(range(5), ELEMENT_NAMES, fontsize=FONT, color=INK)
        ax.xaxis.tick_top()
        if self.canvas is not None and self.canvas.width() < NAMES_FLAT_MIN_PX:
            # Side by side the five names run into each other on a laptop-sized chart.
            ax.set_xticks(range(5), SHORT_NAMES, fontsize=FONT, color=INK)
        ax.set_yticks(range(n), [_short(r.label) for r in self.rows], fontsize=size, color=INK)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        counts.set_xlim(0, 1)
        counts.tick_params(left=False, labelleft=False, bottom=False, labelbottom=False)
        for spine in counts.spines.values():
            spine.set_visible(False)
        counts.set_title("assessed", fontsize=7.5, color=MUTED, loc="left", pad=4)
        bar = figure.colorbar(
            image,
            ax=[ax, counts],
            location="bottom",
            fraction=0.045,
            pad=0.02,
            aspect=45,
            ticks=[1, 2, 3, 4, 5],
        )
        bar.ax.tick_params(labelsize=7.5, length=2)
        note = f" · {self.hidden} more groups not shown" if self.hidden else ""
        bar.set_label(
            f"Mean score, centred at 3 · outlined: weakest element of the row{note}",
            fontsize=7.5,
            color=MUTED,
        )
        self._ax, self._count_ax = ax, counts
        self._selection = Rectangle(
            (0, 0), 1, 1, fill=False, edgecolor=SELECTED, linewidth=3.0, visible=False
        )
        ax.add_patch(self._selection)
        if self._selected is not None:
            self._show_selection(*self._selected)

    def _show_selection(self, row: int, column: int | None) -> None:
        if self._selection is None:
            return
        if column is None:
            self._selection.set_bounds(-0.5, row - 0.5, 5, 1)
        else:
            self._selection.set_bounds(column - 0.5, row - 0.5, 1, 1)
        self._selection.set_visible(True)

    def select_cell(self, row: int, column: int | None) -> None:
        """Outline the chosen cell (or whole row with ``column=None``)."""
        self._selected = (row, column)
        self._show_selection(row, column)
        if self.canvas is not None:
            self.canvas.draw_idle()

    # -- clicks -----------------------------------------------------------------------------------
    def on_canvas_created(self, canvas: Any) -> None:
        canvas.mpl_connect("button_press_event", self._on_press)

    def _on_press(self, event: Any) -> None:
        if event.button != 1 or event.ydata is None:
            return
        row = int(round(event.ydata))
        if not 0 <= row < len(self.rows):
            return
        if event.inaxes is self._ax and event.xdata is not None:
            column = int(round(event.xdata))
            if 0 <= column < 5:
                self.select_cell(row, column)
                self.cell_clicked.emit(row, column)
        elif event.inaxes is self._count_ax:
            self.select_cell(row, None)
            self.row_clicked.emit(row)

    def cell_point(self, row: int, column: int) -> QPoint:
        """Where cell (row, column) is on the canvas, in widget coordinates (for tests)."""
        return self._point(self._ax, column, row)

    def count_point(self, row: int) -> QPoint:
        return self._point(self._count_ax, 0.5, row)

    def _point(self, ax: Any, x: float, y: float) -> QPoint:
        px, py = ax.transData.transform((x, y))
        ratio = self.canvas.device_pixel_ratio or 1.0
        return QPoint(int(px / ratio), int(self.canvas.height() - py / ratio))


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
