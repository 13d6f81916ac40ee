"""FormDialog: a small add/edit dialog (a :class:`RecordDialog`) built from field
descriptions (text, long text, choice, editable choice, date, optional date, whole number,
decimal). Returns plain values; the caller turns them into an undo command. Extra widgets (an
audience editor, a people picker) can be added below the form."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from cmio_desktop.ui.common.record_dialog import RecordDialog


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    kind: str = "text"  # text, long, choice, edit_choice, date, optional_date, int, float
    choices: Sequence[tuple[str, Any]] = ()  # (label, value)
    minimum: float = 0
    maximum: float = 100
    decimals: int = 2
    step: float = 1.0
    required: bool = False
    help: str = ""
    suffix: str = ""


def to_qdate(value: date | None) -> QDate:
    value = value or date.today()
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class OptionalDateEdit(QWidget):
    """A date with a "none" box (end dates, required-by dates)."""

    def __init__(self, none_text: str = "None", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.edit = QDateEdit()
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("d MMM yyyy")
        self.enabled = QCheckBox("Set")
        self.enabled.toggled.connect(self.edit.setEnabled)
        self.enabled.setToolTip(f"Untick for: {none_text}")
        layout.addWidget(self.enabled)
        layout.addWidget(self.edit, 1)
        self.set_value(None)

    def set_value(self, value: date | None) -> None:
        self.enabled.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        self.edit.setDate(to_qdate(value))

    def value(self) -> date | None:
        return from_qdate(self.edit.date()) if self.enabled.isChecked() else None


class FormDialog(RecordDialog):
    """A :class:`RecordDialog` whose rows come from :class:`Field` descriptions. OK stays off
    until every required field has a value; ``validate`` may refuse the whole record."""

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        values: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        validate: Callable[[dict[str, Any]], str | None] | None = None,
    ) -> None:
        super().__init__(title, parent)
        self.fields = list(fields)
        self._validate = validate
        self.widgets: dict[str, QWidget] = {}
        for f in self.fields:
            widget = self._make(f)
            if f.help:
                widget.setToolTip(f.help)
            self.widgets[f.key] = widget
            self.add_row(f"{f.label}{' *' if f.required else ''}", widget)
            if f.required:
                _on_change(widget, self.update_ok)
        if values:
            self.set_values(values)
        self.update_ok()

    def _make(self, f: Field) -> QWidget:
        if f.kind == "long":
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(70)
            return edit
        if f.kind in ("choice", "edit_choice"):
            combo = QComboBox()
            combo.setEditable(f.kind == "edit_choice")
            for label, value in f.choices:
                combo.addItem(label, value)
            return combo
        if f.kind == "date":
            edit = QDateEdit()
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setDate(to_qdate(None))
            return edit
        if f.kind == "optional_date":
            return OptionalDateEdit()
        if f.kind == "int":
            spin = QSpinBox()
            spin.setRange(int(f.minimum), int(f.maximum))
            spin.setSuffix(f.suffix)
            return spin
        if f.kind == "float":
            dspin = QDoubleSpinBox()
            dspin.setRange(f.minimum, f.maximum)
            dspin.setDecimals(f.decimals)
            dspin.setSingleStep(f.step)
            dspin.setSuffix(f.suffix)
            return dspin
        return QLineEdit()

    # -- values --------------------------------------------------------------------------------
    def set_values(self, values: dict[str, Any]) -> None:
        for f in self.fields:
            if f.key in values:
                self.set_value(f.key, values[f.key])

    def set_value(self, key: str, value: Any) -> None:
        f = next(x for x in self.fields if x.key == key)
        w = self.widgets[key]
        if isinstance(w, QPlainTextEdit):
            w.setPlainText(str(value or ""))
        elif isinstance(w, QComboBox):
            raw = getattr(value, "value", value)
            i = w.findData(raw)
            if i < 0 and f.kind == "edit_choice":
                w.setEditText(str(value or ""))
            elif i >= 0:
                w.setCurrentIndex(i)
        elif isinstance(w, QDateEdit):
            w.setDate(to_qdate(value))
        elif isinstance(w, OptionalDateEdit):
            w.set_value(value)
        elif isinstance(w, QSpinBox):
            w.setValue(int(value or 0))
        elif isinstance(w, QDoubleSpinBox):
            w.setValue(float(value or 0))
        elif isinstance(w, QLineEdit):
            w.setText(str(value or ""))

    def value(self, key: str) -> Any:
        f = next(x for x in self.fields if x.key == key)
        w = self.widgets[key]
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText().strip()
        if isinstance(w, QComboBox):
            if f.kind == "edit_choice":
                return w.currentText().strip()
            return w.currentData()
        if isinstance(w, QDateEdit):
            return from_qdate(w.date())
        if isinstance(w, OptionalDateEdit):
            return w.value()
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QDoubleSpinBox):
            return w.value()
        if isinstance(w, QLineEdit):
            return w.text().strip()
        return None

    def values(self) -> dict[str, Any]:
        return {f.key: self.value(f.key) for f in self.fields}

    def _missing(self) -> Field | None:
        values = self.values()
        return next(
            (f for f in self.fields if f.required and values.get(f.key) in (None, "")), None
        )

    def is_complete(self) -> bool:
        return self._missing() is None

    def problem(self) -> str | None:
        missing = self._missing()
        if missing is not None:
            self.widgets[missing.key].setFocus(Qt.FocusReason.OtherFocusReason)
            return f"{missing.label} is required."
        return self._validate(self.values()) if self._validate is not None else None


def _on_change(widget: QWidget, slot: Callable[..., None]) -> None:
    """Call ``slot`` whenever the field's value changes."""
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(slot)
        widget.editTextChanged.connect(slot)
    elif isinstance(widget, OptionalDateEdit):
        widget.enabled.toggled.connect(slot)


def enum_choices(enum_cls: Any, blank: str | None = None) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = [(blank, None)] if blank is not None else []
    return out + [(member.label, member.value) for member in enum_cls]
