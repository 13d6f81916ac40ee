"""A page header's view of its background work: status text, a progress bar and Cancel."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

FAILED_STYLE = "color: #b91c1c;"


class BusyBar(QWidget):
    """Hidden parts while idle; ``start`` shows the bar and Cancel, ``stop`` may leave a word."""

    cancel_requested = Signal()

    def __init__(self, bar_width: int = 150, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text = QLabel("")
        self.text.setObjectName("muted")
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setFixedWidth(bar_width)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.stop()

    def start(self, text: str) -> None:
        self._show(True, text)
        self.bar.setValue(0)

    def show_progress(self, percent: int, text: str = "") -> None:
        self.bar.setValue(percent)
        if text:
            self.text.setText(text)

    def stop(self, text: str = "") -> None:
        """Idle again; ``text`` (such as "Cancelled") stays in view until the next start."""
        self._show(False, text)

    def fail(self, message: str) -> None:
        self._show(False, message)
        self.text.setStyleSheet(FAILED_STYLE)

    def _show(self, busy: bool, text: str) -> None:
        self.text.setStyleSheet("")
        self.text.setText(text)
        self.text.setVisible(busy or bool(text))
        self.bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
