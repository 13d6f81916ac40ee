"""AudienceEditor: an activity's audience as people, departments and stakeholder groups, with
the number of people it reaches (the union, each person once)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.enums import StakeholderGroup
from cmio_desktop.services.plan.activities import AudienceChoices, AudienceEntry

_ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


class AudienceEditor(QGroupBox):
    changed = Signal()

    def __init__(
        self,
        choices: AudienceChoices,
        selected_people: Callable[[], list[int]] | None = None,
        parent: QWidget | None = None,
        people_only: bool = False,
        title: str = "Audience",
    ) -> None:
        super().__init__(title, parent)
        self._people_only = people_only
        self._choices = choices
        self._selected_people = selected_people
        self._names = {p[0]: f"{p[1]} ({p[2] or 'no department'})" for p in choices.people}
        self._by_dept: dict[str, set[int]] = defaultdict(set)
        self._by_group: dict[str, set[int]] = defaultdict(set)
        for ident, _name, dept, group in choices.people:
            self._by_dept[dept].add(ident)
            self._by_group[group].add(ident)
        self._build()

    def _build(self) -> None:
        self.list = QListWidget()
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setMinimumHeight(110)
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.reach = QLabel()
        self.reach.setObjectName("muted")

        self.department = QComboBox()
        self.department.addItems(self._choices.departments)
        add_dept = QPushButton("Add department")
        add_dept.clicked.connect(
            lambda: self.add(AudienceEntry(department=self.department.currentText()))
        )
        self.group = QComboBox()
        for g in StakeholderGroup:
            self.group.addItem(g.label, g.value)
        add_group = QPushButton("Add group")
        add_group.clicked.connect(lambda: self.add(AudienceEntry(group=self.group.currentData())))
        self.person = QLineEdit()
        self.person.setPlaceholderText("Type a name to add a person…")
        labels = [self._names[p[0]] for p in self._choices.people]
        self._person_by_label = {self._names[p[0]]: p[0] for p in self._choices.people}
        completer = QCompleter(QStringListModel(labels, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._on_person_chosen)
        self.person.setCompleter(completer)
        self.person.returnPressed.connect(lambda: self._on_person_chosen(self.person.text()))
        self.add_selected = QPushButton("Add people selected elsewhere")
        self.add_selected.setToolTip("People selected in the register, network or a chart")
        self.add_selected.clicked.connect(self._on_add_selected_clicked)
        self.add_selected.setVisible(self._selected_people is not None)

        grid = QGridLayout()
        if not self._people_only:
            grid.addWidget(self.department, 0, 0)
            grid.addWidget(add_dept, 0, 1)
            grid.addWidget(self.group, 1, 0)
            grid.addWidget(add_group, 1, 1)
        else:
            for w in (self.department, add_dept, self.group, add_group):
                w.hide()
        grid.addWidget(self.person, 2, 0)
        grid.addWidget(self.add_selected, 2, 1)
        grid.setColumnStretch(0, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.reach, 1)
        footer.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addLayout(footer)
        layout.addLayout(grid)
        self._update_reach()

    # -- entries ---------------------------------------------------------------------------------
    def entries(self) -> list[AudienceEntry]:
        return [self.list.item(i).data(_ENTRY_ROLE) for i in range(self.list.count())]

    def set_entries(self, entries: list[AudienceEntry]) -> None:
        self.list.clear()
        for entry in entries:
            self.add(entry, announce=False)
        self._update_reach()

    def add(self, entry: AudienceEntry, announce: bool = True) -> None:
        if entry.key in {e.key for e in self.entries()}:
            return
        item = QListWidgetItem(self._label(entry))
        item.setData(_ENTRY_ROLE, entry)
        self.list.addItem(item)
        if announce:
            self._update_reach()
            self.changed.emit()

    def _label(self, entry: AudienceEntry) -> str:
        if entry.stakeholder_id is not None:
            return f"Person: {self._names.get(entry.stakeholder_id, '(deleted person)')}"
        if entry.department is not None:
            size = len(self._by_dept.get(entry.department, ()))
            return f"Department: {entry.department} ({size})"
        group = StakeholderGroup(entry.group)
        return f"Group: {group.label} ({len(self._by_group.get(group.value, ()))})"

    def reach_count(self) -> int:
        people: set[int] = set()
        for e in self.entries():
            if e.stakeholder_id is not None:
                people.add(e.stakeholder_id)
            elif e.department is not None:
                people |= self._by_dept.get(e.department, set())
            elif e.group is not None:
                people |= self._by_group.get(str(e.group), set())
        return len(people)

    def people(self) -> list[int]:
        return [e.stakeholder_id for e in self.entries() if e.stakeholder_id is not None]

    def _update_reach(self) -> None:
        n = self.reach_count()
        self.reach.setText(f"Reaches {n:,} {'person' if n == 1 else 'people'}")

    def _on_remove_clicked(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
        self._update_reach()
        self.changed.emit()

    def _on_person_chosen(self, label: str) -> None:
        ident = self._person_by_label.get(label)
        if ident is not None:
            self.add(AudienceEntry(stakeholder_id=ident))
            self.person.clear()

    def _on_add_selected_clicked(self) -> None:
        if self._selected_people is None:
            return
        for ident in self._selected_people():
            if ident in self._names:
                self.add(AudienceEntry(stakeholder_id=ident), announce=False)
        self._update_reach()
        self.changed.emit()
