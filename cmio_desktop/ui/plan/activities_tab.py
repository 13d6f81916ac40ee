"""ActivitiesTab: the engagement plan as a filterable table, with a "due in the next 14
days" list beside it; add, edit, mark done and delete are undoable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services.plan.activities import ActivityRow, due_soon, owners
from cmio_desktop.ui.action_set import ActionSet
from cmio_desktop.ui.common.table_view import make_table, select_ids, selected_records
from cmio_desktop.ui.plan.activity_table import (
    DUE_WINDOWS,
    ELEMENT_FILTERS,
    STATUS_FILTERS,
    ActivityFilters,
    activity_model,
)


class ActivitiesTab(QWidget):
    add_requested = Signal()
    edit_requested = Signal(object)  # ActivityRow
    delete_requested = Signal(list)  # ActivityRows
    done_requested = Signal(list)
    generate_requested = Signal()

    def __init__(self, clock: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.go_live: date | None = None
        self.model = activity_model(self)
        self._build()

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search activities…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.model.set_search)
        self.status = self._combo(STATUS_FILTERS)
        self.owner = QComboBox()
        self.owner.addItem("All owners", None)
        self.owner.currentIndexChanged.connect(self._apply_filters)
        self.element = self._combo(ELEMENT_FILTERS)
        self.due_window = self._combo(DUE_WINDOWS)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 2)
        for combo in (self.status, self.owner, self.element, self.due_window):
            filters.addWidget(combo, 1)

        # Title keeps its width and Due and Status follow it: on a laptop screen the key
        # columns stay in view and the rest scroll (the audience takes any spare width).
        self.view = make_table(self.model, stretch=3)
        self.commands = ActionSet(
            self,
            {
                "plan.activity.add": self.add_requested.emit,
                "plan.activity.edit": self._on_edit_clicked,
                "plan.activity.done": lambda: self._emit_selected(self.done_requested),
                "plan.activity.delete": lambda: self._emit_selected(self.delete_requested),
                "plan.activity.generate": self.generate_requested.emit,
            },
            view=self.view,
        )
        button = self.commands.button
        self.add_button = button("plan.activity.add")
        self.edit_button = button("plan.activity.edit")
        self.done_button = button("plan.activity.done")
        self.delete_button = button("plan.activity.delete")
        self.generate_button = button("plan.activity.generate")
        self.count = QLabel()
        self.count.setObjectName("muted")
        actions = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.done_button, self.delete_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.count)
        actions.addSpacing(12)
        actions.addWidget(self.generate_button)

        header = self.view.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for visual, column in enumerate((7, 8), start=1):  # Due, Status
            header.moveSection(header.visualIndex(column), visual)
        self.view.setColumnWidth(0, 240)
        self.view.sortByColumn(7, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(lambda _i: self._on_edit_clicked())
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        self.overdue_button = QPushButton()
        self.overdue_button.setFlat(True)
        self.overdue_button.setToolTip("Show only overdue activities")
        self.overdue_button.clicked.connect(lambda: self.show_quick("overdue"))
        self.soon_button = QPushButton()
        self.soon_button.setFlat(True)
        self.soon_button.setToolTip("Show what is due in the next 14 days")
        self.soon_button.clicked.connect(lambda: self.show_quick("soon"))
        actions.insertWidget(5, self.overdue_button)
        actions.insertWidget(6, self.soon_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.view, 1)
        self._update_buttons()

    def _combo(self, items: tuple[tuple[str, object], ...]) -> QComboBox:
        combo = QComboBox()
        for label, value in items:
            combo.addItem(label, value)
        combo.currentIndexChanged.connect(self._apply_filters)
        return combo

    # -- data ----------------------------------------------------------------------------------
    def set_rows(self, rows: list[ActivityRow], go_live: date | None) -> None:
        self.go_live = go_live
        keep = [r.id for r in selected_records(self.view)]
        current_owner = self.owner.currentData()
        self.owner.blockSignals(True)
        self.owner.clear()
        self.owner.addItem("All owners", None)
        for owner in owners(rows):
            self.owner.addItem(owner, owner)
        index = self.owner.findData(current_owner)
        self.owner.setCurrentIndex(max(0, index))
        self.owner.blockSignals(False)
        self.model.set_predicate(self.filters().predicate(self.clock(), go_live))
        self.model.set_rows(rows)
        select_ids(self.view, keep)
        self._update_quick(rows)
        self._update_buttons()

    def filters(self) -> ActivityFilters:
        return ActivityFilters(
            self.status.currentData(),
            self.owner.currentData(),
            self.element.currentData(),
            self.due_window.currentData(),
        )

    def _apply_filters(self) -> None:
        self.model.set_predicate(self.filters().predicate(self.clock(), self.go_live))
        self._update_buttons()

    def _update_quick(self, rows: list[ActivityRow]) -> None:
        overdue = sum(r.overdue for r in rows)
        soon = len(due_soon(rows, self.clock()))
        colour = "#b91c1c" if overdue else "#047857"
        self.overdue_button.setText(f"{overdue} overdue")
        self.overdue_button.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.soon_button.setText(f"{soon} due in the next 14 days")
        self.soon_button.setStyleSheet("color: #0f766e; font-weight: 600;")

    def show_quick(self, which: str) -> None:
        """Set the filters to overdue, or to open activities due in the next 14 days."""
        self.reset_filters(apply=False)
        if which == "overdue":
            self.status.setCurrentIndex(self.status.findData("overdue"))
        else:
            self.due_window.setCurrentIndex(self.due_window.findData(14))

    # -- actions ----------------------------------------------------------------------------------
    def command_actions(self) -> list[QAction]:
        return list(self.commands)

    def selected(self) -> list[ActivityRow]:
        return selected_records(self.view)

    def _emit_selected(self, signal: Signal) -> None:
        rows = self.selected()
        if rows:
            signal.emit(rows)  # type: ignore[attr-defined]

    def _on_edit_clicked(self) -> None:
        rows = self.selected()
        if len(rows) == 1:
            self.edit_requested.emit(rows[0])

    def reveal(self, ident: int) -> None:
        """Clear the filters and select one activity."""
        self.reset_filters()
        select_ids(self.view, [ident])

    def reset_filters(self, apply: bool = True) -> None:
        for combo in (self.status, self.owner, self.element, self.due_window):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.clear()
        if apply:
            self._apply_filters()

    def _update_buttons(self) -> None:
        self.commands.follow_selection(len(self.view.selectionModel().selectedRows()))
        shown, total = self.model.rowCount(), len(self.model.records)
        text = f"{shown} of {total} activities" if shown != total else f"{total} activities"
        self.count.setText(text)
