"""The plan page's edits: dialogs in, undo commands out. Each command calls a service and
announces the change on the facade; the page refreshes from that one signal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from cmio_desktop.enums import ActivityStatus, Proficiency, Role
from cmio_desktop.services.changes import ChangeSet, Written
from cmio_desktop.services.conflicts import VERSION
from cmio_desktop.services.plan import activities as plan
from cmio_desktop.services.plan import communications, training
from cmio_desktop.services.plan import generation as plan_generation
from cmio_desktop.services.plan import settings as plan_settings
from cmio_desktop.services.plan.activities import ActivityRow
from cmio_desktop.services.plan.communications import CommunicationRow
from cmio_desktop.services.plan.training import CourseRow
from cmio_desktop.ui.common.form_dialog import Field, FormDialog, enum_choices
from cmio_desktop.ui.common.undo import (
    CreateCommand,
    DeleteCommand,
    ServiceCommand,
    UpdateCommand,
    push,
)
from cmio_desktop.ui.dialogs import confirm, show_error
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.plan.activity_dialog import ActivityDialog
from cmio_desktop.ui.plan.comms_tab import FIELDS as COMM_FIELDS
from cmio_desktop.ui.plan.comms_tab import dates_ordered
from cmio_desktop.ui.plan.generator_dialog import GeneratorDialog

if TYPE_CHECKING:
    from cmio_desktop.store import Workspace

COURSE_FIELDS = (
    Field("name", "Course", required=True),
    Field("role", "Required of", "choice", enum_choices(Role, "Everyone")),
    Field("required_by", "Required by", "optional_date"),
)
MARK_FIELDS = (
    Field("completed_on", "Completed on", "date"),
    Field("proficiency", "Proficiency", "choice", enum_choices(Proficiency)),
)


def shown(row: Any, changed: dict[str, Any]) -> dict[str, Any]:
    """The changed fields as the row showed them, with the row's version (an edit made on a
    row someone changed since is checked field by field)."""
    return {**{k: getattr(row, k) for k in changed}, VERSION: row.version}


def plural(count: int, word: str) -> str:
    return f"1 {word}" if count == 1 else f"{count} {word}s"


class PlanActions:
    def __init__(self, parent: QWidget, facade: WorkspaceFacade, clock: Callable[[], date]) -> None:
        self.parent, self.facade, self.clock = parent, facade, clock

    @property
    def initiative_id(self) -> int | None:
        return self.facade.initiative_id

    def report(self, title: str, message: str) -> None:
        show_error(self.parent, title, message)

    # -- activities ------------------------------------------------------------------------------
    def _activity_dialog(self, row: ActivityRow | None, owners: list[str]) -> ActivityDialog:
        values = None
        if row is not None:
            values = {k: getattr(row, k) for k in plan.ACTIVITY_FIELDS}
            values["element"] = row.element
        return ActivityDialog(
            plan.audience_choices(self.facade.ws), owners, values,
            row.audience if row is not None else (),
            selected_people=lambda: list(self.facade.selected_ids), parent=self.parent,
            today=self.clock(),
        )  # fmt: skip

    def add_activity(self, owners: list[str]) -> ActivityDialog | None:
        iid = self.initiative_id
        if iid is None:
            return None
        dialog = self._activity_dialog(None, owners)
        if not dialog.exec():
            return dialog
        values, audience = dialog.activity_values(), dialog.audience_entries()
        push(self.facade, CreateCommand(
            self.facade, f"add activity {values['title']}",
            lambda ws: plan.create_activity(ws, iid, values, audience),
            plan.delete_activities, self.report,
        ))  # fmt: skip
        return dialog

    def edit_activity(self, row: ActivityRow, owners: list[str]) -> ActivityDialog:
        dialog = self._activity_dialog(row, owners)
        dialog.add_history_button(self.facade, "activity", row.id)
        if not dialog.exec():
            return dialog
        new = dialog.activity_values()
        old = {k: getattr(row, k) for k in plan.ACTIVITY_FIELDS}
        changed = {k: v for k, v in new.items() if old.get(k) != v}
        audience = dialog.audience_entries()
        if not changed and tuple(audience) == row.audience:
            return dialog

        def apply(ws: Workspace, state: tuple[dict[str, Any], list[Any]]) -> Any:
            return plan.update_activity(ws, row.id, state[0], list(state[1]))

        push(self.facade, UpdateCommand(
            self.facade, f"edit activity {new['title']}", apply,
            (changed, audience), self.report, shown(row, changed),
        ))  # fmt: skip
        return dialog

    def mark_done(self, rows: list[ActivityRow]) -> None:
        ids = [r.id for r in rows if r.status != ActivityStatus.DONE.value]
        if not ids:
            return
        state: dict[str, dict[int, str]] = {}

        def do(ws: Workspace) -> Written[dict[int, str]]:
            # A redo expects the statuses the undo put back; an undo the one this set.
            done = ActivityStatus.DONE.value
            written = plan.set_status(ws, ids, done, expected=state.get("old"))
            state["old"] = written.value
            return written

        def undo(ws: Workspace) -> ChangeSet:
            old = state.get("old", {})
            return plan.restore_statuses(ws, old, expected=ActivityStatus.DONE.value)

        push(self.facade, ServiceCommand(
            self.facade, f"mark {len(ids)} {'activity' if len(ids) == 1 else 'activities'} done",
            do, undo, self.report,
        ))  # fmt: skip

    def delete_activities(self, rows: list[ActivityRow]) -> None:
        text = f"delete {rows[0].title}" if len(rows) == 1 else f"delete {len(rows)} activities"
        push(self.facade, DeleteCommand(
            self.facade, text, [r.id for r in rows], plan.delete_activities, self.report,
            versions={r.id: r.version for r in rows},
        ))  # fmt: skip

    def generate(self) -> GeneratorDialog | None:
        iid = self.initiative_id
        if iid is None:
            return None
        dialog = GeneratorDialog(
            self.facade.ws, iid, self.clock(), self.parent, save_blackout=self.save_blackout
        )
        if dialog.exec():
            self.accept_proposals(dialog)
        return dialog

    def save_blackout(self, text: str) -> bool:
        """Store the plan's blackout periods as one undo step."""
        state: dict[str, str | None] = {}

        def do(ws: Workspace) -> Written[str | None]:
            written = plan_settings.save_blackout(ws, text)
            state["old"] = written.value
            return written

        def undo(ws: Workspace) -> Written[str | None]:
            return plan_settings.save_blackout(ws, state.get("old"))

        return push(self.facade, ServiceCommand(
            self.facade, "change blackout weeks", do, undo, self.report,
        ))  # fmt: skip

    def accept_proposals(self, dialog: GeneratorDialog) -> bool:
        chosen, iid = dialog.chosen(), self.initiative_id
        if not chosen or iid is None:
            return False
        n = len(chosen)
        return push(self.facade, CreateCommand(
            self.facade, f"add {n} generated {'activity' if n == 1 else 'activities'}",
            lambda ws: plan_generation.accept(ws, iid, chosen),
            plan_generation.undo_accept, self.report,
        ))  # fmt: skip

    # -- communications -------------------------------------------------------------------------
    def add_communication(self) -> None:
        iid = self.initiative_id
        if iid is None:
            return
        dialog = FormDialog("New communication", COMM_FIELDS, {"start_date": self.clock()},
                            self.parent, validate=dates_ordered)  # fmt: skip
        if not dialog.exec():
            return
        values = dialog.values()
        push(self.facade, CreateCommand(
            self.facade, f"add communication to {values['audience']}",
            lambda ws: communications.create_communication(ws, iid, values),
            communications.delete_communications, self.report,
        ))  # fmt: skip

    def edit_communication(self, row: CommunicationRow) -> None:
        dialog = FormDialog("Edit communication", COMM_FIELDS, row.__dict__, self.parent,
                            validate=dates_ordered)  # fmt: skip
        if not dialog.exec():
            return
        changed = {k: v for k, v in dialog.values().items() if getattr(row, k) != v}
        if changed:
            push(self.facade, UpdateCommand(
                self.facade, f"edit communication to {row.audience}",
                lambda ws, vals: communications.update_communication(ws, row.id, vals),
                changed, self.report, shown(row, changed),
            ))  # fmt: skip

    def delete_communications(self, rows: list[CommunicationRow]) -> None:
        push(self.facade, DeleteCommand(
            self.facade, f"delete {plural(len(rows), 'communication')}",
            [r.id for r in rows], communications.delete_communications, self.report,
            versions={r.id: r.version for r in rows},
        ))  # fmt: skip

    # -- training ---------------------------------------------------------------------------------
    def add_course(self) -> None:
        iid = self.initiative_id
        if iid is None:
            return
        dialog = FormDialog("New course", COURSE_FIELDS, None, self.parent)
        if not dialog.exec():
            return
        values = dialog.values()
        push(self.facade, CreateCommand(
            self.facade, f"add course {values['name']}",
            lambda ws: training.create_course(ws, iid, values), training.delete_courses,
            self.report,
        ))  # fmt: skip

    def edit_course(self, row: CourseRow) -> None:
        dialog = FormDialog("Edit course", COURSE_FIELDS, row.__dict__, self.parent)
        if not dialog.exec():
            return
        changed = {k: v for k, v in dialog.values().items() if getattr(row, k) != v}
        if changed:
            push(self.facade, UpdateCommand(
                self.facade, f"edit course {row.name}",
                lambda ws, vals: training.update_course(ws, row.id, vals), changed, self.report,
                shown(row, changed),
            ))  # fmt: skip

    def delete_courses(self, rows: list[CourseRow]) -> None:
        if not rows or not confirm(
            self.parent, "Delete course",
            f"Delete {rows[0].name} and its completion records? (Undo brings them back.)",
        ):  # fmt: skip
            return
        push(self.facade, DeleteCommand(
            self.facade, f"delete course {rows[0].name}", [r.id for r in rows],
            training.delete_courses, self.report, versions={r.id: r.version for r in rows},
        ))  # fmt: skip

    def mark_training(self, course_id: int, people: list[int], complete: bool) -> None:
        when, proficiency = None, None
        if complete:
            dialog = FormDialog(
                f"Mark {'1 person' if len(people) == 1 else f'{len(people)} people'} complete",
                MARK_FIELDS, {"completed_on": self.clock(), "proficiency": "proficient"},
                self.parent,
            )  # fmt: skip
            if not dialog.exec():
                return
            when, proficiency = dialog.value("completed_on"), dialog.value("proficiency")
        self.push_mark(course_id, people, when, proficiency)

    def push_mark(
        self, course_id: int, people: list[int], when: date | None, proficiency: str | None
    ) -> bool:
        state: dict[str, Any] = {}

        def do(ws: Workspace) -> Written[training.Prior]:
            written = training.mark_complete(ws, course_id, people, when, proficiency)
            state["prior"] = written.value
            return written

        # The undo expects what this set: someone else's later correction is never undone.
        marked = {"completed_on": when, **({"proficiency": proficiency} if proficiency else {})}

        def undo(ws: Workspace) -> ChangeSet:
            return training.restore_completions(ws, course_id, state.get("prior", []), marked)

        who = "1 person" if len(people) == 1 else f"{len(people)} people"
        text = f"mark {who} trained" if when else f"clear training of {who}"
        return push(self.facade, ServiceCommand(self.facade, text, do, undo,
                                                self.report))  # fmt: skip
