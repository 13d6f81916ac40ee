"""AssessmentEditor: one person's readiness rounds for the current initiative, and a form to
add, correct or delete a round — five 1–5 scores, date, assessor and note — showing the
readiness and barrier point live as the scores change.

Built to be embedded (e.g. in the Stakeholders detail editor): ``AssessmentEditor(facade)``
then ``set_person(person_id)``. Every edit is an undo step on the facade's stack.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.analysis.adkar import AdkarScores, barrier_point, is_ready, readiness
from cmio_desktop.services.analysis_settings import readiness_settings
from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.errors import REFUSED, ServiceError
from cmio_desktop.services.readiness import assessments as service
from cmio_desktop.ui.common.table_model import Column, TableModel, style_headers
from cmio_desktop.ui.common.table_view import tab_leaves
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.readiness.commands import (
    AddAssessmentCommand,
    DeleteAssessmentsCommand,
    EditAssessmentCommand,
    push,
)

Index = QModelIndex | QPersistentModelIndex
ELEMENT_NAMES = ("Awareness", "Desire", "Knowledge", "Ability", "Reinforcement")
ROUND_HEADERS = ("Date", "A", "D", "K", "A", "R", "Mean", "Δ", "Barrier")
ROUND_TIPS = (
    "Date of the round",
    *ELEMENT_NAMES,
    "Readiness: mean of the five scores",
    "Change since the previous round",
    "Barrier point",
)
ERROR_STYLE = "color: #b91c1c;"


def _round_tip(row: service.AssessmentRow) -> str:
    by = f" by {row.assessor}" if row.assessor else ""
    note = f"\n{row.note}" if row.note else ""
    return f"{row.assessed_on:%d %b %Y}{by}{note}"


def _score(n: int) -> Any:
    return lambda r: str(r.scores.as_tuple()[n])


_ROUND_TEXTS = (
    lambda r: r.assessed_on.isoformat(),
    *(_score(n) for n in range(5)),
    lambda r: f"{r.readiness:.1f}",
    lambda r: "" if r.change is None else f"{r.change:+.1f}",
    lambda r: r.barrier.label if r.barrier else "none",
)
ROUND_COLUMNS = tuple(
    Column(title, text, align="center" if 1 <= n <= 7 else "left", tooltip=_round_tip,
           header_tip=tip)
    for n, (title, text, tip) in enumerate(
        zip(ROUND_HEADERS, _ROUND_TEXTS, ROUND_TIPS, strict=True)
    )
)  # fmt: skip


class PersonRoundsModel(TableModel):
    """One person's rounds, newest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(style_headers(ROUND_COLUMNS), parent=parent)

    def set_rows(self, rows: list[service.AssessmentRow]) -> None:
        super().set_rows(list(reversed(rows)))  # newest first


