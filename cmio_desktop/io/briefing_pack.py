"""The briefing pack: the main charts as a landscape PDF, one chart per page.

Built from the same plain :class:`~cmio_desktop.io.workbook.data.WorkbookData` as the executive
workbook, with ``matplotlib.figure.Figure`` pages collected by ``PdfPages`` (no pyplot, no Qt).
Pages: cover (status and headline figures), readiness by department, ADKAR heat map,
readiness trend by round, attitude mix and power/interest grid, go/no-go criteria, training
completion by role. Charts show groups, never names, so the pack needs no anonymising.
The PDF is written beside the target and moved into place when complete.
"""

from __future__ import annotations

import contextlib
import math
import os
from pathlib import Path
from typing import Any

from cmio_desktop.io.export_target import (
    check_target,
    os_error_in,
    replace_target,
    temp_beside,
    write_failed,
)
from cmio_desktop.io.workbook.data import ELEMENT_LABELS, WorkbookData, day_text

PAGE = (11.69, 8.27)  # A4 landscape, inches
INK, MUTED, NAVY = "#1f2a37", "#5b6770", "#1f3a5f"
RAG = {"green": "#2e8b57", "amber": "#e6a23c", "red": "#c0392b", "unknown": "#95a5a6"}
DECISION_RAG = {"go": "green", "conditional": "amber", "no_go": "red", "unknown": "unknown"}
ATTITUDE_COLOURS = {
    "Unaware": "#a6acaf",
    "Resistant": "#c0392b",
    "Neutral": "#f4d03f",
    "Supportive": "#82e0aa",
    "Leading": "#1e8449",
}
QUADRANT_COLOURS = ("#c0392b", "#e67e22", "#2e86c1", "#95a5a6")


