"""CommunicationsTab: the communications plan (audience, message, channel, sender, cadence,
dates) with each item's upcoming send dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.analysis.cadence import occurrences
from cmio_desktop.enums import Cadence
from cmio_desktop.services.plan.communications import CommunicationRow
from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.plan.activity_table import fmt_date
from cmio_desktop.ui.plan.form_dialog import Field, enum_choices
from cmio_desktop.ui.plan.table_view import make_table, select_ids, selected_records

COLUMNS = (
    Column("Audience", lambda r: r.audience, width=170),
    Column("Message", lambda r: r.message, tooltip=lambda r: r.message, width=300),
    Column("Channel", lambda r: r.channel, width=150),
    Column("Sender", lambda r: r.sender, width=130),
    Column("Cadence", lambda r: r.cadence_label, key=lambda r: list(Cadence).index(
        Cadence(r.cadence)), width=90),
    Column("Start", lambda r: fmt_date(r.start_date), key=lambda r: r.start_date, width=96),
    Column("End", lambda r: fmt_date(r.end_date), key=lambda r: r.end_date, width=96),
    Column("Next send", lambda r: fmt_date(r.next_date), key=lambda r: r.next_date, width=96),
    Column("To go-live", lambda r: str(r.sends_before_go_live),
           key=lambda r: r.sends_before_go_live, align="right", width=84,
           header_tip="Sends from today up to go-live"),
)  # fmt: skip

FIELDS = (
    Field("audience", "Audience", required=True),
    Field("message", "Message", "long", required=True),
    Field("channel", "Channel", "edit_choice",
          [(c, c) for c in ("Email", "Newsletter", "Intranet", "Unit huddles", "Town hall",
                            "Steering meeting", "Text message", "Posters")]),
    Field("sender", "Sender"),
    Field("cadence", "Cadence", "choice", enum_choices(Cadence),
          help="Monthly repeats on the start's day of the month (clamped to the month's end)"),
    Field("start_date", "Start", "date"),
    Field("end_date", "End", "optional_date", help="Untick for no end date"),
)  # fmt: skip


def dates_ordered(values: dict[str, Any]) -> str | None:
    end = values.get("end_date")
    if end is not None and end < values["start_date"]:
        return "The end date must not be before the start date."
    return None


class CommunicationsTab(QWidget):
    add_requested = Signal()
    edit_requested = Signal(object)
    delete_requested = Signal(list)

    def __init__(self, clock: Callable[[], date], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.go_live: date | None = None
        self.model = TableModel(COLUMNS, parent=self)
        search = QLineEdit()
        search.setPlaceholderText("Search communications…")
        search.setClearButtonEnabled(True)
        search.textChanged.connect(self.model.set_search)
        self.add_button = QPushButton("New communication…")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(self._on_edit_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        bar = QHBoxLayout()
        bar.addWidget(search, 1)
        for b in (self.add_button, self.edit_button, self.delete_button):
            bar.addWidget(b)
        self.view = make_table(self.model, stretch=1)
        self.view.sortByColumn(5, Qt.SortOrder.AscendingOrder)
        self.view.doubleClicked.connect(lambda _i: self._on_edit_clicked())
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 6, 0, 0)
        self.sends_title = QLabel("Upcoming sends")
        self.sends_title.setStyleSheet("font-weight: 600; color: #1f2a37;")
        self.sends = QListWidget()
        self.sends.setFlow(QListWidget.Flow.LeftToRight)
        self.sends.setWrapping(True)
        self.sends.setSpacing(4)
        self.sends.setResizeMode(QListWidget.ResizeMode.Adjust)
        side_layout.addWidget(self.sends_title)
        side_layout.addWidget(self.sends, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([480, 200])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        self._on_selection_changed()

    def set_rows(self, rows: list[CommunicationRow], go_live: date | None) -> None:
        self.go_live = go_live
        keep = [r.id for r in selected_records(self.view)]
        self.model.set_rows(rows)
        if not keep and self.model.rowCount():
            keep = [self.model.record(0).id]
        select_ids(self.view, keep)
        self._on_selection_changed()

    def selected(self) -> list[CommunicationRow]:
        return selected_records(self.view)

    def _on_edit_clicked(self) -> None:
        rows = self.selected()
        if len(rows) == 1:
            self.edit_requested.emit(rows[0])

    def _on_delete_clicked(self) -> None:
        rows = self.selected()
        if rows:
            self.delete_requested.emit(rows)

    def _on_selection_changed(self) -> None:
        rows = self.selected()
        self.edit_button.setEnabled(len(rows) == 1)
        self.delete_button.setEnabled(bool(rows))
        self.sends.clear()
        if len(rows) != 1:
            self.sends_title.setText("Upcoming sends")
            self.sends.addItem("Select a communication to see its send dates.")
            return
        r = rows[0]
        end = r.end_date or self.go_live
        dates = occurrences(r.cadence, r.start_date, end, window_start=self.clock(), limit=26)
        how = f"{r.cadence_label.lower()} by {r.channel or 'any channel'}"
        self.sends_title.setText(f"Upcoming sends — {r.audience}, {how}")
        for when in dates:
            marker = "  (go-live)" if when == self.go_live else ""
            self.sends.addItem(f"{when:%a %d %b %Y}{marker}   ")
        if not dates:
            self.sends.addItem("No more sends.")
