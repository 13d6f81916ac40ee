"""Steps 3 and 4: the problems found in the rows, then what would change, and the import."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from cmio_desktop.services.importing.plan import count_of
from cmio_desktop.ui.common.table_view import tab_leaves
from cmio_desktop.ui.common.tasks import TaskContext
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.import_wizard.models import (
    ChangesModel,
    DuplicatesModel,
    IssuesModel,
    rows_for,
)
from cmio_desktop.ui.import_wizard.wizard import IMPORT_TASK, heading

if TYPE_CHECKING:
    from cmio_desktop.services.importing.run import ImportOutcome
    from cmio_desktop.ui.import_wizard.wizard import ImportWizard


def _table(model: Any, widths: tuple[int, ...]) -> QTableView:
    view = QTableView()
    tab_leaves(view)
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    return view


def _label(name: str = "", wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(wrap)
    return label


def _restyle(label: QLabel, text: str, name: str = "") -> None:
    label.setText(text)
    label.setObjectName(name)
    label.style().unpolish(label)
    label.style().polish(label)


class CheckPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self.setTitle(heading("Check the rows"))
        self.setSubTitle(
            "Every row is checked and compared with the workspace. Nothing has been written yet."
        )
        self.summary = _label()
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(6)
        self.issues = IssuesModel()
        self.view = _table(self.issues, (70, 170, 220))
        self.notes = _label("sample")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.busy)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.notes)

    def initializePage(self) -> None:  # noqa: N802
        from cmio_desktop.services.importing.pipeline import plan_source, validate_source

        wizard = self._wizard
        source, options, when = wizard.source, wizard.options, wizard.default_date
        ws = wizard.facade.ws
        assert source is not None
        wizard.forget_results()
        self.issues.set_issues([])
        self.notes.clear()
        self.view.hide()
        _restyle(self.summary, f"Checking {source.data_rows:,} rows of {source.name}…")
        self.busy.show()

        def work(_ctx: TaskContext) -> tuple[Any, Any]:
            validation = validate_source(source, default_date=when)
            return validation, plan_source(ws, source, validation, options)

        wizard.runner.start(work, name="import check", key=IMPORT_TASK).then(
            self._on_checked, self._on_failed
        )
        self.completeChanged.emit()

    def cleanupPage(self) -> None:  # noqa: N802
        self._wizard.runner.discard(IMPORT_TASK)
        self.busy.hide()

    def _on_checked(self, result: Any) -> None:
        wizard = self._wizard
        wizard.validation, wizard.plan = result
        plan = wizard.plan
        self.busy.hide()
        rejected = len(plan.rejected_rows)
        ready = plan.data_rows - rejected
        first_fix = plan.first_fix()
        if not rejected:
            _restyle(self.summary, f"All {plan.data_rows:,} rows passed the checks.", "okay")
        elif first_fix:
            _restyle(self.summary, first_fix, "problem")
            self.issues.set_issues(plan.rejected)
            self.view.show()
        else:
            _restyle(
                self.summary,
                f"{ready:,} of {plan.data_rows:,} rows are ready; {rejected:,} "
                f"row{'s have' if rejected != 1 else ' has'} problems, listed below by their row "
                "number in the file. Nothing is imported while any row has a problem, unless "
                "you choose on the next step to import the valid rows only.",
                "problem",
            )
            self.issues.set_issues(plan.rejected)
            self.view.show()
        notes = classification_notes(plan)
        notes += plan.notes
        if plan.blank_rows:
            notes.append(
                f"{plan.blank_rows:,} rows with nothing in the matched columns were skipped."
            )
        notes.extend(round_trip_notes(plan))
        self.notes.setText("\n".join(notes))
        self.completeChanged.emit()

    def _on_failed(self, message: str) -> None:
        self.busy.hide()
        _restyle(self.summary, message, "problem")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self._wizard.plan is not None


def classification_notes(plan: Any) -> list[str]:
    """How many roles and groups were inferred, how many people will need classification,
    and the possible duplicates — counted once, on the plan."""
    notes = []
    if plan.inferred_rows:
        notes.append(
            f"{plan.inferred_rows:,} row{'s' if plan.inferred_rows != 1 else ''}: role or group "
            "inferred from the job title (marked “inferred” in the preview)."
        )
    if plan.unclassified_rows:
        n = plan.unclassified_rows
        notes.append(
            f"{n:,} new {'person' if n == 1 else 'people'} will need classification: no role or "
            "group in the file, and none could be inferred. The register's “Needs "
            "classification” filter finds them."
        )
    if plan.duplicates:
        n = len(plan.duplicates)
        notes.append(
            f"{n:,} row{'s' if n != 1 else ''} may be people already in the register (same "
            "name, no ID or email): skipped unless you choose otherwise on the next step."
        )
    return notes


def round_trip_notes(plan: Any) -> list[str]:
    """People the file leaves out (kept) and the columns it has that the import does not read."""
    notes = []
    if plan.missing:
        text = plan.missing_text()
        notes.append(text[:1].upper() + text[1:] + ".")
    if plan.unused_columns:
        notes.append("Columns not used: " + ", ".join(plan.unused_columns) + ".")
    if plan.read_only_columns:
        notes.append("Read-only columns ignored: " + ", ".join(plan.read_only_columns) + ".")
    return notes


CATEGORIES = (
    ("new", "new"),
    ("updated", "updated"),
    ("unchanged", "unchanged"),
    ("rejected", "rejected rows"),
    ("duplicates", "possible duplicates"),
)


class ReviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._done = False
        self.replanning = False
        self._category = "new"
        self.setTitle(heading("Review and import"))
        self.setSubTitle("What the import would change. Choose a count to list its rows.")
        self.buttons: dict[str, QPushButton] = {}
        self.group = QButtonGroup(self)
        counts = QHBoxLayout()
        counts.setSpacing(10)
        self.values: dict[str, QLabel] = {}
        for i, (key, caption) in enumerate(CATEGORIES):
            button = QPushButton()
            button.setObjectName("countCard")
            button.setCheckable(True)
            button.setMinimumHeight(64)
            button.clicked.connect(lambda _=False, k=key: self.show_category(k))
            value = QLabel("0")
            value.setObjectName("countValue")
            value.setProperty("category", key)
            words = QLabel(caption)
            words.setObjectName("countCaption")
            inside = QVBoxLayout(button)
            inside.setContentsMargins(14, 6, 14, 8)
            inside.setSpacing(0)
            for label in (value, words):
                label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
                inside.addWidget(label)
            self.group.addButton(button, i)
            counts.addWidget(button)
            self.buttons[key] = button
            self.values[key] = value
        self.changes = ChangesModel()
        self.issues = IssuesModel()
        self.duplicates = DuplicatesModel()
        self.duplicates.toggled.connect(self._on_duplicate_toggled)
        self.stack = QStackedWidget()
        self.stack.addWidget(_table(self.changes, (70, 300)))
        self.stack.addWidget(_table(self.issues, (70, 170, 220)))
        self.stack.addWidget(_table(self.duplicates, (70, 220, 260)))
        self.skip_rejected = QCheckBox()
        self.skip_rejected.toggled.connect(self._on_skip_rejected_toggled)
        self.remove_missing = QCheckBox()
        self.remove_missing.toggled.connect(self._on_remove_missing_toggled)
        self.summary = _label()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.show_them = QPushButton("Show them")
        self.show_them.setToolTip("Open the register with the “Needs classification” filter")
        self.show_them.clicked.connect(self._on_show_them_clicked)
        self.show_them.hide()
        closing = QHBoxLayout()
        closing.addWidget(self.summary, 1)
        closing.addWidget(self.show_them)
        layout = QVBoxLayout(self)
        layout.addLayout(counts)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.skip_rejected)
        layout.addWidget(self.remove_missing)
        layout.addLayout(closing)
        layout.addWidget(self.progress)

    def initializePage(self) -> None:  # noqa: N802
        plan = self._wizard.plan
        assert plan is not None
        self._done = False
        self.show_them.hide()
        values = self._show_counts()
        first = next((k for k in ("updated", "new", "rejected", "unchanged") if values[k]), "new")
        self.show_category(first)
        self._update_summary()

    def _show_counts(self) -> dict[str, int]:
        plan = self._wizard.plan
        assert plan is not None
        values = {
            "new": len(plan.new),
            "updated": len(plan.updated),
            "unchanged": len(plan.unchanged),
            "rejected": len(plan.rejected_rows),
            "duplicates": len(plan.duplicates),
        }
        for key, _ in CATEGORIES:
            self.values[key].setText(f"{values[key]:,}")
        self.buttons["duplicates"].setVisible(bool(values["duplicates"]))
        rejected = values["rejected"]
        self.skip_rejected.blockSignals(True)
        self.skip_rejected.setChecked(plan.options.valid_rows_only)
        self.skip_rejected.blockSignals(False)
        self.skip_rejected.setText(
            f"Import the valid rows and skip the {rejected:,} rejected "
            f"row{'s' if rejected != 1 else ''}"
        )
        self.skip_rejected.setVisible(bool(rejected) and plan.has_changes)
        self._show_remove_missing(plan)
        return values

    def show_category(self, key: str) -> None:
        plan = self._wizard.plan
        assert plan is not None
        self._category = key
        self.buttons[key].setChecked(True)
        if key == "rejected":
            self.issues.set_issues(plan.rejected)
            self.stack.setCurrentIndex(1)
        elif key == "duplicates":
            self.duplicates.set_duplicates(plan.duplicates)
            self.stack.setCurrentIndex(2)
        else:
            self.changes.set_rows(rows_for(plan, key))
            self.stack.setCurrentIndex(0)

    def _on_duplicate_toggled(self, row: int, create: bool) -> None:
        """The user's per-row choice: check the file again with it (in the background)."""
        from cmio_desktop.services.importing.pipeline import plan_source

        wizard = self._wizard
        assert wizard.plan is not None and wizard.source is not None
        rows = set(wizard.plan.options.create_rows)
        rows = rows | {row} if create else rows - {row}
        options = dataclasses.replace(wizard.plan.options, create_rows=frozenset(rows))
        wizard.options = options
        source, validation, ws = wizard.source, wizard.validation, wizard.facade.ws
        self.replanning = True
        self.completeChanged.emit()

        def work(_ctx: TaskContext) -> Any:
            return plan_source(ws, source, validation, options)

        wizard.runner.start(work, name="import plan", key=IMPORT_TASK).then(
            self._on_replanned, self._on_replan_failed
        )

    def _on_replanned(self, plan: Any) -> None:
        self.replanning = False
        self._wizard.plan = plan
        self._show_counts()
        self.show_category(self._category)
        self._update_summary()

    def _on_replan_failed(self, message: str) -> None:
        self.replanning = False
        _restyle(self.summary, message, "problem")
        self.completeChanged.emit()

    def _on_skip_rejected_toggled(self, checked: bool) -> None:
        wizard = self._wizard
        assert wizard.plan is not None
        options = dataclasses.replace(wizard.plan.options, valid_rows_only=checked)
        wizard.plan = dataclasses.replace(wizard.plan, options=options)
        self._update_summary()

    def _show_remove_missing(self, plan: Any) -> None:
        missing = len(plan.missing)
        self.remove_missing.blockSignals(True)
        self.remove_missing.setChecked(plan.options.delete_missing)
        self.remove_missing.blockSignals(False)
        self.remove_missing.setText(
            f"Remove the {count_of(plan.kind, missing)} not in the file (with their ties, "
            "assessments and training records)"
        )
        self.remove_missing.setVisible(bool(missing))

    def _on_remove_missing_toggled(self, checked: bool) -> None:
        wizard = self._wizard
        assert wizard.plan is not None
        options = dataclasses.replace(wizard.plan.options, delete_missing=checked)
        wizard.plan = dataclasses.replace(wizard.plan, options=options)
        self._update_summary()

    def _update_summary(self) -> None:
        plan = self._wizard.plan
        assert plan is not None
        kind = plan.kind
        if plan.deletes_refused:
            _restyle(self.summary, plan.deletes_refused, "problem")
            self.completeChanged.emit()
            return
        if not plan.has_changes:
            text = (
                "Nothing would change: every valid row matches the workspace already."
                if not plan.rejected
                else "There is nothing valid to import."
            )
            _restyle(self.summary, text, "problem" if plan.rejected else "okay")
        elif not plan.can_commit:
            _restyle(
                self.summary,
                "Nothing can be imported while rows are rejected. Go back and "
                "correct the file, or tick the box above to skip them.",
                "problem",
            )
        else:
            bits = []
            if plan.new:
                bits.append(f"add {count_of(kind, len(plan.new))}")
            if plan.updated:
                bits.append(f"update {count_of(kind, len(plan.updated))}")
            if plan.deletes:
                bits.append(f"remove {count_of(kind, len(plan.deletes))}")
            skipped = len(plan.skipped_duplicates)
            also = (
                f" {skipped:,} possible duplicate{'s are' if skipped != 1 else ' is'} skipped."
                if skipped
                else ""
            )
            _restyle(
                self.summary,
                f"Press Import to {' and '.join(bits)}, in one step that Edit › Undo takes back."
                + also,
            )
        self.completeChanged.emit()

    # -- committing -----------------------------------------------------------------------------

    def isComplete(self) -> bool:  # noqa: N802
        if self._done:
            return True
        plan = self._wizard.plan
        return (
            plan is not None
            and plan.can_commit
            and not self._wizard.committing
            and not self.replanning
        )

    def validatePage(self) -> bool:  # noqa: N802
        if self._done:
            return True
        self._commit()
        return False

    def _commit(self) -> None:
        from cmio_desktop.services.importing.run import commit_import

        wizard = self._wizard
        plan, ws = wizard.plan, wizard.facade.ws
        assert plan is not None
        wizard.committing = True
        self._set_busy(True)

        def work(ctx: TaskContext) -> ImportOutcome:
            # Stopping is asked, not forced: the commit rolls back and says so itself.
            return commit_import(ws, plan, progress=ctx.count, cancelled=lambda: ctx.stopping)

        wizard.runner.start(work, name="import commit", key=IMPORT_TASK).then(
            self._on_committed, self._on_commit_failed, progress=self._on_progress
        )

    def _on_progress(self, percent: int, _text: str) -> None:
        self.progress.setRange(0, 100)
        self.progress.setValue(percent)

    def _on_committed(self, outcome: ImportOutcome) -> None:
        from cmio_desktop.services.importing.run import closing_summary
        from cmio_desktop.ui.import_wizard.commands import ImportCommand

        wizard = self._wizard
        self._finish_busy()
        wizard.outcome = outcome
        if outcome.created or outcome.updated or outcome.deleted:
            wizard.facade.undo_stack.push(ImportCommand(wizard.facade, outcome.token))
            wizard.facade.announce(outcome.changes)
        self._done = True
        assert wizard.plan is not None
        text = closing_summary(wizard.plan, outcome)
        wizard.closing_summary = text
        _restyle(self.summary, text + " Edit › Undo takes the import back.", "okay")
        self.show_them.setVisible(wizard.plan.unclassified_rows > 0 and outcome.created > 0)
        self.setSubTitle("The import is done.")
        for button in self.buttons.values():
            button.setEnabled(False)
        self.skip_rejected.hide()
        from PySide6.QtWidgets import QWizard

        wizard.setButtonText(QWizard.WizardButton.FinishButton, "Close")
        wizard.setOption(QWizard.WizardOption.NoCancelButton, True)
        wizard.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.completeChanged.emit()

    def _on_show_them_clicked(self) -> None:
        self._wizard.show_classification_requested.emit()
        self._wizard.accept()

    def _on_commit_failed(self, message: str) -> None:
        self._finish_busy()
        if self._wizard.stop_requested:  # the user pressed Cancel: nothing was kept
            self._wizard.reject()
            return
        _restyle(self.summary, message, "problem")
        show_error(self, "The import was not saved", message)
        self.completeChanged.emit()

    def show_stopping(self) -> None:
        _restyle(self.summary, "Stopping… nothing will be kept.", "problem")

    def _finish_busy(self) -> None:
        self._wizard.committing = False
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)
        for button in self.buttons.values():
            button.setEnabled(not busy)
        self.skip_rejected.setEnabled(not busy)
        self.remove_missing.setEnabled(not busy)
        wizard = self._wizard
        from PySide6.QtWidgets import QWizard

        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.FinishButton):
            wizard.button(which).setEnabled(not busy)
        if busy:
            _restyle(self.summary, "Importing…")
        self.completeChanged.emit()