def write_briefing_pack(path: str | Path, data: WorkbookData) -> int:
    """Write the pack to ``path`` (.pdf); returns the number of pages."""
    from matplotlib.backends.backend_pdf import PdfPages

    target = Path(path)
    check_target(target, ".pdf", "the briefing pack")
    temp = temp_beside(target)
    pages = [_cover, _departments, _heatmap, _trend, _mix_and_grid, _go_no_go, _training]
    count = 0
    try:
        with PdfPages(temp, metadata=_metadata()) as pdf:
            for page in pages:
                figure = _figure(data)
                if page(figure, data):
                    _footer(figure, data, count + 1)
                    pdf.savefig(figure)
                    count += 1
        replace_target(temp, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        if os_error_in(error) is not None:  # a full disk or a folder that turned read-only
            raise write_failed(error, target) from None
        raise
    return count


def _metadata() -> dict[str, Any]:
    return {"Title": "Go-live readiness briefing", "Creator": "CMIO Desktop"}


def _figure(data: WorkbookData) -> Any:
    from matplotlib.figure import Figure

    figure = Figure(figsize=PAGE, facecolor="white")
    figure.subplots_adjust(left=0.08, right=0.95, top=0.84, bottom=0.12)
    return figure


def _title(figure: Any, title: str, subtitle: str = "") -> None:
    figure.text(0.05, 0.93, title, fontsize=20, fontweight="bold", color=NAVY)
    if subtitle:
        figure.text(0.05, 0.895, subtitle, fontsize=11, color=MUTED, style="italic")


def _footer(figure: Any, data: WorkbookData, page: int) -> None:
    meta = data.meta
    left = f"{meta.organisation} · {meta.initiative} · {day_text(meta.prepared_on)}"
    figure.text(0.05, 0.03, left[:120], fontsize=8, color=MUTED)
    figure.text(0.5, 0.03, "Confidential", fontsize=8, color=MUTED, ha="center")
    figure.text(0.95, 0.03, f"Page {page}", fontsize=8, color=MUTED, ha="right")


def _cover(figure: Any, data: WorkbookData) -> bool:
    meta = data.meta
    figure.text(0.05, 0.86, "Go-live readiness briefing", fontsize=30, fontweight="bold",
                color=NAVY)  # fmt: skip
    figure.text(0.05, 0.79, f"{meta.organisation} — {meta.initiative}", fontsize=16, color=INK)
    days = meta.days_to_go_live
    when = f"Prepared {day_text(meta.prepared_on)}"
    if meta.go_live is not None and days is not None:
        when += f" · Go-live {day_text(meta.go_live)}"
        when += f" · {days:,} days to go" if days > 0 else ""
    figure.text(0.05, 0.745, when, fontsize=12, color=MUTED)
    g = data.go_no_go
    colour = RAG[DECISION_RAG.get(g.decision, "unknown")]
    box = {"boxstyle": "round,pad=0.4", "facecolor": colour, "edgecolor": colour}
    figure.text(0.05, 0.62, f"  {g.label}  ", fontsize=26, fontweight="bold", color="white",
                bbox=box)  # fmt: skip
    reasons = [line for line in (g.summary or "").splitlines() if line][:5]
    for index, line in enumerate(reasons):
        figure.text(0.40, 0.655 - index * 0.035, f"• {line[:95]}", fontsize=10, color=INK)
    y = 0.48
    figure.text(0.05, y, "Key figures", fontsize=14, fontweight="bold", color=NAVY)
    for index, kpi in enumerate(list(data.kpis)[:10]):
        column, row = divmod(index, 5)
        x, yy = 0.05 + column * 0.46, y - 0.06 - row * 0.065
        value = _kpi_text(kpi.value, kpi.number_format)
        tint = RAG.get(kpi.status or "", NAVY)
        figure.text(x, yy, value, fontsize=18, fontweight="bold", color=tint)
        figure.text(x + 0.1, yy + 0.012, kpi.label, fontsize=11, color=INK)
        if kpi.comment:
            figure.text(x + 0.1, yy - 0.016, kpi.comment[:70], fontsize=8, color=MUTED)
    return True


def _kpi_text(value: Any, number_format: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value[:12]
    if number_format.endswith("%"):
        return f"{value:.0%}"
    if number_format == "0.0":
        return f"{value:.1f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _departments(figure: Any, data: WorkbookData) -> bool:
    rows = [d for d in data.departments if d.readiness is not None]
    if not rows:
        return False
    rows.sort(key=lambda d: (d.readiness or 0.0, d.department))
    figure.subplots_adjust(left=0.22)
    _title(figure, "Readiness by department",
           "Mean readiness (1–5), latest round per person; red < 3.0, amber < 3.5")  # fmt: skip
    ax = figure.add_subplot(1, 1, 1)
    values = [d.readiness or 0.0 for d in rows]
    colours = [RAG["red"] if v < 3 else RAG["amber"] if v < 3.5 else RAG["green"] for v in values]
    bars = ax.barh([d.department[:40] for d in rows], values, color=colours)
    ax.bar_label(bars, labels=[f"{v:.1f}" for v in values], padding=3, fontsize=9)
    ax.invert_yaxis()
    ax.set_xlim(1, 5)
    ax.axvline(3.0, color=MUTED, linestyle="--", linewidth=0.8)
    _tidy(ax, "x")
    return True


def _heatmap(figure: Any, data: WorkbookData) -> bool:
    rows = [d for d in data.departments if d.assessed]
    if not rows:
        return False
    _title(figure, "ADKAR heat map", "Mean score per department and element (1–5)")
    figure.subplots_adjust(left=0.22, top=0.8)
    ax = figure.add_subplot(1, 1, 1)
    values = [[math.nan if v is None else v for v in d.elements] for d in rows]
    image = ax.imshow(values, cmap="RdYlGn", vmin=1, vmax=5, aspect="auto")
    ax.set_xticks(range(5), ELEMENT_LABELS)
    ax.set_yticks(range(len(rows)), [d.department[:40] for d in rows])
    ax.xaxis.tick_top()
    for r, row in enumerate(values):
        for c, v in enumerate(row):
            if not math.isnan(v):
                ink = "white" if v <= 1.6 or v >= 4.6 else INK  # dark ends of the scale
                ax.text(c, r, f"{v:.1f}", ha="center", va="center", fontsize=9, color=ink)
    figure.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    return True


def _trend(figure: Any, data: WorkbookData) -> bool:
    points = [p for p in data.trend if p.readiness is not None]
    if not points:
        return False
    _title(figure, "Readiness trend by round", "Mean readiness of everyone assessed in each round")
    ax = figure.add_subplot(1, 1, 1)
    labels = [p.label if p.on is None else f"{p.label}\n{day_text(p.on)}" for p in points]
    values = [p.readiness or 0.0 for p in points]
    ax.plot(labels, values, marker="o", color=NAVY, linewidth=2.5)
    for x, v in enumerate(values):
        ax.annotate(f"{v:.1f}", (x, v), textcoords="offset points", xytext=(0, 8), ha="center")
    ax.set_ylim(1, 5)
    _tidy(ax)
    return True


def _mix_and_grid(figure: Any, data: WorkbookData) -> bool:
    mix = [a for a in data.attitudes if a.people]
    if not mix and not data.grid_counts:
        return False
    _title(figure, "Attitudes and the power/interest grid")
    if mix:
        ax = figure.add_subplot(1, 2, 1)
        ax.pie([a.people for a in mix], labels=[a.attitude for a in mix], autopct="%1.0f%%",
               colors=[ATTITUDE_COLOURS.get(a.attitude, "#5d6d7e") for a in mix],
               wedgeprops={"width": 0.45}, startangle=90, counterclock=False)  # fmt: skip
        ax.set_title("Attitude mix (SEAM)", fontsize=12)
    if data.grid_counts:
        ax = figure.add_subplot(1, 2, 2)
        xs, ys, sizes, colours = [], [], [], []
        for power, row in enumerate(data.grid_counts, start=1):
            for interest, count in enumerate(row, start=1):
                if count:
                    xs.append(interest)
                    ys.append(power)
                    sizes.append(count)
                    colours.append(QUADRANT_COLOURS[(power < 4) * 2 + (interest < 4)])
        biggest = max(sizes) if sizes else 1
        ax.scatter(xs, ys, s=[60 + 1400 * n / biggest for n in sizes], c=colours, alpha=0.8)
        for x, y, n in zip(xs, ys, sizes, strict=True):
            ax.text(x, y, str(n), ha="center", va="center", fontsize=9, color="white")
        ax.set_xlim(0.4, 5.6)
        ax.set_ylim(0.4, 5.6)
        ax.axhline(3.5, color=MUTED, linewidth=0.8)
        ax.axvline(3.5, color=MUTED, linewidth=0.8)
        ax.set_xlabel("Interest")
        ax.set_ylabel("Power")
        ax.set_title("People by power and interest (key players top right)", fontsize=12)
        _tidy(ax, None)
    return True


def _go_no_go(figure: Any, data: WorkbookData) -> bool:
    g = data.go_no_go
    if not g.criteria:
        return False
    _title(figure, f"Go / no-go: {g.label}", "Each criterion evaluated from live data")
    ax = figure.add_subplot(1, 1, 1)
    ax.axis("off")
    cells = [[c.name[:60], c.criticality, c.threshold, c.actual, c.status.capitalize()]
             for c in g.criteria]  # fmt: skip
    table = ax.table(cellText=cells, colLabels=["Criterion", "Criticality", "Threshold", "Actual",
                                                "Status"],
                     colWidths=[0.5, 0.12, 0.12, 0.12, 0.12], loc="upper center",
                     cellLoc="left")  # fmt: skip
    table.auto_set_font_size(False)
    table.set_fontsize(11)
    table.scale(1, 2.4)
    for (row, column), cell in table.get_celld().items():
        if row == 0:
            cell.set_facecolor("#1f5f6b")
            cell.get_text().set_color("white")
        elif column == 4:
            cell.set_facecolor(RAG.get(g.criteria[row - 1].status, RAG["unknown"]))
            cell.get_text().set_color("white")
    return True


def _training(figure: Any, data: WorkbookData) -> bool:
    rows = [t for t in data.training if not t.department and t.required]
    if not rows:
        return False
    _title(figure, "Training completion by role", "People with every required course completed")
    ax = figure.add_subplot(1, 1, 1)
    shares = [t.completed / t.required for t in rows]
    colours = [RAG["green"] if s >= 0.9 else RAG["amber"] if s >= 0.8 else RAG["red"]
               for s in shares]  # fmt: skip
    bars = ax.bar([t.role for t in rows], shares, color=colours)
    ax.bar_label(bars, labels=[f"{s:.0%}\n{t.completed}/{t.required}" for s, t in
                               zip(shares, rows, strict=True)], padding=3, fontsize=9)  # fmt: skip
    ax.set_ylim(0, 1.15)
    ax.axhline(0.9, color=MUTED, linestyle="--", linewidth=0.8)
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{v:.0%}")
    _tidy(ax)
    return True


def _tidy(ax: Any, grid: str | None = "y") -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if grid:
        ax.grid(axis=grid, color="#e5e8eb", linewidth=0.8)
        ax.set_axisbelow(True)
