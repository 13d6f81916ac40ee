"""Graphics items of the network view: nodes, clusters, labels and one edge layer.

Edges are drawn by a single item from a few prebuilt ``QPainterPath`` objects (one per tie
strength), so a repaint during zoom or pan is a handful of C++ calls however many ties are
shown; nodes are plain ellipse items so hover tooltips and hit-testing come from Qt.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QStyleOptionGraphicsItem,
    QWidget,
)

from cmio_desktop.ui.network import palette

STRENGTH_WIDTH = {1: 0.5, 2: 0.7, 3: 1.0, 4: 1.4, 5: 1.9}
STRENGTH_ALPHA = {1: 55, 2: 80, 3: 110, 4: 150, 5: 190}


class NodeItem(QGraphicsEllipseItem):
    """One person: a circle sized by influence."""

    def __init__(self, person_id: int, position: int, radius: float, hot_spot: bool) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.person_id = person_id
        self.position = position
        self.radius = radius
        self.hot_spot = hot_spot
        pen = QPen(QColor(palette.HOT_SPOT_RING) if hot_spot else QColor("#ffffff"))
        pen.setCosmetic(True)
        pen.setWidthF(2.4 if hot_spot else 0.8)
        self.setPen(pen)
        self.setZValue(2 + min(radius, 40) / 100)  # big nodes above small ones
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_colour(self, colour: str) -> None:
        self.setBrush(QBrush(QColor(colour)))


class ClusterItem(QGraphicsEllipseItem):
    """A community or department shown as one circle sized by headcount."""

    def __init__(self, key: str, radius: float, colour: str) -> None:
        super().__init__(-radius, -radius, 2 * radius, 2 * radius)
        self.key = key
        self.radius = radius
        pen = QPen(QColor("#ffffff"))
        pen.setCosmetic(True)
        pen.setWidthF(2.0)
        self.setPen(pen)
        self.setBrush(QBrush(QColor(colour)))
        self.setZValue(2)
        self.setCursor(Qt.CursorShape.PointingHandCursor)


class LabelItem(QGraphicsItem):
    """Text on a soft white plate below (or above) a node; the same size at every zoom.

    ``below``/``above`` are the scene points at the bottom and top of the node; the view
    picks whichever keeps labels from overlapping (:meth:`place`)."""

    def __init__(
        self,
        lines: list[str],
        below: QPointF,
        above: QPointF,
        person_id: int | None = None,
        bold_first: bool = True,
    ) -> None:
        super().__init__()
        self.lines = lines
        self.person_id = person_id
        self.below, self.above = below, above
        self.is_above = False
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setZValue(5)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._fonts = [QFont(), QFont()]
        self._fonts[0].setPointSizeF(8.5)
        self._fonts[0].setBold(bold_first)
        self._fonts[1].setPointSizeF(8.0)
        metrics = [QFontMetricsF(f) for f in self._fonts]
        self._heights = [metrics[min(i, 1)].height() for i in range(len(lines))]
        self._width = max(
            (metrics[min(i, 1)].horizontalAdvance(t) for i, t in enumerate(lines)), default=0
        )
        self._height = sum(self._heights) + 4
        self.setPos(below)

    def place(self, above: bool) -> None:
        if above != self.is_above:
            self.prepareGeometryChange()
            self.is_above = above
        self.setPos(self.above if above else self.below)

    def rect_for(self, above: bool) -> QRectF:
        top = -2 - self._height if above else 2.0
        return QRectF(-self._width / 2 - 4, top, self._width + 8, self._height)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self.rect_for(self.is_above)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        plate = self.boundingRect()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 215))
        painter.drawRoundedRect(plate, 3, 3)
        painter.setPen(QColor("#1f2a37"))
        y = plate.top() + 2
        for i, text in enumerate(self.lines):
            painter.setFont(self._fonts[min(i, 1)])
            if i:
                painter.setPen(QColor("#475569"))
            rect = QRectF(plate.left(), y, plate.width(), self._heights[i])
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
            y += self._heights[i]


class EdgeLayer(QGraphicsItem):
    """All visible ties (or cluster links) in one item."""

    def __init__(
        self,
        xy: np.ndarray,
        radius: np.ndarray,
        a: np.ndarray,
        b: np.ndarray,
        weight: np.ndarray,
        clusters: bool,
    ) -> None:
        super().__init__()
        self.setZValue(0)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._clusters = clusters
        self._strokes: list[tuple[QPen, QPainterPath, QBrush | None, QPainterPath | None]] = []
        if xy.size:
            lo, hi = xy.min(0) - 50, xy.max(0) + 50
            self._rect = QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
        else:
            self._rect = QRectF()
        if clusters:
            self._build_clusters(xy, radius, a, b, weight)
        else:
            self._build_people(xy, radius, a, b, weight)

    def _build_people(
        self, xy: np.ndarray, radius: np.ndarray, a: np.ndarray, b: np.ndarray, weight: np.ndarray
    ) -> None:
        strength = np.clip(np.rint(weight), 1, 5).astype(int)
        # many ties: lighter lines, so the structure shows rather than a grey mass
        fade = min(1.0, max(0.35, 1200 / max(1, weight.size)))
        for s in range(1, 6):
            pick = strength == s
            if not pick.any():
                continue
            lines, heads = _segments(xy, radius, a[pick], b[pick], head=3.0 + 0.7 * s)
            colour = QColor(palette.EDGE)
            colour.setAlpha(int(STRENGTH_ALPHA[s] * fade))
            pen = QPen(colour)
            pen.setCosmetic(True)
            pen.setWidthF(STRENGTH_WIDTH[s])
            self._strokes.append((pen, lines, QBrush(colour), heads))

    def _build_clusters(
        self, xy: np.ndarray, radius: np.ndarray, a: np.ndarray, b: np.ndarray, weight: np.ndarray
    ) -> None:
        if not weight.size:
            return
        top = float(weight.max())
        for i in range(weight.size):
            share = math.sqrt(float(weight[i]) / top)
            colour = QColor(palette.EDGE)
            colour.setAlpha(int(60 + 120 * share))
            pen = QPen(colour)
            pen.setCosmetic(True)
            pen.setWidthF(1.0 + 9.0 * share)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            path = QPainterPath()
            path.moveTo(QPointF(*xy[a[i]]))
            path.lineTo(QPointF(*xy[b[i]]))
            self._strokes.append((pen, path, None, None))

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        for pen, lines, brush, heads in self._strokes:
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(lines)
            if heads is not None and brush is not None:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(brush)
                painter.drawPath(heads)


class HighlightLayer(QGraphicsItem):
    """The selected people's ties, drawn over the others."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(1)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._lines = QPainterPath()
        self._heads = QPainterPath()
        self._rect = QRectF()
        colour = QColor(palette.SELECTION)
        colour.setAlpha(190)
        self._pen = QPen(colour)
        self._pen.setCosmetic(True)
        self._pen.setWidthF(1.6)
        self._brush = QBrush(colour)

    def set_ties(self, xy: np.ndarray, radius: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
        self.prepareGeometryChange()
        self._lines, self._heads = _segments(xy, radius, a, b, head=6.0)
        self._rect = self._lines.boundingRect().adjusted(-10, -10, 10, 10)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setPen(self._pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self._lines)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._brush)
        painter.drawPath(self._heads)


