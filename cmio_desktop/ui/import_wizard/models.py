"""Table models for the import wizard: the mapped preview, the problems, the changes."""

from __future__ import annotations

import dataclasses
from contextlib import suppress
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from cmio_desktop.io.classification import classify
from cmio_desktop.io.mapping import field_specs
from cmio_desktop.io.read_values import display, to_text
from cmio_desktop.services.importing.pipeline import ImportSource
from cmio_desktop.services.importing.plan import show_value
from cmio_desktop.services.importing.run import ImportPlan, PlannedRow

Index = QModelIndex | QPersistentModelIndex
PREVIEW_ROWS = 50
_ROW_NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1
_MUTED = QBrush(QColor("#5b6b7c"))
_INFERRED = QBrush(QColor("#0f766e"))


class _Model(QAbstractTableModel):
    headers: list[str] = []

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.headers)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return section + 1


INFERRED = " (inferred)"
NEEDS_CLASSIFICATION = "Needs classification"


class PreviewModel(_Model):
    """The first data rows below the header, one column per mapped field.

    Text is shown as the file has it; list fields by their labels ("Nurse", not "nurse").
    People imports always show Role and Group as the import will store them: read, inferred
    from the job title (marked "(inferred)", the reason in the tooltip), or "Needs
    classification".
    """

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[list[str]] = []
        self._tips: list[list[str]] = []
        self._numbers: list[int] = []

    def set_source(self, source: ImportSource | None) -> None:
        self.beginResetModel()
        self.headers, self._rows, self._tips, self._numbers = [], [], [], []
        if source is not None:
            specs = field_specs(source.kind)
            people = source.kind == "stakeholders"
            fields = [
                name
                for name in specs
                if name in source.mapping or (people and name in ("role", "group"))
            ]
            self.headers = ["Row", *(specs[name].label for name in fields)]
            start = source.header_index + 1
            table = source.table
            for cells, number in zip(
                table.rows[start : start + PREVIEW_ROWS],
                table.row_numbers[start : start + PREVIEW_ROWS],
                strict=True,
            ):
                shown = {name: _cell_text(cells, source.mapping.get(name)) for name in fields}
                tips = dict.fromkeys(fields, "")
                for name in fields:
                    enum = specs[name].enum
                    if enum is not None and shown[name] and name not in ("role", "group"):
                        with suppress(ValueError):
                            shown[name] = enum.from_text(shown[name]).label
                if people:
                    _show_classification(source, cells, shown, tips)
                self._rows.append([shown[name] for name in fields])
                self._tips.append([tips[name] for name in fields])
                self._numbers.append(number)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return str(self._numbers[row])
            return self._rows[row][column - 1]
        if role == Qt.ItemDataRole.ToolTipRole and column > 0:
            return self._tips[row][column - 1] or None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == 0:
                return _MUTED
            if self._tips[row][column - 1]:
                return _INFERRED
        return None


def _cell_text(cells: list[Any], column: int | None) -> str:
    return display(cells[column]) if column is not None and column < len(cells) else ""


def _show_classification(
    source: ImportSource, cells: list[Any], shown: dict[str, str], tips: dict[str, str]
) -> None:
    """Role and group as the import will decide them (see ``io.classification.classify``)."""
    text = {name: to_text(_cell_raw(cells, source.mapping.get(name))) for name in FIELDS_USED}
    found = classify(text["role"], text["group"], text["title"], text["department"])
    for name, value, reason in (
        ("role", found.role, found.role_reason),
        ("group", found.group, found.group_reason),
    ):
        if value is None:
            shown[name], tips[name] = NEEDS_CLASSIFICATION, reason
        elif reason:
            shown[name], tips[name] = value.label + INFERRED, f"Inferred {reason}."
        else:
            shown[name] = value.label


FIELDS_USED = ("role", "group", "title", "department")


def _cell_raw(cells: list[Any], column: int | None) -> Any:
    return cells[column] if column is not None and column < len(cells) else None


