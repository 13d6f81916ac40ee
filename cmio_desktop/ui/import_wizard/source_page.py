"""Step 1: the file, its sheet, and what kind of rows it holds."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWizardPage,
)

from cmio_desktop.io.mapping import detect_header_row
from cmio_desktop.ui.common.tasks import TaskContext
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.file_dialogs import ask_open_path
from cmio_desktop.ui.import_wizard.wizard import IMPORT_TASK, heading

if TYPE_CHECKING:
    from cmio_desktop.io.tabular import Table
    from cmio_desktop.ui.import_wizard.wizard import ImportWizard

FILE_FILTER = "Spreadsheets (*.xlsx *.xlsm *.csv *.txt *.tsv);;All files (*)"
KINDS = (
    ("stakeholders", "People", "The stakeholder register: name, role, group, email, power…"),
    ("relationships", "Influence ties", "Who influences whom: source, target, strength, kind."),
    ("assessments", "ADKAR assessments", "A readiness round: each person's five scores."),
    ("training", "Training completions", "Who completed which course, when, and how well."),
    ("engagement", "Engagement log", "Contacts with people: date, person, type, summary, mood."),
)


def read_summary(table: Table, kind: str) -> str:
    """ "205 rows of data below the headings on row 4, in 8 columns." — the header row (as the
    import would detect it for ``kind``) and the rows above it are not counted."""
    header = detect_header_row(table.rows, kind)
    data_rows = len(table.rows) - header - 1
    noun = "row" if data_rows == 1 else "rows"
    return (
        f"{data_rows:,} {noun} of data below the headings on row {table.row_numbers[header]}, "
        f"in {table.width:,} columns."
    )


class SourcePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._reading: tuple[Path, str | None] | None = None
        self.setTitle(heading("Choose a file"))
        self.setSubTitle(
            "Import from an Excel workbook (.xlsx) or a CSV file. Nothing in the workspace "
            "changes until you press Import on the last step."
        )
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText("Type or paste the path of a file, or choose Browse…")
        self.file_edit.setAccessibleName("File to import")
        self.file_edit.editingFinished.connect(self._on_file_edit_editing_finished)
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setMinimumWidth(240)
        self.sheet_combo.activated.connect(self._on_sheet_combo_activated)
        self.sheet_label = QLabel("Sheet")
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(6)
        self.busy.setTextVisible(False)
        self.busy.hide()

        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        grid.addWidget(QLabel("File"), 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.browse_button)
        grid.addLayout(row, 0, 1)
        grid.addWidget(self.sheet_label, 1, 0)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(self.sheet_combo)
        sheet_row.addStretch(1)
        grid.addLayout(sheet_row, 1, 1)
        grid.addWidget(self.status, 2, 1)
        grid.addWidget(self.busy, 3, 1)
        grid.setColumnStretch(1, 1)

        box = QGroupBox("What does the file hold?")
        box_layout = QGridLayout(box)
        box_layout.setHorizontalSpacing(16)
        box_layout.setVerticalSpacing(4)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        for i, (kind, title, blurb) in enumerate(KINDS):
            button = QRadioButton(title)
            note = QLabel(blurb)
            note.setObjectName("sample")
            box_layout.addWidget(button, i, 0)
            box_layout.addWidget(note, i, 1)
            self.kind_group.addButton(button, i)
            self.kind_buttons[kind] = button
        box_layout.setColumnStretch(1, 1)
        self.kind_buttons["stakeholders"].setChecked(True)
        self.kind_group.idToggled.connect(self._on_kind_toggled)

        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        layout.addLayout(grid)
        layout.addWidget(box)
        layout.addStretch(1)
        self._set_sheets([])

    # -- reading --------------------------------------------------------------------------------

    def load(self, path: Path, sheet: str | None = None) -> None:
        from cmio_desktop.io.tabular import list_sheets, read_table

        wizard = self._wizard
        wizard.path, wizard.table, wizard.source = path, None, None
        wizard.forget_results()
        self.file_edit.setText(str(path))
        self.status.setObjectName("")
        self._restyle(f"Reading {path.name}…")
        self.busy.show()
        self._reading = (path, sheet)

        def work(_ctx: TaskContext) -> tuple[list[str], Any]:
            return list_sheets(path), read_table(path, sheet)

        wizard.runner.start(work, name="import read", key=IMPORT_TASK).then(
            self._on_read_done, self._on_read_failed
        )
        self.completeChanged.emit()

    def _on_read_done(self, result: object) -> None:
        self._reading = None
        sheets, table = result  # type: ignore[misc]
        wizard = self._wizard
        wizard.sheets, wizard.table = sheets, table
        self.busy.hide()
        self._set_sheets(sheets, table.sheet)
        where = f"sheet “{table.sheet}”" if table.sheet else "the file"
        if not table.rows:
            self._restyle(f"Every row of {where} is empty: there is nothing to import.", "problem")
        else:
            self._restyle(f"{read_summary(table, self.chosen_kind())} Read from {where}.", "okay")
        self.completeChanged.emit()

    def _on_read_failed(self, message: str) -> None:
        path = self._reading[0] if self._reading else Path("the file")
        self._reading = None
        self.busy.hide()
        self._set_sheets([])
        self._restyle(message, "problem")
        self.completeChanged.emit()
        show_error(self, f"Cannot import {path.name}", message)

    # -- widgets --------------------------------------------------------------------------------

    def _on_kind_toggled(self, _ident: int, checked: bool) -> None:
        table = self._wizard.table
        if checked and table is not None and table.rows and self._reading is None:
            where = f"sheet “{table.sheet}”" if table.sheet else "the file"
            self._restyle(f"{read_summary(table, self.chosen_kind())} Read from {where}.", "okay")

    def _on_file_edit_editing_finished(self) -> None:
        """A typed or pasted path: read it (quotes from Windows "Copy as path" and ~ allowed)."""
        text = self.file_edit.text().strip().strip('"').strip("'").strip()
        if not text:
            return
        path = Path(text).expanduser()
        wizard = self._wizard
        if self._reading is not None and self._reading[0] == path:
            return
        if wizard.path == path and wizard.table is not None:
            return
        self.load(path)

    def _on_browse_button_clicked(self) -> None:
        path = ask_open_path(self, "Choose a file to import", "import", FILE_FILTER)
        if path is not None:
            self.load(path)

    def _on_sheet_combo_activated(self, index: int) -> None:
        wizard = self._wizard
        sheet = self.sheet_combo.itemText(index)
        if wizard.path is not None and (wizard.table is None or wizard.table.sheet != sheet):
            self.load(wizard.path, sheet)

    def _set_sheets(self, sheets: list[str], current: str | None = None) -> None:
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.addItems(sheets)
        if current in sheets:
            self.sheet_combo.setCurrentIndex(sheets.index(current))
        self.sheet_combo.blockSignals(False)
        self.sheet_combo.setEnabled(len(sheets) > 1)
        self.sheet_combo.setVisible(bool(sheets))
        self.sheet_label.setVisible(bool(sheets))

    def _restyle(self, text: str, name: str = "") -> None:
        self.status.setText(text)
        self.status.setObjectName(name)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)

    def chosen_kind(self) -> str:
        return KINDS[max(0, self.kind_group.checkedId())][0]

    def set_kind(self, kind: str) -> None:
        self.kind_buttons[kind].setChecked(True)

    # -- QWizardPage ----------------------------------------------------------------------------

    def isComplete(self) -> bool:  # noqa: N802
        table = self._wizard.table
        return self._reading is None and table is not None and bool(table.rows)

    def validatePage(self) -> bool:  # noqa: N802
        self._wizard.make_source(self.chosen_kind())
        return True
