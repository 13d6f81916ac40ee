"""SurveyRoundDialog: fast keyboard entry of one survey round for a whole department.

Typing a digit 1–5 sets the score and moves on; Tab/Enter move to the next cell (Shift+Tab
back); Delete clears; Ctrl+V pastes a tab-separated block copied from a spreadsheet. Save
records the round as one undo step ("record survey round for ICU (34 people)").
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services.analysis_settings import readiness_settings
from cmio_desktop.services.errors import REFUSED
from cmio_desktop.services.readiness import assessments as service
from cmio_desktop.services.readiness import rounds
from cmio_desktop.ui.dialogs import confirm
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.readiness.commands import RecordRoundCommand, push
from cmio_desktop.ui.readiness.survey_model import (
    EDITABLE,
    FIRST_SCORE,
    NAME,
    NOTE,
    READINESS,
    SCORE_COLUMNS,
    SurveyGridModel,
)

LAST_SCORE = FIRST_SCORE + 4

HINT = (
    "Type 1–5 to score and move on (five digits per person) · Tab or Enter: next cell, "
    "including the note · Shift+Tab: back · Delete: clear · Ctrl+V: paste a block copied "
    "from a spreadsheet"
)
ERROR_STYLE = "color: #b91c1c; font-weight: 600;"
INFO_STYLE = "color: #5b6b7c;"


class SurveyGridView(QTableView):
    """A table that moves through the editable cells like a survey form."""

    def __init__(self, model: SurveyGridModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.grid = model
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setTabKeyNavigation(True)  # Tab moves between cells (Ctrl+Tab leaves the grid)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setDefaultSectionSize(24)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(NAME, 200)
        for col in SCORE_COLUMNS:
            header.resizeSection(col, 96)
        header.resizeSection(LAST_SCORE, 126)
        header.resizeSection(READINESS, 150)
        header.setSectionResizeMode(NOTE, QHeaderView.ResizeMode.Stretch)

    def move(self, step: int) -> None:
        """Go to the next (or previous) editable cell, row by row."""
        current = self.currentIndex()
        rows = self.grid.rowCount()
        if rows == 0:
            return
        if not current.isValid():
            self.setCurrentIndex(self.grid.index(0, EDITABLE[0]))
            return
        cells = len(EDITABLE)
        col = current.column() if current.column() in EDITABLE else EDITABLE[0]
        position = current.row() * cells + EDITABLE.index(col) + step
        position = max(0, min(rows * cells - 1, position))
        self.setCurrentIndex(self.grid.index(position // cells, EDITABLE[position % cells]))

    def advance(self) -> None:
        """After a typed score: the next score, skipping the note (reach it with Tab)."""
        current = self.currentIndex()
        if current.column() == LAST_SCORE and current.row() + 1 < self.grid.rowCount():
            self.setCurrentIndex(self.grid.index(current.row() + 1, FIRST_SCORE))
        elif current.column() != LAST_SCORE:
            self.move(1)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        key, current = event.key(), self.currentIndex()
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_clipboard()
            return
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.state() != QAbstractItemView.State.EditingState:
                self.move(1)  # (an open editor moves on when it closes: closeEditor)
            return
        if key == Qt.Key.Key_Backtab:
            self.move(-1)
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.grid.clear(self.selectedIndexes() or [current])
            return
        text = event.text()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        typed = bool(text) and text.isprintable() and not text.isspace() and plain
        if typed and current.isValid() and current.column() in SCORE_COLUMNS:
            if self.grid.setData(current, text):
                self.advance()
            return
        super().keyPressEvent(event)

    def closeEditor(  # noqa: N802 (Qt override)
        self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint
    ) -> None:
        super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        if hint in (
            QAbstractItemDelegate.EndEditHint.EditNextItem,
            QAbstractItemDelegate.EndEditHint.SubmitModelCache,
        ):
            self.move(1)
        elif hint == QAbstractItemDelegate.EndEditHint.EditPreviousItem:
            self.move(-1)

    def paste_clipboard(self) -> bool:
        current = self.currentIndex()
        if not current.isValid():
            current = self.grid.index(0, EDITABLE[0])
        return self.grid.paste(current.row(), current.column(), QApplication.clipboard().text())


class SurveyRoundDialog(QDialog):
    def __init__(
        self, facade: WorkspaceFacade, department: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.facade = facade
        self.setWindowTitle("Record a survey round")
        self.resize(1040, 640)
        self.model = SurveyGridModel(self)
        self.model.barrier_max = readiness_settings(facade.ws).barrier_max
        self._loaded_key: tuple[str, date] | None = None

        self.department = QComboBox()
        for name, count in rounds.survey_departments(facade.ws):
            self.department.addItem(f"{name or '(no department)'}  ({count:,})", name)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setMaximumDate(QDate.currentDate())
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.assessor = QLineEdit()
        self.assessor.setPlaceholderText("e.g. Change team survey")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.department.setMinimumWidth(280)
        self.assessor.setMinimumWidth(280)
        form.addRow("Department", self.department)
        form.addRow("Date", self.date)
        form.addRow("Assessor", self.assessor)

        self.view = SurveyGridView(self.model)
        hint = QLabel(HINT)
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.count = QLabel("")
        self.count.setObjectName("muted")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(self.count, 1)
        footer.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(footer)

        if department is not None:
            found = self.department.findData(department)
            if found >= 0:
                self.department.setCurrentIndex(found)
        self.department.currentIndexChanged.connect(self._on_department_changed)
        self.date.dateChanged.connect(self._on_date_changed)
        self.model.rejected.connect(self.show_error)
        self.model.edited.connect(self._on_model_edited)
        self._load()

    # -- loading --------------------------------------------------------------------------------
    def current_department(self) -> str:
        return str(self.department.currentData() or "")

    def current_date(self) -> date:
        return self.date.date().toPython()  # type: ignore[no-any-return]

    def _load(self) -> None:
        dept, day = self.current_department(), self.current_date()
        people = rounds.survey_people(self.facade.ws, dept)
        prefill = {}
        if self.facade.initiative_id is not None:
            prefill = service.round_on(
                self.facade.ws, self.facade.initiative_id, day, [p.id for p in people]
            )
        self.model.set_people(people, prefill)
        self._loaded_key = (dept, day)
        self.view.setCurrentIndex(self.model.index(0, EDITABLE[0]))
        self.view.setFocus()
        note = f"{len(prefill)} already recorded on {day:%d %b %Y} (saving replaces them)."
        self.show_info(note if prefill else "")
        self._update_count()

    def _confirm_discard(self) -> bool:
        if not self.model.dirty:
            return True
        return confirm(self, "Discard entries?", "Discard the scores entered so far?")

    def _on_department_changed(self, _index: int) -> None:
        if self._confirm_discard():
            self._load()
        else:
            previous = self.department.findData(self._loaded_key[0] if self._loaded_key else "")
            self.department.blockSignals(True)
            self.department.setCurrentIndex(max(0, previous))
            self.department.blockSignals(False)

    def _on_date_changed(self, _date: QDate) -> None:
        if not self.model.dirty:
            self._load()  # a day already recorded pre-fills; entered scores are kept otherwise

    def _on_model_edited(self) -> None:
        self.message.setText("")
        self._update_count()

    def _update_count(self) -> None:
        self.count.setText(f"{self.model.filled_rows():,} of {self.model.rowCount():,} scored")

    # -- messages -------------------------------------------------------------------------------
    def show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def show_info(self, text: str) -> None:
        self.message.setStyleSheet(INFO_STYLE)
        self.message.setText(text)

    # -- saving ---------------------------------------------------------------------------------
    def save(self) -> bool:
        if self.facade.initiative_id is None:
            self.show_error("Create an initiative before recording readiness.")
            return False
        entries, problems = self.model.entries()
        if problems:
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            self.show_error("Not saved: " + "; ".join(problems[:3]) + more + ".")
            return False
        if not entries:
            self.show_error("Not saved: no one has scores yet.")
            return False
        label = self.current_department() or "people without a department"
        command = RecordRoundCommand(
            self.facade,
            self.facade.initiative_id,
            self.current_date(),
            entries,
            self.assessor.text(),
            label,
        )
        try:
            push(self.facade, command)
        except REFUSED as exc:
            self.show_error(f"Not saved: {exc}")
            return False
        self.model.dirty = False
        self.accept()
        return True

    def reject(self) -> None:
        if self._confirm_discard():
            super().reject()
