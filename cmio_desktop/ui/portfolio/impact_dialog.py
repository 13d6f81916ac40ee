"""ImpactDialog: rate how much the initiative changes a department's (or a role's) work, seven
aspects 0–5, with the degree of impact shown as the numbers change. An unknown department is
refused here with a sentence, and the dialog stays open."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.analysis.change_load import impact_degree, impact_score
from cmio_desktop.enums import Role
from cmio_desktop.models.impact import IMPACT_ASPECTS
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.portfolio.departments import known_department
from cmio_desktop.services.portfolio.impact import ASPECT_LABELS, ImpactRow

ALL_DEPARTMENTS = "All departments"
HINTS = {
    "people": "how many people's daily work changes",
    "process": "steps, hand-offs and approvals",
    "technology": "systems and devices they use",
    "workflow": "the order and place of the work",
    "training_hours": "time needed to learn it",
    "job_role": "duties, skills, responsibilities",
    "reporting": "who reports to whom, what is measured",
}


class ImpactDialog(QDialog):
    def __init__(
        self, departments: list[str], row: ImpactRow | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit change impact" if row else "Rate change impact")
        self.departments = departments
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.setAccessibleName("Department")
        self.department.addItems([ALL_DEPARTMENTS, *departments])
        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        self.role.addItem("All roles", None)
        for role in Role:
            if role is not Role.UNCLASSIFIED:
                self.role.addItem(role.label, role.value)
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        form.addRow("Department", self.department)
        form.addRow("Role", self.role)
        for aspect in IMPACT_ASPECTS:
            spin = QSpinBox()
            spin.setRange(0, 5)
            spin.setAccessibleName(ASPECT_LABELS[aspect])
            spin.setToolTip(f"0 = no change, 5 = transformed: {HINTS[aspect]}")
            spin.valueChanged.connect(self._show_degree)
            self.spins[aspect] = spin
            form.addRow(ASPECT_LABELS[aspect], spin)
        self.degree = QLabel()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b91c1c;")
        self.error.setVisible(False)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.degree)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if row is not None:
            self.department.setCurrentText(row.department or ALL_DEPARTMENTS)
            self.role.setCurrentIndex(max(0, self.role.findData(row.role)))
            self.department.setEnabled(False)  # a rating's scope is its identity
            self.role.setEnabled(False)
            for aspect, value in row.aspects.items():
                self.spins[aspect].setValue(value)
        self.result_values: tuple[str, str | None, dict[str, int]] | None = None
        self._show_degree()

    def aspects(self) -> dict[str, int]:
        return {a: s.value() for a, s in self.spins.items()}

    def _show_degree(self, _value: Any = None) -> None:
        values = list(self.aspects().values())
        self.degree.setText(
            f"Score {impact_score(values):.1f} → <b>{impact_degree(values)}</b> impact"
        )

    def accept(self) -> None:
        typed = self.department.currentText()
        try:
            department = known_department(
                "" if typed.strip() == ALL_DEPARTMENTS else typed, self.departments
            )
        except ServiceError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        self.result_values = (department, self.role.currentData(), self.aspects())
        super().accept()
