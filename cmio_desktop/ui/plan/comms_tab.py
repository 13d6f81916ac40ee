"""CommunicationsTab: the communications plan (audience, message, channel, sender, cadence,
dates) with each item's upcoming send dates."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.analysis.cadence import occurrences
from cmio_desktop.enums import Cadence
from cmio_desktop.services.plan.communications import CommunicationRow
from cmio_desktop.ui.common.form_dialog import Field, enum_choices
from cmio_desktop.ui.common.formats import fmt_date
from cmio_desktop.ui.common.record_tab import RecordTab
from cmio_desktop.ui.common.table_model import Column

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


class CommunicationsTab(RecordTab):
    """The communications list (a :class:`RecordTab`) with the selected one's upcoming sends
    below it."""

    def __init__(self, clock: Callable[[], date], parent: QWidget | None = None) -> None:
        self.clock = clock
        self.go_live: date | None = None
        self.sends_title = QLabel("Upcoming sends")
        self.sends = QListWidget()
        super().__init__(
            COLUMNS, "communication", "plan.communication", stretch=1, sort_column=5, parent=parent
        )
        self.count.hide()  # the list is short; the sends pane says what is selected
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 6, 0, 0)
        self.sends_title.setStyleSheet("font-weight: 600; color: #1f2a37;")
        self.sends.setFlow(QListWidget.Flow.LeftToRight)
        self.sends.setWrapping(True)
        self.sends.setSpacing(4)
        self.sends.setResizeMode(QListWidget.ResizeMode.Adjust)
        side_layout.addWidget(self.sends_title)
        side_layout.addWidget(self.sends, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        self.layout_.removeWidget(self.view)
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([480, 200])
        self.layout_.addWidget(splitter, 1)

    def set_rows(self, rows: list[CommunicationRow], go_live: date | None = None) -> None:  # type: ignore[override]
        self.go_live = go_live
        super().set_rows(rows)

    def _update_buttons(self) -> None:
        super()._update_buttons()
        rows = self.selected()
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
