"""RedZoneMap: degree of impact (rows: high, medium, low) × readiness band (columns), each
cell the departments in it. High impact where readiness is below the ready threshold, or not
measured, is the red zone: those cells are red and framed. Painted directly (a few cells; no
chart library to load)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from cmio_desktop.analysis.adkar import ReadinessSettings
from cmio_desktop.services.portfolio.impact import RedZoneRow
from cmio_desktop.ui.portfolio.impact_table import BANDS, band_labels, zone_band

DEGREES = ("high", "medium", "low")
RED, WATCH, CALM = "#fca5a5", "#fde68a", "#dcfce7"
TEXT, MUTED, FRAME = "#1f2a37", "#5b6b7c", "#991b1b"
LEFT, TOP = 74, 50


def cell_colour(degree: str, band: str) -> str:
    if degree == "high":
        return WATCH if band == "ready" else RED
    if degree == "medium" and band != "ready":
        return WATCH
    return CALM


class RedZoneMap(QWidget):
    #: The departments of the clicked cell (the tab selects their ratings).
    cell_clicked = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = ReadinessSettings()
        self.cells: dict[tuple[str, str], list[str]] = {}
        self.setMinimumSize(QSize(420, 210))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Red zone: degree of impact by readiness band")
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_rows(self, rows: list[RedZoneRow], settings: ReadinessSettings) -> None:
        self.settings = settings
        self.cells = {}
        for row in rows:
            key = (row.degree, zone_band(row.readiness, settings))
            self.cells.setdefault(key, []).append(row.department)
        red = self.red_zone_departments()
        said = "Red zone: " + ", ".join(red) if red else "No department is in the red zone."
        self.setToolTip(f"{said}\nClick a cell to select its departments' ratings.")
        self.update()

    def red_zone_departments(self) -> list[str]:
        return sorted(
            d for (deg, band), ds in self.cells.items() if deg == "high" and band != "ready"
            for d in ds
        )  # fmt: skip

    def cell_at(self, x: float, y: float) -> tuple[str, str] | None:
        width = (self.width() - LEFT - 4) / len(BANDS)
        height = (self.height() - TOP - 4) / len(DEGREES)
        column, row = int((x - LEFT) // width), int((y - TOP) // height)
        if x < LEFT or y < TOP or not (0 <= column < len(BANDS) and 0 <= row < len(DEGREES)):
            return None
        return DEGREES[row], BANDS[column]

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        cell = self.cell_at(event.position().x(), event.position().y())
        if cell is not None:
            self.cell_clicked.emit(sorted(self.cells.get(cell, [])))
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        width = (self.width() - LEFT - 4) / len(BANDS)
        height = (self.height() - TOP - 4) / len(DEGREES)
        labels = band_labels(self.settings)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1))
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setPen(QColor(MUTED))
        painter.setFont(small)
        top_label = QRectF(LEFT, 0, width * len(BANDS), 16)
        painter.drawText(top_label, int(Qt.AlignmentFlag.AlignCenter), "Department readiness")
        for c, band in enumerate(BANDS):
            rect = QRectF(LEFT + c * width, 16, width, TOP - 18)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                             labels[band])  # fmt: skip
        for r, degree in enumerate(DEGREES):
            y = TOP + r * height
            painter.setPen(QColor(TEXT))
            painter.setFont(bold)
            painter.drawText(QRectF(0, y, LEFT - 6, height),
                             int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             f"{degree.capitalize()}\nimpact")  # fmt: skip
            for c, band in enumerate(BANDS):
                self._paint_cell(painter, QRectF(LEFT + c * width, y, width, height),
                                 degree, band, bold, small)  # fmt: skip
        painter.end()

    def _paint_cell(
        self, painter: QPainter, rect: QRectF, degree: str, band: str, bold: QFont, small: QFont
    ) -> None:
        inner = rect.adjusted(2, 2, -2, -2)
        names = sorted(self.cells.get((degree, band), []))
        red = degree == "high" and band != "ready"
        painter.setPen(QPen(QColor(FRAME), 2.5) if red and names else Qt.PenStyle.NoPen)
        painter.setBrush(QColor(cell_colour(degree, band)))
        painter.drawRoundedRect(inner, 4, 4)
        if not names:
            return
        painter.setPen(QColor(TEXT))
        painter.setFont(bold)
        painter.drawText(inner.adjusted(6, 3, -4, 0),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop),
                         str(len(names)))  # fmt: skip
        painter.setFont(small)
        metrics = painter.fontMetrics()
        line = metrics.height()
        room = max(1, int((inner.height() - line - 6) // line))
        if len(names) > room:
            names = [*names[: room - 1], f"+{len(names) - room + 1} more"]
        for i, name in enumerate(names):
            text = metrics.elidedText(name, Qt.TextElideMode.ElideRight, int(inner.width() - 10))
            painter.drawText(QRectF(inner.left() + 6, inner.top() + 3 + line * (i + 1),
                                    inner.width() - 10, line),
                             int(Qt.AlignmentFlag.AlignLeft), text)  # fmt: skip
