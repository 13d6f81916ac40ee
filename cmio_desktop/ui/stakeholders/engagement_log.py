"""EngagementLogPanel: the person page's "Engagement log" tab — their logged contacts, newest
first (Log contact… / Edit… / Delete, each one undo step), the commitments made in them (tick
one done from the list) and a small sentiment trend under both.

Reads come from ``services.engagement.log``; every write is an undo command from
``ui.common.undo``, so the register's Last/Next contact columns and this tab refresh from the
ChangeSet the service returns."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.conflicts import VERSION
from cmio_desktop.services.engagement import log
from cmio_desktop.services.engagement.entry_edits import EntryEdit, edit_entry
from cmio_desktop.services.engagement.log import CommitmentRow, EntryRow
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.ui.common.formats import fmt_date
from cmio_desktop.ui.common.record_tab import RecordTab
from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.table_view import make_table
from cmio_desktop.ui.common.undo import CreateCommand, DeleteCommand, UpdateCommand, push
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.lazy_tabs import LazyRefreshMixin
from cmio_desktop.ui.stakeholders.log_entry_dialog import LogEntryDialog, sentiment_text
from cmio_desktop.ui.stakeholders.sentiment_chart import SentimentTrendChart

SENTIMENT_COLOURS = {-2: "#b91c1c", -1: "#b45309", 0: "#475569", 1: "#0f766e", 2: "#047857"}
OVERDUE = "#b91c1c"
MUTED = "#5b6b7c"


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _promised(e: EntryRow) -> str:
    if not e.commitments:
        return ""
    still = sum(not c.done for c in e.commitments)
    return f"{len(e.commitments)} ({still} open)" if still else f"{len(e.commitments)} done"


ENTRY_COLUMNS = (
    Column("Date", lambda e: fmt_date(e.occurred_on), key=lambda e: (e.occurred_on, e.id),
           width=92, name="date"),
    Column("Kind", lambda e: e.type_label, width=78),
    Column("Sentiment", lambda e: sentiment_text(e.sentiment), key=lambda e: e.sentiment,
           colour=lambda e: SENTIMENT_COLOURS[e.sentiment], width=124,
           header_tip="How the contact felt, −2 (very negative) … +2 (very positive)"),
    Column("Summary", lambda e: " ".join(e.summary.split()), tooltip=lambda e: e.summary,
           width=240),
    Column("Our side", lambda e: e.our_side, width=90,
           header_tip="Who from our side was in touch"),
    Column("Commitments", _promised, key=lambda e: len(e.commitments), width=118,
           tooltip=lambda e: "\n".join(
               f"{'✓' if c.done else '•'} {c.text}" + (f" (due {fmt_date(c.due)})" if c.due else "")
               for c in e.commitments) or None),
    Column("Next contact", lambda e: fmt_date(e.next_contact), key=lambda e: e.next_contact,
           width=96),
)  # fmt: skip


class CommitmentItem:
    """A commitment with the date of the contact it was made in (one row of the list)."""

    __slots__ = ("row", "made_on", "entry_id")

    def __init__(self, row: CommitmentRow, made_on: date, entry_id: int) -> None:
        self.row, self.made_on, self.entry_id = row, made_on, entry_id

    @property
    def id(self) -> int:
        return self.row.id


class CommitmentsModel(TableModel):
    """The person's commitments; ticking "Done" asks for an undoable write (``on_tick``), and
    the list shows the stored state once that write announces its change."""

    def __init__(self, clock: Callable[[], date], parent: Any = None) -> None:
        self.clock = clock
        self.on_tick: Callable[[CommitmentItem, bool], None] | None = None
        super().__init__(self._columns(), parent=parent)

    def _columns(self) -> list[Column]:
        def overdue(p: CommitmentItem) -> bool:
            return not p.row.done and p.row.due is not None and p.row.due < self.clock()

        return [
            Column("Done", lambda p: "", key=lambda p: p.row.done, check=lambda p: p.row.done,
                   width=52, header_tip="Tick a commitment off once it is kept"),
            Column("Due", lambda p: fmt_date(p.row.due), key=lambda p: p.row.due, width=96,
                   colour=lambda p: OVERDUE if overdue(p) else None,
                   tooltip=lambda p: "Overdue" if overdue(p) else None),
            Column("Commitment", lambda p: p.row.text, tooltip=lambda p: p.row.text, width=260,
                   colour=lambda p: MUTED if p.row.done else None),
            Column("Promised on", lambda p: fmt_date(p.made_on), key=lambda p: p.made_on,
                   width=96),
        ]  # fmt: skip

    def set_checked(self, record: Any, column: int, checked: bool) -> Any | None:
        if self.on_tick is not None and checked != record.row.done:
            tick, promise = self.on_tick, record
            # After setData returns: the write's refresh resets this model.
            QTimer.singleShot(0, lambda: tick(promise, checked))
        return None


class EngagementLogPanel(LazyRefreshMixin, QWidget):
    #: A person's log entries and commitments (and their name, in the undo texts).
    DEPENDS_ON = frozenset({ChangeKind.ENGAGEMENT, ChangeKind.STAKEHOLDER})

    def __init__(
        self,
        facade: WorkspaceFacade,
        clock: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.facade, self.clock = facade, clock
        self.person_id: int | None = None
        self.name = ""
        self.stale = True
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.entries = RecordTab(
            ENTRY_COLUMNS, "entry", "stakeholders.log", sort_column=0, descending=True,
            plural="entries",
        )  # fmt: skip
        self.entries.layout_.setContentsMargins(0, 0, 0, 0)
        self.detail = QLabel()  # the selected entry in full (the table cuts long summaries)
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.entries.layout_.addWidget(self.detail)
        self.commitments = CommitmentsModel(clock, self)
        self.commitments.on_tick = self.tick
        self.commitment_view = make_table(self.commitments, multi=False)
        self.commitment_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.commitment_view.setMinimumHeight(64)
        self.entries.view.setMinimumHeight(110)  # three entries even on a 1024×700 screen
        self.chart = SentimentTrendChart()
        self.commitments_title = QLabel("<b>Commitments</b>")
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 6, 0, 0)
        lower_layout.addWidget(self.commitments_title)
        lower_layout.addWidget(self.commitment_view)
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.entries)
        self.split.addWidget(lower)
        self.split.addWidget(self.chart)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 1)
        self.split.setStretchFactor(2, 2)
        self.split.setSizes([250, 110, 230])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.split, 1)
        self.entries.add_requested.connect(self.add_entry)
        self.entries.edit_requested.connect(self.edit_entry)
        self.entries.delete_requested.connect(self.delete_entries)
        self.entries.view.selectionModel().selectionChanged.connect(self._show_detail)
        self.entries.model.modelReset.connect(self._show_detail)
        self.facade.changed.connect(self._on_facade_changed)
        self.facade.opened.connect(lambda: self.set_person(None))
        self._show_nobody()

    # -- loading --------------------------------------------------------------------------------
    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, _change: ChangeSet) -> None:
        self.stale = True
        if self.isVisible():
            self.reload()

    def set_person(self, person_id: int | None, name: str = "") -> None:
        self.person_id, self.name = person_id, name
        self.stale = True
        if self.isVisible() or person_id is None:
            self.reload()

    def refresh(self) -> None:  # a stale panel's reload when it is shown (LazyRefreshMixin)
        self.reload()

    def reload(self) -> None:
        self.stale = False
        if self.person_id is None or self.facade.workspace is None:
            self._show_nobody()
            return
        try:
            rows = log.person_log(self.facade.ws, self.person_id)
            dates = log.contact_dates(self.facade.ws).get(self.person_id)
        except ServiceError as exc:
            self._show_nobody(escape(str(exc)))
            return
        self.setEnabled(True)
        self.entries.set_rows(rows)
        self.commitments.set_rows(
            [CommitmentItem(c, e.occurred_on, e.id) for e in rows for c in e.commitments]
        )
        self.chart.set_points(log.sentiment_trend(rows))
        self._show_summary(rows, dates)

    def _show_nobody(self, message: str = "") -> None:
        self.entries.set_rows([])
        self.commitments.set_rows([])
        self.summary.setText(
            message
            or f"<span style='color:{MUTED}'>Select one person to see and log your "
            "contacts with them.</span>"
        )
        self.setEnabled(self.person_id is not None)

    def _show_summary(self, rows: list[EntryRow], dates: log.ContactDates | None) -> None:
        who = escape(self.name) if self.name else "this person"
        if not rows:
            self.summary.setText(
                f"<span style='color:{MUTED}'>No contact with {who} logged yet. Use "
                "<b>New entry…</b> after a 1:1, meeting, call, email or site visit.</span>"
            )
            return
        last = dates.last if dates else rows[0].occurred_on
        nxt = dates.next if dates else None
        still = sum(not c.done for e in rows for c in e.commitments)
        parts = [f"Last contact <b>{fmt_date(last)}</b>",
                 f"next <b>{fmt_date(nxt)}</b>" if nxt else "no next contact planned",
                 f"{still} open commitment{'s' if still != 1 else ''}"]  # fmt: skip
        self.summary.setText(" · ".join(parts))

    def _show_detail(self, *_args: object) -> None:
        rows = self.entries.selected()
        if len(rows) != 1:
            self.detail.setText("")
            return
        e = rows[0]
        who = f" · with {escape(e.our_side)}" if e.our_side else ""
        colour = SENTIMENT_COLOURS[e.sentiment]
        self.detail.setText(
            f"<b>{fmt_date(e.occurred_on)}</b> · {escape(e.type_label)}{who} · "
            f"<span style='color:{colour}'>{sentiment_text(e.sentiment)}</span><br>"
            f"{escape(e.summary) or '<i>no summary</i>'}"
        )

    # -- writes ---------------------------------------------------------------------------------
    def report(self, title: str, message: str) -> None:
        show_error(self, title[:1].upper() + title[1:], message)

    def _our_side_choices(self) -> list[str]:
        seen = dict.fromkeys(e.our_side for e in self.entries.model.records if e.our_side)
        return list(seen)

    def make_dialog(self, entry: EntryRow | None = None) -> LogEntryDialog:
        title = "Edit log entry" if entry else f"Log a contact with {self.name or 'this person'}"
        return LogEntryDialog(title, entry, self._our_side_choices(), self.clock, self)

    def add_entry(self) -> LogEntryDialog | None:
        person = self.person_id
        if person is None:
            return None
        dialog = self.make_dialog()
        if not dialog.exec():
            return dialog
        values = dialog.entry_values()
        promised = [(text, due) for text, due, _done in dialog.commitments()]
        push(self.facade, CreateCommand(
            self.facade, f"log contact with {self.name or 'person'}",
            lambda ws: log.add_entry(ws, person, values, promised, today=self.clock()),
            log.delete_entries, self.report,
        ))  # fmt: skip
        return dialog

    def edit_entry(self, entry: EntryRow) -> LogEntryDialog:
        dialog = self.make_dialog(entry)
        if not dialog.exec():
            return dialog
        changed = {k: v for k, v in dialog.entry_values().items() if getattr(entry, k) != v}
        promised = tuple(dialog.commitments())
        before = tuple((c.text, c.due, c.done) for c in entry.commitments)
        edit = EntryEdit(changed, None if promised == before else promised)
        if not changed and edit.commitments is None:
            return dialog
        push(self.facade, UpdateCommand(
            self.facade, f"edit log entry of {fmt_date(entry.occurred_on)}",
            lambda ws, e: edit_entry(ws, entry.id, e), edit, self.report,
            {**{k: getattr(entry, k) for k in changed}, VERSION: entry.version},
        ))  # fmt: skip
        return dialog

    def delete_entries(self, rows: list[EntryRow]) -> None:
        text = (
            f"delete log entry of {fmt_date(rows[0].occurred_on)}"
            if len(rows) == 1
            else f"delete {len(rows)} log entries"
        )
        push(self.facade, DeleteCommand(
            self.facade, text, [r.id for r in rows], log.delete_entries, self.report,
            versions={r.id: r.version for r in rows},
        ))  # fmt: skip

    def tick(self, promise: CommitmentItem, done: bool) -> None:
        verb = "tick off" if done else "reopen"
        push(self.facade, UpdateCommand(
            self.facade, f"{verb} commitment {_short(promise.row.text)}",
            lambda ws, value: log.set_commitment_done(ws, promise.id, value), done, self.report,
            {"done": promise.row.done, VERSION: promise.row.version},
        ))  # fmt: skip
