"""DueSoonPanel: what is overdue and what falls due in the next 14 days, soonest first."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from cmio_desktop.services.plan.activities import DUE_SOON_DAYS, ActivityRow, due_soon


class DueSoonPanel(QFrame):
    activity_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kpiCard")
        self.setMinimumWidth(230)
        heading = QLabel(f"Due in the next {DUE_SOON_DAYS} days")
        heading.setStyleSheet("font-weight: 600; color: #1f2a37;")
        self.overdue_label = QLabel()
        self.overdue_label.setWordWrap(True)
        self.list = QListWidget()
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setWordWrap(True)
        self.list.setSpacing(2)
        self.list.itemClicked.connect(self._on_item_chosen)
        self.list.itemActivated.connect(self._on_item_chosen)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.overdue_label)
        layout.addWidget(self.list, 1)

    def set_rows(self, rows: list[ActivityRow], today: date) -> None:
        overdue = sorted((r for r in rows if r.overdue), key=lambda r: (r.due, r.id))
        self.overdue_label.setText(
            f"<span style='color:#b91c1c; font-weight:600'>{len(overdue)} overdue</span>"
            if overdue
            else "<span style='color:#047857'>Nothing overdue</span>"
        )
        self.list.clear()
        for r in overdue:
            self._add(r, f"{r.due:%a %d %b} · overdue", "#b91c1c")
        soon = due_soon(rows, today)
        for r in soon:
            days = (r.due - today).days if r.due else 0
            when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
            self._add(r, f"{r.due:%a %d %b} · {when}", "#0f766e")
        if not soon and not overdue:
            self.list.addItem(QListWidgetItem(f"Nothing due in the next {DUE_SOON_DAYS} days."))

    def _add(self, r: ActivityRow, when: str, colour: str) -> None:
        item = QListWidgetItem(f"{when}\n{r.title}\n{r.owner or 'no owner'}")
        item.setData(Qt.ItemDataRole.UserRole, r.id)
        item.setToolTip(f"{r.title}\n{r.audience_text}\nOwner: {r.owner}")
        item.setForeground(Qt.GlobalColor.black)
        self.list.addItem(item)

    def _on_item_chosen(self, item: QListWidgetItem) -> None:
        ident = item.data(Qt.ItemDataRole.UserRole)
        if ident is not None:
            self.activity_chosen.emit(int(ident))
