"""A small "?" button next to a term: opens the glossary at that term."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton, QWidget

from cmio_desktop.ui.help_dialog import GLOSSARY, TERMS, open_help


class HelpLink(QToolButton):
    def __init__(self, anchor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("helpLink")
        self.setText("?")
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.WhatsThisCursor)
        self.clicked.connect(self.open)
        self.set_anchor(anchor)

    def set_anchor(self, anchor: str) -> None:
        if anchor not in TERMS:
            raise KeyError(f"No glossary entry for {anchor!r}")
        self.anchor = anchor
        term = TERMS[anchor]
        self.setToolTip(f"What is “{term}”? Opens the glossary")
        self.setAccessibleName(f"What is {term}?")

    def open(self) -> None:
        open_help(self, GLOSSARY, self.anchor)
