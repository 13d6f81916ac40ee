"""The dashboard's small charts: readiness by department, activities due by week, training
completion by role. Each turns the plain data of ``services.dashboard`` into a
``ui.common.mini_charts.BarChart``, drawn with QPainter: on screen at start-up without
loading matplotlib."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from cmio_desktop.ui.common.mini_charts import Bar, BarChart, Item, MiniChart, Threshold

if TYPE_CHECKING:  # plain data; the service (SQLAlchemy) loads off the UI thread
    from cmio_desktop.services.dashboard_figures import DashboardSummary

RED, AMBER, GREEN, TEAL, SLATE = "#dc2626", "#d97706", "#059669", "#0f766e", "#94a3b8"
GO_LIVE_WEEK = "#7c3aed"
BAND_COLOURS = {"ready": GREEN, "at_risk": AMBER, "not_ready": RED}
TRAINING_TARGET = 90.0


class SummaryChart(MiniChart):
    """A small chart over a :class:`DashboardSummary`; ``chart_for`` says what to draw."""

    def __init__(self, title: str, stem: str, parent: QWidget | None = None) -> None:
        super().__init__(title, stem, parent)
        self.summary: DashboardSummary | None = None
        self.setMinimumSize(260, 230)

    def set_summary(self, summary: DashboardSummary) -> None:
        self.summary = summary
        self.set_chart(self.chart_for(summary))

    @property
    def chart(self) -> BarChart | None:
        return self.canvas.chart

    def items(self) -> list[Item]:
        """What is drawn at the present size (tests check its geometry)."""
        return self.canvas.items()

    def draw_now(self) -> None:
        """Paint now (tests and screenshots need the pixels at once)."""
        self.canvas.repaint()

    def chart_for(self, s: DashboardSummary) -> BarChart:
        raise NotImplementedError


class ReadinessByDepartmentChart(SummaryChart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Readiness by department", "readiness-by-department", parent)

    def chart_for(self, s: DashboardSummary) -> BarChart:
        from cmio_desktop.analysis.adkar import readiness_band  # pure: no database

        settings = s.readiness_settings
        bars = [
            Bar(name, value, BAND_COLOURS[readiness_band(value, settings)], f"{value:.1f}")
            for name, value, _ in s.readiness_by_department  # the least ready on top
        ]
        return BarChart(
            bars, horizontal=True, lo=1.0, hi=5.0, ticks=(1, 2, 3, 4, 5),
            value_label="Mean ADKAR readiness (1–5)",
            thresholds=(
                Threshold(settings.barrier_max, f"barrier ≤ {settings.barrier_max}", True,
                          "left"),
                Threshold(settings.ready_threshold, f"ready ≥ {settings.ready_threshold:.1f}",
                          side="right"),
            ),
            empty="No readiness rounds yet",
        )  # fmt: skip


class DueByWeekChart(SummaryChart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Activities due by week", "activities-due-by-week", parent)

    def chart_for(self, s: DashboardSummary) -> BarChart:
        def colour(week: object) -> str:
            go_live = s.go_live
            if go_live is not None and week <= go_live < week + timedelta(days=7):  # type: ignore[operator]
                return GO_LIVE_WEEK
            return TEAL

        bars = [Bar("Overdue", s.activities_overdue, RED, _count(s.activities_overdue))]
        bars += [Bar(f"{w.day} {w:%b}", n, colour(w), _count(n)) for w, n in s.due_by_week]
        top = max([b.value for b in bars] + [1])
        step = max(1, math.ceil(top / 4))
        hi = top * 1.25 + 0.5
        return BarChart(
            bars, horizontal=False, lo=0.0, hi=hi,
            ticks=tuple(range(0, int(hi) + 1, step)),
            value_label="Open activities due", category_label="Week beginning",
        )  # fmt: skip


def _count(n: float) -> str:
    return f"{n:g}" if n else ""


class TrainingByRoleChart(SummaryChart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Training completion by role", "training-by-role", parent)

    def chart_for(self, s: DashboardSummary) -> BarChart:
        rows = sorted(s.training_by_role, key=lambda r: r[1])  # the least trained on top
        bars = [
            Bar(role, pct, GREEN if pct >= TRAINING_TARGET else AMBER if pct >= 80 else RED,
                f"{pct:.0f} %")
            for role, pct, _ in rows
        ]  # fmt: skip
        return BarChart(
            bars, horizontal=True, lo=0.0, hi=105.0, ticks=(0, 20, 40, 60, 80, 100),
            value_label="% of people trained (go-live needs 100 % to log in)",
            thresholds=(Threshold(TRAINING_TARGET, f"target {TRAINING_TARGET:.0f} %"),),
            empty="No courses set up yet",
        )  # fmt: skip
