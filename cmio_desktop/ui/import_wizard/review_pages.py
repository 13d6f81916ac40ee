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

from ...services.import_plan import count_of
from ..dialogs import show_error
from .models import ChangesModel, IssuesModel, rows_for
from .wizard import heading

if TYPE_CHECKING:
    from ...services.importing import ImportOutcome
    from .wizard import ImportWizard


def _table(model: Any, widths: tuple[int, ...]) -> QTableView:
    view = QTableView()
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
        from ...services.errors import REFUSED
        from ...services.import_pipeline import plan_source, validate_source

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

        def work(_cancelled: Any, _progress: Any) -> tuple[Any, Any]:
            validation = validate_source(source, default_date=when)
            return validation, plan_source(ws, source, validation, options)

        wizard.runner.start(work, self._on_checked, self._on_failed, REFUSED)
        self.completeChanged.emit()

    def cleanupPage(self) -> None:  # noqa: N802
        self._wizard.runner.cancel()
        self.busy.hide()

    def _on_checked(self, result: Any) -> None:
        wizard = self._wizard
        wizard.validation, wizard.plan = result
        plan = wizard.plan
        self.busy.hide()
        rejected = len(plan.rejected_rows)
        ready = plan.data_rows - rejected
        if not rejected:
            _restyle(self.summary, f"All {plan.data_rows:,} rows passed the checks.", "okay")
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
        notes = list(plan.notes)
        if plan.blank_rows:
            notes.append(
                f"{plan.blank_rows:,} rows with nothing in the matched columns were skipped."
            )
        self.notes.setText("\n".join(notes))
        self.completeChanged.emit()

    def _on_failed(self, message: str) -> None:
        self.busy.hide()
        _restyle(self.summary, message, "problem")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self._wizard.plan is not None


CATEGORIES = (
    ("new", "new"),
    ("updated", "updated"),
    ("unchanged", "unchanged"),
    ("rejected", "rejected rows"),
)


class ReviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self._wizard = wizard
        self._done = False
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
        self.stack = QStackedWidget()
        self.stack.addWidget(_table(self.changes, (70, 300)))
        self.stack.addWidget(_table(self.issues, (70, 170, 220)))
        self.skip_rejected = QCheckBox()
        self.skip_rejected.toggled.connect(self._on_skip_rejected_toggled)
        self.summary = _label()
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.hide()
        layout = QVBoxLayout(self)
        layout.addLayout(counts)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.skip_rejected)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)

    def initializePage(self) -> None:  # noqa: N802
        plan = self._wizard.plan
        assert plan is not None
        self._done = False
        values = {
            "new": len(plan.new),
            "updated": len(plan.updated),
            "unchanged": len(plan.unchanged),
            "rejected": len(plan.rejected_rows),
        }
        for key, _ in CATEGORIES:
            self.values[key].setText(f"{values[key]:,}")
        rejected = values["rejected"]
        self.skip_rejected.blockSignals(True)
        self.skip_rejected.setChecked(plan.options.valid_rows_only)
        self.skip_rejected.blockSignals(False)
        self.skip_rejected.setText(
            f"Import the valid rows and skip the {rejected:,} rejected "
            f"row{'s' if rejected != 1 else ''}"
        )
        self.skip_rejected.setVisible(bool(rejected) and plan.has_changes)
        first = next((k for k in ("updated", "new", "rejected", "unchanged") if values[k]), "new")
        self.show_category(first)
        self._update_summary()

    def show_category(self, key: str) -> None:
        plan = self._wizard.plan
        assert plan is not None
        self.buttons[key].setChecked(True)
        if key == "rejected":
            self.issues.set_issues(plan.rejected)
            self.stack.setCurrentIndex(1)
        else:
            self.changes.set_rows(rows_for(plan, key))
            self.stack.setCurrentIndex(0)

    def _on_skip_rejected_toggled(self, checked: bool) -> None:
        wizard = self._wizard
        assert wizard.plan is not None
        options = dataclasses.replace(wizard.plan.options, valid_rows_only=checked)
        wizard.plan = dataclasses.replace(wizard.plan, options=options)
        self._update_summary()

    def _update_summary(self) -> None:
        plan = self._wizard.plan
        assert plan is not None
        kind = plan.kind
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
            _restyle(
                self.summary,
                f"Press Import to {' and '.join(bits)}, in one step that Edit › Undo takes back.",
            )
        self.completeChanged.emit()

    # -- committing -----------------------------------------------------------------------------

    def isComplete(self) -> bool:  # noqa: N802
        plan = self._wizard.plan
        return plan is not None and plan.can_commit and not self._wizard.committing

    def validatePage(self) -> bool:  # noqa: N802
        if self._done:
            return True
        self._commit()
        return False

    def _commit(self) -> None:
        from ...services.errors import REFUSED
        from ...services.importing import commit_import

        wizard = self._wizard
        plan, ws = wizard.plan, wizard.facade.ws
        assert plan is not None
        wizard.committing = True
        self._set_busy(True)

        def work(cancelled: Any, progress: Any) -> ImportOutcome:
            return commit_import(ws, plan, progress=progress, cancelled=cancelled)

        wizard.runner.progressed.connect(self._on_progress)
        wizard.runner.start(work, self._on_committed, self._on_commit_failed, REFUSED)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_committed(self, outcome: ImportOutcome) -> None:
        from .commands import ImportCommand

        wizard = self._wizard
        self._finish_busy()
        wizard.outcome = outcome
        if outcome.created or outcome.updated:
            wizard.facade.undo_stack.push(ImportCommand(wizard.facade, outcome.token))
            from ...services.import_plan import TABLES

            wizard.facade.notify(TABLES[outcome.token.kind])
        self._done = True
        wizard.accept()

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
        self._wizard.runner.progressed.disconnect(self._on_progress)
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.progress.setRange(0, 0)
        for button in self.buttons.values():
            button.setEnabled(not busy)
        self.skip_rejected.setEnabled(not busy)
        wizard = self._wizard
        from PySide6.QtWidgets import QWizard

        for which in (QWizard.WizardButton.BackButton, QWizard.WizardButton.FinishButton):
            wizard.button(which).setEnabled(not busy)
        if busy:
            _restyle(self.summary, "Importing…")
        self.completeChanged.emit()
