"""ForecastChart: per group, mean readiness today and forecast at go-live without and with
the plan (and in the what-if scenario), as dumbbells on a 1–5 scale with the ready threshold
marked."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from cmio_desktop.services.readiness.forecast import GroupForecastRow
from cmio_desktop.ui.charts import ChartWidget
from cmio_desktop.ui.readiness.heatmap_chart import INK, MAX_ROWS, MUTED, _short

LEGEND_ENTRY_PX = 150  # a legend entry's width: a narrower chart puts the legend on two rows
ROW_PX, FRAME_PX = 12, 100  # each group's row, and the axis, legend and caption around them
TODAY, GO_LIVE, SCENARIO, NO_PLAN = "#94a3b8", "#0f766e", "#D55E00", "#64748b"
SMALL = 7.5


class ForecastChart(ChartWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Readiness today and forecast at go-live", "readiness-forecast", parent)
        self.rows: list[GroupForecastRow] = []
        self.threshold = 4.0
        self.caption = ""

    def set_rows(self, rows: list[GroupForecastRow], threshold: float, caption: str) -> None:
        self.rows, self.threshold, self.caption = rows[:MAX_ROWS], threshold, caption
        # Tall enough that every group's name is readable; the splitter takes it from the table.
        self.setMinimumHeight(min(FRAME_PX + ROW_PX * len(self.rows), 400))
        self.request_redraw()

    def draw_chart(self, figure: Any) -> None:
        if not self.rows:
            figure.text(0.5, 0.5, "No forecast yet", ha="center", va="center", color=MUTED)
            return
        ax = figure.add_subplot()
        y = list(range(len(self.rows)))
        today = [r.today for r in self.rows]
        later = [r.go_live for r in self.rows]
        ax.hlines(
            y,
            [min(a, b) for a, b in zip(today, later, strict=True)],
            [max(a, b) for a, b in zip(today, later, strict=True)],
            color="#cbd5e1",
            linewidth=2.5,
            zorder=1,
        )
        ax.scatter(today, y, s=34, color=TODAY, label="Today", zorder=2)
        bare = [(i, r.without_plan) for i, r in enumerate(self.rows) if r.without_plan is not None]
        if bare:
            ax.scatter(
                [v for _, v in bare],
                [i for i, _ in bare],
                s=40,
                facecolors="white",
                edgecolors=NO_PLAN,
                linewidths=1.4,
                label="Go-live without plan",
                zorder=3,
            )
        ax.scatter(later, y, s=40, color=GO_LIVE, label="Go-live with plan", zorder=3)
        scenario = [(i, r.scenario) for i, r in enumerate(self.rows) if r.scenario is not None]
        if scenario:
            ax.scatter(
                [v for _, v in scenario],
                [i for i, _ in scenario],
                s=42,
                marker="D",
                color=SCENARIO,
                label="Go-live (what-if)",
                zorder=4,
            )
        ax.axvline(self.threshold, color="#b91c1c", linestyle="--", linewidth=1)
        ax.text(
            self.threshold,
            -0.8,
            f" ready ≥ {self.threshold:g}",
            color="#b91c1c",
            fontsize=7,
            va="bottom",
        )
        labels = [f"{_short(r.label, 24)} ({r.people:,})" for r in self.rows]
        ax.set_yticks(y, labels)
        ax.invert_yaxis()
        low = min(*today, *later, *(v for _, v in scenario), *(v for _, v in bare))
        ax.set_xlim(max(1.0, low - 0.4), 5.0)
        ax.set_xlabel(self.caption or "Mean readiness (1–5)", fontsize=SMALL, color=MUTED)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.tick_params(labelsize=SMALL, colors=INK, length=2)
        # Many groups on a short chart: smaller names rather than names printed over each other.
        height_px = self.canvas.height() if self.canvas is not None else 400
        row_pt = 0.55 * height_px / max(1, len(self.rows)) * 72 / figure.dpi
        ax.tick_params(axis="y", labelsize=max(5.5, min(SMALL, row_pt)))
        ax.grid(axis="x", color="#eef2f6", linewidth=0.8)
        ax.set_axisbelow(True)
        entries = len(ax.get_legend_handles_labels()[1])
        narrow = self.canvas is not None and self.canvas.width() < LEGEND_ENTRY_PX * entries
        figure.legend(
            loc="outside upper center",
            ncols=2 if narrow else entries,
            fontsize=SMALL,
            frameon=False,
        )
