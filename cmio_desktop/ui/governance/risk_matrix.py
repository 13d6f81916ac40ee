"""RiskMatrixChart: likelihood × impact, 5×5, each cell coloured by its score band and labelled
with the number of risks in it. Clicking a cell asks the page to show just those risks."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from cmio_desktop.ui.charts import ChartWidget

BANDS = ((15, "#fecaca", "High"), (8, "#fde68a", "Medium"), (0, "#bbf7d0", "Low"))


def band(score: int) -> tuple[str, str]:
    """(colour, name) for a likelihood × impact score."""
    return next((colour, name) for limit, colour, name in BANDS if score >= limit)


class RiskMatrixChart(ChartWidget):
    cell_clicked = Signal(int, int)  # likelihood, impact (0, 0 = clear)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Risk matrix (open risks)", "risk-matrix", parent)
        self.counts: list[list[int]] = [[0] * 5 for _ in range(5)]
        self.selected: tuple[int, int] | None = None
        self.setMinimumSize(340, 330)

    def set_counts(self, counts: list[list[int]], title: str = "") -> None:
        self.counts = counts
        if title:
            self.title_label.setText(title)
        self.request_redraw()

    def on_canvas_created(self, canvas: Any) -> None:
        canvas.mpl_connect("button_press_event", self._on_click)

    def _on_click(self, event: Any) -> None:
        if event.inaxes is None or event.xdata is None or event.ydata is None:
            return
        impact, likelihood = round(event.xdata), round(event.ydata)
        if not (1 <= impact <= 5 and 1 <= likelihood <= 5):
            return
        cell = (likelihood, impact)
        self.selected = None if self.selected == cell else cell
        self.request_redraw()
        self.cell_clicked.emit(*(self.selected or (0, 0)))

    def draw_chart(self, figure: Any) -> None:
        from matplotlib.patches import Rectangle

        ax = figure.add_subplot(111)
        for likelihood in range(1, 6):
            for impact in range(1, 6):
                colour, _ = band(likelihood * impact)
                chosen = self.selected == (likelihood, impact)
                ax.add_patch(
                    Rectangle(
                        (impact - 0.5, likelihood - 0.5), 1, 1, facecolor=colour,
                        edgecolor="#1f2a37" if chosen else "white", linewidth=2.5 if chosen else 2,
                    )
                )  # fmt: skip
                count = self.counts[likelihood - 1][impact - 1]
                if count:
                    ax.text(impact, likelihood, str(count), ha="center", va="center",
                            fontsize=15, fontweight="bold", color="#1f2a37")  # fmt: skip
        ax.set_xlim(0.5, 5.5)
        ax.set_ylim(0.5, 5.5)
        ax.set_xticks(range(1, 6))
        ax.set_yticks(range(1, 6))
        ax.set_xlabel("Impact", fontsize=9)
        ax.set_ylabel("Likelihood", fontsize=9)
        ax.set_aspect("equal")
        ax.tick_params(length=0, labelsize=8.5)
        for spine in ax.spines.values():
            spine.set_visible(False)
        total = sum(map(sum, self.counts))
        ax.set_title(f"{total} open risk{'s' if total != 1 else ''} · click a cell to filter",
                     fontsize=8.5, color="#5b6b7c")  # fmt: skip
