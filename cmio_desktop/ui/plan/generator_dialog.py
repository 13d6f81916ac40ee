"""GeneratorDialog: run the plan generator off the UI thread, preview its proposals with their
reasons and leaders, tick the ones to keep and accept them (the page turns that into one undo
step). The blackout periods the calendar skips are shown with the result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.analysis.plan_generator import Proposal, blackout_text
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.plan import generation as plan_generation
from cmio_desktop.services.plan.generation import GenerationResult
from cmio_desktop.services.plan.settings import generator_settings, parse_blackout
from cmio_desktop.store import Workspace
from cmio_desktop.ui.common.formats import fmt_date
from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.table_view import make_table, selected_records
from cmio_desktop.ui.common.tasks import TaskContext, TaskRunner

Index = QModelIndex | QPersistentModelIndex

COLUMNS = (
    Column("Proposal", lambda p: p.title, tooltip=lambda p: p.reason, width=330),
    Column("Start", lambda p: fmt_date(p.start), key=lambda p: p.start, width=92),
    Column("Due", lambda p: fmt_date(p.due), key=lambda p: p.due, width=92),
    Column("Element", lambda p: p.element.label if p.element else "", width=95),
    Column("People", lambda p: str(len(p.people)), key=lambda p: len(p.people), align="right",
           width=68),
    Column("Owner", lambda p: p.owner, width=150),
    Column("Leader", lambda p: p.owner if p.leader is not None else "—", width=150),
    Column("Why", lambda p: p.reason, tooltip=lambda p: p.reason),
)  # fmt: skip


class ProposalModel(TableModel):
    """Proposals with a check box in the first column (all ticked to begin with)."""

    checked_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        first = replace(COLUMNS[0], check=lambda p: p.key in self.checked)
        super().__init__((first, *COLUMNS[1:]), id_of=lambda p: p.key, parent=parent)
        self.checked: set[str] = set()

    def set_rows(self, rows: Any) -> None:
        self.checked = {p.key for p in rows}
        super().set_rows(rows)
        self.checked_changed.emit()

    def set_checked(self, record: Proposal, column: int, checked: bool) -> Proposal:
        if checked:
            self.checked.add(record.key)
        else:
            self.checked.discard(record.key)
        self.checked_changed.emit()
        return record

    def set_all(self, checked: bool) -> None:
        self.checked = {p.key for p in self.records} if checked else set()
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, 0),
                [Qt.ItemDataRole.CheckStateRole],
            )  # fmt: skip
        self.checked_changed.emit()

    def chosen(self) -> list[Proposal]:
        return [p for p in self.records if p.key in self.checked]


def generation_job(ctx: TaskContext, ws: Workspace, initiative_id: int, today: date) -> Any:
    return plan_generation.generate(ws, initiative_id, today, progress=ctx.progress)


class GeneratorDialog(QDialog):
    generation_finished = Signal()

    def __init__(
        self,
        ws: Workspace,
        initiative_id: int,
        today: date,
        parent: QWidget | None = None,
        save_blackout: Callable[[str], bool] | None = None,
    ) -> None:
        """``save_blackout(text)`` stores new blackout periods (as an undo step) and says
        whether it worked; without it the periods are shown but not editable."""
        super().__init__(parent)
        self.setWindowTitle("Generate a plan")
        self.resize(1180, 680)
        self.ws, self.initiative_id, self.today = ws, initiative_id, today
        self.save_blackout = save_blackout
        self.generation: GenerationResult | None = None
        self.model = ProposalModel(self)
        self.model.checked_changed.connect(self._update_accept)
        self.runner = TaskRunner(parent=self)
        self._build()
        self._start()

    def _start(self) -> None:
        self.generation = None
        self.progress.setValue(0)
        self.progress.show()
        self.task = self.runner.start(
            generation_job, self.ws, self.initiative_id, self.today, name="plan", key="plan"
        )  # a second run (new blackout dates) supersedes the first
        self.task.progress.connect(self._on_task_progress)
        self.task.finished.connect(self._on_task_finished)
        self.task.failed.connect(self._on_task_failed)

    def _build(self) -> None:
        self.intro = QLabel(
            "Proposals from key resisters, “manage closely” people, each department's "
            "barriers and training gaps, back-scheduled from go-live in working weeks. Peer "
            "sessions are led only by champions (ready supporters, never key resisters). "
            "Nothing already covered by the plan is proposed again, nothing falls in a blackout "
            "week, and nobody is booked twice in one week. Untick what you do not want."
        )
        self.intro.setWordWrap(True)
        self.intro.setObjectName("muted")
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.status = QLabel("Working…")
        self.view = make_table(self.model)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_changed)
        self.detail = QTextBrowser()
        self.detail.setOpenLinks(False)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setSizes([480, 120])
        self.all_button = QPushButton("Tick all")
        self.none_button = QPushButton("Untick all")
        self.all_button.clicked.connect(lambda: self.model.set_all(True))
        self.none_button.clicked.connect(lambda: self.model.set_all(False))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.blackout_edit = QLineEdit(blackout_text(generator_settings(self.ws).blackout))
        self.blackout_edit.setToolTip(
            "Yearly periods with no sessions, e.g. 24 Dec – 1 Jan or 12-24..01-01; several "
            "separated by commas; empty for none. Stored with the workspace."
        )
        self.blackout_edit.setReadOnly(self.save_blackout is None)
        self.blackout_button = QPushButton("Apply and regenerate")
        self.blackout_button.setVisible(self.save_blackout is not None)
        self.blackout_button.clicked.connect(self._on_blackout_apply)
        blackout = QHBoxLayout()
        blackout.addWidget(QLabel("Blackout weeks (every year):"))
        blackout.addWidget(self.blackout_edit, 1)
        blackout.addWidget(self.blackout_button)
        footer = QHBoxLayout()
        footer.addWidget(self.all_button)
        footer.addWidget(self.none_button)
        footer.addWidget(self.status, 1)
        footer.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(blackout)
        layout.addWidget(self.progress)
        layout.addWidget(split, 1)
        layout.addLayout(footer)
        self._update_accept()

    # -- task ---------------------------------------------------------------------------------
    def _on_task_progress(self, percent: int, text: str) -> None:
        self.progress.setValue(percent)
        self.status.setText(text)

    def _on_task_finished(self, result: GenerationResult) -> None:
        self.generation = result
        self.progress.hide()
        self.model.set_rows(list(result.plan.proposals))
        self.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        blackout = f"Blackout: {blackout_text(result.settings.blackout)}."
        notes = [n for n in result.plan.notes if not n.startswith("Blackout")]
        self.status.setText(" ".join([blackout, *notes]))
        if self.model.rowCount():
            self.view.selectRow(0)
        self.generation_finished.emit()

    def _on_task_failed(self, message: str) -> None:
        self.progress.hide()
        self.status.setText(f"<span style='color:#b91c1c'>{message}</span>")
        self.generation_finished.emit()

    def _on_blackout_apply(self) -> None:
        text = self.blackout_edit.text().strip()
        if text == "none":
            text = ""
        try:
            parse_blackout(text)
        except ServiceError as exc:
            self.status.setText(f"<span style='color:#b91c1c'>{escape(str(exc))}</span>")
            return
        if self.save_blackout is None or not self.save_blackout(text):
            return
        self.model.set_rows([])
        self.status.setText("Working…")
        self._start()

    def reject(self) -> None:
        if not self.task.is_done:
            self.task.cancel()
        super().reject()

    # -- preview ------------------------------------------------------------------------------
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self.generation is None:
            self.detail.clear()
            return
        p: Proposal = self.model.record(current.row())
        names = [self.generation.names.get(i, f"#{i}") for i in p.people]
        shown = ", ".join(names[:40]) + (f" and {len(names) - 40} more" if len(names) > 40 else "")
        leader = (
            f"<br><b>Led by:</b> {escape(self.generation.names.get(p.leader, ''))}, a champion"
            if p.leader is not None
            else ""
        )
        self.detail.setHtml(
            f"<b>{escape(p.title)}</b> — {p.type.label}, {fmt_date(p.start)} to "
            f"{fmt_date(p.due)}, owner {escape(p.owner)}<br><b>Why:</b> {escape(p.reason)}"
            f"{leader}<br><b>Audience ({len(names)}):</b> {escape(shown)}"
        )

    def _update_accept(self) -> None:
        n = len(self.model.checked)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(f"Create {n} {'activity' if n == 1 else 'activities'}")
        ok.setEnabled(n > 0)

    def chosen(self) -> list[Proposal]:
        return self.model.chosen()

    def selected(self) -> list[Proposal]:
        return selected_records(self.view)
