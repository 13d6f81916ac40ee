"""Every page command, declared once: id, menu text, shortcut, icon, tooltip and when it is
enabled. Pages make their QActions from these (``ui.action_set``); the Edit and View menus, the
page buttons, the shortcuts and the enabled state all come from the same QAction.

An id reads ``<section>.<thing>.<verb>``; its first part is the navigation section it belongs
to. Declarations only: this module imports nothing heavy and no page.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtGui import QKeySequence

Keys = str | QKeySequence.StandardKey


class Enabled(Enum):
    """When a command can run, given how many rows its table has selected."""

    ALWAYS = "always"
    ONE = "one"  # exactly one selected
    ANY = "any"  # one or more selected

    def allows(self, selected: int) -> bool:
        return self is Enabled.ALWAYS or (selected == 1 if self is Enabled.ONE else selected > 0)


class Scope(Enum):
    """Where a command's shortcut works."""

    PAGE = "page"  # anywhere while its page is shown (it is in the Edit menu then)
    VIEW = "view"  # while the focus is in the table (or panel) it acts on


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str  # menu text, "&" marks the mnemonic
    tip: str = ""
    shortcuts: tuple[Keys, ...] = ()
    enabled: Enabled = Enabled.ALWAYS
    scope: Scope = Scope.PAGE
    button: str = ""  # the page button's text when it differs from the menu text
    icon: str = ""  # a freedesktop theme icon name, shown where the platform has one
    menu: str = "edit"  # "edit" or "view": the menu that lists it while its page is shown

    @property
    def section(self) -> str:
        return self.id.split(".", 1)[0]

    @property
    def button_text(self) -> str:
        return self.button or self.text.replace("&&", "\0").replace("&", "").replace("\0", "&")


DELETE = (QKeySequence.StandardKey.Delete,)


def _table(section: str, noun: str, plural: str) -> tuple[ActionSpec, ...]:
    """New…, Edit… and Delete (the Delete key) for a table of ``noun`` rows."""
    return (
        ActionSpec(f"{section}.{noun}.add", f"&New {noun}…", f"Add a {noun}",
                   button=f"New {noun}…", icon="list-add"),
        ActionSpec(f"{section}.{noun}.edit", f"&Edit {noun}…", f"Edit the selected {noun}",
                   enabled=Enabled.ONE, button="Edit…", icon="document-edit"),
        ActionSpec(f"{section}.{noun}.delete", f"&Delete selected {plural}",
                   f"Delete the selected {plural} (Undo brings them back)",
                   DELETE, Enabled.ANY, Scope.VIEW, "Delete", "edit-delete"),
    )  # fmt: skip


