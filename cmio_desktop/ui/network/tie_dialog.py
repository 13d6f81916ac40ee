"""TieDialog (add or edit one influence tie) and TieActions (the add / edit / delete flows
shared by the relationships table and the ties panel)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QLineEdit,
    QWidget,
)

from cmio_desktop.enums import TieKind
from cmio_desktop.services.conflicts import VERSION
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.network import ties
from cmio_desktop.ui.common.record_dialog import RecordDialog
from cmio_desktop.ui.dialogs import confirm, show_error
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.network.commands import (
    AddTieCommand,
    DeleteTiesCommand,
    EditTieCommand,
    run_command,
)

STRENGTHS = ("1 — weak", "2", "3 — moderate", "4", "5 — strong")


class PersonPicker(QLineEdit):
    """Type part of a name; pick from the completer. ``person_id()`` is None until a person
    is recognised."""

    def __init__(self, choices: list[ties.PersonChoice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._by_label: dict[str, int] = {}
        self._label_of: dict[int, str] = {}
        seen: dict[str, int] = {}
        for c in choices:
            key = f"{c.name} — {c.department}" if c.department else c.name
            seen[key] = seen.get(key, 0) + 1
        for c in choices:
            key = f"{c.name} — {c.department}" if c.department else c.name
            label = key if seen[key] == 1 else f"{key} (#{c.id})"
            self._by_label[label] = c.id
            self._label_of[c.id] = label
        completer = QCompleter(QStringListModel(list(self._by_label), self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setMaxVisibleItems(12)
        self.setCompleter(completer)
        self.setPlaceholderText("Type a name…")
        self.setClearButtonEnabled(True)

    def set_person(self, person_id: int | None) -> None:
        self.setText(self._label_of.get(person_id, "") if person_id is not None else "")

    def person_id(self) -> int | None:
        text = self.text().strip()
        if text in self._by_label:
            return self._by_label[text]
        matches = (
            [
                pid
                for label, pid in self._by_label.items()
                if label.casefold().startswith(text.casefold())
            ]
            if text
            else []
        )
        return matches[0] if len(matches) == 1 else None

    def label_of(self, person_id: int) -> str:
        return self._label_of.get(person_id, f"#{person_id}")


class TieDialog(RecordDialog):
    """Who influences whom, how strongly, and how."""

    def __init__(
        self,
        choices: list[ties.PersonChoice],
        tie: ties.TieRow | None = None,
        source_id: int | None = None,
        target_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Edit tie" if tie else "Add tie", parent)
        self.source = PersonPicker(choices)
        self.target = PersonPicker(choices)
        self.strength = QComboBox()
        self.strength.addItems(STRENGTHS)
        self.kind = QComboBox()
        for kind in TieKind:
            self.kind.addItem(kind.label, kind.value)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Optional: how this influence works")
        self.add_row("Influencer", self.source)
        self.add_row("Influences", self.target)
        self.add_row("Strength", self.strength)
        self.add_row("Kind", self.kind)
        self.add_row("Note", self.note)
        if tie is not None:
            source_id, target_id = tie.source_id, tie.target_id
            self.strength.setCurrentIndex(tie.strength - 1)
            self.kind.setCurrentIndex(max(0, self.kind.findData(tie.kind)))
            self.note.setText(tie.note)
        else:
            self.strength.setCurrentIndex(2)
        self.source.set_person(source_id)
        self.target.set_person(target_id)

    def values(self) -> dict[str, Any]:
        return {
            "source_id": self.source.person_id(),
            "target_id": self.target.person_id(),
            "strength": self.strength.currentIndex() + 1,
            "kind": self.kind.currentData(),
            "note": self.note.text().strip(),
        }

    def problem(self) -> str | None:
        v = self.values()
        if v["source_id"] is None:
            return "Choose the influencer from the list."
        if v["target_id"] is None:
            return "Choose the person they influence from the list."
        if v["source_id"] == v["target_id"]:
            return "A person cannot influence themselves."
        return None


class TieActions:
    """Add / edit / delete flows: a dialog, then an undoable command."""

    def __init__(self, facade: WorkspaceFacade, parent: QWidget) -> None:
        self.facade = facade
        self.parent = parent
        self._choices: list[ties.PersonChoice] | None = None
        self._choices_revision: Any = None

    def choices(self) -> list[ties.PersonChoice]:
        from cmio_desktop.services.workspace_info import revision

        rev = (str(self.facade.ws.path), revision(self.facade.ws))
        if self._choices is None or rev != self._choices_revision:
            self._choices = ties.person_choices(self.facade.ws)
            self._choices_revision = rev
        return self._choices

    def add(self, source_id: int | None = None, target_id: int | None = None) -> bool:
        dialog = TieDialog(
            self.choices(), source_id=source_id, target_id=target_id, parent=self.parent
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        v = dialog.values()
        text = (
            f"add tie {dialog.source.label_of(v['source_id']).split(' — ')[0]} → "
            f"{dialog.target.label_of(v['target_id']).split(' — ')[0]}"
        )
        return run_command(AddTieCommand(self.facade, text=text, **v), self.parent)

    def edit(self, tie_id: int) -> bool:
        try:
            tie = ties.get_tie(self.facade.ws, tie_id)
        except ServiceError as exc:
            show_error(self.parent, "Cannot edit tie", str(exc))
            return False
        dialog = TieDialog(self.choices(), tie=tie, parent=self.parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        current = {
            "source_id": tie.source_id,
            "target_id": tie.target_id,
            "strength": tie.strength,
            "kind": tie.kind,
            "note": tie.note,
        }
        changes = {k: v for k, v in dialog.values().items() if current[k] != v}
        if not changes:
            return False
        # Refused if someone changed them meanwhile (at once passed if nobody changed the tie).
        shown = {**{k: current[k] for k in changes}, VERSION: tie.version}
        command = EditTieCommand(self.facade, tie_id, changes, f"edit tie {tie.describe()}", shown)
        return run_command(command, self.parent)

    def delete(
        self, tie_ids: list[int], description: str = "", versions: dict[int, int] | None = None
    ) -> bool:
        """``versions``: tie id → the row version shown (a tie changed since refuses it)."""
        if not tie_ids:
            return False
        what = description if len(tie_ids) == 1 and description else f"{len(tie_ids):,} ties"
        if not confirm(self.parent, "Delete tie", f"Delete {what}? You can undo this."):
            return False
        text = (
            f"delete tie {description}"
            if len(tie_ids) == 1 and description
            else (f"delete {len(tie_ids):,} ties")
        )
        command = DeleteTiesCommand(self.facade, list(tie_ids), text, versions)
        return run_command(command, self.parent)
