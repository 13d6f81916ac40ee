"""AssignSuperUsersDialog: pick people from the register (search by name, department or
group), the unit they support — their department unless the user types another — and the
shift. Refuses, with a sentence, no people, no unit, or someone already on the roster for that
unit and shift; returns plain values for the undo command."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import QItemSelection, QModelIndex, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from cmio_desktop.enums import Shift, StakeholderGroup
from cmio_desktop.services.plan.activities import AudienceChoices
from cmio_desktop.ui.common.record_dialog import RecordDialog
from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.table_view import make_table, select_ids

Person = tuple[int, str, str, str]  # id, name, department, group value


def _group(value: str) -> str:
    try:
        return StakeholderGroup(value).label
    except ValueError:
        return value or ""


SHIFTS = (Shift.ALL, Shift.DAY, Shift.EVENING, Shift.NIGHT, Shift.WEEKEND)


class AssignSuperUsersDialog(RecordDialog):
    def __init__(
        self,
        choices: AudienceChoices,
        units: Collection[str] = (),
        taken: Collection[tuple[int, str, str]] = (),
        selected_elsewhere: Collection[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Assign super users", parent, min_width=680)
        self._names = {p[0]: p[1] for p in choices.people}
        self._departments = {p[0]: p[2] for p in choices.people}
        self._taken = {(p, u.casefold(), s) for p, u, s in taken}
        on_roster: dict[int, list[str]] = {}
        for p, u, s in sorted(taken, key=lambda t: (t[1], t[2])):
            on_roster.setdefault(p, []).append(u if s == Shift.ALL.value else f"{u} ({s})")
        self._unit_typed = False  # once the user types a unit, a new pick no longer replaces it
        # Picks survive a new search: the view's selection only holds the rows shown.
        self._picked: dict[int, None] = {}

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search people by name, department or group…")
        self.search.setClearButtonEnabled(True)
        columns = (
            Column("Name", lambda p: p[1], width=180),
            Column("Department", lambda p: p[2], width=140),
            Column("Group", lambda p: _group(p[3]), width=130),
            Column("Super user for", lambda p: ", ".join(on_roster.get(p[0], ()))),
        )
        self.people = TableModel(columns, id_of=lambda p: p[0], parent=self)
        self.people.set_rows(choices.people)
        self.view = make_table(self.people, multi=True, stretch=3)
        self.search.textChanged.connect(self._on_search_changed)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setMinimumHeight(240)
        self.view.selectionModel().selectionChanged.connect(self._on_people_selected)
        self.picked = QLabel("No one picked")
        self.picked.setObjectName("muted")
        self.picked.setWordWrap(True)
        elsewhere = [i for i in selected_elsewhere if i in self._names]
        self.add_selected = QPushButton(f"Pick the {len(elsewhere)} selected elsewhere")
        self.add_selected.setToolTip("People selected in the register, the network or a chart")
        self.add_selected.clicked.connect(lambda: self.add_people(elsewhere))
        self.add_selected.setVisible(bool(elsewhere))
        picked_row = QHBoxLayout()
        picked_row.addWidget(self.picked, 1)
        picked_row.addWidget(self.add_selected)

        self.unit = QComboBox()
        self.unit.setEditable(True)
        self.unit.addItems(sorted({*choices.departments, *units}, key=str.casefold))
        self.unit.setCurrentIndex(-1)
        line = self.unit.lineEdit()
        assert line is not None
        line.setPlaceholderText("The unit they support (their department by default)")
        line.textEdited.connect(self._on_unit_edited)
        self.unit.activated.connect(self._on_unit_edited)
        self.shift = QComboBox()
        for s in SHIFTS:
            self.shift.addItem("All shifts" if s is Shift.ALL else s.label, s.value)

        self.form.addRow("People", self.search)
        self.form.addRow("", self.view)
        self.form.addRow("", picked_row)
        self.form.addRow("Unit", self.unit)
        self.form.addRow("Shift", self.shift)

    # -- values ----------------------------------------------------------------------------------
    def person_ids(self) -> list[int]:
        return list(self._picked)

    def name_of(self, person_id: int) -> str:
        return self._names.get(person_id, f"person {person_id}")

    def unit_text(self) -> str:
        return self.unit.currentText().strip()

    def shift_value(self) -> str:
        return str(self.shift.currentData())

    def pick(self, ids: Collection[int]) -> None:
        """Pick exactly these people (of those shown)."""
        select_ids(self.view, list(ids))

    def add_people(self, ids: Collection[int]) -> None:
        """Add these people to the picks, shown or not."""
        self._picked.update(dict.fromkeys(i for i in ids if i in self._names))
        select_ids(self.view, list(self._picked))
        self._on_people_selected(QItemSelection(), QItemSelection())

    # -- checks ----------------------------------------------------------------------------------
    def problem(self) -> str | None:
        ids = self.person_ids()
        if not ids:
            return "Pick at least one person from the register."
        unit = self.unit_text()
        if not unit:
            return "Give the unit the super users support."
        shift = Shift(self.shift_value())
        for ident in ids:
            if (ident, unit.casefold(), shift.value) in self._taken:
                when = "on every shift" if shift is Shift.ALL else f"on {shift.label.lower()}s"
                return f"{self._names[ident]} is already a super user for {unit} {when}."
        return None

    # -- slots -----------------------------------------------------------------------------------
    def _on_unit_edited(self, *_args: object) -> None:
        self._unit_typed = True

    def _on_search_changed(self, text: str) -> None:
        self.people.set_search(text)  # a reset: the view forgets its selection, not the picks
        select_ids(self.view, list(self._picked))

    def _on_people_selected(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        for index in deselected.indexes():
            self._picked.pop(self.people.id_of(self._person_at(index)), None)
        for index in selected.indexes():
            self._picked[self.people.id_of(self._person_at(index))] = None
        ids = self.person_ids()
        names = [self._names[i] for i in ids]
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        self.picked.setText(f"Picked: {shown}" if names else "No one picked")
        if ids and not self._unit_typed:
            self.unit.setEditText(self._departments.get(ids[0], ""))
        self.show_error("")

    def _person_at(self, index: QModelIndex) -> Person:
        return self.people.record(index.row())
