"""The heading row every page starts with: the page's title and a muted caption beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel


class PageHeading(QHBoxLayout):
    """Title, then the caption taking the spare width; add a page's own widgets after them.

    ``align_bottom`` sets the caption on the title's baseline; rows with buttons in them
    centre it instead, level with the buttons' text.
    """

    def __init__(self, title: str, *, align_bottom: bool = True, wrap: bool = False) -> None:
        super().__init__()
        self.title = QLabel(title)
        self.title.setObjectName("pageTitle")
        self.caption = QLabel("")
        self.caption.setObjectName("muted")
        self.caption.setWordWrap(wrap)
        self.addWidget(self.title)
        self.addSpacing(12)
        if align_bottom:
            self.addWidget(self.caption, 1, Qt.AlignmentFlag.AlignBottom)
        else:
            self.addWidget(self.caption, 1)
