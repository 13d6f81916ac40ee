"""The Readiness page's per-group charts, drawn from one ``ReadinessSummary``: barrier points
per group (100 % stacked bars), readiness trend across rounds (lines), and headcount vs
influence-weighted readiness (paired bars). Groups follow the heat map's order."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from cmio_desktop.enums import AdkarElement
from cmio_desktop.services.readiness.overview import GroupRow, ReadinessSummary
from cmio_desktop.ui.charts import ChartWidget
from cmio_desktop.ui.readiness.heatmap_chart import FONT, INK, MAX_ROWS, MUTED, _short

# Okabe–Ito colours (safe for colour-blind readers); grey for "no barrier".
BARRIER_COLOURS: dict[AdkarElement | None, str] = {
    AdkarElement.AWARENESS: "#D55E00",
    AdkarElement.DESIRE: "#E69F00",
    AdkarElement.KNOWLEDGE: "#F0E442",
    AdkarElement.ABILITY: "#56B4E9",
    AdkarElement.REINFORCEMENT: "#0072B2",
    None: "#d1d5db",
}
LINE_COLOURS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
TREND_GROUPS = 6
SMALL = 7.5


class _SummaryChart(ChartWidget):
    def __init__(self, title: str, stem: str, parent: QWidget | None = None) -> None:
        super().__init__(title, stem, parent)
        self.summary: ReadinessSummary | None = None

    def set_summary(self, summary: ReadinessSummary | None) -> None:
        self.summary = summary
        self.request_redraw()

    def rows(self) -> list[GroupRow]:
        if self.summary is None:
            return []
        return [r for r in self.summary.rows[:MAX_ROWS] if r.assessed]

    def empty(self, figure: Any) -> bool:
        if self.rows():
            return False
        figure.text(0.5, 0.5, "No assessments yet", ha="center", va="center", color=MUTED)
        return True


def _style(ax: Any) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color("#cbd5e1")
    ax.spines["bottom"].set_color("#cbd5e1")
    ax.tick_params(labelsize=SMALL, colors=INK, length=2)


class BarrierChart(_SummaryChart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Barrier points — share of assessed people", "barrier-points", parent)

    def draw_chart(self, figure: Any) -> None:
        if self.empty(figure):
            return
        rows = self.rows()
        ax = figure.add_subplot()
        y = list(range(len(rows)))
        left = [0.0] * len(rows)
        for element, colour in BARRIER_COLOURS.items():
            shares = [100.0 * r.barriers.get(element, 0) / len(r.assessed) for r in rows]
            label = element.label if element is not None else "No barrier"
            ax.barh(
                y,
                shares,
                left=left,
                color=colour,
                label=label,
                height=0.72,
                edgecolor="white",
                linewidth=0.6,
            )
            for i, share in enumerate(shares):
                if share >= 14:
                    dark = element in (
                        AdkarElement.KNOWLEDGE,
                        AdkarElement.ABILITY,
                        None,
                        AdkarElement.DESIRE,
                    )
                    ax.text(
                        left[i] + share / 2,
                        i,
                        f"{share:.0f}%",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color=INK if dark else "white",
                    )
            left = [a + b for a, b in zip(left, shares, strict=True)]
        ax.set_yticks(y, [_short(r.label, 22) for r in rows])
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100%"])
        _style(ax)
        mode = self.summary.settings.barrier_mode if self.summary else "first"
        rule = "first element" if mode == "first" else "lowest element"
        limit = self.summary.settings.barrier_max if self.summary else 3
        ax.set_xlabel(f"Barrier = {rule} scoring ≤ {limit}", fontsize=SMALL, color=MUTED)
        figure.legend(
            loc="outside upper center",
            ncols=6,
            fontsize=SMALL,
            frameon=False,
            handlelength=1.0,
            columnspacing=0.9,
            handletextpad=0.4,
        )


class InfluenceChart(_SummaryChart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Headcount vs weighted", "readiness-influence", parent)

    def draw_chart(self, figure: Any) -> None:
        if self.empty(figure):
            return
        rows = self.rows()
        ax = figure.add_subplot()
        y = list(range(len(rows)))
        head = [r.readiness or 0.0 for r in rows]
        weighted = [
            r.influence_weighted if r.influence_weighted is not None else float("nan") for r in rows
        ]
        ax.barh([v - 0.19 for v in y], head, height=0.38, color="#94a3b8", label="Headcount mean")
        ax.barh(
            [v + 0.19 for v in y],
            weighted,
            height=0.38,
            color="#0f766e",
            label="Network-weighted",
        )
        threshold = self.summary.settings.ready_threshold if self.summary else 4.0
        ax.axvline(threshold, color="#b91c1c", linestyle="--", linewidth=1)
        ax.text(
            threshold, -0.75, f" ready ≥ {threshold:g}", color="#b91c1c", fontsize=7, va="bottom"
        )
        ax.set_yticks(y, [_short(r.label, 22) for r in rows])
        ax.invert_yaxis()
        ax.set_xlim(1, 5)
        ax.set_xticks([1, 2, 3, 4, 5])
        ax.set_xlabel("Mean readiness (1–5)", fontsize=SMALL, color=MUTED)
        _style(ax)
        figure.legend(loc="outside upper center", ncols=2, fontsize=SMALL, frameon=False)


class TrendChart(_SummaryChart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Trend across rounds", "readiness-trend", parent)

    def draw_chart(self, figure: Any) -> None:
        if self.empty(figure) or self.summary is None:
            return
        rounds = self.summary.rounds
        if not rounds:
            figure.text(0.5, 0.5, "No rounds yet", ha="center", va="center", color=MUTED)
            return
        ax = figure.add_subplot()
        x = list(range(len(rounds)))
        for colour, row in zip(LINE_COLOURS, self.rows()[:TREND_GROUPS], strict=False):
            ax.plot(
                x,
                _values(row.trend),
                marker="o",
                markersize=3.5,
                linewidth=1.6,
                color=colour,
                label=_short(row.label, 22),
            )
        ax.plot(
            x,
            _values(self.summary.overall.trend),
            color=INK,
            linewidth=2.2,
            linestyle="--",
            label="All people",
        )
        threshold = self.summary.settings.ready_threshold
        ax.axhline(threshold, color="#b91c1c", linestyle=":", linewidth=1)
        ax.text(x[0], threshold, f"ready ≥ {threshold:g}", color="#b91c1c", fontsize=7, va="bottom")
        ax.set_xticks(x, [r.label.rsplit(" ", 1)[0] for r in rounds])
        ax.set_xlim(-0.25, len(rounds) - 0.75)
        ax.set_ylim(1, 5)
        ax.set_ylabel("Mean readiness", fontsize=SMALL, color=MUTED)
        _style(ax)
        ax.grid(axis="y", color="#eef2f6", linewidth=0.8)
        shown = min(TREND_GROUPS, len(self.rows()))
        ax.set_title(
            f"{shown} least-ready groups and everyone", fontsize=SMALL, color=MUTED, loc="left"
        )
        figure.legend(
            loc="outside lower center",
            ncols=2,  # three columns of department names overflow a laptop-sized chart
            fontsize=7,
            frameon=False,
            handlelength=1.4,
            columnspacing=0.8,
        )


def _values(trend: tuple[float | None, ...]) -> list[float]:
    return [float("nan") if v is None else v for v in trend]


__all__ = ["FONT", "BarrierChart", "InfluenceChart", "TrendChart"]
