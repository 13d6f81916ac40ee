"""InitiativesDialog: create and edit initiatives (name, go-live date, description) and their
phases and milestones. Every change is an undo command on the facade's stack."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services import initiatives as service
from cmio_desktop.services.changes import ChangeKind, ChangeSet, Written
from cmio_desktop.services.conflicts import VERSION
from cmio_desktop.store import Workspace
from cmio_desktop.ui.common.form_dialog import Field, FormDialog, OptionalDateEdit
from cmio_desktop.ui.common.formats import fmt_date
from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.table_view import make_table, selected_records
from cmio_desktop.ui.common.undo import CreateCommand, DeleteCommand, UpdateCommand, push
from cmio_desktop.ui.dialogs import confirm, show_error
from cmio_desktop.ui.facade import WorkspaceFacade

PHASE_COLUMNS = (
    Column("Phase", lambda r: r.name, width=220),
    Column("Start", lambda r: fmt_date(r.start_date), key=lambda r: r.start_date, width=110),
    Column("End", lambda r: fmt_date(r.end_date), key=lambda r: r.end_date, width=110),
)
MILESTONE_COLUMNS = (
    Column("Milestone", lambda r: r.name, width=220),
    Column("Date", lambda r: fmt_date(r.due), key=lambda r: r.due, width=110),
)
PHASE_FIELDS = (
    Field("name", "Name", required=True),
    Field("start_date", "Start", "optional_date"),
    Field("end_date", "End", "optional_date"),
)
MILESTONE_FIELDS = (Field("name", "Name", required=True), Field("due", "Date", "date"))


class InitiativesDialog(QDialog):
    #: Initiatives with their phases and milestones.
    DEPENDS_ON = frozenset({ChangeKind.INITIATIVE, ChangeKind.PHASE, ChangeKind.MILESTONE})

    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.setWindowTitle("Initiatives")
        self.resize(960, 680)
        self.current: service.InitiativeRow | None = None
        self.phases = TableModel(PHASE_COLUMNS, parent=self)
        self.milestones = TableModel(MILESTONE_COLUMNS, parent=self)
        self._build()
        facade.changed.connect(self._on_facade_changed)
        self._reload(select=facade.initiative_id)

    def _build(self) -> None:
        self.list = QListWidget()
        self.list.currentItemChanged.connect(lambda *_: self._show_current())
        new = QPushButton("New initiative…")
        new.clicked.connect(self._on_new_clicked)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self._on_delete_clicked)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(new)
        row.addWidget(self.delete_button)
        left_layout.addLayout(row)

        self.name = QLineEdit()
        self.go_live = OptionalDateEdit("no go-live date yet")
        self.description = QPlainTextEdit()
        self.description.setFixedHeight(60)
        self.save_button = QPushButton("Save details")
        self.save_button.clicked.connect(self._on_save_clicked)
        details = QGroupBox("Details")
        form = QFormLayout(details)
        form.addRow("Name", self.name)
        form.addRow("Go-live", self.go_live)
        form.addRow("Description", self.description)
        form.addRow("", self.save_button)
        self.phase_view = make_table(self.phases, stretch=0)
        self.phase_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.milestone_view = make_table(self.milestones, stretch=0)
        self.milestone_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(details)
        right_layout.addWidget(self._section("Phases", self.phase_view, "phase"), 1)
        right_layout.addWidget(self._section("Milestones", self.milestone_view, "milestone"), 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([300, 640])
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(close)

    def _section(self, title: str, view: QWidget, kind: str) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        layout.addWidget(view)
        buttons = QHBoxLayout()
        for label, handler in (("Add…", self._on_add), ("Edit…", self._on_edit),
                               ("Delete", self._on_delete_child)):  # fmt: skip
            b = QPushButton(label)
            b.clicked.connect(lambda _=False, h=handler, k=kind: h(k))
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        return box

    # -- data ----------------------------------------------------------------------------------
    def _reload(self, select: int | None = None) -> None:
        keep = select if select is not None else (self.current.id if self.current else None)
        self.list.blockSignals(True)
        self.list.clear()
        for row in service.list_initiatives(self.facade.ws):
            when = f" — go-live {row.go_live:%d %b %Y}" if row.go_live else ""
            item = QListWidgetItem(f"{row.name}{when}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.list.addItem(item)
            if row.id == keep:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self.list.blockSignals(False)
        self._show_current()

    def _show_current(self) -> None:
        item = self.list.currentItem()
        if item is None:
            self.current = None
            return
        self.current = service.get_initiative(self.facade.ws, item.data(Qt.ItemDataRole.UserRole))
        self.name.setText(self.current.name)
        self.go_live.set_value(self.current.go_live)
        self.description.setPlainText(self.current.description)
        self.phases.set_rows(list(self.current.phases))
        self.milestones.set_rows(list(self.current.milestones))
        self.delete_button.setEnabled(self.list.count() > 1)

    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, _change: ChangeSet) -> None:
        self._reload()

    def _report(self, title: str, message: str) -> None:
        show_error(self, title, message)

    # -- initiative ------------------------------------------------------------------------------
    def _on_new_clicked(self) -> None:
        dialog = FormDialog("New initiative", (
            Field("name", "Name", required=True), Field("go_live", "Go-live", "optional_date")),
            {"go_live": date.today() + timedelta(days=90)}, self)  # fmt: skip
        if not dialog.exec():
            return
        v = dialog.values()
        command = CreateCommand(
            self.facade, f"create initiative {v['name']}",
            lambda ws: service.create_initiative(ws, v["name"], v["go_live"]),
            lambda ws, ids: service.delete_initiative(ws, ids[0]), self._report,
        )  # fmt: skip
        if push(self.facade, command):
            self._reload(select=command.ids[0])

    def _on_save_clicked(self) -> None:
        if self.current is None:
            return
        values = {
            "name": self.name.text().strip(),
            "go_live": self.go_live.value(),
            "description": self.description.toPlainText().strip(),
        }
        changed = {k: v for k, v in values.items() if getattr(self.current, k) != v}
        if not changed:
            return
        ident = self.current.id
        push(self.facade, UpdateCommand(
            self.facade, f"edit initiative {values['name']}",
            lambda ws, vals: service.update_initiative(ws, ident, **vals), changed, self._report,
            {**{k: getattr(self.current, k) for k in changed}, VERSION: self.current.version},
        ))  # fmt: skip

    def _on_delete_clicked(self) -> None:
        if self.current is None:
            return
        name, ident, version = self.current.name, self.current.id, self.current.version
        if not confirm(self, "Delete initiative", f"Delete {name} and its whole plan? "
                       "(Undo brings it back.)"):  # fmt: skip
            return
        deleted = push(self.facade, DeleteCommand(
            self.facade, f"delete initiative {name}", [ident],
            lambda ws, ids: service.delete_initiative(ws, ids[0]), self._report,
            versions={ident: version},
        ))  # fmt: skip
        if deleted and self.facade.initiative_id == ident:  # a refused one stays chosen
            remaining = service.list_initiatives(self.facade.ws)
            if remaining:
                self.facade.set_initiative(remaining[0].id)

    # -- phases and milestones -------------------------------------------------------------------
    def _on_add(self, kind: str) -> None:
        if self.current is None:
            return
        fields = PHASE_FIELDS if kind == "phase" else MILESTONE_FIELDS
        dialog = FormDialog(f"New {kind}", fields, {"due": self.current.go_live}, self)
        if not dialog.exec():
            return
        v, iid = dialog.values(), self.current.id

        def create(ws: Workspace) -> Written[int]:
            if kind == "phase":
                return service.add_phase(ws, iid, v["name"], v["start_date"], v["end_date"])
            return service.add_milestone(ws, iid, v["name"], v["due"])

        delete = service.delete_phases if kind == "phase" else service.delete_milestones
        push(self.facade, CreateCommand(self.facade, f"add {kind} {v['name']}", create,
                                        delete, self._report))  # fmt: skip

    def _on_edit(self, kind: str) -> None:
        view = self.phase_view if kind == "phase" else self.milestone_view
        rows = selected_records(view)
        if len(rows) != 1:
            return
        row = rows[0]
        fields = PHASE_FIELDS if kind == "phase" else MILESTONE_FIELDS
        dialog = FormDialog(f"Edit {kind}", fields, row.__dict__, self)
        if not dialog.exec():
            return
        changed = {k: v for k, v in dialog.values().items() if getattr(row, k) != v}
        if not changed:
            return
        update = service.update_phase if kind == "phase" else service.update_milestone
        push(self.facade, UpdateCommand(
            self.facade, f"edit {kind} {row.name}",
            lambda ws, vals: update(ws, row.id, **vals), changed, self._report,
            {**{k: getattr(row, k) for k in changed}, VERSION: row.version},
        ))  # fmt: skip

    def _on_delete_child(self, kind: str) -> None:
        view = self.phase_view if kind == "phase" else self.milestone_view
        rows = selected_records(view)
        if not rows:
            return
        delete = service.delete_phases if kind == "phase" else service.delete_milestones
        text = f"delete {kind} {rows[0].name}" if len(rows) == 1 else f"delete {len(rows)} {kind}s"
        ids = [r.id for r in rows]
        versions = {r.id: r.version for r in rows}
        push(self.facade, DeleteCommand(self.facade, text, ids, delete, self._report, versions))
