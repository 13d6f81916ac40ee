"""The title and "Save chart…" button above every chart, matplotlib-drawn or QPainter-drawn."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget


def chart_header(
    owner: QWidget, title: str, save: Callable[[], object]
) -> tuple[QVBoxLayout, QLabel, QToolButton]:
    """``owner``'s layout with the header row added, its title label and its save button."""
    layout = QVBoxLayout(owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(4)
    bar = QHBoxLayout()
    bar.setContentsMargins(8, 4, 8, 0)
    title_label = QLabel(title)
    title_label.setObjectName("chartTitle")
    title_label.setWordWrap(True)  # a narrow chart wraps its title, never cuts it
    title_label.setMinimumWidth(80)
    title_label.setStyleSheet("font-weight: 600; color: #1f2a37;")
    save_button = QToolButton()
    save_button.setText("Save chart…")
    save_button.setToolTip("Save this chart as PNG, SVG or PDF")
    save_button.clicked.connect(save)
    bar.addWidget(title_label, 1)
    bar.addWidget(save_button)
    layout.addLayout(bar)
    return layout, title_label, save_button
