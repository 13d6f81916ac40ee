"""RecordDialog: the frame every simple add/edit dialog shares — label/field rows, an area
for extra widgets, one red sentence saying what blocks OK, and OK/Cancel with OK enabled only
when the record is complete.

Subclasses add rows with :meth:`add_row`, say what is wrong in :meth:`problem` (checked on
OK; the dialog stays open and shows the sentence) and, optionally, what must be filled before
OK can be pressed in :meth:`is_complete` (re-checked by :meth:`update_ok` as fields change).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from cmio_desktop.ui.facade import WorkspaceFacade

ERROR_STYLE = "color: #b91c1c;"


class RecordDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None = None, min_width: int = 460) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(min_width)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.extra = QVBoxLayout()
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(self.extra)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def add_row(self, label: str, widget: QWidget) -> QWidget:
        self.form.addRow(label, widget)
        return widget

    def add_history_button(self, facade: WorkspaceFacade, entity: str, entity_id: int) -> None:
        """A "History…" button showing who changed this record (``entity`` is its table)."""
        from cmio_desktop.ui.common.history_panel import HistoryDialog

        def show_history() -> None:
            self.history_dialog = HistoryDialog(facade, entity, entity_id, self)
            self.history_dialog.open()

        button = self.buttons.addButton("History…", QDialogButtonBox.ButtonRole.HelpRole)
        button.setToolTip("Who changed this record, and when")
        button.clicked.connect(show_history)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))

    # -- for subclasses ------------------------------------------------------------------------
    def problem(self) -> str | None:
        """The sentence that keeps the dialog open on OK, or None when the record is fine."""
        return None

    def is_complete(self) -> bool:
        """Whether OK can be pressed at all (required fields filled)."""
        return True

    def update_ok(self, *_args: object) -> None:
        self.ok_button.setEnabled(self.is_complete())

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.show_error(problem)
            return
        self.show_error("")
        super().accept()