def _segments(
    xy: np.ndarray, radius: np.ndarray, a: np.ndarray, b: np.ndarray, head: float
) -> tuple[QPainterPath, QPainterPath]:
    """Lines from circle edge to circle edge, and a filled arrowhead at each target."""
    lines, heads = QPainterPath(), QPainterPath()
    if a.size == 0:
        return lines, heads
    p, q = xy[a], xy[b]
    d = q - p
    length = np.sqrt((d * d).sum(1)).clip(1e-6)
    u = d / length[:, None]
    start = p + u * radius[a][:, None]
    tip = q - u * (radius[b][:, None] + 1.0)
    base = tip - u * head
    normal = np.column_stack([-u[:, 1], u[:, 0]]) * (head * 0.45)
    left, right = base + normal, base - normal
    long_enough = length > radius[a] + radius[b] + head
    for i in range(a.size):
        lines.moveTo(start[i, 0], start[i, 1])
        if long_enough[i]:
            lines.lineTo(base[i, 0], base[i, 1])
            heads.moveTo(tip[i, 0], tip[i, 1])
            heads.lineTo(left[i, 0], left[i, 1])
            heads.lineTo(right[i, 0], right[i, 1])
            heads.closeSubpath()
        else:
            lines.lineTo(tip[i, 0], tip[i, 1])
    return lines, heads
