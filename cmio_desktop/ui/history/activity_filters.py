"""The workspace activity view's filter bar: person (type to search), user, kind of record,
from/to dates and free text. It only says what is chosen (:meth:`ActivityFilters.choice`);
the window turns that into a query."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from cmio_desktop.ui.common.form_dialog import OptionalDateEdit

ANYONE, ALL_RECORDS = "Anyone", "All records"
DEBOUNCE_MS = 250


@dataclass(frozen=True)
class ActivityChoice:
    """What the filter bar says; ``problem`` is a sentence when the choice makes no sense."""

    person_id: int | None = None
    user: str | None = None
    entity: str | None = None
    since: date | None = None
    until: date | None = None
    problem: str = ""


class PersonFilterEdit(QLineEdit):
    """A name box that completes on any part of a name; a name from the list picks that
    person, an empty box picks no one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("Anyone — type a name")
        self.setClearButtonEnabled(True)
        self._ids: dict[str, int] = {}
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)

    def set_people(self, people: Sequence[tuple[int, str]]) -> None:
        """(id, label) pairs; a label two people share gets the id after it."""
        seen: dict[str, int] = {}
        for _ident, label in people:
            seen[label] = seen.get(label, 0) + 1
        self._ids = {
            (label if seen[label] == 1 else f"{label} · #{ident}"): ident for ident, label in people
        }
        self._names.setStringList(list(self._ids))

    def labels(self) -> list[str]:
        return list(self._ids)

    def person_id(self) -> int | None:
        return self._ids.get(self.text().strip())

    def is_unknown(self) -> bool:
        text = self.text().strip()
        return bool(text) and text not in self._ids

    def choose(self, ident: int | None) -> None:
        label = next((lab for lab, i in self._ids.items() if i == ident), "")
        self.setText(label)


class ActivityFilters(QWidget):
    """Emits ``changed`` (debounced) when a query filter changes and ``search_changed`` as the
    free text is typed (that one filters the loaded list, no query)."""

    changed = Signal()
    search_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.person = PersonFilterEdit()
        self.user = QComboBox()
        self.user.addItem(ANYONE, None)
        self.entity = QComboBox()
        self.entity.addItem(ALL_RECORDS, None)
        self.since = OptionalDateEdit("from the first change")
        self.until = OptionalDateEdit("up to now")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search record, field, values…")
        self.search.setClearButtonEnabled(True)
        self.person.setToolTip("Changes to this person and to records about them")
        self.user.setToolTip("Changes made by this user")
        self.entity.setToolTip("Changes to this kind of record")
        self.since.setToolTip("From this day (your local time)")
        self.until.setToolTip("To this day, inclusive")
        self.search.setToolTip("Narrows the list as you type")

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        for column, (label, widget, stretch) in enumerate((
            ("&Person", self.person, 3),
            ("&User", self.user, 1),
            ("&Record", self.entity, 2),
            ("F&rom", self.since, 2),
            ("&To", self.until, 2),
            ("&Search", self.search, 3),
        )):  # fmt: skip
            caption = QLabel(label)
            caption.setBuddy(widget)
            grid.addWidget(caption, 0, column)
            grid.addWidget(widget, 1, column)
            grid.setColumnStretch(column, stretch)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.changed)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(lambda: self.search_changed.emit(self.search.text()))
        self.person.textChanged.connect(self._on_person_text_changed)
        self.person.editingFinished.connect(self._timer.start)  # says so if no one matches
        self.user.currentIndexChanged.connect(self._timer.start)
        self.entity.currentIndexChanged.connect(self._timer.start)
        for edit in (self.since, self.until):
            edit.enabled.toggled.connect(self._timer.start)
            edit.edit.dateChanged.connect(self._timer.start)
        self.search.textChanged.connect(self._search_timer.start)

    def _on_person_text_changed(self, _text: str) -> None:
        if not self.person.is_unknown():  # half a name queries nothing
            self._timer.start()

    def set_choices(
        self,
        people: Sequence[tuple[int, str]],
        users: Sequence[str],
        entities: Sequence[tuple[str, str]],
    ) -> None:
        """Fill the lists, keeping what is chosen where it still exists (no ``changed``)."""
        chosen_user, chosen_entity = self.user.currentData(), self.entity.currentData()
        for combo in (self.user, self.entity):
            combo.blockSignals(True)
        self.person.set_people(people)
        self.user.clear()
        self.user.addItem(ANYONE, None)
        for name in users:
            self.user.addItem(name, name)
        self.entity.clear()
        self.entity.addItem(ALL_RECORDS, None)
        for label, table in entities:
            self.entity.addItem(label, table)
        self.user.setCurrentIndex(max(0, self.user.findData(chosen_user)))
        self.entity.setCurrentIndex(max(0, self.entity.findData(chosen_entity)))
        for combo in (self.user, self.entity):
            combo.blockSignals(False)

    def flush(self) -> None:
        """Apply pending edits now (tests, Enter)."""
        if self._timer.isActive():
            self._timer.stop()
            self.changed.emit()
        if self._search_timer.isActive():
            self._search_timer.stop()
            self.search_changed.emit(self.search.text())

    def choice(self) -> ActivityChoice:
        since, until = self.since.value(), self.until.value()
        problem = ""
        if self.person.is_unknown():
            problem = f"No one called “{self.person.text().strip()}”: pick a name from the list."
        elif since and until and since > until:
            problem = "“From” is after “To”: no day is in between."
        return ActivityChoice(
            person_id=self.person.person_id(),
            user=self.user.currentData(),
            entity=self.entity.currentData(),
            since=since,
            until=until,
            problem=problem,
        )
