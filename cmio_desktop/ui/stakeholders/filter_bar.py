"""The search box (debounced) and the filter combos above the register."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.analysis.grids import Quadrant
from cmio_desktop.enums import Attitude, Role, StakeholderGroup
from cmio_desktop.services.stakeholders.register import NEEDS_CLASSIFICATION
from cmio_desktop.services.stakeholders.register_network import (
    CHAMPION,
    KEY_RESISTER,
    READY,
    TOP_INFLUENCE,
)
from cmio_desktop.ui.common.flow_layout import FlowLayout

SEARCH_DEBOUNCE_MS = 120
NETWORK_CHOICES = [
    ("Key resisters", KEY_RESISTER),
    ("Champions", CHAMPION),
    ("Network top 10 %", TOP_INFLUENCE),  # top 10 % of network influence
    ("Ready for go-live", READY),
]

#: Filter key → (label of the "everything" entry, fixed choices or None for values in use).
COMBO_CHROME = 44  # px: a combo box's frame, padding and arrow around its text
FILTERS: dict[str, tuple[str, list[tuple[str, str]] | None]] = {
    "group": ("All groups", [(m.label, m.value) for m in StakeholderGroup]),
    "role": ("All roles", [(m.label, m.value) for m in Role]),
    "department": ("All departments", None),
    "site": ("All sites", None),
    "quadrant": ("All quadrants", [(m.label, m.value) for m in Quadrant]),
    "attitude": ("All attitudes", [(m.label, m.value) for m in Attitude]),
    "classification": ("Any classification", [("Needs classification", NEEDS_CLASSIFICATION)]),
    # From the network analysis (services.register_network): the one key-resister list.
    "network": ("All network roles", NETWORK_CHOICES),
}


class FilterBar(QWidget):
    search_changed = Signal(str)
    filter_changed = Signal(str, object)  # key, value (None = all)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        top = QHBoxLayout()
        top.setSpacing(6)
        layout = FlowLayout(spacing=6)  # wraps on a narrow window rather than eliding labels
        outer.addLayout(top)
        outer.addLayout(layout)
        #: Where the page puts its action buttons, to the right of the search box.
        self.actions_row = QHBoxLayout()
        self.actions_row.setSpacing(6)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name, title, department, email…")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(280)
        self.search.setAccessibleName("Search stakeholders")
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._on_debounce_timeout)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self._on_debounce_timeout)
        top.addWidget(self.search, 1)
        top.addSpacing(12)
        top.addLayout(self.actions_row)
        self.combos: dict[str, QComboBox] = {}
        for key, (everything, choices) in FILTERS.items():
            combo = QComboBox()
            combo.setAccessibleName(everything.replace("All", "Filter by"))
            # As wide as its "All …" label: a long department name is elided when chosen
            # (its tooltip has it whole), not made the width of the whole row.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(4)
            combo.setMinimumWidth(combo.fontMetrics().horizontalAdvance(everything) + COMBO_CHROME)
            combo.addItem(everything, None)
            for label, value in choices or []:
                combo.addItem(label, value)
            combo.currentIndexChanged.connect(lambda _i, k=key: self._on_combo_changed(k))
            self.combos[key] = combo
            layout.addWidget(combo)
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear filters")
        self.clear_button.setToolTip("Clear the search and every filter")
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)

    def set_values(self, key: str, values: list[str]) -> None:
        """Offer the values in use (departments, sites), keeping the current choice."""
        combo = self.combos[key]
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(FILTERS[key][0], None)
        for value in values:
            combo.addItem(value, value)
        index = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(index, 0))
        combo.blockSignals(False)
        if current is not None and index < 0:
            self.filter_changed.emit(key, None)

    def set_filter(self, key: str, value: Any) -> None:
        combo = self.combos[key]
        combo.setCurrentIndex(max(combo.findData(value), 0) if value is not None else 0)

    def value(self, key: str) -> Any:
        return self.combos[key].currentData()

    def clear(self) -> None:
        self.search.clear()
        for combo in self.combos.values():
            combo.setCurrentIndex(0)
        self._on_debounce_timeout()

    def _on_debounce_timeout(self) -> None:
        self._debounce.stop()
        self.search_changed.emit(self.search.text())

    def _on_combo_changed(self, key: str) -> None:
        combo = self.combos[key]
        combo.setToolTip(combo.currentText() if combo.currentIndex() > 0 else "")
        self.filter_changed.emit(key, self.combos[key].currentData())
