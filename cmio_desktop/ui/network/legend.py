"""The legend of the network view: what colour, size, rings and lines mean.

One painter function serves both the strip under the view and saved images, so an exported
PNG or SVG carries the same legend the user saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPaintEvent,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from cmio_desktop.enums import Attitude
from cmio_desktop.services.network.analysis import NetworkAnalysis
from cmio_desktop.ui.network import palette
from cmio_desktop.ui.network.view_data import ViewGraph

Kind = Literal["title", "swatch", "ring", "size", "line", "note"]
ROW = 18.0
PAD = 8.0
MAX_COMMUNITIES = 8


@dataclass(frozen=True)
class LegendEntry:
    kind: Kind
    text: str
    colour: str = ""


def legend_entries(
    colour_by: palette.ColourBy, analysis: NetworkAnalysis | None, graph: ViewGraph | None
) -> list[LegendEntry]:
    if analysis is None or graph is None or graph.mode == "empty":
        return []
    if graph.mode == "clusters":
        what = "Communities" if graph.cluster_by == "community" else "Departments"
        entries = [
            LegendEntry("title", f"{what}:"),
            LegendEntry("size", "size = headcount"),
            LegendEntry("line", "summed tie strength"),
            LegendEntry("title", "Mean readiness:"),
        ]
        entries += [
            LegendEntry("swatch", text, colour) for _, colour, text in palette.READINESS_BANDS
        ]
        entries.append(LegendEntry("swatch", "no assessments", palette.NO_DATA))
        entries.append(LegendEntry("note", "Double-click a cluster to open it."))
        return entries
    entries = [LegendEntry("title", f"{palette.COLOUR_BY_LABELS[colour_by]}:")]
    if colour_by == "attitude":
        entries += [
            LegendEntry("swatch", a.label, palette.attitude_colour(a.value)) for a in Attitude
        ]
    elif colour_by == "readiness":
        entries += [
            LegendEntry("swatch", text, colour) for _, colour, text in palette.READINESS_BANDS
        ]
        entries.append(LegendEntry("swatch", "not assessed", palette.NO_DATA))
    else:
        shown = analysis.community[graph.people]
        counts = np.bincount(shown, minlength=len(analysis.community_names))
        order = [int(c) for c in np.argsort(-counts, kind="stable") if counts[c] > 0]
        named = [c for c in order if c < len(palette.COMMUNITY)][:MAX_COMMUNITIES]
        entries += [
            LegendEntry("swatch", analysis.community_names[c], palette.community_colour(c))
            for c in named
        ]
        if len(order) > len(named):
            entries.append(LegendEntry("swatch", "other communities", palette.OTHER_COMMUNITY))
    entries += [
        LegendEntry("title", "Marks:"),
        LegendEntry("size", "size = network influence"),
        LegendEntry("ring", "hot spot", palette.HOT_SPOT_RING),
        LegendEntry("line", "A → B: A influences B (thicker = stronger)"),
    ]
    return entries


def _fonts() -> tuple[QFont, QFont]:
    body = QFont()
    body.setPointSizeF(8.5)
    title = QFont(body)
    title.setBold(True)
    return title, body


GAP = 16.0  # between entries on a row
SYMBOL = 22.0  # room for the symbol left of an entry's text


def _entry_width(e: LegendEntry, title: QFont, body: QFont) -> float:
    text = QFontMetricsF(title if e.kind == "title" else body).horizontalAdvance(e.text)
    return text + (0 if e.kind in ("title", "note") else SYMBOL)


def flow(entries: list[LegendEntry], width: float) -> list[list[tuple[LegendEntry, float]]]:
    """Entries laid out left to right in rows no wider than ``width``: (entry, x) per row."""
    title, body = _fonts()
    rows: list[list[tuple[LegendEntry, float]]] = [[]]
    x = PAD
    for e in entries:
        w = _entry_width(e, title, body)
        if rows[-1] and x + w > width - PAD:
            rows.append([])
            x = PAD
        rows[-1].append((e, x))
        x += w + GAP
    return rows if rows[0] else []


def legend_height(entries: list[LegendEntry], width: float) -> int:
    rows = flow(entries, width)
    return int(len(rows) * ROW + 2 * (PAD / 2)) if rows else 0


def paint_legend(painter: QPainter, rect: QRectF, entries: list[LegendEntry]) -> None:
    """Paint the legend as rows of entries inside ``rect`` (its width decides the wrapping)."""
    rows = flow(entries, rect.width())
    if not rows:
        return
    title, body = _fonts()
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    y = rect.top() + PAD / 2
    for row in rows:
        mid = y + ROW / 2
        for e, dx in row:
            x = rect.left() + dx
            _symbol(painter, e, x, mid)
            text_x = x if e.kind in ("title", "note") else x + SYMBOL
            painter.setFont(title if e.kind == "title" else body)
            painter.setPen(QColor("#1f2a37" if e.kind != "note" else "#5b6b7c"))
            painter.drawText(
                QRectF(text_x, y, rect.width(), ROW),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                e.text,
            )
        y += ROW
    painter.restore()


def _symbol(painter: QPainter, e: LegendEntry, x: float, mid: float) -> None:
    if e.kind == "swatch":
        painter.setPen(QPen(QColor("#ffffff"), 1))
        painter.setBrush(QBrush(QColor(e.colour)))
        painter.drawEllipse(QPointF(x + 8, mid), 5.5, 5.5)
    elif e.kind == "ring":
        painter.setPen(QPen(QColor(e.colour), 2.2))
        painter.setBrush(QBrush(QColor("#e2e8f0")))
        painter.drawEllipse(QPointF(x + 8, mid), 5.5, 5.5)
    elif e.kind == "size":
        painter.setPen(QPen(QColor("#94a3b8"), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QPointF(x + 4, mid + 2), 2.5, 2.5)
        painter.drawEllipse(QPointF(x + 12, mid), 5.5, 5.5)
    elif e.kind == "line":
        painter.setPen(QPen(QColor(palette.EDGE), 1.6))
        painter.drawLine(QPointF(x, mid), QPointF(x + 13, mid))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(palette.EDGE))
        painter.drawPolygon(
            QPolygonF(
                [QPointF(x + 17, mid), QPointF(x + 12, mid - 3.5), QPointF(x + 12, mid + 3.5)]
            )
        )


class LegendWidget(QWidget):
    """The legend as a strip under the network view: it never hides part of the drawing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[LegendEntry] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_entries(self, entries: list[LegendEntry]) -> None:
        self.entries = entries
        self._fit_height()
        self.update()

    def _fit_height(self) -> None:
        self.setFixedHeight(legend_height(self.entries, max(200, self.width())))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_height()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        paint_legend(painter, QRectF(self.rect()), self.entries)
        painter.end()
