"""Edits on the Risks & governance page: dialogs in, undo commands out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from cmio_desktop.services.conflicts import VERSION
from cmio_desktop.services.governance import records as governance
from cmio_desktop.services.governance.records import DecisionRow, RequestRow, RiskRow
from cmio_desktop.services.plan import activities as plan
from cmio_desktop.services.plan.activities import AudienceEntry
from cmio_desktop.store import Workspace
from cmio_desktop.ui.common.audience_editor import AudienceEditor
from cmio_desktop.ui.common.form_dialog import Field, FormDialog
from cmio_desktop.ui.common.undo import CreateCommand, DeleteCommand, UpdateCommand, push
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.governance.tables import DECISION_FIELDS, RISK_FIELDS, request_fields


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class GovernanceActions:
    def __init__(self, parent: QWidget, facade: WorkspaceFacade, clock: Callable[[], date]) -> None:
        self.parent, self.facade, self.clock = parent, facade, clock

    def report(self, title: str, message: str) -> None:
        show_error(self.parent, title, message)

    # -- risks ---------------------------------------------------------------------------------
    def _risk_dialog(self, title: str, row: RiskRow | None) -> tuple[FormDialog, AudienceEditor]:
        values = row.__dict__ if row else {"likelihood": 3, "impact": 3, "criticality": "major"}
        dialog = FormDialog(title, RISK_FIELDS, values, self.parent)
        people = AudienceEditor(
            plan.audience_choices(self.facade.ws), lambda: list(self.facade.selected_ids),
            people_only=True, title="Linked people",
        )  # fmt: skip
        people.set_entries([AudienceEntry(stakeholder_id=i) for i in (row.people if row else ())])
        dialog.extra.addWidget(people)
        return dialog, people

    def add_risk(self) -> FormDialog | None:
        iid = self.facade.initiative_id
        if iid is None:
            return None
        dialog, people = self._risk_dialog("New risk", None)
        if dialog.exec():
            values, ids = dialog.values(), people.people()
            push(self.facade, CreateCommand(
                self.facade, f"add risk {_short(values['description'])}",
                lambda ws: governance.create_risk(ws, iid, values, ids),
                governance.delete_risks, self.report,
            ))  # fmt: skip
        return dialog

    def edit_risk(self, row: RiskRow) -> None:
        dialog, people = self._risk_dialog("Edit risk", row)
        dialog.add_history_button(self.facade, "risk", row.id)
        if not dialog.exec():
            return
        changed = {k: v for k, v in dialog.values().items() if getattr(row, k) != v}
        ids = people.people()
        if not changed and set(ids) == set(row.people):
            return

        def apply(ws: Workspace, state: tuple[dict[str, Any], Any]) -> Any:
            return governance.update_risk(ws, row.id, state[0], list(state[1]))

        push(self.facade, UpdateCommand(
            self.facade, f"edit risk {_short(row.description)}", apply, (changed, ids),
            self.report, {**{k: getattr(row, k) for k in changed}, VERSION: row.version},
        ))  # fmt: skip

    def delete_risks(self, rows: list[RiskRow]) -> None:
        text = f"delete risk {_short(rows[0].description)}" if len(rows) == 1 else (
            f"delete {len(rows)} risks")  # fmt: skip
        push(self.facade, DeleteCommand(
            self.facade, text, [r.id for r in rows], governance.delete_risks, self.report,
            versions={r.id: r.version for r in rows},
        ))  # fmt: skip

    # -- decisions and requests ------------------------------------------------------------------
    def _fields(self, kind: str, committees: list[str]) -> tuple[Field, ...]:
        if kind == "decision":
            committee = Field("committee", "Committee", "edit_choice",
                              [(c, c) for c in committees], required=True)  # fmt: skip
            return (committee, *DECISION_FIELDS[1:])
        return request_fields(plan.audience_choices(self.facade.ws).people)

    def add_record(self, kind: str, committees: Sequence[str] = ()) -> None:
        iid = self.facade.initiative_id
        if iid is None:
            return
        defaults: dict[str, Any] = {"decided_on": self.clock(), "received_on": self.clock(),
                                    "priority": "medium", "status": "new"}  # fmt: skip
        dialog = FormDialog(f"New {kind}", self._fields(kind, list(committees)), defaults,
                            self.parent)  # fmt: skip
        if not dialog.exec():
            return
        values = dialog.values()
        label = values.get("decision") or values.get("summary") or ""
        push(self.facade, CreateCommand(
            self.facade, f"add {kind} {_short(label)}",
            lambda ws: governance.create_record(ws, kind, iid, values),
            lambda ws, ids: governance.delete_records(ws, kind, ids), self.report,
        ))  # fmt: skip

    def edit_record(
        self, kind: str, row: DecisionRow | RequestRow, committees: Sequence[str] = ()
    ) -> None:
        dialog = FormDialog(f"Edit {kind}", self._fields(kind, list(committees)), row.__dict__,
                            self.parent)  # fmt: skip
        dialog.add_history_button(self.facade, kind, row.id)
        if not dialog.exec():
            return
        changed = {k: v for k, v in dialog.values().items() if getattr(row, k) != v}
        if not changed:
            return
        label = getattr(row, "decision", None) or getattr(row, "summary", "")
        push(self.facade, UpdateCommand(
            self.facade, f"edit {kind} {_short(label)}",
            lambda ws, vals: governance.update_record(ws, kind, row.id, vals), changed,
            self.report, {**{k: getattr(row, k) for k in changed}, VERSION: row.version},
        ))  # fmt: skip

    def delete_records(self, kind: str, rows: list[Any]) -> None:
        text = f"delete {kind}" if len(rows) == 1 else f"delete {len(rows)} {kind}s"
        push(self.facade, DeleteCommand(
            self.facade, text, [r.id for r in rows],
            lambda ws, ids: governance.delete_records(ws, kind, ids), self.report,
            versions={r.id: r.version for r in rows},
        ))  # fmt: skip
