"""Bulk edit: tick the fields to set, choose their values, apply to every selected person."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.enums import Attitude, Role, StakeholderGroup

ENUMS = {
    "role": Role,
    "group": StakeholderGroup,
    "attitude": Attitude,
    "desired_attitude": Attitude,
}
FIELDS = (
    ("role", "Role"),
    ("group", "Group"),
    ("department", "Department"),
    ("site", "Site"),
    ("power", "Power (rated)"),
    ("interest", "Interest"),
    ("attitude", "Current attitude"),
    ("desired_attitude", "Desired attitude"),
    ("physician_champion", "Physician champion"),
    ("super_user", "Super user"),
    ("is_body", "Body or committee"),
)
BOOLEANS = ("physician_champion", "super_user", "is_body")


class BulkEditDialog(QDialog):
    def __init__(
        self, count: int, departments: list[str], sites: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bulk edit")
        self.setMinimumWidth(420)
        noun = "person" if count == 1 else "people"
        intro = QLabel(
            f"Set these fields on the {count:,} selected {noun}. "
            "Only ticked fields change; one undo step reverses it all."
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        self.ticks: dict[str, QCheckBox] = {}
        self.editors: dict[str, QWidget] = {}
        for row, (key, label) in enumerate(FIELDS):
            tick = QCheckBox(label)
            editor = self._editor(key, departments, sites)
            editor.setEnabled(False)
            tick.toggled.connect(editor.setEnabled)
            tick.toggled.connect(self._on_tick_toggled)
            grid.addWidget(tick, row, 0)
            grid.addWidget(editor, row, 1)
            self.ticks[key], self.editors[key] = tick, editor
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(f"Apply to {count:,}")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.buttons)
        self._on_tick_toggled()

    @staticmethod
    def _editor(key: str, departments: list[str], sites: list[str]) -> QWidget:
        if key in ENUMS:
            combo = QComboBox()
            for member in ENUMS[key]:
                combo.addItem(member.label, member.value)
            return combo
        if key in ("department", "site"):
            combo = QComboBox()
            combo.setEditable(True)
            combo.addItems(departments if key == "department" else sites)
            return combo
        if key in ("power", "interest"):
            spin = QSpinBox()
            spin.setRange(1, 5)
            spin.setValue(3)
            return spin
        combo = QComboBox()
        combo.addItem("Yes", True)
        combo.addItem("No", False)
        return combo

    def set_value(self, key: str, value: Any) -> None:
        """Tick ``key`` and set its value (used by tests and keyboard users alike)."""
        self.ticks[key].setChecked(True)
        editor = self.editors[key]
        if isinstance(editor, QSpinBox):
            editor.setValue(int(value))
        elif isinstance(editor, QComboBox) and editor.isEditable():
            editor.setCurrentText(str(value))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))

    def changes(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, tick in self.ticks.items():
            if not tick.isChecked():
                continue
            editor = self.editors[key]
            if isinstance(editor, QSpinBox):
                out[key] = editor.value()
            elif isinstance(editor, QComboBox) and editor.isEditable():
                out[key] = editor.currentText().strip()
            elif isinstance(editor, QComboBox):
                out[key] = editor.currentData()
        return out

    def _on_tick_toggled(self, *_args: Any) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(any(t.isChecked() for t in self.ticks.values()))
