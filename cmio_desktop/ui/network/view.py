"""NetworkView: the interactive influence network (QGraphicsView).

Wheel zooms under the mouse, dragging pans, hovering shows a person's figures, a click selects
the person (``person_clicked``), a double-click on a cluster opens it (``cluster_activated``).
The view only draws what it is given (a ``ViewGraph``): filtering, aggregation and layout are
computed off the UI thread.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsScene, QGraphicsView, QLabel, QWidget

from cmio_desktop.enums import Attitude, StakeholderGroup
from cmio_desktop.services.network.analysis import NetworkAnalysis
from cmio_desktop.ui.network import palette
from cmio_desktop.ui.network.items import (
    ClusterItem,
    EdgeLayer,
    HighlightLayer,
    LabelItem,
    NodeItem,
)
from cmio_desktop.ui.network.legend import LegendWidget, legend_entries, legend_height, paint_legend
from cmio_desktop.ui.network.view_data import ViewGraph

LABELLED_PEOPLE = 12  # names shown at once, most influential first, never overlapping
LABEL_CANDIDATES = 40
MIN_SCALE, MAX_SCALE = 0.01, 25.0


class NetworkView(QGraphicsView):
    person_clicked = Signal(int)
    cluster_activated = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setBackgroundBrush(QColor("#ffffff"))
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setMinimumSize(QSize(360, 300))
        self.legend = LegendWidget()  # the page shows it under the view
        self.banner = QLabel(self)
        self.banner.setObjectName("networkBanner")
        self.banner.setStyleSheet(
            "QLabel#networkBanner { background: rgba(255,255,255,230); color: #334155;"
            " border: 1px solid #dfe5ec; border-radius: 6px; padding: 4px 8px; }"
        )
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.analysis: NetworkAnalysis | None = None
        self.graph: ViewGraph | None = None
        self.colour_by: palette.ColourBy = "attitude"
        self.nodes: dict[int, NodeItem] = {}
        self.clusters: dict[str, ClusterItem] = {}
        self._local: dict[int, int] = {}  # person id → index in graph.people (people mode)
        self._selected: list[int] = []
        self._highlight: HighlightLayer | None = None
        self._ring: QGraphicsEllipseItem | None = None
        self._selection_label: LabelItem | None = None
        self._press: QPoint | None = None
        self._fitted = False
        self._labels: list[LabelItem] = []  # people's name labels, most influential first
        self._content = QRectF()  # the drawing's extent

    # -- content ------------------------------------------------------------------------------
    def show_graph(
        self,
        analysis: NetworkAnalysis,
        graph: ViewGraph,
        colour_by: palette.ColourBy,
        selected: list[int] | None = None,
        keep_view: bool = False,
    ) -> None:
        """Draw ``graph``; ``keep_view`` keeps the user's zoom and position (after an edit)
        unless the view was showing everything, in which case it fits the new drawing."""
        keep = keep_view and not self._fitted and not self._content.isEmpty()
        transform = self.transform()
        centre = self.mapToScene(self.viewport().rect().center())
        scene = self.scene()
        scene.clear()
        self.nodes.clear()
        self.clusters.clear()
        self._labels = []
        self._local = {}
        self._highlight = self._ring = self._selection_label = None
        self.analysis, self.graph, self.colour_by = analysis, graph, colour_by
        if graph.mode == "people":
            self._build_people(analysis, graph)
        elif graph.mode == "clusters":
            self._build_clusters(graph)
        self.banner.setText(graph.note)
        self.banner.setVisible(bool(graph.note))
        self._refresh_legend()
        rect = scene.itemsBoundingRect()
        w, h = rect.width(), rect.height()
        # room for the labels
        rect = rect.adjusted(-0.04 * w - 40, -0.04 * h - 30, 0.04 * w + 40, 0.04 * h + 40)
        self._content = rect if graph.mode != "empty" else QRectF(-100, -100, 200, 200)
        if keep:
            scene.setSceneRect(self._content.united(self.sceneRect()))
            self.setTransform(transform)
            self.centerOn(centre)
            self._arrange_labels()
        else:
            scene.setSceneRect(self._content)
            self.fit()
        self.set_selection(selected if selected is not None else self._selected, center=False)
        self._place_overlays()

    def _build_people(self, a: NetworkAnalysis, g: ViewGraph) -> None:
        scene = self.scene()
        scene.addItem(EdgeLayer(g.xy, g.radius, g.edge_a, g.edge_b, g.edge_weight, False))
        self._highlight = HighlightLayer()
        scene.addItem(self._highlight)
        people = g.people.tolist()
        for i, pos in enumerate(people):
            pid = int(a.ids[pos])
            item = NodeItem(pid, pos, float(g.radius[i]), bool(a.hot_spot[pos]))
            item.setPos(float(g.xy[i, 0]), float(g.xy[i, 1]))
            item.setToolTip(_person_tooltip(a, pos))
            scene.addItem(item)
            self.nodes[pid] = item
            self._local[pid] = i
        self._colour_nodes()
        for i in np.argsort(-a.influence[g.people], kind="stable")[:LABEL_CANDIDATES].tolist():
            pos = people[i]
            x, y, r = float(g.xy[i, 0]), float(g.xy[i, 1]), float(g.radius[i])
            label = LabelItem([a.name[pos]], QPointF(x, y + r), QPointF(x, y - r), int(a.ids[pos]))
            label.setVisible(False)
            scene.addItem(label)
            self._labels.append(label)

    def _build_clusters(self, g: ViewGraph) -> None:
        scene = self.scene()
        scene.addItem(EdgeLayer(g.xy, g.radius, g.edge_a, g.edge_b, g.edge_weight, True))
        for i, c in enumerate(g.clusters):
            item = ClusterItem(c.key, float(g.radius[i]), palette.readiness_colour(c.readiness))
            item.setPos(float(g.xy[i, 0]), float(g.xy[i, 1]))
            item.setToolTip(_cluster_tooltip(c, g.cluster_by))
            scene.addItem(item)
            self.clusters[c.key] = item
        for i in sorted(range(len(g.clusters)), key=lambda j: -g.clusters[j].size):
            c = g.clusters[i]
            ready = "no assessments" if c.readiness is None else f"readiness {c.readiness:.1f}"
            x, y, r = float(g.xy[i, 0]), float(g.xy[i, 1]), float(g.radius[i])
            label = LabelItem(
                [c.label, f"{c.size:,} people · {ready}"], QPointF(x, y + r), QPointF(x, y - r)
            )
            scene.addItem(label)
            self._labels.append(label)

    def set_colour_by(self, colour_by: palette.ColourBy) -> None:
        self.colour_by = colour_by
        self._colour_nodes()
        self._refresh_legend()

    def _colour_nodes(self) -> None:
        a = self.analysis
        if a is None:
            return
        for item in self.nodes.values():
            pos = item.position
            if self.colour_by == "attitude":
                colour = palette.attitude_colour(a.attitude[pos])
            elif self.colour_by == "readiness":
                colour = palette.readiness_colour(a.readiness_of(pos))
            else:
                colour = palette.community_colour(int(a.community[pos]))
            item.set_colour(colour)

    def _refresh_legend(self) -> None:
        self.legend.set_entries(legend_entries(self.colour_by, self.analysis, self.graph))
        self._place_overlays()

    # -- selection ------------------------------------------------------------------------------
    def set_selection(self, ids: list[int], center: bool = True) -> None:
        self._selected = list(ids)
        scene = self.scene()
        for item in (self._ring, self._selection_label):
            if item is not None and item.scene() is scene:
                scene.removeItem(item)
        self._ring = self._selection_label = None
        if self._highlight is not None:
            self._highlight.set_ties(
                np.zeros((0, 2)), np.zeros(0), np.zeros(0, np.int64), np.zeros(0, np.int64)
            )
        target = self._selection_target(ids)
        if target is None:
            return
        item, radius = target
        ring = QGraphicsEllipseItem(-radius - 4, -radius - 4, 2 * radius + 8, 2 * radius + 8)
        pen = QPen(QColor(palette.SELECTION))
        pen.setCosmetic(True)
        pen.setWidthF(3.0)
        ring.setPen(pen)
        ring.setZValue(4)
        ring.setPos(item.pos())
        scene.addItem(ring)
        self._ring = ring
        if isinstance(item, NodeItem):
            self._highlight_ties(item.person_id)
            a = self.analysis
            if a is not None:
                label = LabelItem(
                    [a.name[item.position]],
                    item.pos() + QPointF(0, radius + 4),
                    item.pos() - QPointF(0, radius + 4),
                    item.person_id,
                )
                label.setZValue(6)
                scene.addItem(label)
                self._selection_label = label
        if center:
            self.centerOn(item)
        self._arrange_labels()

    def _selection_target(self, ids: list[int]) -> tuple[QGraphicsEllipseItem, float] | None:
        for pid in ids:
            node = self.nodes.get(pid)
            if node is not None:
                return node, node.radius
        a, g = self.analysis, self.graph
        if a is None or g is None or g.mode != "clusters":
            return None
        for pid in ids:
            pos = a.position_of(pid)
            if pos is None:
                continue
            key = g.cluster_key_of(pos)
            cluster = self.clusters.get(key) if key is not None else None
            if cluster is not None:
                return cluster, cluster.radius
        return None

    def _highlight_ties(self, person_id: int) -> None:
        g = self.graph
        if g is None or self._highlight is None or person_id not in self._local:
            return
        i = self._local[person_id]
        touch = (g.edge_a == i) | (g.edge_b == i)
        self._highlight.set_ties(g.xy, g.radius, g.edge_a[touch], g.edge_b[touch])

    # -- navigation -----------------------------------------------------------------------------
    def fit(self) -> None:
        """Show the whole drawing."""
        rect = self._content
        if rect.isEmpty():
            return
        vw, vh = self.viewport().width(), self.viewport().height()
        scale = min((vw - 8) / rect.width(), (vh - 8) / rect.height())
        scale = max(MIN_SCALE, min(2.5, scale))  # a handful of people: don't blow them up
        self.resetTransform()
        self.scale(scale, scale)
        self.centerOn(rect.center())
        self._fitted = True
        self._arrange_labels()

    def zoom_by(self, factor: float) -> None:
        current = self.transform().m11()
        factor = max(MIN_SCALE / current, min(MAX_SCALE / current, factor))
        self.scale(factor, factor)
        self._fitted = False
        self._arrange_labels()

    def _arrange_labels(self) -> None:
        """Show the most important labels that fit without overlapping, each below its node
        or, if that collides, above it."""
        placed: list[QRectF] = []
        view = QRectF(self.viewport().rect())
        chosen = self._selection_label
        if chosen is not None:
            placed.append(self._label_rect(chosen, False).adjusted(-3, -2, 3, 2))
        selected = chosen.person_id if chosen is not None else None
        limit = LABELLED_PEOPLE if self.nodes else len(self._labels)
        for label in self._labels:
            spot = None
            if len(placed) < limit and not (selected is not None and label.person_id == selected):
                for above in (False, True):
                    rect = self._label_rect(label, above)
                    if view.intersects(rect) and not any(rect.intersects(o) for o in placed):
                        spot = above, rect
                        break
            label.setVisible(spot is not None)
            if spot is not None:
                label.place(spot[0])
                placed.append(spot[1].adjusted(-3, -2, 3, 2))

    def _label_rect(self, label: LabelItem, above: bool) -> QRectF:
        anchor = QPointF(self.mapFromScene(label.above if above else label.below))
        return label.rect_for(above).translated(anchor)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        delta = event.angleDelta().y()
        if delta:
            self.zoom_by(math.pow(1.0015, delta))
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        super().mouseReleaseEvent(event)
        start, self._press = self._press, None
        end = event.position().toPoint()
        if start is None or (end - start).manhattanLength() > 4:
            if start is not None:  # the user panned: keep their view on resize
                self._fitted = False
                self._arrange_labels()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.item_at(end)
            if isinstance(item, NodeItem):
                self.person_clicked.emit(item.person_id)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        item = self.item_at(event.position().toPoint())
        if isinstance(item, ClusterItem):
            self.cluster_activated.emit(item.key)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def item_at(self, point: QPoint) -> NodeItem | ClusterItem | None:
        for item in self.items(point):
            if isinstance(item, NodeItem | ClusterItem):
                return item
        return None

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if self._fitted:
            self.fit()
        else:
            self._arrange_labels()
        self._place_overlays()

    def _place_overlays(self) -> None:
        margin = 10
        self.banner.setFixedWidth(max(200, min(560, self.width() - 2 * margin)))
        self.banner.adjustSize()
        self.banner.move(margin, margin)

    # -- saving ---------------------------------------------------------------------------------
    def save_image(self, path: Path, title: str = "") -> Path:
        """Save what the view shows, with its legend, as PNG, SVG or PDF (by suffix); written
        beside ``path`` and moved into place when complete (never a clobbered file)."""
        from cmio_desktop.io.export_target import written_in_place

        with written_in_place(path) as temp:
            self._render_image(temp, path.suffix.lower(), title)
        return path

    def _render_image(self, path: Path, suffix: str, title: str) -> None:
        view = self.viewport().size()
        band = legend_height(self.legend.entries, view.width())
        size = QSize(view.width(), view.height() + band + (8 if band else 0))
        if suffix == ".svg":
            from PySide6.QtSvg import QSvgGenerator

            generator = QSvgGenerator()
            generator.setFileName(str(path))
            generator.setSize(size)
            generator.setViewBox(QRect(QPoint(0, 0), size))
            generator.setTitle(title or "Influence network")
            painter = QPainter(generator)
            self._paint_export(painter, size, title)
            painter.end()
        elif suffix == ".pdf":
            from PySide6.QtCore import QMarginsF, QSizeF
            from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

            writer = QPdfWriter(str(path))
            writer.setResolution(96)
            page = QPageSize(QSizeF(size.width(), size.height()), QPageSize.Unit.Point)
            writer.setPageLayout(
                QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0))
            )
            painter = QPainter(writer)
            self._paint_export(painter, size, title)
            painter.end()
        else:
            image = QImage(size * 2, QImage.Format.Format_ARGB32)
            image.setDevicePixelRatio(2.0)
            image.fill(QColor("#ffffff"))
            painter = QPainter(image)
            self._paint_export(painter, size, title)
            painter.end()
            if not image.save(str(path), "PNG"):
                raise OSError(f"could not write {path}")

    def _paint_export(self, painter: QPainter, size: QSize, title: str) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.fillRect(QRect(QPoint(0, 0), size), QColor("#ffffff"))
        view = self.viewport().size()
        self.render(painter, QRectF(0, 0, view.width(), view.height()), QRect(QPoint(0, 0), view))
        band = size.height() - view.height()
        if band > 0:
            painter.setPen(QPen(QColor("#dfe5ec")))
            painter.drawLine(
                QPointF(8, view.height() + 4), QPointF(view.width() - 8, view.height() + 4)
            )
            paint_legend(
                painter, QRectF(0, view.height() + 8, view.width(), band - 8), self.legend.entries
            )
        if title:
            font = QFont()
            font.setPointSizeF(11)
            font.setBold(True)
            painter.setFont(font)
            painter.setPen(QColor("#1f2a37"))
            painter.drawText(
                QRectF(12, 8, size.width() - 24, 24),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                title,
            )


def _label(enum_cls: type, value: str) -> str:
    try:
        return str(enum_cls(value).label)
    except ValueError:
        return value


def _person_tooltip(a: NetworkAnalysis, pos: int) -> str:
    ready = a.readiness_of(pos)
    ready_text = "not assessed" if ready is None else f"readiness {ready:.1f}"
    if a.barrier[pos]:
        ready_text += f", barrier at {a.barrier[pos]}"
    lines = [
        f"<b>{_escape(a.name[pos])}</b>",
        f"{_escape(a.department[pos] or 'No department')} · "
        f"{_label(StakeholderGroup, a.group[pos])}",
        f"Network influence {a.influence[pos]:.0f} · {ready_text}",
        f"Attitude: {_label(Attitude, a.attitude[pos])} · community "
        f"{_escape(a.community_names[int(a.community[pos])])}",
    ]
    if a.hot_spot[pos]:
        lines.append(
            f"<span style='color:#b91c1c'>Hot spot: "
            f"{_escape('; '.join(a.hot_spot_reasons.get(pos, ())))}</span>"
        )
    if pos in a.broker_reasons:
        lines.append(f"Broker: {_escape(a.broker_reasons[pos])}")
    return "<br>".join(lines)


def _cluster_tooltip(c, cluster_by: str) -> str:  # noqa: ANN001
    what = "Community" if cluster_by == "community" else "Department"
    lump = cluster_by == "community" and not c.key.isdigit()  # "No ties", "Smaller communities"
    ready = (
        "no assessments yet"
        if c.readiness is None
        else (f"mean readiness {c.readiness:.2f} ({c.assessed:,} assessed)")
    )
    weighted = (
        ""
        if c.influence_weighted is None
        else (f"<br>influence-weighted readiness {c.influence_weighted:.2f}")
    )
    heading = _escape(c.label) if lump else f"{what}: {_escape(c.label)}"
    hint = "" if lump else "<br><i>Double-click to open</i>"
    return (
        f"<b>{heading}</b><br>{c.size:,} people · {ready}{weighted}"
        f"<br>Most influential: {_escape(c.top_member)}{hint}"
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
