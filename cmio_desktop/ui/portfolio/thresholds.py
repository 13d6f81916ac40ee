"""ThresholdsEditor: the saturation threshold for every department (the default) and for one
department of its own. It only asks; the page saves through an undo command."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QWidget,
)

MIN_HOURS, MAX_HOURS = 0.5, 80.0  # the service refuses 0 and above 80


def hours_box(name: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(MIN_HOURS, MAX_HOURS)
    box.setDecimals(1)
    box.setSingleStep(0.5)
    box.setSuffix(" h")
    box.setAccessibleName(name)
    box.setToolTip("Hours of change work per person per week above which the department is "
                   "saturated")  # fmt: skip
    return box


class ThresholdsEditor(QGroupBox):
    #: {department or "default": hours, or None to go back to the default}
    save_requested = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Saturation thresholds (hours per person per week)", parent)
        self.thresholds: dict[str, float] = {}
        self.custom: set[str] = set()
        self.default_threshold = 6.0
        self.default_box = hours_box("Default threshold")
        self.default_button = QPushButton("Set default")
        self.default_button.clicked.connect(self._on_default_button_clicked)
        self.department = QComboBox()
        self.department.setAccessibleName("Department")
        self.department.setMinimumContentsLength(16)
        self.department.currentIndexChanged.connect(self._show_department)
        self.department_box = hours_box("Department threshold")
        self.department_button = QPushButton("Set")
        self.department_button.clicked.connect(self._on_department_button_clicked)
        self.reset_button = QPushButton("Use default")
        self.reset_button.setToolTip("Drop this department's own threshold")
        self.reset_button.clicked.connect(self._on_reset_button_clicked)
        self.note = QLabel()
        self.note.setObjectName("muted")
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.addWidget(QLabel("All departments"), 0, 0)
        grid.addWidget(self.default_box, 0, 1)
        grid.addWidget(self.default_button, 0, 2, 1, 2)
        grid.addWidget(self.department, 1, 0)
        grid.addWidget(self.department_box, 1, 1)
        grid.addWidget(self.department_button, 1, 2)
        grid.addWidget(self.reset_button, 1, 3)
        grid.addWidget(self.note, 2, 0, 1, 4)
        grid.setColumnStretch(0, 1)

    def set_thresholds(
        self, departments: list[str], thresholds: dict[str, float], custom: set[str],
        default: float,
    ) -> None:  # fmt: skip
        current = self.department.currentText()
        self.thresholds, self.custom, self.default_threshold = thresholds, custom, default
        self.default_box.setValue(default)
        self.department.blockSignals(True)
        self.department.clear()
        self.department.addItems(departments)
        self.department.blockSignals(False)
        self.choose(current)

    def choose(self, department: str) -> None:
        """Show ``department``'s threshold (the grid's selected row follows here)."""
        index = self.department.findText(department)
        self.department.setCurrentIndex(max(index, 0))
        self._show_department()

    def _show_department(self, _index: int = 0) -> None:
        name = self.department.currentText()
        has_own = name in self.custom
        self.department_box.setValue(self.thresholds.get(name, self.default_threshold))
        self.reset_button.setEnabled(has_own)
        self.department_button.setEnabled(bool(name))
        self.note.setText(
            f"{name} has its own threshold." if has_own else
            f"{name} uses the default." if name else "No department has change load yet."
        )  # fmt: skip

    def _on_default_button_clicked(self) -> None:
        self.save_requested.emit({"default": round(self.default_box.value(), 1)})

    def _on_department_button_clicked(self) -> None:
        name = self.department.currentText()
        if name:
            self.save_requested.emit({name: round(self.department_box.value(), 1)})

    def _on_reset_button_clicked(self) -> None:
        name = self.department.currentText()
        if name:
            self.save_requested.emit({name: None})