class AssessmentEditor(QWidget):
    #: One person's rounds, scored with the readiness settings.
    DEPENDS_ON = frozenset(
        {
            ChangeKind.ASSESSMENT,
            ChangeKind.STAKEHOLDER,
            ChangeKind.WORKSPACE_SETTING,
            ChangeKind.INITIATIVE,
        }
    )

    changed = Signal()  # an edit was applied

    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.person_id: int | None = None
        self.person_name = ""
        self.model = PersonRoundsModel(self)
        self._build()
        facade.changed.connect(self._on_facade_changed)
        facade.initiative_changed.connect(lambda _i: self.reload())
        self._set_enabled(False)

    def _build(self) -> None:
        self.heading = QLabel("No person selected")
        self.heading.setStyleSheet("font-weight: 600;")
        self.table = QTableView()
        tab_leaves(self.table)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setMinimumHeight(90)
        self.table.setMaximumHeight(170)
        self.table.selectionModel().currentRowChanged.connect(self._on_table_row_changed)

        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        self.spins: list[QSpinBox] = []
        for col, name in enumerate(ELEMENT_NAMES):
            label = QLabel(name)
            label.setObjectName("muted")
            spin = QSpinBox()
            spin.setRange(1, 5)
            spin.setValue(3)
            spin.setAccessibleName(f"{name} score")
            spin.setToolTip(f"{name}: 1 (not at all) to 5 (fully)")
            spin.valueChanged.connect(self._update_live)
            grid.addWidget(label, 2 * (col // 3), col % 3)
            grid.addWidget(spin, 2 * (col // 3) + 1, col % 3)
            self.spins.append(spin)
        self.date = self._date_edit()
        self.assessor = QLineEdit()
        self.assessor.setPlaceholderText("Assessor")
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note")
        line = QHBoxLayout()
        line.addWidget(self.date)
        line.addWidget(self.assessor, 1)
        self.live = QLabel("")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.add_button = QPushButton("Add round")
        self.save_button = QPushButton("Save changes")
        self.delete_button = QPushButton("Delete round")
        self.add_button.setToolTip("Record these scores as a new round")
        self.save_button.setToolTip("Correct the selected round")
        self.add_button.clicked.connect(self.add_round)
        self.save_button.clicked.connect(self.save_round)
        self.delete_button.clicked.connect(self.delete_round)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(grid)
        layout.addLayout(line)
        layout.addWidget(self.note)
        layout.addWidget(self.live)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit(QDate.currentDate())
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.setMaximumDate(QDate.currentDate())
        return edit

    # -- content --------------------------------------------------------------------------------
    def set_person(self, person_id: int | None, name: str = "") -> None:
        self.person_id, self.person_name = (
            person_id,
            name or (f"Person {person_id}" if person_id is not None else ""),
        )
        self.message.setText("")
        self.reload()

    def reload(self) -> None:
        initiative = self.facade.initiative_id
        if self.person_id is None or self.facade.workspace is None or initiative is None:
            self.model.set_rows([])
            self.heading.setText(
                "No person selected" if self.person_id is None else "No initiative yet"
            )
            self._set_enabled(False)
            return
        try:
            rows = service.person_rounds(self.facade.ws, self.person_id, initiative)
            self.settings = readiness_settings(self.facade.ws)
        except ServiceError as exc:
            self.message.setText(str(exc))
            return
        self.model.set_rows(rows)
        count = len(rows)
        self.heading.setText(
            f"Readiness of {self.person_name} — {count} round{'s' if count != 1 else ''}"
        )
        self._set_enabled(True)
        if rows:
            self.table.selectRow(0)
            self._load_round(self.model.record(0))
        else:
            self._update_live()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (*self.spins, self.date, self.assessor, self.note, self.add_button):
            widget.setEnabled(enabled)
        has_round = enabled and self.selected_round() is not None
        self.save_button.setEnabled(has_round)
        self.delete_button.setEnabled(has_round)

    def selected_round(self) -> service.AssessmentRow | None:
        index = self.table.currentIndex()
        return self.model.record(index.row()) if index.isValid() else None

    def _on_table_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._load_round(self.model.record(current.row()))
        self._set_enabled(self.person_id is not None)

    def _load_round(self, row: service.AssessmentRow) -> None:
        for spin, value in zip(self.spins, row.scores.as_tuple(), strict=True):
            spin.setValue(value)
        self.date.setDate(QDate(row.assessed_on))
        self.assessor.setText(row.assessor)
        self.note.setText(row.note)
        self._update_live()

    def scores(self) -> AdkarScores:
        return AdkarScores(*(s.value() for s in self.spins))

    def _update_live(self) -> None:
        scores = self.scores()
        settings = getattr(self, "settings", None)
        mode = settings.barrier_mode if settings else "first"
        limit = settings.barrier_max if settings else 3
        barrier = barrier_point(scores, mode, limit)
        ready = is_ready(scores, settings)
        self.live.setText(
            f"Readiness {readiness(scores):.1f} · barrier point: "
            f"{barrier.label if barrier else 'none'} · {'ready' if ready else 'not ready'}"
        )

    def form_values(self) -> dict[str, Any]:
        return {
            "assessed_on": self.date.date().toPython(),
            "scores": self.scores(),
            "assessor": self.assessor.text().strip(),
            "note": self.note.text().strip(),
        }

    # -- edits ----------------------------------------------------------------------------------
    def _run(self, command: Any) -> bool:
        try:
            push(self.facade, command)
        except REFUSED as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText("")
        self.changed.emit()
        return True

    def add_round(self) -> bool:
        if self.person_id is None or self.facade.initiative_id is None:
            return False
        return self._run(
            AddAssessmentCommand(
                self.facade,
                self.person_id,
                self.facade.initiative_id,
                self.person_name,
                self.form_values(),
            )
        )

    def save_round(self) -> bool:
        row = self.selected_round()
        if row is None:
            return False
        new = self.form_values()
        new["scores"] = new["scores"].as_tuple()
        old = service.assessment_values(row)
        old_compare = {
            "scores": row.scores.as_tuple(),
            **{k: old[k] for k in ("assessed_on", "assessor", "note")},
        }
        changes = {k: v for k, v in new.items() if old_compare[k] != v}
        if not changes:
            return False
        before = {k: old_compare[k] for k in changes}
        return self._run(
            EditAssessmentCommand(self.facade, row.id, self.person_name, before, changes)
        )

    def delete_round(self) -> bool:
        row = self.selected_round()
        if row is None:
            return False
        text = f"delete readiness round of {self.person_name} ({row.assessed_on.isoformat()})"
        return self._run(DeleteAssessmentsCommand(self.facade, [row.id], text))

    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, _change: ChangeSet) -> None:
        if self.person_id is not None:
            self.reload()
