"""Small bar charts drawn with QPainter: the dashboard's, which must be on screen at start-up
without the half second matplotlib costs to import and draw (the other pages keep
``ui.charts.ChartWidget``).

A chart is plain data (:class:`BarChart`); :func:`layout` turns it into drawn items (bars,
lines, texts with their rectangles) for a given size, and painting only draws those items —
so tests check the geometry (nothing outside the canvas, no label on a threshold line) and
saving paints the same items on an image, an SVG or a PDF. Texts never go below
``MIN_FONT_PT``: a category label too long for its room is elided (its tooltip, and the
chart's accessible description, say it whole).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QImage,
    QPainter,
    QPaintEvent,
    QPen,
    QTransform,
)
from PySide6.QtWidgets import QToolTip, QWidget

from cmio_desktop.io.export_target import ExportError, written_in_place
from cmio_desktop.ui.common.chart_header import chart_header
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.file_dialogs import ask_save_path

SAVE_FILTERS = {
    "PNG image (*.png)": ".png",
    "SVG vector image (*.svg)": ".svg",
    "PDF document (*.pdf)": ".pdf",
}
FONT_PT = 9.0  # ticks, labels and value labels: readable at 100 % scaling
NOTE_PT = 8.5  # threshold labels
MIN_FONT_PT = 7.5  # many rows in little height shrink to this, never below
INK, AXIS, MUTED, LINE, OUTSIDE = "#1f2a37", "#334155", "#5b6b7c", "#475569", "#334155"
WHITE = "#ffffff"
PAD = 4.0
BAR_MAX_PX = 30.0  # a tall chart with few rows keeps its bars slim
SAVE_SCALE = 2  # a saved PNG at twice the on-screen pixels


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str
    text: str = ""  # the value label ("" for none)


@dataclass(frozen=True)
class Threshold:
    """A labelled line across the value axis; ``side`` puts its label "left" of the line,
    "right" of it or "center"ed on it (two close lines' labels take opposite sides)."""

    value: float
    text: str
    dotted: bool = False
    side: str = "center"


@dataclass(frozen=True)
class BarChart:
    """Bars across (``horizontal``: one row per bar, the first on top) or up (one column per
    bar, labels slanted below)."""

    bars: Sequence[Bar]
    horizontal: bool
    lo: float
    hi: float
    ticks: Sequence[float]
    value_label: str  # the value axis' title
    category_label: str = ""  # the category axis' title (upright charts)
    thresholds: Sequence[Threshold] = ()
    empty: str = ""  # said in the middle when there are no bars
    tick_format: str = "{:g}"

    def description(self) -> str:
        """The chart in words, for screen readers and the tooltip."""
        if not self.bars:
            return self.empty
        parts = [f"{b.label}: {b.text or f'{b.value:g}'}" for b in self.bars]
        lines = "; ".join(t.text for t in self.thresholds)
        return "; ".join(parts) + (f". Lines: {lines}." if lines else ".")


@dataclass(frozen=True)
class Item:
    """One drawn thing: a filled ``rect`` (kind "bar", "back"), a ``line`` (kind "axis",
    "threshold") or a ``text`` in ``rect`` (kind "label", "tick", "value", "note", "title").
    A text with ``angle`` is drawn turned that many degrees (counter-clockwise) about its
    anchor; ``rect`` is then its bounding box on the canvas."""

    kind: str
    colour: str
    rect: QRectF = field(default_factory=QRectF)
    line: QLineF | None = None
    text: str = ""
    font_pt: float = FONT_PT
    bold: bool = False
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter
    dotted: bool = False
    angle: float = 0.0
    anchor: QPointF | None = None
    whole: str = ""  # an elided label's full text


def _font(base: QFont, pt: float, bold: bool = False) -> QFont:
    font = QFont(base)
    font.setPointSizeF(pt)
    font.setBold(bold)
    return font


def _wrap(text: str, fm: QFontMetricsF, width: float) -> str:
    """A title too wide for ``width`` breaks once at its middle space."""
    if fm.horizontalAdvance(text) <= width or " " not in text:
        return text
    middle = len(text) // 2
    cut = min((i for i, ch in enumerate(text) if ch == " "), key=lambda i: abs(i - middle))
    return text[:cut] + "\n" + text[cut + 1 :]


def _text_box(fm: QFontMetricsF, text: str) -> QRectF:
    lines = text.split("\n")
    width = max(fm.horizontalAdvance(line) for line in lines)
    return QRectF(0, 0, width + 2, fm.height() * len(lines))


def layout(chart: BarChart, size: QSize | tuple[float, float], base: QFont) -> list[Item]:
    """Everything to draw for ``chart`` on a canvas of ``size``, back to front."""
    width, height = (size.width(), size.height()) if isinstance(size, QSize) else size
    canvas = QRectF(0, 0, width, height)
    if not chart.bars:
        font_pt = FONT_PT
        return [Item("note", MUTED, canvas, text=chart.empty, font_pt=font_pt)]
    if chart.horizontal:
        return _horizontal(chart, canvas, base)
    return _upright(chart, canvas, base)


def _threshold_items(
    chart: BarChart, x_of: object, top: float, bottom: float, canvas: QRectF, fm: QFontMetricsF
) -> list[Item]:
    items: list[Item] = []
    for t in chart.thresholds:
        x = x_of(t.value)  # type: ignore[operator]
        line = QLineF(x, top, x, bottom)
        items.append(Item("threshold", LINE, line=line, dotted=t.dotted))
        box = _text_box(fm, t.text)
        left = {"left": x - 3 - box.width(), "right": x + 3}.get(t.side, x - box.width() / 2)
        left = max(canvas.left(), min(left, canvas.right() - box.width()))
        rect = QRectF(left, top - box.height() - 1, box.width(), box.height())
        items.append(Item("note", LINE, rect, text=t.text, font_pt=NOTE_PT))
    return items


def _value_label(
    value_text: str, bar: QRectF, span_px: float, fm: QFontMetricsF, bold: QFontMetricsF,
    font_pt: float,
) -> list[Item]:  # fmt: skip
    """Inside the end of a horizontal bar, white and bold, when it fits; else just outside on
    a white backing (so a threshold line never runs through it)."""
    inside = bar.width() >= max(span_px * 0.22, bold.horizontalAdvance(value_text) + 8)
    box = _text_box(fm, value_text)
    if inside:
        rect = QRectF(bar.right() - box.width() - 4, bar.center().y() - box.height() / 2,
                      box.width(), box.height())  # fmt: skip
        return [Item("value", WHITE, rect, text=value_text, font_pt=font_pt, bold=True)]
    rect = QRectF(bar.right() + 3, bar.center().y() - box.height() / 2, box.width(),
                  box.height())  # fmt: skip
    return [
        Item("back", WHITE, rect),
        Item("value", OUTSIDE, rect, text=value_text, font_pt=font_pt),
    ]


def _horizontal(chart: BarChart, canvas: QRectF, base: QFont) -> list[Item]:
    n = len(chart.bars)
    note_fm = QFontMetricsF(_font(base, NOTE_PT))
    top = canvas.top() + PAD + (note_fm.height() + 2 if chart.thresholds else 0)
    fm = QFontMetricsF(_font(base, FONT_PT))
    title = _wrap(chart.value_label, fm, canvas.width() * 0.6)
    title_box = _text_box(fm, title)
    bottom = canvas.bottom() - PAD - title_box.height() - 2 - fm.height() - 6
    # Many rows in little height: a smaller font (never below MIN_FONT_PT).
    row = (bottom - top) / n
    font_pt = max(MIN_FONT_PT, min(FONT_PT, FONT_PT * row / (fm.height() * 1.15)))
    label_fm = QFontMetricsF(_font(base, font_pt))
    bold_fm = QFontMetricsF(_font(base, font_pt, bold=True))
    widest = max(label_fm.horizontalAdvance(b.label) for b in chart.bars) + 2
    label_room = min(widest, canvas.width() * 0.45)
    left = canvas.left() + PAD + label_room + 6
    right = canvas.right() - PAD - fm.horizontalAdvance(chart.tick_format.format(chart.hi)) / 2
    span = chart.hi - chart.lo

    def x_of(value: float) -> float:
        return left + (min(max(value, chart.lo), chart.hi) - chart.lo) / span * (right - left)

    items = _threshold_items(chart, x_of, top, bottom, canvas, note_fm)
    for i, b in enumerate(chart.bars):
        middle = top + row * (i + 0.5)
        thick = min(row * 0.7, BAR_MAX_PX)
        bar = QRectF(x_of(chart.lo), middle - thick / 2, x_of(b.value) - x_of(chart.lo), thick)
        items.append(Item("bar", b.colour, bar, text=b.label))
        label = label_fm.elidedText(b.label, Qt.TextElideMode.ElideRight, label_room)
        rect = QRectF(canvas.left() + PAD, middle - label_fm.height() / 2, label_room,
                      label_fm.height())  # fmt: skip
        items.append(Item("label", INK, rect, text=label, font_pt=font_pt,
                          align=Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                          whole=b.label))  # fmt: skip
        if b.text:
            items += _value_label(b.text, bar, right - left, label_fm, bold_fm, font_pt)
    items.append(Item("axis", AXIS, line=QLineF(left, top, left, bottom)))
    items.append(Item("axis", AXIS, line=QLineF(left, bottom, right, bottom)))
    for tick in chart.ticks:
        x = x_of(tick)
        items.append(Item("axis", AXIS, line=QLineF(x, bottom, x, bottom + 3)))
        text = chart.tick_format.format(tick)
        box = _text_box(fm, text)
        items.append(Item("tick", INK, QRectF(x - box.width() / 2, bottom + 4, box.width(),
                                               box.height()), text=text))  # fmt: skip
    title_rect = QRectF(left + (right - left - title_box.width()) / 2,
                        canvas.bottom() - PAD - title_box.height(), title_box.width(),
                        title_box.height())  # fmt: skip
    title_rect.moveLeft(max(canvas.left(), min(title_rect.left(),
                                               canvas.right() - title_rect.width())))  # fmt: skip
    items.append(Item("title", INK, title_rect, text=title))
    return items


def _upright(chart: BarChart, canvas: QRectF, base: QFont) -> list[Item]:
    n = len(chart.bars)
    fm = QFontMetricsF(_font(base, FONT_PT))
    angle = 60.0
    sin, cos = math.sin(math.radians(angle)), math.cos(math.radians(angle))
    widest = max(fm.horizontalAdvance(b.label) for b in chart.bars) + 2
    drop = widest * sin + fm.height() * cos  # how far a slanted label reaches down
    left = canvas.left() + PAD + fm.height() + 4 + max(
        fm.horizontalAdvance(chart.tick_format.format(t)) for t in chart.ticks
    ) + 6  # fmt: skip
    right = canvas.right() - PAD
    top = canvas.top() + PAD + fm.height()
    bottom = canvas.bottom() - PAD - fm.height() - 4 - drop - 4
    column = (right - left) / n
    left_edge = left + column / 2 - widest * cos  # the first slanted label must stay in view
    if left_edge < canvas.left():
        left += canvas.left() - left_edge
        column = (right - left) / n
    span = chart.hi - chart.lo

    def y_of(value: float) -> float:
        return bottom - (min(max(value, chart.lo), chart.hi) - chart.lo) / span * (bottom - top)

    items: list[Item] = []
    for i, b in enumerate(chart.bars):
        centre = left + column * (i + 0.5)
        bar = QRectF(centre - column * 0.35, y_of(b.value), column * 0.7, bottom - y_of(b.value))
        items.append(Item("bar", b.colour, bar, text=b.label))
        if b.text:
            box = _text_box(fm, b.text)
            rect = QRectF(centre - box.width() / 2, bar.top() - box.height() - 1, box.width(),
                          box.height())  # fmt: skip
            items.append(Item("value", OUTSIDE, rect, text=b.text))
        anchor = QPointF(centre + 2, bottom + 5)
        box = _text_box(fm, b.label)
        turned = QTransform().translate(anchor.x(), anchor.y()).rotate(-angle)
        drawn = QRectF(-box.width(), -box.height() / 2, box.width(), box.height())
        items.append(Item("label", INK, turned.mapRect(drawn), text=b.label, angle=angle,
                          anchor=anchor, align=Qt.AlignmentFlag.AlignRight))  # fmt: skip
    items.append(Item("axis", AXIS, line=QLineF(left, top, left, bottom)))
    items.append(Item("axis", AXIS, line=QLineF(left, bottom, right, bottom)))
    for tick in chart.ticks:
        y = y_of(tick)
        items.append(Item("axis", AXIS, line=QLineF(left - 3, y, left, y)))
        text = chart.tick_format.format(tick)
        box = _text_box(fm, text)
        items.append(Item("tick", INK, QRectF(left - 5 - box.width(), y - box.height() / 2,
                                               box.width(), box.height()), text=text))  # fmt: skip
    title = _text_box(fm, chart.category_label)
    items.append(Item("title", INK, QRectF(left + (right - left - title.width()) / 2,
                                           canvas.bottom() - PAD - title.height(),
                                           title.width(), title.height()),
                      text=chart.category_label))  # fmt: skip
    side = _text_box(fm, chart.value_label)
    anchor = QPointF(canvas.left() + PAD + side.height() / 2, (top + bottom) / 2)
    drawn = QRectF(-side.width() / 2, -side.height() / 2, side.width(), side.height())
    turned = QTransform().translate(anchor.x(), anchor.y()).rotate(-90)
    items.append(Item("title", INK, turned.mapRect(drawn), text=chart.value_label, angle=90,
                      anchor=anchor))  # fmt: skip
    return items


def paint(painter: QPainter, items: Sequence[Item], base: QFont) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    for item in items:
        colour = QColor(item.colour)
        if item.kind in ("bar", "back"):
            painter.fillRect(item.rect, colour)
        elif item.line is not None:
            pen = QPen(colour, 1.0 if item.kind == "axis" else 0.9)
            if item.kind == "threshold":
                pen.setStyle(Qt.PenStyle.DotLine if item.dotted else Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(item.line)
        elif item.text:
            painter.setPen(colour)
            painter.setFont(_font(base, item.font_pt, item.bold))
            if item.angle and item.anchor is not None:
                _turned_text(painter, item)
            else:
                painter.drawText(item.rect, int(item.align), item.text)


def _turned_text(painter: QPainter, item: Item) -> None:
    assert item.anchor is not None
    fm = QFontMetricsF(painter.font())
    box = _text_box(fm, item.text)
    painter.save()
    painter.translate(item.anchor)
    painter.rotate(-item.angle)
    if item.align & Qt.AlignmentFlag.AlignRight:
        rect = QRectF(-box.width(), -box.height() / 2, box.width(), box.height())
    else:
        rect = QRectF(-box.width() / 2, -box.height() / 2, box.width(), box.height())
    painter.drawText(rect, int(item.align | Qt.AlignmentFlag.AlignVCenter), item.text)
    painter.restore()


class ChartCanvas(QWidget):
    """Paints a :class:`BarChart`; hovering a bar tells its label and value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart: BarChart | None = None
        self.loading = "Loading…"
        self.setAutoFillBackground(True)
        self.setStyleSheet("background: #ffffff;")
        self.setMinimumSize(200, 160)

    def items(self) -> list[Item]:
        if self.chart is None:
            return [Item("note", MUTED, QRectF(self.rect()), text=self.loading)]
        return layout(self.chart, self.size(), self.font())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(WHITE))
        paint(painter, self.items(), self.font())
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self._tip_at(QPointF(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def _tip_at(self, at: QPointF) -> str:
        if self.chart is None:
            return ""
        items = self.items()
        bars = {b.label: b for b in self.chart.bars}
        for item in items:
            pointed = item.rect.adjusted(-2, -2, 2, 2).contains(at)
            if pointed and (item.kind == "bar" or (item.kind == "label" and item.whole)):
                bar = bars.get(item.whole or item.text)
                if bar is not None:
                    return f"{bar.label}: {bar.text or f'{bar.value:g}'}"
        return ""


class MiniChart(QWidget):
    """A titled :class:`ChartCanvas` with a "Save chart…" button (PNG, SVG or PDF)."""

    def __init__(self, title: str, file_stem: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file_stem = file_stem
        layout_, self.title_label, self.save_button = chart_header(self, title, self.save_dialog)
        self.canvas = ChartCanvas(self)
        self.canvas.setAccessibleName(title)
        layout_.addWidget(self.canvas, 1)
        self.setMinimumSize(240, 220)  # three to a row fit a 1024×700 window

    def set_chart(self, chart: BarChart) -> None:
        self.canvas.chart = chart
        self.canvas.setAccessibleDescription(chart.description())
        self.canvas.update()

    def save(self, path: Path | str) -> Path:
        """Save the chart as drawn; the format follows the suffix (.png, .svg or .pdf)."""
        path = Path(path)
        if path.suffix.lower() not in SAVE_FILTERS.values():
            path = path.with_suffix(".png")
        with written_in_place(path) as temp:  # never a half-written or clobbered file
            self._render(Path(temp), path.suffix.lower())
        return path

    def _render(self, target: Path, suffix: str) -> None:
        size = self.canvas.size()
        items, base = self.canvas.items(), self.canvas.font()
        if suffix == ".png":
            image = QImage(size * SAVE_SCALE, QImage.Format.Format_ARGB32)
            image.setDevicePixelRatio(SAVE_SCALE)
            image.fill(QColor(WHITE))
            painter = QPainter(image)
            paint(painter, items, base)
            painter.end()
            if not image.save(str(target), "PNG"):
                raise OSError(f"cannot write {target.name}")
            return
        if suffix == ".svg":
            from PySide6.QtSvg import QSvgGenerator

            device: object = QSvgGenerator()
            device.setFileName(str(target))  # type: ignore[attr-defined]
            device.setSize(size)  # type: ignore[attr-defined]
            device.setViewBox(QRectF(0, 0, size.width(), size.height()))  # type: ignore[attr-defined]
            device.setTitle(self.title_label.text())  # type: ignore[attr-defined]
        else:
            from PySide6.QtCore import QMarginsF, QSizeF
            from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

            pdf = QPdfWriter(str(target))
            points = QSizeF(size.width() * 0.75, size.height() * 0.75)  # 96 px to 72 pt
            page = QPageSize(points, QPageSize.Unit.Point)
            pdf.setPageLayout(QPageLayout(page, QPageLayout.Orientation.Portrait, QMarginsF()))
            pdf.setResolution(96)
            device = pdf
        painter = QPainter(device)  # type: ignore[call-overload]
        painter.fillRect(QRectF(0, 0, size.width(), size.height()), QColor(WHITE))
        paint(painter, items, base)
        painter.end()

    def save_dialog(self) -> None:
        target = ask_save_path(self, "Save chart", "image", f"{self.file_stem}.png", SAVE_FILTERS)
        if target is None:
            return
        try:
            self.save(target)
        except ExportError as exc:
            show_error(self, "Cannot save chart", str(exc))
        except (OSError, ValueError) as exc:
            show_error(self, "Cannot save chart", f"The chart could not be saved: {exc}")
