"""ScenarioPanel: the what-if inputs (people won over, manual boosts) and the recommender of
people to win over (never called "champions": those are ready supporters who lead peer
activities, a different list). Holds inputs only; the forecast panel runs the numbers."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.enums import AdkarElement
from cmio_desktop.services.readiness.forecast import Boost
from cmio_desktop.ui.common.table_view import tab_leaves
from cmio_desktop.ui.help_link import HelpLink
from cmio_desktop.ui.readiness.table_models import win_over_model

ALL_ELEMENTS = tuple(AdkarElement)


def _names(names: list[str], limit: int = 3) -> str:
    more = f" and {len(names) - limit} more" if len(names) > limit else ""
    return ", ".join(names[:limit]) + more


class ScenarioPanel(QWidget):
    scenario_changed = Signal()
    win_over_requested = Signal(int)
    cancel_requested = Signal()
    person_clicked = Signal(int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.selection: list[int] = []
        self.win_over: dict[int, str] = {}
        self.boosts: list[Boost] = []
        self.name_of: Callable[[int], str] = str
        self._build()
        self.set_selection([])

    def _build(self) -> None:
        what_if = QGroupBox("What-if")
        self.selection_label = QLabel("")
        self.selection_label.setWordWrap(True)
        self.selection_label.setObjectName("muted")
        self.elements = QComboBox()
        self.elements.addItem("on all five elements", None)
        for element in ALL_ELEMENTS:
            self.elements.addItem(f"on {element.label.lower()} only", element)
        self.win_button = QPushButton("Win over the selected")
        self.win_button.setToolTip("Anchor the selected people at 5 and lower their λ")
        self.win_button.clicked.connect(self.win_over_selection)
        self.won_label = QLabel("Nobody won over yet.")
        self.won_label.setWordWrap(True)
        self.boost_element = QComboBox()
        for element in ALL_ELEMENTS:
            self.boost_element.addItem(element.label, element)
        self.boost_week = QSpinBox()
        self.boost_week.setRange(0, 520)
        self.boost_week.setPrefix("week ")
        self.boost_effect = QDoubleSpinBox()
        self.boost_effect.setRange(-2.0, 2.0)
        self.boost_effect.setSingleStep(0.1)
        self.boost_effect.setValue(0.5)
        self.boost_effect.setPrefix("+")
        self.boost_button = QPushButton("Boost the selected")
        self.boost_button.setToolTip(
            "Move the selected people's own stance on the element in that week, for good "
            "(like an extra activity)"
        )
        self.boost_button.clicked.connect(self.add_boost)
        self.boost_list = QListWidget()
        self.boost_list.setMaximumHeight(64)
        self.clear_button = QPushButton("Clear what-if")
        self.clear_button.clicked.connect(self.clear)
        grid = QGridLayout(what_if)
        grid.addWidget(self.selection_label, 0, 0, 1, 3)
        grid.addWidget(self.win_button, 1, 0)
        grid.addWidget(self.elements, 1, 1, 1, 2)
        grid.addWidget(self.won_label, 2, 0, 1, 3)
        grid.addWidget(self.boost_element, 3, 0)
        grid.addWidget(self.boost_week, 3, 1)
        grid.addWidget(self.boost_effect, 3, 2)
        grid.addWidget(self.boost_button, 4, 0)
        grid.addWidget(self.clear_button, 4, 2)
        grid.addWidget(self.boost_list, 5, 0, 1, 3)

        picks = QGroupBox("People to win over")
        self.picks_help = HelpLink("people-to-win-over")
        self.k = QSpinBox()
        self.k.setRange(1, 50)
        self.k.setValue(5)
        self.k.setPrefix("k = ")
        self.recommend_button = QPushButton("Recommend")
        self.recommend_button.clicked.connect(lambda: self.win_over_requested.emit(self.k.value()))
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel_requested.emit)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.picks = win_over_model(self)
        self.table = QTableView()
        tab_leaves(self.table)
        self.table.setModel(self.picks)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(24)
        for col, width in enumerate((26, 110, 110, 56, 50)):
            header.resizeSection(col, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.clicked.connect(self._on_table_clicked)
        self.picks_note = QLabel(
            "Whose winning over lifts predicted readiness at go-live the most? "
            "Often key resisters; not proposed as leaders until they are ready."
        )
        self.picks_note.setObjectName("muted")
        self.picks_note.setWordWrap(True)
        self.adopt_button = QPushButton("Win these over")
        self.adopt_button.setEnabled(False)
        self.adopt_button.clicked.connect(self.adopt_picks)
        row = QHBoxLayout()
        row.addWidget(self.k)
        row.addWidget(self.recommend_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        row.addWidget(self.picks_help)
        box = QVBoxLayout(picks)
        box.addLayout(row)
        box.addWidget(self.progress)
        box.addWidget(self.table, 1)
        box.addWidget(self.picks_note)
        box.addWidget(self.adopt_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(what_if)
        layout.addWidget(picks, 1)
        self.set_busy(False)

    # -- inputs ---------------------------------------------------------------------------------
    def refresh_names(self) -> None:
        """Show names again once they are known (a selection may arrive before the forecast)."""
        self.win_over = {i: self.name_of(i) for i in self.win_over}
        self.set_selection(self.selection)
        names = list(self.win_over.values())
        self.won_label.setText(f"Won over: {_names(names, 4)}" if names else "Nobody won over yet.")

    def set_selection(self, ids: list[int]) -> None:
        self.selection = list(ids)
        if ids:
            names = [self.name_of(i) for i in ids]
            self.selection_label.setText(f"Selected: {_names(names)}")
        else:
            self.selection_label.setText(
                "Select people (heat map, tables, register, network) "
                "to try winning them over or boosting them."
            )
        self.win_button.setEnabled(bool(ids))
        self.boost_button.setEnabled(bool(ids))

    def set_weeks(self, weeks: int) -> None:
        self.boost_week.setRange(0, max(0, weeks - 1))

    def chosen_elements(self) -> tuple[AdkarElement, ...]:
        element = self.elements.currentData()
        return ALL_ELEMENTS if element is None else (element,)

    def win_over_selection(self) -> None:
        self.win_over.update({i: self.name_of(i) for i in self.selection})
        self._changed()

    def add_boost(self) -> None:
        element = self.boost_element.currentData()
        week, effect = self.boost_week.value(), self.boost_effect.value()
        people = tuple(self.selection)
        label = (
            f"{effect:+.1f} {element.label.lower()} in week {week} for "
            f"{_names([self.name_of(i) for i in people], 2)}"
        )
        self.boosts.append(Boost(label, people, element, week, effect))
        self._changed()

    def adopt_picks(self) -> None:
        self.win_over.update({r.person_id: r.name for r in self.picks.records})
        self._changed()

    def clear(self) -> None:
        self.win_over.clear()
        self.boosts.clear()
        self._changed()

    def has_scenario(self) -> bool:
        return bool(self.win_over or self.boosts)

    def _changed(self) -> None:
        names = list(self.win_over.values())
        self.won_label.setText(f"Won over: {_names(names, 4)}" if names else "Nobody won over yet.")
        self.boost_list.clear()
        self.boost_list.addItems([b.label for b in self.boosts])
        self.scenario_changed.emit()

    # -- people to win over ---------------------------------------------------------------------
    def set_busy(self, busy: bool, text: str = "") -> None:
        self.recommend_button.setEnabled(not busy)
        self.cancel_button.setVisible(busy)
        self.progress.setVisible(busy)
        if busy:
            self.progress.setValue(0)
            self.picks_note.setText(text or "Working…")

    def set_progress(self, percent: int, text: str) -> None:
        self.progress.setValue(percent)
        self.picks_note.setText(text)

    def _on_table_clicked(self, index: QModelIndex) -> None:
        ident = self.picks.row_id(index.row())
        if ident is not None:
            self.person_clicked.emit(ident, self.picks.record(index.row()).name)
