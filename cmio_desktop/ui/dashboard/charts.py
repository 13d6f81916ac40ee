"""The dashboard's small charts: readiness by department, activities due by week, training
completion by role. Each takes plain data from ``services.dashboard``."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from cmio_desktop.ui.charts import ChartWidget

if TYPE_CHECKING:  # plain data; the service (SQLAlchemy) loads off the UI thread
    from cmio_desktop.services.dashboard_figures import DashboardSummary

RED, AMBER, GREEN, TEAL, SLATE = "#dc2626", "#d97706", "#059669", "#0f766e", "#94a3b8"
BAND_COLOURS = {"ready": GREEN, "at_risk": AMBER, "not_ready": RED}
LINE_COLOUR = "#475569"
TICK_PT = 9.0  # readable at 100 % scaling
LABEL_PT = 9.0
TRAINING_TARGET = 90.0


def _tidy(ax: Any) -> None:
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    ax.tick_params(labelsize=TICK_PT)


def _threshold(ax: Any, x: float, text: str, style: str = "--", ha: str = "center") -> None:
    """A vertical threshold line behind the bars, labelled above the plot (``ha`` "right" or
    "left" puts the label beside the line, so that two close lines' labels do not collide)."""
    ax.axvline(x, color=LINE_COLOUR, linestyle=style, linewidth=0.9, zorder=0)
    pad = {"right": text + " ", "left": " " + text}.get(ha, text)
    ax.text(x, 1.0, pad, transform=ax.get_xaxis_transform(), ha=ha, va="bottom",
            fontsize=8.5, color=LINE_COLOUR)  # fmt: skip


def _bar_labels(
    ax: Any, values: list[float], texts: list[str], span: float, base: float = 0.0
) -> None:
    """Value labels inside the end of each bar (white on the bar), never on a threshold line;
    a bar too short for its label gets it just outside."""
    for i, (v, text) in enumerate(zip(values, texts, strict=True)):
        inside = v - base >= span * 0.22
        ax.text(v - span * 0.015 if inside else v + span * 0.015, i, text, va="center",
                ha="right" if inside else "left", fontsize=LABEL_PT, zorder=3,
                color="white" if inside else "#334155",
                fontweight="bold" if inside else "normal")  # fmt: skip


def _empty(ax: Any, text: str) -> None:
    ax.axis("off")
    ax.text(0.5, 0.5, text, ha="center", va="center", color="#5b6b7c", fontsize=9)


class SummaryChart(ChartWidget):
    """A small chart over a :class:`DashboardSummary`; ``draw_summary`` does the drawing."""

    def __init__(self, title: str, stem: str, parent: QWidget | None = None) -> None:
        super().__init__(title, stem, parent)
        self.summary: DashboardSummary | None = None
        self.setMinimumSize(260, 230)

    def set_summary(self, summary: DashboardSummary) -> None:
        self.summary = summary
        self.request_redraw()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        if self.summary is None:  # nothing to draw yet: do not pay for matplotlib before
            QWidget.showEvent(self, event)  # the window's first paint
            return
        super().showEvent(event)

    def draw_chart(self, figure: Any) -> None:
        ax = figure.add_subplot(111)
        if self.summary is None:
            _empty(ax, "Loading…")
            return
        self.draw_summary(ax, self.summary)
        _tidy(ax)

    def draw_summary(self, ax: Any, s: DashboardSummary) -> None:
        raise NotImplementedError


class ReadinessByDepartmentChart(SummaryChart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Readiness by department", "readiness-by-department", parent)

    def draw_summary(self, ax: Any, s: DashboardSummary) -> None:
        rows = s.readiness_by_department
        if not rows:
            _empty(ax, "No readiness rounds yet")
            return
        values = [v for _, v, _ in rows]
        settings = s.readiness_settings
        from cmio_desktop.analysis.adkar import readiness_band  # lazily: models load SQLAlchemy

        colours = [BAND_COLOURS[readiness_band(v, settings)] for v in values]
        ax.barh(range(len(rows)), [v - 1 for v in values], left=1, color=colours, height=0.7,
                zorder=2)  # fmt: skip
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([d for d, _, _ in rows], fontsize=TICK_PT)
        ax.set_xlim(1, 5)
        _threshold(ax, settings.barrier_max, f"barrier ≤ {settings.barrier_max}", ":", "right")
        _threshold(ax, settings.ready_threshold, f"ready ≥ {settings.ready_threshold:.1f}",
                   ha="left")  # fmt: skip
        _bar_labels(ax, values, [f"{v:.1f}" for v in values], 4.0, base=1.0)
        ax.invert_yaxis()  # the least ready department on top
        ax.set_xlabel("Mean ADKAR readiness (1–5)", fontsize=LABEL_PT)


class DueByWeekChart(SummaryChart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Activities due by week", "activities-due-by-week", parent)

    def draw_summary(self, ax: Any, s: DashboardSummary) -> None:
        labels = ["Overdue"] + [f"{w.day} {w:%b}" for w, _ in s.due_by_week]
        values = [s.activities_overdue] + [n for _, n in s.due_by_week]
        colours = [RED] + [TEAL] * len(s.due_by_week)
        if s.go_live:
            colours = [RED] + [
                "#7c3aed" if w <= s.go_live < w + timedelta(days=7) else TEAL
                for w, _ in s.due_by_week
            ]
        ax.bar(range(len(values)), values, color=colours, width=0.7)
        ax.set_xticks(range(len(values)))
        ax.set_xticklabels(labels, rotation=60, ha="right", fontsize=TICK_PT)
        ax.set_ylabel("Open activities due", fontsize=LABEL_PT)
        ax.set_xlabel("Week beginning", fontsize=LABEL_PT)
        top = max(values + [1])
        ax.set_ylim(0, top * 1.25 + 0.5)
        for i, v in enumerate(values):
            if v:
                ax.text(i, v + top * 0.03, str(v), ha="center", fontsize=LABEL_PT, color="#334155")
        ax.yaxis.get_major_locator().set_params(integer=True)


class TrainingByRoleChart(SummaryChart):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Training completion by role", "training-by-role", parent)

    def draw_summary(self, ax: Any, s: DashboardSummary) -> None:
        rows = sorted(s.training_by_role, key=lambda r: r[1])
        if not rows:
            _empty(ax, "No courses set up yet")
            return
        values = [v for _, v, _ in rows]
        colours = [GREEN if v >= TRAINING_TARGET else AMBER if v >= 80 else RED for v in values]
        ax.barh(range(len(rows)), values, color=colours, height=0.7, zorder=2)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([r for r, _, _ in rows], fontsize=TICK_PT)
        ax.set_xlim(0, 105)
        _threshold(ax, TRAINING_TARGET, f"target {TRAINING_TARGET:.0f} %")
        _bar_labels(ax, values, [f"{v:.0f} %" for v in values], 100.0)
        ax.invert_yaxis()
        ax.set_xlabel("% of people trained (go-live needs 100 % to log in)", fontsize=LABEL_PT)