class IssuesModel(_Model):
    """Rejected rows: row number, column, value as found, the reason."""

    headers = ["Row", "Column", "Value", "Problem"]

    def __init__(self) -> None:
        super().__init__()
        self._issues: list[Any] = []

    def set_issues(self, issues: list[Any]) -> None:
        self.beginResetModel()
        self._issues = list(issues)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._issues)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        issue = self._issues[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = issue.column
            if issue.letter and column != f"Column {issue.letter}":
                column = f"{issue.letter}:  {column}"  # as the column combos name it
            return (str(issue.row), column, issue.value, issue.reason)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 0:
            return _MUTED
        return None


class ChangesModel(_Model):
    """New, updated or unchanged rows of a plan: row number, who or what, the changes."""

    headers = ["Row", "Record", "Details"]

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[PlannedRow] = []

    def set_rows(self, rows: list[PlannedRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        planned = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return str(planned.row)
            if column == 1:
                return planned.label
            inferred = dict(planned.inferred)
            if planned.status == "new":
                text = new_summary(planned.values or {}, frozenset(inferred))
                if role == Qt.ItemDataRole.ToolTipRole and inferred:
                    why = "; ".join(f"{_COLUMN_WORDS[c]} {r}" for c, r in inferred.items())
                    return f"{text}\n{why}"
                return text
            if planned.status == "unchanged":
                return "no change"
            return "; ".join(
                change.describe()
                + (f" (inferred {inferred[change.column]})" if change.column in inferred else "")
                for change in planned.changes
            )
        muted = index.column() == 0 or (index.column() == 2 and planned.status != "updated")
        if role == Qt.ItemDataRole.ForegroundRole and muted:
            return _MUTED
        return None


_COLUMN_WORDS = {"role": "role", "stakeholder_group": "group"}


def new_summary(values: dict[str, Any], inferred: frozenset[str] = frozenset()) -> str:
    """What a new row will hold, in a few words ("Nurse · Frontline clinician · ICU"); values
    not read from the file are marked "(inferred)", unclassified ones "needs classification"."""
    if "stakeholder_group" in values:
        parts: list[Any] = []
        for column in ("role", "stakeholder_group"):
            value = values[column]
            if value == "unclassified":
                parts.append(f"{_COLUMN_WORDS[column]} needs classification")
            else:
                parts.append(show_value(value) + (INFERRED if column in inferred else ""))
        parts.append(values.get("department"))
        parts.append(f"power (rated) {values['power']}, interest {values['interest']}")
    elif "strength" in values:
        parts = [values["kind"], f"strength {values['strength']}"]
    elif "awareness" in values:
        scores = (
            values[k] for k in ("awareness", "desire", "knowledge", "ability", "reinforcement")
        )
        parts = [
            "ADKAR "
            + " ".join(f"{letter}{score}" for letter, score in zip("ADKAR", scores, strict=True))
        ]
    else:
        completed = values.get("completed_on")
        parts = [
            f"completed {completed.isoformat()}" if completed else "not completed",
            values.get("proficiency"),
        ]
    return "new: " + " · ".join(show_value(p) for p in parts if p not in (None, ""))


def rows_for(plan: ImportPlan, category: str) -> list[PlannedRow]:
    return {"new": plan.new, "updated": plan.updated, "unchanged": plan.unchanged}[category]


class DuplicatesModel(_Model):
    """Possible duplicates: row, the person in the file, who they may be, and a check box to
    create them anyway (the per-row choice; unticked rows are skipped)."""

    headers = ["Row", "In the file", "May already be", "Create anyway"]
    toggled = Signal(int, bool)  # file row, create

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[Any] = []

    def set_duplicates(self, duplicates: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(duplicates)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() == 3:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        dup, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 3:
            return Qt.CheckState.Checked if dup.created else Qt.CheckState.Unchecked
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 3:
                return (
                    "will be created as a new person"
                    if dup.created
                    else "skipped (tick to create a new person)"
                )
            return (str(dup.row), dup.label, dup.match_label)[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return _MUTED
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != 3 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        create = Qt.CheckState(value) == Qt.CheckState.Checked
        dup = dataclasses.replace(self._rows[index.row()], created=create)
        self._rows[index.row()] = dup
        self.dataChanged.emit(index, index)
        self.toggled.emit(dup.row, create)
        return True
