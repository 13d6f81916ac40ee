"""The detail editor: every field of one person, Apply/Revert, validation errors inline."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.enums import Attitude, LabelledEnum, Role, StakeholderGroup
from cmio_desktop.services.stakeholders.edits import validate
from cmio_desktop.ui.stakeholders.custom_fields import CustomFieldsEditor
from cmio_desktop.ui.view_only import view_only_gate

ERROR_STYLE = "color: #b91c1c; font-size: 9pt;"
BAD_INPUT = "border: 1px solid #dc2626; border-radius: 2px;"
TEXT_FIELDS = ("name", "title", "email", "phone", "external_id")
COMBO_TEXT_FIELDS = ("department", "site")
ENUM_FIELDS: dict[str, type[LabelledEnum]] = {
    "role": Role,
    "group": StakeholderGroup,
    "attitude": Attitude,
    "desired_attitude": Attitude,
}
CHECK_FIELDS = {
    "salience_power": "Power",
    "salience_legitimacy": "Legitimacy",
    "salience_urgency": "Urgency",
    "physician_champion": "Physician champion",
    "super_user": "Super user",
    "is_body": "Is a body or committee",
}
NULLABLE = ("email", "external_id")
NO_SELECTION = (
    "Select a person to see and edit their details.\n\n"
    "Ctrl+F searches by name, title, department or email. Shift- or Ctrl-click selects "
    "several people for Bulk edit or Delete. The Power/interest grid tab shows the people "
    "listed; click a point to select that person."
)


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: 600; color: #0f766e; padding-top: 8px;")
    return label


class StakeholderEditor(QWidget):
    """Edits one person. Emits ``apply_requested(id, old, new)`` with the changed fields only."""

    apply_requested = Signal(int, dict, dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._record: Any = None
        self._loading = False
        self.widgets: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}

        self.stack = QStackedWidget()
        self.message = QLabel(NO_SELECTION)
        self.message.setObjectName("muted")
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setContentsMargins(12, 12, 12, 12)
        self.stack.addWidget(self.message)
        self.stack.addWidget(self._build_form())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    # -- building -------------------------------------------------------------------------------
    def _build_form(self) -> QWidget:
        panel = QWidget()
        outer = QVBoxLayout(panel)
        outer.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600; color: #1f2a37;")
        self.heading.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("muted")
        self.summary.setWordWrap(True)
        head = QVBoxLayout()
        head.setContentsMargins(12, 8, 12, 4)
        head.addWidget(self.heading)
        head.addWidget(self.summary)
        outer.addLayout(head)

        body = QWidget()
        self.form = QFormLayout(body)
        self.form.setContentsMargins(12, 0, 12, 8)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow(_section("Identity"))
        self._add_line("name", "Name")
        self._add_line("title", "Title")
        self._add_enum("role", "Role")
        self._add_enum("group", "Group")
        self._add_combo_text("department", "Department")
        self._add_combo_text("site", "Site")
        self._add_line("email", "Email", "name@example.org")
        self._add_line("phone", "Phone")
        self._add_line("external_id", "External id", "Key used by imports")
        self.form.addRow(_section("Engagement"))
        self._add_score("power", "Power (rated)")
        self._add_score("interest", "Interest")
        self._add_enum("attitude", "Current attitude")
        self._add_enum("desired_attitude", "Desired attitude")
        self._add_checks("Salience", ("salience_power", "salience_legitimacy", "salience_urgency"))
        self._add_checks("Flags", ("physician_champion", "super_user"))
        self._add_checks("", ("is_body",))
        notes = QPlainTextEdit()
        notes.setFixedHeight(84)
        notes.textChanged.connect(self._on_edited)
        self._add("notes", "Notes", notes)
        self.form.addRow(_section("Custom fields"))
        self.custom = CustomFieldsEditor()
        self.custom.edited.connect(self._on_edited)
        self._add("custom_fields", "", self.custom)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        outer.addWidget(scroll, 1)

        self.error_banner = QLabel()
        self.error_banner.setStyleSheet(ERROR_STYLE)
        self.error_banner.setWordWrap(True)
        self.error_banner.hide()
        self.apply_button = QPushButton("Apply")
        self.apply_button.setDefault(True)
        self.apply_button.setToolTip("Save these changes (undo with Ctrl+Z)")
        view_only_gate().register(self.apply_button)  # off in viewer mode
        self.revert_button = QPushButton("Revert")
        self.revert_button.setToolTip("Discard the changes made here")
        self.apply_button.clicked.connect(self.apply)
        self.revert_button.clicked.connect(self.revert)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(12, 4, 12, 8)
        buttons.addWidget(self.error_banner, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        outer.addLayout(buttons)
        self._set_dirty(False)
        return panel

    def _add(self, key: str, label: str, widget: QWidget) -> None:
        self.widgets[key] = widget
        if label:
            self.form.addRow(label, widget)
        else:
            self.form.addRow(widget)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        self.form.addRow("", error)
        self.form.setRowVisible(error, False)
        self._errors[key] = error

    def _add_line(self, key: str, label: str, placeholder: str = "") -> None:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.textEdited.connect(self._on_edited)
        edit.editingFinished.connect(lambda k=key: self._check_field(k))
        self._add(key, label, edit)

    def _add_combo_text(self, key: str, label: str) -> None:
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        combo.completer().setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        combo.currentTextChanged.connect(self._on_edited)
        self._add(key, label, combo)

    def _add_enum(self, key: str, label: str) -> None:
        combo = QComboBox()
        for member in ENUM_FIELDS[key]:
            combo.addItem(member.label, member.value)
        combo.currentIndexChanged.connect(self._on_edited)
        self._add(key, label, combo)

    def _add_score(self, key: str, label: str) -> None:
        spin = QSpinBox()
        spin.setRange(1, 5)
        spin.setToolTip(f"{label}, from 1 (low) to 5 (high)")
        spin.setMaximumWidth(80)
        spin.valueChanged.connect(self._on_edited)
        self._add(key, label, spin)

    def _add_checks(self, label: str, keys: Iterable[str]) -> None:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for key in keys:
            box = QCheckBox(CHECK_FIELDS[key])
            box.toggled.connect(self._on_edited)
            self.widgets[key] = box
            layout.addWidget(box)
        layout.addStretch(1)
        self.form.addRow(label, row)

    # -- public -----------------------------------------------------------------------------------
    @property
    def record(self) -> Any:
        return self._record

    def set_choices(self, departments: list[str], sites: list[str], titles: list[str]) -> None:
        for key, values in (("department", departments), ("site", sites)):
            combo: QComboBox = self.widgets[key]  # type: ignore[assignment]
            text = combo.currentText()
            self._loading = True
            combo.clear()
            combo.addItems(values)
            combo.setCurrentText(text)
            self._loading = False
        title: QLineEdit = self.widgets["title"]  # type: ignore[assignment]
        completer = QCompleter(titles, title)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        title.setCompleter(completer)

    def show_message(self, text: str) -> None:
        self._record = None
        self.message.setText(text)
        self.stack.setCurrentIndex(0)

    def load(self, record: Any, summary: str = "") -> None:
        """Show ``record`` (a frozen stakeholder record), discarding unsaved edits."""
        self._record = record
        self._loading = True
        try:
            for key, widget in self.widgets.items():
                self._put(widget, key, getattr(record, key))
        finally:
            self._loading = False
        self.heading.setText(record.name)
        self.summary.setText(summary)
        self.summary.setVisible(bool(summary))
        self.show_errors({})
        self._set_dirty(False)
        self.stack.setCurrentIndex(1)

    def values(self) -> dict[str, Any]:
        return {key: self._get(widget, key) for key, widget in self.widgets.items()}

    def changes(self) -> dict[str, Any]:
        """Edited fields only, as the user entered them."""
        if self._record is None:
            return {}
        current = self.values()
        return {k: v for k, v in current.items() if v != self._stored(k)}

    def is_dirty(self) -> bool:
        return bool(self.changes())

    def problems(self) -> dict[str, str]:
        changes = self.changes()
        errors = validate(changes)
        if "custom_fields" in changes:
            names = [k for k, _v in self.custom.pairs()]
            if any(not n for n in names):
                errors["custom_fields"] = "Every custom field needs a name."
            elif len(set(names)) != len(names):
                errors["custom_fields"] = "Two custom fields have the same name."
        return errors

    def apply(self) -> bool:
        """Validate and request the change; False (with errors shown) if it is not valid."""
        if self._record is None:
            return False
        errors = self.problems()
        self.show_errors(errors)
        if errors:
            return False
        new = self.changes()
        if not new:
            return True
        old = {k: getattr(self._record, k) for k in new}
        self.apply_requested.emit(int(self._record.id), old, new)
        return True

    def revert(self) -> None:
        if self._record is not None:
            self.load(self._record, self.summary.text())

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self._errors.items():
            text = errors.get(key, "")
            label.setText(text)
            self.form.setRowVisible(label, bool(text))
            widget = self.widgets[key]
            if key != "custom_fields":
                widget.setStyleSheet(BAD_INPUT if text else "")
        unknown = [t for k, t in errors.items() if k not in self._errors]
        self.error_banner.setText(
            " ".join(unknown) or ("Please correct the fields marked in red." if errors else "")
        )
        self.error_banner.setVisible(bool(errors))

    # -- values in and out ------------------------------------------------------------------
    def _stored(self, key: str) -> Any:
        value = getattr(self._record, key)
        if isinstance(value, Enum):
            return value.value
        if key in NULLABLE and value is None:
            return ""
        if key == "custom_fields":
            return dict(value or {})
        return value if value is not None else ""

    def _put(self, widget: QWidget, key: str, value: Any) -> None:
        if isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))
        elif isinstance(widget, QComboBox) and key in ENUM_FIELDS:
            code = value.value if isinstance(value, Enum) else value
            widget.setCurrentIndex(max(widget.findData(code), 0))
        elif isinstance(widget, QComboBox):
            widget.setCurrentText("" if value is None else str(value))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value or 3))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value or "")
        elif isinstance(widget, CustomFieldsEditor):
            widget.set_fields(dict(value or {}))

    def _get(self, widget: QWidget, key: str) -> Any:
        if isinstance(widget, QLineEdit):
            return widget.text().strip()
        if isinstance(widget, QComboBox) and key in ENUM_FIELDS:
            return widget.currentData()
        if isinstance(widget, QComboBox):
            return widget.currentText().strip()
        if isinstance(widget, QSpinBox):
            return widget.value()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText().rstrip()
        if isinstance(widget, CustomFieldsEditor):
            return dict(widget.pairs())
        raise TypeError(key)

    def _on_edited(self, *_args: Any) -> None:
        if not self._loading:
            self._set_dirty(self.is_dirty())

    def _check_field(self, key: str) -> None:
        if self._record is None or self._loading:
            return
        value = self._get(self.widgets[key], key)
        problem = validate({key: value}).get(key, "") if value != self._stored(key) else ""
        label = self._errors[key]
        label.setText(problem)
        self.form.setRowVisible(label, bool(problem))
        self.widgets[key].setStyleSheet(BAD_INPUT if problem else "")

    def _set_dirty(self, dirty: bool) -> None:
        view_only_gate().set_enabled(self.apply_button, dirty)
        self.revert_button.setEnabled(dirty)
