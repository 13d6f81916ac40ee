"""The power/interest grid (Mendelow) for the people the register currently shows.

Up to ``SCATTER_LIMIT`` people: one jittered point each, coloured by attitude, with a name
tooltip on hover. Beyond that: one bubble per 5×5 cell sized by headcount, with the count
printed (100,000 markers take most of a second to draw; 25 bubbles do not). Clicking a point
selects that person; clicking a cell in bubble mode selects everyone in it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

from cmio_desktop.analysis.grids import GridSettings
from cmio_desktop.enums import Attitude
from cmio_desktop.ui.charts import ChartWidget
from cmio_desktop.ui.stakeholders.grid_drawing import cell_points, draw_quadrants, jitter
from cmio_desktop.ui.stakeholders.table_model import ATTITUDE_COLOURS

SCATTER_LIMIT = 600
PICK_RADIUS_PX = 9
HIGHLIGHT = "#111827"
BUBBLE = "#14b8a6"


@dataclass(frozen=True)
class GridPeople:
    """Parallel columns (whole register) and the positions currently shown."""

    ids: Sequence[int] = ()
    power: Sequence[int] = ()
    interest: Sequence[int] = ()
    attitude: Sequence[str] = ()
    names: Sequence[str] = ()
    positions: Sequence[int] = ()
    settings: GridSettings = field(default_factory=GridSettings)


class PowerInterestChart(ChartWidget):
    people_clicked = Signal(list)  # ids of the person or cell clicked

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Power/interest grid", "power-interest-grid", parent)
        self._people = GridPeople()
        self._highlight: set[int] = set()
        self._ax: Any = None
        self._xy: Any = None  # data coordinates of the points (scatter mode)
        self._ids: Any = None
        self._cells: Any = None  # (power, interest) per shown person, bubble mode
        self._annotation: Any = None
        self._highlight_artists: list[Any] = []
        self._hover_index: int | None = None
        self._biggest = 1
        self._resize_timer = QTimer(self)
        self._resize_timer.setSingleShot(True)
        self._resize_timer.setInterval(120)
        self._resize_timer.timeout.connect(self.redraw)

    # -- data in ----------------------------------------------------------------------------------
    def set_people(self, people: GridPeople) -> None:
        self._people = people
        self.request_redraw()

    def set_highlight(self, ids: Iterable[int]) -> None:
        ids = set(ids)
        if ids == self._highlight:
            return
        self._highlight = ids
        if self._ax is None or self._stale:
            return
        self._draw_highlight()
        self.canvas.draw_idle()

    @property
    def highlighted(self) -> set[int]:
        return set(self._highlight)

    @property
    def highlight_count(self) -> int:
        """How many highlighted people are drawn (shown and selected)."""
        if self._ids is None or not self._highlight:
            return 0
        import numpy as np

        return int(np.isin(self._ids, np.fromiter(self._highlight, dtype=np.int64)).sum())

    @property
    def scatter_mode(self) -> bool:
        return len(self._people.positions) <= SCATTER_LIMIT

    @property
    def shown_count(self) -> int:
        return len(self._people.positions)

    # -- picking --------------------------------------------------------------------------------
    def on_canvas_created(self, canvas: Any) -> None:
        canvas.mpl_connect("button_press_event", self.handle_press)
        canvas.mpl_connect("motion_notify_event", self.handle_motion)
        canvas.mpl_connect("resize_event", self._on_canvas_resized)

    def _on_canvas_resized(self, _event: Any) -> None:
        # Bubble areas are in points and the legend wraps by width: fit them once the size
        # settles (a splitter drag sends many resizes).
        if not self._stale:
            self._resize_timer.start()

    def handle_press(self, event: Any) -> None:
        """matplotlib button press: emit the ids under the cursor."""
        if event.inaxes is not self._ax or event.button != 1:
            return
        ids = self.ids_at(event.x, event.y, event.xdata, event.ydata)
        if ids:
            self.people_clicked.emit(ids)

    def ids_at(self, px: float, py: float, xdata: float, ydata: float) -> list[int]:
        """The person nearest the pixel (scatter) or everyone in the cell (bubbles)."""
        if self.scatter_mode:
            index = self._nearest(px, py)
            return [] if index is None else [int(self._ids[index])]
        return self.ids_in_cell(round(ydata), round(xdata))

    def ids_in_cell(self, power: int, interest: int) -> list[int]:
        if self._cells is None or not (1 <= power <= 5 and 1 <= interest <= 5):
            return []
        import numpy as np

        mask = (self._cells[:, 0] == power) & (self._cells[:, 1] == interest)
        return [int(i) for i in self._ids[np.nonzero(mask)[0]]]

    def point_position(self, ident: int) -> tuple[float, float] | None:
        """Pixel position of a person's point (scatter mode), for tests and tooling."""
        if self._xy is None or self._ax is None:
            return None
        import numpy as np

        found = np.nonzero(self._ids == ident)[0]
        if not len(found):
            return None
        x, y = self._ax.transData.transform(self._xy[found[0]])
        return float(x), float(y)

    def _nearest(self, px: float, py: float) -> int | None:
        if self._xy is None or not len(self._xy):
            return None
        import numpy as np

        pixels = self._ax.transData.transform(self._xy)
        distance = np.hypot(pixels[:, 0] - px, pixels[:, 1] - py)
        index = int(np.argmin(distance))
        return index if distance[index] <= PICK_RADIUS_PX * self.canvas.device_pixel_ratio else None

    def handle_motion(self, event: Any) -> None:
        if self._annotation is None:
            return
        index = None
        if event.inaxes is self._ax and self.scatter_mode:
            index = self._nearest(event.x, event.y)
        if index == self._hover_index:
            return
        self._hover_index = index
        if index is None:
            self._annotation.set_visible(False)
        else:
            self._annotation.xy = self._xy[index]
            self._annotation.set_text(self._hover_text(index))
            self._annotation.set_visible(True)
        self.canvas.draw_idle()

    def _hover_text(self, index: int) -> str:
        people = self._people
        pos = people.positions[index]
        attitude = Attitude(people.attitude[pos]).label
        return (
            f"{people.names[pos]}\nPower (rated) {people.power[pos]} · "
            f"Interest {people.interest[pos]} · {attitude}"
        )

    # -- drawing --------------------------------------------------------------------------------
    def draw_chart(self, figure: Any) -> None:
        import numpy as np

        people = self._people
        positions = np.asarray(people.positions, dtype=np.intp)
        self._ids = (
            np.asarray(people.ids, dtype=np.int64)[positions]
            if len(positions)
            else np.empty(0, dtype=np.int64)
        )
        power = (
            np.asarray(people.power, dtype=np.int64)[positions]
            if len(positions)
            else np.empty(0, dtype=np.int64)
        )
        interest = (
            np.asarray(people.interest, dtype=np.int64)[positions]
            if len(positions)
            else np.empty(0, dtype=np.int64)
        )
        ax = self._ax = figure.add_subplot()
        self._highlight_artists = []
        self._hover_index = None
        draw_quadrants(ax, people.settings.high_threshold)
        if self.scatter_mode:
            self._cells = None
            self._draw_points(ax, figure, power, interest)
        else:
            self._xy = None
            self._cells = np.column_stack([power, interest])
            self._draw_bubbles(ax, power, interest)
        count = len(positions)
        noun = "person" if count == 1 else "people"
        self.title_label.setText(f"{count:,} {noun} shown")
        if not self.scatter_mode:
            figure.supxlabel(
                "Bubble area = people in the cell · click a cell to select them",
                fontsize=8.5,
                color="#5b6b7c",
            )
        self._annotation = ax.annotate(
            "",
            xy=(0, 0),
            xytext=(12, 12),
            textcoords="offset points",
            fontsize=9,
            bbox={"boxstyle": "round,pad=0.4", "fc": "#ffffff", "ec": "#94a3b8", "alpha": 0.95},
            zorder=10,
            annotation_clip=False,
        )
        self._annotation.set_visible(False)
        self._draw_highlight()

    def _draw_points(self, ax: Any, figure: Any, power: Any, interest: Any) -> None:
        import numpy as np

        ids = self._ids
        jx, jy = jitter(ids)
        self._xy = np.column_stack([interest + jx, power + jy])
        people = self._people
        attitudes = np.asarray([people.attitude[p] for p in people.positions], dtype=object)
        handles = []
        for attitude in Attitude:
            mask = attitudes == attitude.value
            handle = ax.scatter(
                self._xy[mask, 0],
                self._xy[mask, 1],
                s=26,
                color=ATTITUDE_COLOURS[attitude.value],
                edgecolors="white",
                linewidths=0.6,
                label=attitude.label,
                zorder=3,
            )
            handles.append(handle)
        narrow = figure.get_size_inches()[0] < 5.6
        figure.legend(
            handles=handles,
            loc="outside lower center",
            ncols=3 if narrow else 5,
            frameon=False,
            fontsize=8.5,
            handletextpad=0.2,
            columnspacing=0.9,
            markerscale=1.2,
        )

    def _draw_bubbles(self, ax: Any, power: Any, interest: Any) -> None:
        import numpy as np

        counts = np.zeros((5, 5), dtype=np.int64)
        np.add.at(counts, (power - 1, interest - 1), 1)
        self._biggest = max(int(counts.max()), 1)
        ys, xs = np.nonzero(counts)
        ax.scatter(
            xs + 1,
            ys + 1,
            s=self._bubble_sizes(counts[ys, xs]),
            color=BUBBLE,
            alpha=0.55,
            edgecolors="#0f766e",
            linewidths=0.8,
            zorder=3,
        )
        from matplotlib import patheffects

        halo = [patheffects.withStroke(linewidth=3, foreground="white")]
        for y, x in zip(ys, xs, strict=True):
            ax.text(
                x + 1,
                y + 1,
                f"{counts[y, x]:,}",
                ha="center",
                va="center",
                fontsize=9,
                color="#0f172a",
                fontweight="bold",
                zorder=5,
                path_effects=halo,
            )

    def _bubble_sizes(self, counts: Any) -> Any:
        """Marker areas (points²) proportional to headcount; the biggest nearly fills a cell."""
        largest = self._cell_points() ** 2 * 0.75
        return largest * (0.05 + 0.95 * counts / self._biggest)

    def _cell_points(self) -> float:
        return cell_points(self.figure)

    def _draw_highlight(self) -> None:
        import numpy as np

        for artist in self._highlight_artists:
            artist.remove()
        self._highlight_artists = []
        if not self._highlight or self._ax is None or self._ids is None or not len(self._ids):
            return
        mask = np.isin(self._ids, np.fromiter(self._highlight, dtype=np.int64))
        if not mask.any():
            return
        ax = self._ax
        if self._xy is not None:
            self._highlight_artists.append(
                ax.scatter(
                    self._xy[mask, 0],
                    self._xy[mask, 1],
                    s=90,
                    facecolors="none",
                    edgecolors=HIGHLIGHT,
                    linewidths=1.6,
                    zorder=4,
                )
            )
            return
        cells = self._cells[mask]
        counts = np.zeros((5, 5), dtype=np.int64)
        np.add.at(counts, (cells[:, 0] - 1, cells[:, 1] - 1), 1)
        ys, xs = np.nonzero(counts)
        self._highlight_artists.append(
            ax.scatter(
                xs + 1,
                ys + 1,
                s=self._bubble_sizes(counts[ys, xs]),
                color=HIGHLIGHT,
                alpha=0.6,
                edgecolors="none",
                zorder=4,
            )
        )
        for y, x in zip(ys, xs, strict=True):
            self._highlight_artists.append(
                ax.text(
                    x + 1,
                    y + 1 - 0.38,
                    f"{counts[y, x]:,} selected",
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color=HIGHLIGHT,
                    zorder=5,
                )
            )
