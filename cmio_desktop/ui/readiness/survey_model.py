"""SurveyGridModel: one survey round for a department — a row per person, the five ADKAR
scores and a note, with the readiness of complete rows shown live.

Values are checked as they arrive (``setData`` and :meth:`paste`): a bad value is refused with
a sentence on ``rejected`` and the cell keeps what it had. A paste is all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from cmio_desktop.analysis.adkar import AdkarScores, barrier_point, readiness
from cmio_desktop.services.readiness.assessments import RoundEntry, parse_score
from cmio_desktop.services.readiness.rounds import SurveyPerson

Index = QModelIndex | QPersistentModelIndex
NAME, FIRST_SCORE, NOTE, READINESS = 0, 1, 6, 7
SCORE_COLUMNS = range(FIRST_SCORE, FIRST_SCORE + 5)
EDITABLE = (*SCORE_COLUMNS, NOTE)
ELEMENT_KEYS = ("awareness", "desire", "knowledge", "ability", "reinforcement")
HEADERS = (
    "Person",
    "Awareness",
    "Desire",
    "Knowledge",
    "Ability",
    "Reinforcement",
    "Note",
    "Readiness",
)
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)
_LOW = QColor("#b91c1c")
_EDIT = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable
_READ = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class SurveyGridModel(QAbstractTableModel):
    IdRole = Qt.ItemDataRole.UserRole + 1
    rejected = Signal(str)  # a value was refused; the sentence says why
    edited = Signal()  # any accepted change

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.people: list[SurveyPerson] = []
        self.scores: list[list[int | None]] = []
        self.notes: list[str] = []
        self.barrier_max = 3
        self.dirty = False

    # -- content ----------------------------------------------------------------------------------
    def set_people(
        self,
        people: Sequence[SurveyPerson],
        prefill: dict[int, tuple[AdkarScores, str]] | None = None,
    ) -> None:
        prefill = prefill or {}
        self.beginResetModel()
        self.people = list(people)
        self.scores = [
            list(prefill[p.id][0].as_tuple()) if p.id in prefill else [None] * 5 for p in people
        ]
        self.notes = [prefill[p.id][1] if p.id in prefill else "" for p in people]
        self.dirty = False
        self.endResetModel()

    def filled_rows(self) -> int:
        return sum(any(v is not None for v in row) for row in self.scores)

    def entries(self) -> tuple[list[RoundEntry], list[str]]:
        """Complete rows as round entries, and a sentence per incomplete row. Rows with no
        score at all are left out (not everyone answers every round)."""
        out: list[RoundEntry] = []
        problems: list[str] = []
        for person, row, note in zip(self.people, self.scores, self.notes, strict=True):
            if all(v is None for v in row):
                if note.strip():
                    problems.append(f"{person.name} has a note but no scores")
                continue
            missing = [HEADERS[FIRST_SCORE + i] for i, v in enumerate(row) if v is None]
            if missing:
                problems.append(f"{person.name}: {', '.join(missing)} missing")
                continue
            out.append(RoundEntry(person.id, tuple(row), note.strip()))
        return out, problems

    # -- Qt model interface -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.people)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _EDIT if index.column() in EDITABLE else _READ

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section in SCORE_COLUMNS:
                return f"{HEADERS[section]}: 1 (not at all) to 5 (fully)"
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.people):
            return None
        row, col = index.row(), index.column()
        if role == self.IdRole:
            return self.people[row].id
        if col in SCORE_COLUMNS:
            value = self.scores[row][col - FIRST_SCORE]
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
                return "" if value is None else str(value)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return _CENTRE
            if role == Qt.ItemDataRole.ForegroundRole and value is not None:
                return _LOW if value <= self.barrier_max else None
            return None
        if col == NAME:
            person = self.people[row]
            if role == Qt.ItemDataRole.DisplayRole:
                return person.name
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{person.name} — {person.title}" if person.title else person.name
            return None
        if col == NOTE:
            return (
                self.notes[row]
                if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole)
                else None
            )
        if col == READINESS:
            return self._readiness(row, role)
        return None

    def _readiness(self, row: int, role: int) -> Any:
        values = self.scores[row]
        if any(v is None for v in values):
            return None
        scores = AdkarScores(*values)  # type: ignore[arg-type]
        if role == Qt.ItemDataRole.DisplayRole:
            barrier = barrier_point(scores, "first", self.barrier_max)
            text = f"{readiness(scores):.1f}"
            return f"{text} · {barrier.label}" if barrier else text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row, col = index.row(), index.column()
        if col == NOTE:
            self.notes[row] = str(value or "")
        elif col in SCORE_COLUMNS:
            try:
                parsed = self._parse(value, col)
            except ValueError as exc:
                self.rejected.emit(f"{self.people[row].name} — {exc}. Scores are 1 to 5.")
                return False
            self.scores[row][col - FIRST_SCORE] = parsed
        else:
            return False
        self._changed(row, row, col, col)
        return True

    def clear(self, indexes: Sequence[Index]) -> None:
        for index in indexes:
            if index.column() in SCORE_COLUMNS:
                self.scores[index.row()][index.column() - FIRST_SCORE] = None
            elif index.column() == NOTE:
                self.notes[index.row()] = ""
            else:
                continue
            self._changed(index.row(), index.row(), index.column(), index.column())

    def paste(self, top: int, left: int, text: str) -> bool:
        """Fill a block copied from a spreadsheet (tab-separated rows) from (top, left) over
        the editable columns. Refused as a whole, with a sentence on ``rejected``, if any value
        is bad or the block does not fit."""
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            self.rejected.emit("The clipboard holds no values to paste.")
            return False
        block = [line.split("\t") for line in lines]
        if left not in EDITABLE:
            left = FIRST_SCORE
        columns = list(EDITABLE[EDITABLE.index(left) :])
        width = max(len(r) for r in block)
        if top + len(block) > len(self.people):
            self.rejected.emit(
                f"Nothing pasted: the block has {len(block)} rows but only "
                f"{len(self.people) - top} people are left from this row."
            )
            return False
        if width > len(columns):
            self.rejected.emit(
                f"Nothing pasted: the block has {width} columns but only {len(columns)} "
                "fit from this column (five scores and a note)."
            )
            return False
        staged: list[tuple[int, int, Any]] = []
        for r, cells in enumerate(block):
            for c, cell in enumerate(cells):
                col = columns[c]
                try:
                    value = cell.strip() if col == NOTE else self._parse(cell, col)
                except ValueError as exc:
                    name = self.people[top + r].name
                    self.rejected.emit(f"Nothing pasted: row {r + 1} ({name}), {exc}.")
                    return False
                staged.append((top + r, col, value))
        for row, col, value in staged:
            if col == NOTE:
                self.notes[row] = value
            else:
                self.scores[row][col - FIRST_SCORE] = value
        self._changed(top, top + len(block) - 1, columns[0], READINESS)
        return True

    def _parse(self, value: Any, col: int) -> int | None:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return parse_score(value, ELEMENT_KEYS[col - FIRST_SCORE])

    def _changed(self, top: int, bottom: int, left: int, right: int) -> None:
        self.dirty = True
        self.dataChanged.emit(self.index(top, left), self.index(bottom, max(right, READINESS)))
        self.edited.emit()