ACTIONS: tuple[ActionSpec, ...] = (
    # -- Stakeholders ------------------------------------------------------------------------------
    ActionSpec("stakeholders.person.add", "&Add person", "Add a person",
               ("Ctrl+Shift+A",), button="Add", icon="list-add"),
    ActionSpec("stakeholders.person.duplicate", "Dupli&cate person",
               "Copy the selected person, without their ties", enabled=Enabled.ONE,
               button="Duplicate", icon="edit-copy"),
    ActionSpec("stakeholders.person.delete", "&Delete selected people",
               "Delete the selected people and their ties", DELETE, Enabled.ANY, Scope.VIEW,
               "Delete", "edit-delete"),
    ActionSpec("stakeholders.person.bulk_edit", "&Bulk edit…",
               "Set fields on every selected person at once", enabled=Enabled.ANY,
               icon="document-edit"),
    ActionSpec("stakeholders.register.find", "&Find in register",
               "Search names, titles, departments and notes",
               (QKeySequence.StandardKey.Find,), icon="edit-find"),
    ActionSpec("stakeholders.log.add", "&Log contact…", "Log a 1:1, meeting, call, email or "
               "site visit with this person", button="Log contact…", icon="list-add"),
    ActionSpec("stakeholders.log.edit", "&Edit log entry…", "Edit the selected log entry",
               enabled=Enabled.ONE, button="Edit…", icon="document-edit"),
    ActionSpec("stakeholders.log.delete", "&Delete selected log entries",
               "Delete the selected log entries (Undo brings them back)", DELETE, Enabled.ANY,
               Scope.VIEW, "Delete", "edit-delete"),
    # -- Network -----------------------------------------------------------------------------------
    ActionSpec("network.view.zoom_out", "Zoom &out", "Zoom out", ("Ctrl+-",), button="−",
               icon="zoom-out", menu="view"),
    ActionSpec("network.view.zoom_in", "Zoom &in", "Zoom in", ("Ctrl++", "Ctrl+="), button="+",
               icon="zoom-in", menu="view"),
    # No Ctrl+0 here: it goes to the sidebar (the two made an ambiguous shortcut).
    ActionSpec("network.view.fit", "&Fit network", "Show the whole view", button="Fit",
               icon="zoom-fit-best", menu="view"),
    ActionSpec("network.view.save_image", "Save network &image…",
               "Save the view with its legend as PNG, SVG or PDF", button="Save image…",
               icon="document-save-as", menu="view"),
    ActionSpec("network.tie.add", "&Add tie…", "Record who influences whom", button="Add tie…",
               icon="list-add"),
    ActionSpec("network.tie.edit", "&Edit tie…", "Edit the selected tie", enabled=Enabled.ONE,
               button="Edit…", icon="document-edit"),
    ActionSpec("network.tie.delete", "&Delete selected ties", "Delete the selected ties", DELETE,
               Enabled.ANY, Scope.VIEW, "Delete", "edit-delete"),
    ActionSpec("network.influences.add", "&Add someone they influence…",
               "Add a tie from the selected person", button="Add…", icon="list-add"),
    ActionSpec("network.influences.edit", "&Edit tie to them…", "Edit the chosen tie",
               enabled=Enabled.ONE, button="Edit…", icon="document-edit"),
    ActionSpec("network.influences.remove", "Re&move tie to them", "Remove the chosen tie",
               enabled=Enabled.ONE, button="Remove", icon="edit-delete"),
    ActionSpec("network.influenced_by.add", "Add someone &who influences them…",
               "Add a tie to the selected person", button="Add…", icon="list-add"),
    ActionSpec("network.influenced_by.edit", "Edit tie &from them…", "Edit the chosen tie",
               enabled=Enabled.ONE, button="Edit…", icon="document-edit"),
    ActionSpec("network.influenced_by.remove", "Remove tie from &them", "Remove the chosen tie",
               enabled=Enabled.ONE, button="Remove", icon="edit-delete"),
    # -- Readiness ---------------------------------------------------------------------------------
    ActionSpec("readiness.survey.record", "Record &survey round…",
               "Enter a whole department's ADKAR scores from the keyboard or paste them from "
               "a spreadsheet", icon="document-new"),
    ActionSpec("readiness.people.show_in_register", "Show in re&gister",
               "Open the Stakeholders page with these people selected", enabled=Enabled.ANY,
               icon="go-jump"),
    # -- Plan --------------------------------------------------------------------------------------
    ActionSpec("plan.activity.add", "&New activity…", "Add an engagement activity",
               icon="list-add"),
    ActionSpec("plan.activity.edit", "&Edit activity…", "Edit the selected activity",
               enabled=Enabled.ONE, button="Edit…", icon="document-edit"),
    ActionSpec("plan.activity.done", "&Mark done", "Mark the selected activities done",
               enabled=Enabled.ANY, icon="task-complete"),
    ActionSpec("plan.activity.delete", "&Delete selected activities",
               "Delete the selected activities (Undo brings them back)", DELETE, Enabled.ANY,
               Scope.VIEW, "Delete", "edit-delete"),
    ActionSpec("plan.activity.generate", "&Generate plan…",
               "Propose activities from barrier points, quadrants, hot spots and training gaps",
               icon="system-run"),
    *_table("plan", "communication", "communications"),
    ActionSpec("plan.course.add", "&New course…", "Add a training course", icon="list-add"),
    ActionSpec("plan.course.edit", "&Edit course…", "Edit the selected course",
               enabled=Enabled.ONE, button="Edit…", icon="document-edit"),
    ActionSpec("plan.course.delete", "&Delete course…",
               "Delete the selected course and its completion records", DELETE, Enabled.ANY,
               Scope.VIEW, "Delete", "edit-delete"),
    ActionSpec("plan.training.mark", "&Mark selected complete…",
               "Record that the selected people completed the course", enabled=Enabled.ANY,
               icon="task-complete"),
    ActionSpec("plan.training.clear", "&Clear completion",
               "Clear the selected people's completion of the course", enabled=Enabled.ANY,
               icon="edit-clear"),
    # -- Risks & governance ------------------------------------------------------------------------
    *_table("risks", "risk", "risks"),
    *_table("risks", "decision", "decisions"),
    *_table("risks", "request", "requests"),
    # -- Go-live -----------------------------------------------------------------------------------
    ActionSpec("golive.criterion.add", "&Add criterion", "Add a custom criterion or one from a "
               "template", button="Add criterion…", icon="list-add"),
    ActionSpec("golive.criterion.edit", "&Edit criterion…", "Edit the selected criterion",
               enabled=Enabled.ONE, button="Edit…", icon="document-edit"),
    ActionSpec("golive.criterion.delete", "&Delete selected criteria",
               "Delete the selected criteria (Undo brings them back)", DELETE, Enabled.ANY,
               Scope.VIEW, "Delete", "edit-delete"),
    ActionSpec("golive.criterion.draft_activity", "Dra&ft an activity…",
               "Open a new activity prefilled to address this criterion", icon="document-new"),
    ActionSpec("golive.super_user.add", "&Assign super users…", "Make people from the register "
               "super users for a unit and shift", button="Assign…", icon="list-add"),
    ActionSpec("golive.super_user.delete", "&Remove from roster",
               "Remove the selected super-user assignments (Undo brings them back)", DELETE,
               Enabled.ANY, Scope.VIEW, "Remove", "edit-delete"),
    ActionSpec("golive.target.set", "Set super-user &target",
               "Use this target for every unit (and the go-live criterion)", button="Set target",
               icon="document-save"),
    ActionSpec("golive.scorecard.evaluate", "Re-e&valuate", "Evaluate every criterion again "
               "from the live workspace", icon="view-refresh"),
    # -- Portfolio ---------------------------------------------------------------------------------
    ActionSpec("portfolio.impact.add", "&Rate a department…",
               "Rate how much this initiative changes a department's (or a role's) work",
               icon="list-add"),
    ActionSpec("portfolio.impact.edit", "&Edit rating…", "Edit the selected rating",
               enabled=Enabled.ONE, icon="document-edit"),
    ActionSpec("portfolio.impact.delete", "&Delete selected ratings",
               "Delete the selected ratings (Undo brings them back)", DELETE, Enabled.ANY,
               Scope.VIEW, "Delete rating", "edit-delete"),
)  # fmt: skip

SPECS: dict[str, ActionSpec] = {spec.id: spec for spec in ACTIONS}


def spec(action_id: str) -> ActionSpec:
    """The declaration of ``action_id`` (a KeyError names an undeclared one)."""
    return SPECS[action_id]
