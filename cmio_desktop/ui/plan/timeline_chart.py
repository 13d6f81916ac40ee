"""TimelineChart: the plan as a Gantt chart by week — activity bars coloured by ADKAR element,
phases, milestones, communication send dates, a today line and the go-live marker."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from cmio_desktop.services.initiatives import MilestoneRow, PhaseRow
from cmio_desktop.services.plan.activities import ActivityRow
from cmio_desktop.services.plan.communications import Occurrence
from cmio_desktop.ui.charts import ChartWidget

ELEMENT_COLOURS = {
    "awareness": "#3b82f6",
    "desire": "#f59e0b",
    "knowledge": "#10b981",
    "ability": "#8b5cf6",
    "reinforcement": "#ec4899",
    None: "#94a3b8",
}
TODAY_COLOUR = "#0f766e"
GO_LIVE_COLOUR = "#b91c1c"
OVERDUE_COLOUR = "#dc2626"
MAX_ROWS = 40


@dataclass(frozen=True)
class TimelineData:
    today: date
    go_live: date | None
    activities: list[ActivityRow] = field(default_factory=list)
    phases: tuple[PhaseRow, ...] = ()
    milestones: tuple[MilestoneRow, ...] = ()
    sends: list[Occurrence] = field(default_factory=list)


def window(data: TimelineData) -> tuple[date, date]:
    """From the earliest open (or overdue) activity — or four weeks before today if that is
    later, or the first phase if nothing is open — to three weeks after go-live, starting on a
    Monday. Overdue work is never left off the left edge."""
    earliest = [r.start or r.due for r in data.activities if r.is_open]
    if not any(earliest):
        earliest = [p.start_date for p in data.phases]
    first = min((d for d in earliest if d is not None), default=data.today)
    start = min(data.today - timedelta(weeks=4), first - timedelta(days=4))
    end = (data.go_live or data.today + timedelta(weeks=12)) + timedelta(weeks=3)
    end = max(end, data.today + timedelta(weeks=3))
    start -= timedelta(days=start.weekday())
    return start, end


def tick_interval(weeks: int, width_px: int) -> int:
    """Weeks between date labels so that each "08 Dec" label (about 40 px) has room."""
    room = max(1, width_px // 64)
    return max(1, -(-weeks // room))


def minimum_height(rows: int) -> int:
    """Pixels the chart needs for ``rows`` activity rows (plus phases, milestones, sends and the
    legend) so that labels never overlap: the page scrolls beyond this."""
    return max(420, 150 + 19 * (rows + 3))


def rows_for(data: TimelineData, show_closed: bool) -> tuple[list[ActivityRow], int]:
    start, end = window(data)
    rows = [
        r
        for r in data.activities
        if (r.start or r.due) and (r.due or r.start) >= start and (r.start or r.due) <= end
        and (show_closed or r.is_open)
    ]  # fmt: skip
    rows.sort(key=lambda r: (not r.overdue, r.start or r.due, r.id))
    hidden = max(0, len(rows) - MAX_ROWS)
    rows = sorted(rows[:MAX_ROWS], key=lambda r: (r.start or r.due, r.due or r.start, r.id))
    return rows, hidden


class TimelineChart(ChartWidget):
    activity_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Plan timeline", "plan-timeline", parent)
        self.data: TimelineData | None = None
        self.show_closed = True
        self.setMinimumHeight(420)

    def set_data(self, data: TimelineData) -> None:
        self.data = data
        self.update_minimum_height()
        self.request_redraw()

    def update_minimum_height(self) -> None:
        rows = len(rows_for(self.data, self.show_closed)[0]) if self.data else 0
        self.setMinimumHeight(minimum_height(rows))

    def on_canvas_created(self, canvas: Any) -> None:
        canvas.mpl_connect("pick_event", self._on_pick)

    def _on_pick(self, event: Any) -> None:
        gid = event.artist.get_gid()
        if gid and str(gid).startswith("activity:"):
            self.activity_clicked.emit(int(str(gid).split(":")[1]))

    def draw_chart(self, figure: Any) -> None:  # noqa: C901 - one drawing routine
        import matplotlib.dates as mdates

        ax = figure.add_subplot(111)
        data = self.data
        if data is None:
            ax.axis("off")
            return
        start, end = window(data)
        rows, hidden = rows_for(data, self.show_closed)
        sends = f"Sends ({len(data.sends)})"
        labels = ["Phases", "Milestones", sends] + [_short(r.title) for r in rows]
        n = len(labels)
        y = {label_index: n - 1 - label_index for label_index in range(n)}

        for phase_index, phase in enumerate(data.phases):
            if phase.start_date is None:
                continue
            p_end = phase.end_date or end
            colour = ("#e2e8f0", "#cbd5e1", "#e2e8f0")[phase_index % 3]
            ax.barh(y[0], (p_end - phase.start_date).days + 1, left=phase.start_date,
                    height=0.6, color=colour, edgecolor="white")  # fmt: skip
            lo, hi = max(phase.start_date, start), min(p_end, end)
            room = int((hi - lo).days / 2.6)  # characters that fit, roughly
            if room >= 8:
                ax.text(lo + (hi - lo) / 2, y[0], _short(phase.name, room), ha="center",
                        va="center", fontsize=7, color="#334155", clip_on=True)  # fmt: skip
        previous: date | None = None
        above = True
        for m in sorted(data.milestones, key=lambda m: m.due):
            ax.plot([m.due], [y[1]], marker="D", color="#1f2a37", markersize=6)
            ax.axvline(m.due, color="#94a3b8", linewidth=0.6, linestyle=":", zorder=0)
            if m.due == data.go_live:
                continue  # the go-live line says it already
            above = not above if previous and (m.due - previous).days < 28 else True
            previous = m.due
            ax.annotate(_short(m.name, 18), (m.due, y[1]), xytext=(0, 7 if above else -11),
                        ha="center", textcoords="offset points", fontsize=6.5,
                        color="#1f2a37")  # fmt: skip
        comm_ids = sorted({s.communication_id for s in data.sends})
        palette = ["#0ea5e9", "#6366f1", "#14b8a6", "#f97316", "#a855f7", "#64748b"]
        for s in data.sends:
            colour = palette[comm_ids.index(s.communication_id) % len(palette)]
            offset = (comm_ids.index(s.communication_id) % 3 - 1) * 0.22
            ax.plot([s.when], [y[2] + offset], marker="|", color=colour, markersize=9, mew=2)
        for i, r in enumerate(rows, start=3):
            a = r.start or r.due
            b = r.due or r.start
            colour = OVERDUE_COLOUR if r.overdue else ELEMENT_COLOURS.get(r.element, "#94a3b8")
            closed = not r.is_open
            bar = ax.barh(
                y[i], max(1, (b - a).days + 1), left=a, height=0.62, color=colour,
                alpha=0.35 if closed else 0.9, edgecolor=GO_LIVE_COLOUR if r.overdue else "none",
                linewidth=1.6 if r.overdue else 0,
            )  # fmt: skip
            for patch in bar.patches:
                patch.set_gid(f"activity:{r.id}")
                patch.set_picker(True)
        ax.axvline(data.today, color=TODAY_COLOUR, linewidth=1.6)
        ax.text(data.today, n - 0.35, " Today", color=TODAY_COLOUR, fontsize=8,
                fontweight="bold", va="bottom")  # fmt: skip
        if data.go_live:
            ax.axvline(data.go_live, color=GO_LIVE_COLOUR, linewidth=2.4)
            ax.text(data.go_live, n - 0.35, " Go-live", color=GO_LIVE_COLOUR, fontsize=8,
                    fontweight="bold", va="bottom")  # fmt: skip
        ax.set_yticks([y[i] for i in range(n)])
        ax.set_yticklabels(labels, fontsize=7.5)
        tick_labels = ax.get_yticklabels()
        for tick in tick_labels[:3]:
            tick.set_fontweight("bold")
            tick.set_color("#475569")
        for tick, r in zip(tick_labels[3:], rows, strict=True):
            if r.overdue:
                tick.set_color(OVERDUE_COLOUR)
        ax.set_ylim(-0.7, n - 0.1)
        ax.set_xlim(start, end)
        weeks = (end - start).days // 7
        # the drawing's own width (a saved or not-yet-resized figure differs from the widget)
        plot_px = int(figure.get_figwidth() * figure.dpi) - 240  # less the activity names
        every = tick_interval(weeks, plot_px)
        ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=0, interval=every))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
        ax.xaxis.set_minor_locator(mdates.WeekdayLocator(byweekday=0))
        ax.tick_params(axis="x", labelsize=7.5, rotation=0)
        ax.grid(axis="x", which="minor", color="#eef2f6", linewidth=0.8)
        ax.grid(axis="x", which="major", color="#e2e8f0", linewidth=0.8)
        ax.set_axisbelow(True)
        for spine in ("top", "right", "left"):
            ax.spines[spine].set_visible(False)
        ax.axhline(y[2] - 0.5, color="#cbd5e1", linewidth=0.8)
        handles = [
            _patch(colour, label.capitalize() if label else "No element")
            for label, colour in ELEMENT_COLOURS.items()
        ] + [_patch(OVERDUE_COLOUR, "Overdue")]
        columns = 7 if plot_px >= 760 else 4  # a narrow chart gets a two-row legend
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=columns,
                  fontsize=8, frameon=False)  # fmt: skip
        if hidden:
            ax.text(1.0, -0.12, f"+{hidden} more activities — filter in the Activities tab",
                    transform=ax.transAxes, ha="right", fontsize=7.5, color="#5b6b7c")  # fmt: skip


def _patch(colour: str, label: str) -> Any:
    from matplotlib.patches import Patch

    return Patch(facecolor=colour, label=label)


def _short(text: str, limit: int = 42) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
