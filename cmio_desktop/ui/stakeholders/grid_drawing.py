"""Drawing helpers for the power/interest grid: plain matplotlib on an Axes, no Qt."""

from __future__ import annotations

from typing import Any

from cmio_desktop.analysis.grids import Quadrant
from cmio_desktop.ui.stakeholders.register_table import quadrant_caption

JITTER = 0.32  # points spread ±0.32 of a cell around their score
BAND = 0.62  # height of the label band above and below the grid, in score units
QUADRANT_COLOURS = {
    Quadrant.KEY_PLAYER: "#fde2e1",
    Quadrant.KEEP_SATISFIED: "#fdf0d5",
    Quadrant.KEEP_INFORMED: "#dcecfb",
    Quadrant.MONITOR: "#eef1f5",
}


def jitter(ids: Any) -> tuple[Any, Any]:
    """Offsets derived from each id (not random), so a point stays put between redraws."""
    jx = ((ids * 2654435761) % 4093) / 4093.0 - 0.5
    jy = ((ids * 40503 + 7919) % 4091) / 4091.0 - 0.5
    return jx * 2 * JITTER, jy * 2 * JITTER


def cell_points(figure: Any) -> float:
    """Approximate side of one grid cell in points (marker sizes are in points²)."""
    width, height = figure.get_size_inches()
    return min(width * 72 * 0.8 / 5, height * 72 * 0.72 / (5 + 2 * BAND))


def draw_quadrants(ax: Any, threshold: int) -> None:
    """Shaded Mendelow quadrants with their strategy in bands above and below the grid."""
    from matplotlib.patches import Rectangle

    split = threshold - 0.5
    low, high = 0.5 - BAND, 5.5 + BAND
    regions = {
        Quadrant.KEY_PLAYER: (split, 5.5, split, high),
        Quadrant.KEEP_SATISFIED: (low_x := 0.5, split, split, high),
        Quadrant.KEEP_INFORMED: (split, 5.5, low, split),
        Quadrant.MONITOR: (low_x, split, low, split),
    }
    for quadrant, (x0, x1, y0, y1) in regions.items():
        ax.add_patch(
            Rectangle(
                (x0, y0),
                x1 - x0,
                y1 - y0,
                facecolor=QUADRANT_COLOURS[quadrant],
                edgecolor="none",
                zorder=0,
            )
        )
        top = quadrant in (Quadrant.KEY_PLAYER, Quadrant.KEEP_SATISFIED)
        label_y = 5.5 + BAND / 2 if top else 0.5 - BAND / 2
        text = quadrant_caption(quadrant, "\n")
        ax.text(
            (x0 + x1) / 2,
            label_y,
            text,
            ha="center",
            va="center",
            fontsize=8.5,
            color="#334155",
            fontweight="bold",
            linespacing=1.15,
            zorder=1,
        )
    for y in (5.5, 0.5):
        ax.axhline(y, color="#cbd5e1", linewidth=0.8, zorder=1)
    ax.axvline(split, color="#64748b", linewidth=1.2, linestyle="--", zorder=1)
    ax.axhline(split, color="#64748b", linewidth=1.2, linestyle="--", zorder=1)
    ax.set_xlim(0.5, 5.5)
    ax.set_ylim(low, high)
    ax.set_xticks(range(1, 6))
    ax.set_yticks(range(1, 6))
    ax.tick_params(labelsize=9, length=0)
    ax.set_xlabel("Interest", fontsize=9.5, color="#334155")
    ax.set_ylabel("Power (rated)", fontsize=9.5, color="#334155")
    for spine in ax.spines.values():
        spine.set_color("#cbd5e1")
