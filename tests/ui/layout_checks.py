"""Checks the screenshot tests run on every page: chart text inside its canvas, and the key
columns of tables (name, attitude, readiness, criterion) wide enough and in view."""

from __future__ import annotations

from statistics import median

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QTableView, QWidget

from cmio_desktop.ui.charts import ChartWidget, clipped_texts

KEY_COLUMNS = ("Name", "Person", "Attitude", "Readiness", "Criterion")
# In a table of things rather than people (activities), the title names the row.
KEY_COLUMNS_WITHOUT_NAME = ("Title", "Due", "Status")
CELL_PADDING_PX = 8  # a cell's text margins: content this much narrower still shows whole
TEXT_MARGINS_PX = 6  # what the item delegate takes off a cell's width before wrapping


def wrapped_height(metrics: QFontMetrics, text: str, width: int) -> int:
    flags = int(Qt.TextFlag.TextWordWrap)
    return metrics.boundingRect(QRect(0, 0, max(1, width), 10_000), flags, text).height()


def clipped_chart_texts(page: QWidget) -> list[str]:
    problems = []
    for chart in page.findChildren(ChartWidget):
        if not chart.isVisible() or chart.figure is None:
            continue
        chart.draw_now()
        for text, _artist in clipped_texts(chart.figure):
            problems.append(f"{type(chart).__name__}: chart text {text!r} is cut by the canvas")
    return problems


def key_column_problems(page: QWidget) -> list[str]:
    problems = []
    for view in page.findChildren(QTableView):
        model = view.model()
        if not view.isVisible() or model is None or model.rowCount() == 0:
            continue
        header = view.horizontalHeader()
        metrics = view.fontMetrics()
        titles = [
            model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())
        ]
        keys = KEY_COLUMNS if "Name" in titles else KEY_COLUMNS + KEY_COLUMNS_WITHOUT_NAME
        for col, title in enumerate(titles):
            if title not in keys or view.isColumnHidden(col):
                continue
            texts = [
                str(model.index(row, col).data() or "") for row in range(min(200, model.rowCount()))
            ]
            width = header.sectionSize(col)
            name = f"{type(view).__name__} {view.objectName() or ''} column {title!r}"
            if view.wordWrap():  # wrapped text must fit the row's height instead
                cut = [
                    row
                    for row, text in enumerate(texts)
                    if wrapped_height(metrics, text, width - TEXT_MARGINS_PX) > view.rowHeight(row)
                ]
                if cut:
                    problems.append(f"{name}: {len(cut)} wrapped cells taller than their rows")
            else:
                need = median(metrics.horizontalAdvance(t) for t in texts)
                if width + CELL_PADDING_PX < need:
                    problems.append(f"{name} is {width} px wide; its median text needs {need:.0f}")
            right = header.sectionViewportPosition(col) + width
            if header.sectionViewportPosition(col) < 0 or right > view.viewport().width() + 1:
                problems.append(f"{name} is scrolled out of view (ends at {right} px)")
    return problems
