"""Workspace activity: every change to the workspace — who, when, which record, old → new —
in a window of its own (View → Workspace activity…), filtered by person, user, kind of record,
dates and free text, and exported as CSV.

A window rather than a sidebar section: it is an occasional look-up across every page, it
sits beside the page being edited (and follows it: each write reloads it), and it needs the
width for five text columns. The query filters run in SQL on a pool thread (the newest
:data:`ACTIVITY_LIMIT` changes at most); the free text filters the loaded list in the model.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.io.table_csv import write_table_csv
from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.history import (
    ACTION_LABELS,
    ENTITY_LABELS,
    HistoryFilter,
    HistoryRow,
    field_label,
    users,
)
from cmio_desktop.services.history_people import people_with_history
from cmio_desktop.ui.common.history_panel import (
    HistoryTableModel,
    history_job,
    history_table,
    local_time,
)
from cmio_desktop.ui.common.record_dialog import ERROR_STYLE
from cmio_desktop.ui.common.tasks import TaskContext, TaskRunner, collector_paused
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.history.activity_filters import ActivityChoice, ActivityFilters

if TYPE_CHECKING:
    from cmio_desktop.store import Workspace

ACTIVITY_LIMIT = 250_000
CSV_HEADERS = ("When", "Who", "Record", "Action", "Field", "Old value", "New value", "Undo/redo")


def choices_job(
    _ctx: TaskContext, ws: Workspace
) -> tuple[list[tuple[int, str]], list[str], list[tuple[str, str]]]:
    """People (deleted ones too), users and kinds of record for the filter lists."""
    with collector_paused():  # see export_job
        people = [(p.id, p.label) for p in people_with_history(ws)]
        kinds = sorted((label, table) for table, label in ENTITY_LABELS.items())
        return people, users(ws), kinds


def query_for(choice: ActivityChoice) -> HistoryFilter:
    """The SQL side of a choice. Days are the user's local days and the audit stores UTC, so
    the query takes a day more on each side and :func:`in_days` trims to the exact days."""
    return HistoryFilter(
        person_id=choice.person_id,
        user=choice.user,
        entity=choice.entity,
        since=choice.since - timedelta(days=1) if choice.since else None,
        until=choice.until + timedelta(days=1) if choice.until else None,
        limit=ACTIVITY_LIMIT,
    )


def in_days(row: HistoryRow, since: date | None, until: date | None) -> bool:
    day = local_time(row.at).date()
    return (since is None or day >= since) and (until is None or day <= until)


def csv_row(row: HistoryRow) -> tuple[str, ...]:
    base = row.action.partition(":")[2] or row.action
    return (
        f"{local_time(row.at):%Y-%m-%d %H:%M:%S}",
        row.user,
        row.record,
        ACTION_LABELS.get(base, base.capitalize()),
        field_label(row.field) if row.field else "",
        row.old,
        row.new,
        row.mark or ("undo" if row.is_undo else ""),
    )


def export_job(ctx: TaskContext, target: Path, rows: list[HistoryRow]) -> int:
    # No garbage collection on the pool thread: a collection there can free a closed
    # window's Qt wrappers off the UI thread (a crash seen once in five test runs).
    with collector_paused():
        lines = [csv_row(r) for r in rows]
        return write_table_csv(target, CSV_HEADERS, lines, lambda d, t: ctx.count(d, t))


class ActivityWindow(QWidget):
    """The workspace-wide history, filtered; one per main window, not modal."""

    #: Any write adds to the workspace's history.
    DEPENDS_ON = frozenset(ChangeKind) - {ChangeKind.EVERYTHING}
    loaded = Signal()
    choices_loaded = Signal()
    exported = Signal(str)

    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.facade = facade
        self.setWindowTitle("Workspace activity")
        self.resize(1180, 680)
        self.runner = TaskRunner(self)
        self.stale = True
        self.days: tuple[date | None, date | None] = (None, None)
        self._export_target = Path()
        self.filters = ActivityFilters()
        self.model = HistoryTableModel("wide", parent=self)
        self.table = history_table(self.model, multi=True)
        self.table.setAccessibleName("Workspace activity")
        self.count = QLabel()
        self.count.setObjectName("activityCount")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.export_button = QPushButton("Export CSV…")
        self.export_button.setToolTip("Save the changes listed (as filtered) as a CSV file")
        self.export_button.clicked.connect(self.export_csv)

        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.error)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self.filters.changed.connect(self.reload)
        self.filters.search_changed.connect(self._on_filters_search_changed)
        facade.changed.connect(self._on_facade_changed)
        facade.opened.connect(self._on_facade_opened)
        QShortcut(QKeySequence.StandardKey.Find, self, self.filters.search.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.close)

    # -- loading ----------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self.stale:
            self.load_choices()
            self.reload()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.runner.discard("activity")
        super().closeEvent(event)

    def _on_facade_opened(self) -> None:
        self.model.load([])
        self.stale = True
        if self.isVisible():
            self.load_choices()
            self.reload()

    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, change: ChangeSet) -> None:
        if change.touches({ChangeKind.STAKEHOLDER}):
            self.stale = True  # a new or renamed person for the person list
        if self.isVisible():
            if self.stale:
                self.load_choices()
            self.reload()
        else:
            self.stale = True

    def load_choices(self) -> None:
        if self.facade.workspace is None:
            return
        task = self.runner.start(choices_job, self.facade.ws, key="choices")
        task.then(self._on_choices_loaded, self._show_error)

    def _on_choices_loaded(self, found: tuple[Any, Any, Any]) -> None:
        self.filters.set_choices(*found)
        self.choices_loaded.emit()

    def reload(self) -> None:
        """Query what the filters choose (off the UI thread); a bad choice changes nothing."""
        if self.facade.workspace is None:
            return
        self.stale = False
        choice = self.filters.choice()
        if choice.problem:
            self._show_error(choice.problem)
            return
        self._show_error("")
        self.days = (choice.since, choice.until)
        self.count.setText("Loading the changes…")
        task = self.runner.start(history_job, self.facade.ws, query_for(choice), key="activity")
        task.then(self._on_loaded, self._show_error)

    def _on_loaded(self, result: tuple[list[HistoryRow], dict[int, str]]) -> None:
        rows, texts = result
        since, until = self.days
        if since or until:
            rows = [r for r in rows if in_days(r, since, until)]
        self.model.load(rows, texts)
        self._show_count()
        self.loaded.emit()

    def _on_filters_search_changed(self, text: str) -> None:
        self.model.set_search(text)
        self._show_count()

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        if message:
            self._show_count()

    def _show_count(self) -> None:
        shown, total = self.model.rowCount(), len(self.model.records)
        capped = " (the newest)" if total >= ACTIVITY_LIMIT else ""
        if shown == total:
            self.count.setText(f"{total:,} changes{capped}")
        else:
            self.count.setText(f"{shown:,} of {total:,} changes{capped} match the search")
        self.export_button.setEnabled(shown > 0)

    # -- export -----------------------------------------------------------------------------------
    def export_csv(self) -> None:
        from cmio_desktop.ui.file_dialogs import ask_save_path

        rows = self.model.visible_records
        if not rows:
            return
        name = f"activity-{date.today():%Y-%m-%d}.csv"
        target = ask_save_path(self, "Export activity", "export", name, {"CSV (*.csv)": ".csv"})
        if target is None:
            return
        self.export_button.setEnabled(False)
        self.count.setText(f"Exporting {len(rows):,} changes…")
        self._export_target = target
        task = self.runner.start(export_job, target, rows, key="export")
        # Bound methods, not a lambda holding self: the task's own deletion would release the
        # lambda, and with it perhaps the last reference to this window (a crash in tests).
        task.then(self._on_exported, self._on_export_failed)

    def _on_exported(self, written: int) -> None:
        target = self._export_target
        self._show_count()
        self.count.setText(f"{self.count.text()} · {written:,} saved to {target.name}")
        self.exported.emit(str(target))

    def _on_export_failed(self, message: str) -> None:
        from cmio_desktop.ui.dialogs import show_error

        self._show_count()
        # after the task's slot has returned: no modal loop inside it
        QTimer.singleShot(0, self, lambda: show_error(self, "Export activity", message))


def show_activity_window(owner: Any, facade: WorkspaceFacade) -> ActivityWindow:
    """Show ``owner``'s activity window (made on first use), raised and focused."""
    window = getattr(owner, "activity_window", None)
    if window is None:
        window = owner.activity_window = ActivityWindow(facade, owner)
    window.show()
    window.raise_()
    window.activateWindow()
    return window
