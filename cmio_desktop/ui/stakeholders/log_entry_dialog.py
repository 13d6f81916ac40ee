"""LogEntryDialog: add or edit one engagement log entry — date, kind of contact, who from our
side, summary, sentiment (−2 … +2, in words), the next contact and the commitments made (rows
added and removed here, each with an optional due date).

The values are checked with the service's own ``check_entry`` before OK closes the dialog, so
a date out of range or an empty summary is one red sentence here and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.enums import EngagementType
from cmio_desktop.services.engagement.entry_edits import Promise, check_commitments
from cmio_desktop.services.engagement.log import EntryRow, check_entry
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.ui.common.form_dialog import Field, FormDialog, OptionalDateEdit, enum_choices

SENTIMENT_WORDS = {
    -2: "very negative",
    -1: "negative",
    0: "neutral",
    1: "positive",
    2: "very positive",
}


def sentiment_text(value: int) -> str:
    """ "−1 negative", "0 neutral", "+2 very positive" (a true minus sign)."""
    sign = f"{value:+d}".replace("-", "−") if value else "0"
    return f"{sign} {SENTIMENT_WORDS[value]}"


ENTRY_FIELDS = (
    Field("occurred_on", "Date", "date", help="When the contact took place (not in the future)"),
    Field("type", "Kind", "choice", enum_choices(EngagementType)),
    Field("our_side", "Who from our side", "edit_choice",
          help="Who spoke with them (you, the CMIO, a project lead…)"),
    Field("summary", "Summary", "long", help="What was said, in a line or two"),
    Field("sentiment", "Sentiment", "choice",
          [(sentiment_text(v), v) for v in sorted(SENTIMENT_WORDS, reverse=True)],
          help="How the contact felt, from −2 (very negative) to +2 (very positive)"),
    Field("next_contact", "Next contact", "optional_date",
          help="When to be in touch again (tick Set to plan one)"),
)  # fmt: skip


class CommitmentsEditor(QGroupBox):
    """Rows of (text, optional due date, done) with Add and a Remove button per row."""

    def __init__(self, show_done: bool = True, parent: QWidget | None = None) -> None:
        super().__init__("Commitments", parent)
        self.show_done = show_done  # a new entry's commitments are open
        self.rows: list[tuple[QLineEdit, OptionalDateEdit, QCheckBox, QPushButton]] = []
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(0, 1)
        self.empty = QLabel("No commitments. Add what was promised, with a due date.")
        self.empty.setObjectName("muted")
        self.add_button = QPushButton("Add commitment")
        self.add_button.clicked.connect(lambda: self.add_row())
        bar = QHBoxLayout()
        bar.addWidget(self.empty, 1)
        bar.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addLayout(bar)

    def add_row(self, text: str = "", due: date | None = None, done: bool = False) -> QLineEdit:
        edit = QLineEdit(text)
        edit.setPlaceholderText("What was promised (e.g. send the order-set draft)")
        when = OptionalDateEdit("no due date")
        when.set_value(due)
        when.enabled.setText("Due")
        tick = QCheckBox("Done")
        tick.setChecked(done)
        tick.setVisible(self.show_done)
        remove = QPushButton("Remove")
        remove.setToolTip("Remove this commitment")
        row = (edit, when, tick, remove)
        remove.clicked.connect(lambda: self.remove_row(row))
        self.rows.append(row)
        line = self.grid.rowCount()
        for column, widget in enumerate(row):
            self.grid.addWidget(widget, line, column)
        self.empty.setVisible(False)
        edit.setFocus()
        return edit

    def remove_row(self, row: tuple[QLineEdit, OptionalDateEdit, QCheckBox, QPushButton]) -> None:
        if row not in self.rows:
            return
        self.rows.remove(row)
        for widget in row:
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self.empty.setVisible(not self.rows)

    def set_commitments(self, items: Sequence[Promise]) -> None:
        for row in list(self.rows):
            self.remove_row(row)
        for text, due, done in items:
            self.add_row(text, due, done)

    def commitments(self) -> list[Promise]:
        return [(e.text(), when.value(), tick.isChecked()) for e, when, tick, _r in self.rows]


class LogEntryDialog(FormDialog):
    """The entry's fields over its commitments; ``entry_values()`` and ``commitments()`` read
    them back once OK was accepted."""

    def __init__(
        self,
        title: str,
        entry: EntryRow | None = None,
        our_side_choices: Sequence[str] = (),
        clock: Callable[[], date] = date.today,
        parent: QWidget | None = None,
    ) -> None:
        fields = list(ENTRY_FIELDS)
        fields[2] = replace(fields[2], choices=[(c, c) for c in our_side_choices])
        self.clock = clock
        values: dict[str, Any] = (
            {k: getattr(entry, k) for k in ("occurred_on", "type", "our_side", "summary",
                                             "sentiment", "next_contact")}  # fmt: skip
            if entry is not None
            else {"occurred_on": clock(), "type": EngagementType.ONE_TO_ONE.value,
                  "sentiment": 0, "our_side": our_side_choices[0] if our_side_choices else ""}
        )  # fmt: skip
        super().__init__(title, fields, values, parent, validate=self._check)
        self.setMinimumWidth(620)
        self.promises = CommitmentsEditor(show_done=entry is not None)
        self.extra.addWidget(self.promises)
        if entry is not None:
            self.promises.set_commitments([(c.text, c.due, c.done) for c in entry.commitments])
        self._today = max(clock(), entry.occurred_on) if entry is not None else clock()

    def _check(self, values: dict[str, Any]) -> str | None:
        if not values["summary"]:
            self.widgets["summary"].setFocus()
            return "Write a short summary of the contact (what was said)."
        try:
            check_entry(values, today=self._today)
            check_commitments(self.promises.commitments())
        except ServiceError as exc:
            return str(exc)
        return None

    def entry_values(self) -> dict[str, Any]:
        return self.values()

    def commitments(self) -> list[Promise]:
        return list(check_commitments(self.promises.commitments()))
