"""The navigation sidebar: full titles when there is room, icon badges with tooltips when not.

It collapses on its own below ``COLLAPSE_BELOW`` window pixels (a 13" laptop at 125-150 %
scaling) unless the user has chosen a width with the collapse button or View menu; both
stay operable by keyboard (Tab reaches the list; arrows move; Enter opens the page).
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QToolButton, QVBoxLayout, QWidget

from cmio_desktop.ui.navigation import Section

WIDE = 200
NARROW = 56
COLLAPSE_BELOW = 1200  # window width in device-independent pixels
BADGE = 28


def badge_icon(text: str) -> QIcon:
    """A rounded badge with one or two letters: readable at any scaling, no image files."""
    icon = QIcon()
    for scale in (1, 2):  # crisp at 100 % and 200 %
        pixmap = QPixmap(BADGE * scale, BADGE * scale)
        pixmap.setDevicePixelRatio(scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#38506a"))
        painter.drawRoundedRect(QRectF(1, 1, BADGE - 2, BADGE - 2), 6, 6)
        font = QFont()
        font.setPixelSize(12)
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRectF(0, 0, BADGE, BADGE), Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


class Sidebar(QWidget):
    """The section list plus a collapse toggle; ``nav`` is the QListWidget itself."""

    collapsed_changed = Signal(bool)

    def __init__(self, sections: tuple[Section, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # the slate panel
        self.sections = sections
        self._collapsed = False
        self.user_choice: bool | None = None  # None: follow the window width
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Sections")
        self.nav.setIconSize(QSize(BADGE, BADGE))
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for index, section in enumerate(sections):
            item = QListWidgetItem(badge_icon(section.badge), section.title)
            item.setData(Qt.ItemDataRole.UserRole, section.key)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, section.title)
            item.setToolTip(f"{section.title} (Ctrl+{index + 1}) — {section.blurb}")
            item.setSizeHint(QSize(NARROW, 44))
            self.nav.addItem(item)
        self.toggle = QToolButton()
        self.toggle.setObjectName("sidebarToggle")
        self.toggle.setAutoRaise(True)
        self.toggle.clicked.connect(lambda: self.choose(not self._collapsed))
        layout.addWidget(self.nav, 1)
        layout.addWidget(self.toggle)
        self._apply()

    @property
    def collapsed(self) -> bool:
        return self._collapsed

    def choose(self, collapsed: bool) -> None:
        """The user's choice wins over the automatic width from now on."""
        self.user_choice = collapsed
        self.set_collapsed(collapsed)

    def follow_window_width(self, width: int) -> None:
        if self.user_choice is None:
            self.set_collapsed(width < COLLAPSE_BELOW)

    def set_collapsed(self, collapsed: bool) -> None:
        if collapsed != self._collapsed:
            self._collapsed = collapsed
            self._apply()
            self.collapsed_changed.emit(collapsed)

    def _apply(self) -> None:
        collapsed = self._collapsed
        self.setFixedWidth(NARROW if collapsed else WIDE)
        for row, section in enumerate(self.sections):
            self.nav.item(row).setText("" if collapsed else section.title)
        self.toggle.setText("»" if collapsed else "« Collapse")
        name = "Expand sidebar" if collapsed else "Collapse sidebar"
        self.toggle.setToolTip(name)
        self.toggle.setAccessibleName(name)


def first_focusable(page: QWidget | None) -> QWidget | None:
    """Where the focus goes when ``page`` opens: its ``focus_target()`` if it names one (e.g.
    the ranking a dashboard card opened), else the first widget Tab would reach in it."""
    if page is None:
        return None
    focus_target = getattr(page, "focus_target", None)
    chosen = focus_target() if focus_target is not None else None
    if chosen is not None and chosen.isVisibleTo(page):
        return chosen
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        if (
            page.isAncestorOf(widget)
            and widget.isVisibleTo(page)
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None
