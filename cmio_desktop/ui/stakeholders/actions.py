"""Add, Duplicate, Delete and Bulk edit: the register's commands (declared in ``ui.actions``),
each one undo step; their buttons sit in the filter bar's actions row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from cmio_desktop.services.stakeholders import edits as service
from cmio_desktop.ui.action_set import ActionSet
from cmio_desktop.ui.dialogs import confirm
from cmio_desktop.ui.stakeholders.bulk_edit import BulkEditDialog
from cmio_desktop.ui.stakeholders.commands import (
    BulkEditCommand,
    CreateStakeholderCommand,
    DeleteStakeholdersCommand,
)

if TYPE_CHECKING:
    from cmio_desktop.ui.stakeholders.page import StakeholdersPage

NEW_NAME = "New stakeholder"
#: Filters whose current choice becomes the default of a newly added person.
DEFAULTS_FROM_FILTERS = ("role", "group", "department", "site", "attitude")


class RegisterActions:
    def __init__(self, page: StakeholdersPage) -> None:
        self.page = page
        self.commands = ActionSet(
            page,
            {
                "stakeholders.person.add": self.add,
                "stakeholders.person.duplicate": self.duplicate,
                "stakeholders.person.delete": self.delete,
                "stakeholders.person.bulk_edit": self.bulk_edit_dialog,
                "stakeholders.register.find": page.filter_bar.search.setFocus,
            },
            view=page.view,
        )
        buttons = [
            self.commands.button(f"stakeholders.person.{verb}")
            for verb in ("add", "duplicate", "delete", "bulk_edit")
        ]
        for button in buttons:
            page.toolbar.addWidget(button)
        self.add_button, self.duplicate_button, self.delete_button, self.bulk_button = buttons
        self.update_enabled(0)

    def command_actions(self) -> list[QAction]:
        return list(self.commands)

    def update_enabled(self, selected: int) -> None:
        self.commands.follow_selection(selected)

    # -- actions ----------------------------------------------------------------------------------
    def add(self) -> None:
        bar = self.page.filter_bar
        defaults = {k: bar.value(k) for k in DEFAULTS_FROM_FILTERS if bar.value(k) is not None}
        command = CreateStakeholderCommand(
            self.page,
            f"add {NEW_NAME}",
            lambda ws: service.create_stakeholder(ws, name=NEW_NAME, **defaults),
        )
        self.page.facade.undo_stack.push(command)
        if command.ident is not None:
            self._focus_name()

    def duplicate(self) -> None:
        ids = self.page.selected_ids()
        if len(ids) != 1:
            return
        name = self.page.model.name_of(ids[0])
        command = CreateStakeholderCommand(
            self.page, f"duplicate {name}", lambda ws: service.duplicate_stakeholder(ws, ids[0])
        )
        self.page.facade.undo_stack.push(command)
        if command.ident is not None:
            self._focus_name()

    def delete(self) -> None:
        ids = self.page.selected_ids()
        if not ids:
            return
        names = [self.page.model.name_of(i) for i in ids[:3]]
        who = names[0] if len(ids) == 1 else f"these {len(ids):,} people"
        listed = (
            "" if len(ids) == 1 else " (" + ", ".join(names) + (", …)" if len(ids) > 3 else ")")
        )
        if not confirm(
            self.page,
            "Delete stakeholders",
            f"Delete {who}{listed}? Their influence ties, assessments and training "
            "records are removed too. Undo (Ctrl+Z) brings everything back.",
        ):
            return
        shown = {i: self.page.model.version_of(i) for i in ids}
        versions = {i: v for i, v in shown.items() if v is not None}
        self.page.facade.undo_stack.push(DeleteStakeholdersCommand(self.page, ids, names, versions))

    def bulk_edit_dialog(self) -> None:
        ids = self.page.selected_ids()
        if not ids:
            return
        choices = self.page.choices
        dialog = BulkEditDialog(len(ids), choices.departments, choices.sites, self.page)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.bulk_edit(ids, dialog.changes())

    def bulk_edit(self, ids: list[int], changes: dict[str, Any]) -> None:
        problems = service.validate(changes)
        if problems:
            self.page.report_error("Bulk edit", " ".join(problems.values()))
            return
        if ids and changes:
            self.page.facade.undo_stack.push(BulkEditCommand(self.page, ids, changes))

    def _focus_name(self) -> None:
        self.page.tabs.setCurrentWidget(self.page.editor)
        name = self.page.editor.widgets["name"]
        name.setFocus()
        name.selectAll()  # type: ignore[attr-defined]
