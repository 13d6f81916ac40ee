"""SentimentTrendChart: a person's sentiment (−2 … +2) over their logged contacts, oldest to
newest — a small line under the engagement log. Plain data in (``sentiment_trend``);
matplotlib loads only when the chart is first shown with something to draw."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from cmio_desktop.ui.charts import ChartWidget

LINE, MUTED, ZERO = "#0f766e", "#5b6b7c", "#94a3b8"
POINT_COLOURS = {-2: "#b91c1c", -1: "#d97706", 0: "#64748b", 1: "#0d9488", 2: "#047857"}
TICK_PT = 8.5
TICK_WORDS = {-2: "−2", -1: "−1", 0: "0", 1: "+1", 2: "+2"}


class SentimentTrendChart(ChartWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Sentiment trend", "sentiment-trend", parent)
        self.points: list[tuple[date, int]] | None = None
        self.setMinimumSize(240, 130)

    def set_points(self, points: list[tuple[date, int]]) -> None:
        self.points = list(points)
        self.request_redraw()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        if self.points is None:  # nothing to draw yet: no matplotlib before the first paint
            QWidget.showEvent(self, event)
            return
        super().showEvent(event)

    def draw_chart(self, figure: Any) -> None:
        ax = figure.add_subplot(111)
        points = self.points or []
        if not points:
            ax.axis("off")
            ax.text(0.5, 0.5, "No contacts logged yet", ha="center", va="center",
                    color=MUTED, fontsize=9)  # fmt: skip
            return
        days = [d for d, _ in points]
        values = [v for _, v in points]
        ax.axhline(0, color=ZERO, linewidth=0.8, linestyle=":", zorder=0)
        ax.plot(days, values, color=LINE, linewidth=1.6, zorder=2)
        ax.scatter(days, values, c=[POINT_COLOURS[v] for v in values], s=28, zorder=3,
                   edgecolors="white", linewidths=0.8)  # fmt: skip
        ax.set_ylim(-2.5, 2.5)
        ax.margins(x=0.06)
        ax.set_yticks(sorted(TICK_WORDS))
        ax.set_yticklabels([TICK_WORDS[v] for v in sorted(TICK_WORDS)])
        self._date_axis(ax, days)
        for spine in ("top", "right"):
            ax.spines[spine].set_visible(False)
        ax.tick_params(labelsize=TICK_PT)

    @staticmethod
    def _date_axis(ax: Any, days: list[date]) -> None:
        from matplotlib.dates import AutoDateLocator, DateFormatter

        if len(set(days)) == 1:  # one day: a little room either side
            from datetime import timedelta

            ax.set_xlim(days[0] - timedelta(days=7), days[0] + timedelta(days=7))
        locator = AutoDateLocator(minticks=2, maxticks=5)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(DateFormatter("%d %b"))
