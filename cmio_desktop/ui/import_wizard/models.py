"""Table models for the import wizard: the mapped preview, the problems, the changes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from ...io.mapping import field_specs
from ...io.read_values import display
from ...services.import_pipeline import ImportSource
from ...services.import_plan import show_value
from ...services.importing import ImportPlan, PlannedRow

Index = QModelIndex | QPersistentModelIndex
PREVIEW_ROWS = 50
_ROW_NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1
_MUTED = QBrush(QColor("#5b6b7c"))


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


class PreviewModel(_Model):
    """The first data rows below the header, one column per mapped field, as the file has them."""

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[list[str]] = []
        self._numbers: list[int] = []

    def set_source(self, source: ImportSource | None) -> None:
        self.beginResetModel()
        self.headers, self._rows, self._numbers = [], [], []
        if source is not None:
            specs = field_specs(source.kind)
            fields = [name for name in specs if name in source.mapping]
            self.headers = ["Row", *(specs[name].label for name in fields)]
            start = source.header_index + 1
            table = source.table
            for cells, number in zip(
                table.rows[start : start + PREVIEW_ROWS],
                table.row_numbers[start : start + PREVIEW_ROWS],
                strict=True,
            ):
                columns = [source.mapping[name] for name in fields]
                self._rows.append([display(cells[c]) if c < len(cells) else "" for c in columns])
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
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return _MUTED
        return None


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
            return (str(issue.row), issue.column, issue.value, issue.reason)[index.column()]
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
            if planned.status == "new":
                return new_summary(planned.values or {})
            if planned.status == "unchanged":
                return "no change"
            return planned.describe_changes()
        muted = index.column() == 0 or (index.column() == 2 and planned.status != "updated")
        if role == Qt.ItemDataRole.ForegroundRole and muted:
            return _MUTED
        return None


def new_summary(values: dict[str, Any]) -> str:
    """What a new row will hold, in a few words ("Nurse · Frontline clinician · ICU")."""
    if "stakeholder_group" in values:
        parts = [values["role"], values["stakeholder_group"], values.get("department")]
        parts.append(f"influence {values['power']}, interest {values['interest']}")
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
