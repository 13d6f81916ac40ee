"""TiesPanel: one person's ties — whom they influence and who influences them — with add,
edit and remove. Self-contained (it needs only the facade), so the Stakeholders detail editor
can embed it: ``panel = TiesPanel(facade); panel.set_person(person_id)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.network import ties
from cmio_desktop.ui.action_set import ActionSet
from cmio_desktop.ui.common.table_model import Column, TableModel, style_headers
from cmio_desktop.ui.common.table_view import tab_leaves
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.network.tie_dialog import TieActions
from cmio_desktop.ui.view_only import view_only_gate

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Person", "Strength", "Kind", "Note")
_CENTRE = int(Qt.AlignmentFlag.AlignCenter)


class TieListModel(TableModel):
    """Ties of one person in one direction; the "Person" column shows the other end."""

    PersonRole = Qt.ItemDataRole.UserRole + 10

    def __init__(self, outgoing: bool, parent: Any = None) -> None:
        other = (lambda t: t.target_name) if outgoing else (lambda t: t.source_name)
        columns = (
            Column(COLUMNS[0], other),
            Column(COLUMNS[1], lambda t: str(t.strength), key=lambda t: t.strength,
                   align="center"),
            Column(COLUMNS[2], lambda t: t.kind_label),
            Column(COLUMNS[3], lambda t: t.note),
        )  # fmt: skip
        super().__init__(style_headers(columns), parent=parent)
        self.outgoing = outgoing

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == self.PersonRole:
            t = self.record_at(index)
            if t is None:
                return None
            return t.target_id if self.outgoing else t.source_id
        return super().data(index, role)


class _TieList(QWidget):
    def __init__(
        self,
        title: str,
        commands: str,
        outgoing: bool,
        slots: tuple[Callable[[], object], ...],
        parent: QWidget | None = None,
    ) -> None:
        """``commands`` prefixes the declared ``.add/.edit/.remove`` ids; ``slots`` run them
        (the edit and remove slots are given this list)."""
        super().__init__(parent)
        self.title = title
        self.commands_prefix = commands
        self.model = TieListModel(outgoing, self)
        self.heading = QLabel(title)
        self.heading.setStyleSheet("font-weight: 600; color: #1f2a37;")
        self.table = QTableView()
        tab_leaves(self.table)
        ids = [f"{commands}.{verb}" for verb in ("add", "edit", "remove")]
        self.commands = ActionSet(self, dict(zip(ids, slots, strict=True)), view=self.table)
        self.add_button, self.edit_button, self.remove_button = map(self.commands.button, ids)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().resizeSection(0, 160)
        self.table.horizontalHeader().resizeSection(1, 76)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self._update_buttons()

    def set_rows(self, rows: list[ties.TieRow]) -> None:
        self.model.set_rows(rows)
        self.heading.setText(f"{self.title} ({len(rows)})")
        self._update_buttons()

    def current(self) -> ties.TieRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self, *_args: Any) -> None:
        add = self.commands[f"{self.commands_prefix}.add"]
        enabled = add.isEnabled()
        self.commands.follow_selection(0 if self.current() is None else 1)
        add.setEnabled(enabled)  # adding follows the person chosen, not the tie


class TiesPanel(QWidget):
    """A person's "influences" and "influenced by" ties, editable and undoable."""

    #: One person's ties.
    DEPENDS_ON = frozenset({ChangeKind.RELATIONSHIP, ChangeKind.STAKEHOLDER})

    person_activated = Signal(int)  # double-click on the other person of a tie

    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.actions = TieActions(facade, self)
        self.person_id: int | None = None
        self.header = QLabel("Select a person to see their ties.")
        self.header.setObjectName("muted")
        self.header.setWordWrap(True)
        self.influences = _TieList(
            "Influences", "network.influences", True,
            (self._on_add_influence, lambda: self._edit(self.influences),
             lambda: self._remove(self.influences)),
        )  # fmt: skip
        self.influenced_by = _TieList(
            "Influenced by", "network.influenced_by", False,
            (self._on_add_influencer, lambda: self._edit(self.influenced_by),
             lambda: self._remove(self.influenced_by)),
        )  # fmt: skip
        for part in (self.influences, self.influenced_by):
            part.table.doubleClicked.connect(
                lambda index, p=part: self._on_double_clicked(p, index)
            )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.influences, 1)
        layout.addWidget(self.influenced_by, 1)
        facade.changed.connect(self._on_facade_changed)
        facade.opened.connect(self._on_facade_opened)
        self._set_enabled(False)

    def set_person(self, person_id: int | None) -> None:
        self.person_id = person_id
        self.reload()

    def reload(self) -> None:
        if self.person_id is None or self.facade.workspace is None:
            self._show(None)
            return
        try:
            found = ties.person_ties(self.facade.ws, self.person_id)
        except ServiceError:
            self.person_id = None
            found = None
        self._show(found)

    def _show(self, found: ties.PersonTies | None) -> None:
        if found is None:
            self.header.setText(
                "Select a person (in the network, a ranking or the register) "
                "to see and edit their ties."
            )
            self.influences.set_rows([])
            self.influenced_by.set_rows([])
            self._set_enabled(False)
            return
        self.header.setText(
            f"<b>{_escape(found.name)}</b> — who they influence and who "
            "influences them. Double-click a person to go to them."
        )
        self.influences.set_rows(found.influences)
        self.influenced_by.set_rows(found.influenced_by)
        self._set_enabled(True)

    def _set_enabled(self, enabled: bool) -> None:
        for part in (self.influences, self.influenced_by):
            view_only_gate().set_enabled(part.commands[f"{part.commands_prefix}.add"], enabled)

    def command_actions(self) -> list[QAction]:
        return [*self.influences.commands, *self.influenced_by.commands]

    def _on_add_influence(self) -> None:
        self.actions.add(source_id=self.person_id)

    def _on_add_influencer(self) -> None:
        self.actions.add(target_id=self.person_id)

    def _edit(self, part: _TieList) -> None:
        tie = part.current()
        if tie is not None:
            self.actions.edit(tie.id)

    def _remove(self, part: _TieList) -> None:
        tie = part.current()
        if tie is not None:
            self.actions.delete([tie.id], tie.describe(), {tie.id: tie.version})

    def _on_double_clicked(self, part: _TieList, index: QModelIndex) -> None:
        person = part.model.data(index, TieListModel.PersonRole)
        if person is not None:
            self.person_activated.emit(int(person))

    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, _change: ChangeSet) -> None:
        if self.person_id is not None:
            self.reload()

    def _on_facade_opened(self) -> None:
        self.set_person(None)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
