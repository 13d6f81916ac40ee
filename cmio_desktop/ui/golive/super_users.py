"""SuperUsersView: the Go-live page's "Super-users" tab — coverage per unit against the target
(frontline users, super users by shift, ratio, met or short by N), the target itself (one super
user per N frontline users: the go-live criterion's threshold, or the workspace setting when the
initiative has no such criterion), the roster (person, unit, shift, since) with Assign… and
Remove, and the super-user criterion's verdict as the scorecard gives it.

Every edit is an undo step calling a roster service; the page re-evaluates the scorecard on
the change it announces and hands the view the new criterion result (:meth:`show_criterion`).
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.analysis.golive import CriterionResult, Status
from cmio_desktop.enums import Shift
from cmio_desktop.services.governance import super_users as roster
from cmio_desktop.services.governance.super_users import RosterRow, UnitCoverage
from cmio_desktop.services.plan import activities as plan
from cmio_desktop.ui.action_set import ActionSet
from cmio_desktop.ui.common.table_model import Column, TableModel
from cmio_desktop.ui.common.table_view import (
    keep_key_column,
    make_table,
    select_ids,
    selected_records,
)
from cmio_desktop.ui.common.undo import ServiceCommand, UpdateCommand, push
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.golive.super_user_dialog import AssignSuperUsersDialog
from cmio_desktop.ui.golive.widgets import STATUS_COLOURS
from cmio_desktop.ui.lazy_tabs import LazyRefreshMixin

MET, SHORT, NONE = STATUS_COLOURS[Status.GREEN], STATUS_COLOURS[Status.RED], "#5b6b7c"
SHIFT_COLUMNS = (Shift.DAY, Shift.EVENING, Shift.NIGHT, Shift.WEEKEND)


def per_text(per: float) -> str:
    return f"{per:.1f}".removesuffix(".0")


def status_text(c: UnitCoverage) -> str:
    if not c.frontline:
        return "No frontline users"
    return "Met" if c.needed == 0 else f"Short by {c.needed}"


def status_colour(c: UnitCoverage) -> str:
    return NONE if not c.frontline else MET if c.needed == 0 else SHORT


def _shift_column(shift: Shift) -> Column:
    return Column(shift.label, lambda c: str(c.shifts.get(shift.value, 0)),
                  key=lambda c: c.shifts.get(shift.value, 0), align="right",
                  width=84 if shift is Shift.WEEKEND else 72,
                  header_tip=f"Super users on {shift.label.lower()} shifts "
                             "(those on all shifts count on each)")  # fmt: skip


COVERAGE_COLUMNS = (
    Column("Unit", lambda c: c.unit, width=196, bold=lambda c: True, tooltip=lambda c: c.unit),
    Column("Users", lambda c: f"{c.frontline:,}", key=lambda c: c.frontline, align="right",
           width=58, header_tip="Frontline users in the unit"),
    Column("Super users", lambda c: str(c.super_users), key=lambda c: c.super_users,
           align="right", width=100),
    *(_shift_column(s) for s in SHIFT_COLUMNS),
    Column("Ratio", lambda c: f"1 : {per_text(1 / c.ratio)}" if c.ratio else "—",
           key=lambda c: c.ratio, align="right", width=70,
           header_tip="One super user per this many frontline users"),
    Column("Target", lambda c: f"1 : {per_text(1 / c.target_ratio)}", align="right", width=64),
    Column("Coverage", status_text, key=lambda c: (c.frontline == 0, -c.needed, c.ratio or 0),
           colour=status_colour, bold=lambda c: c.needed > 0, width=120),
)  # fmt: skip


def since_text(row: RosterRow, made: dict[int, datetime], start: datetime | None) -> str:
    when = made.get(row.id) if row.id is not None else None
    if when is not None:
        return f"{when:%d %b %Y}"
    return f"≤ {start:%d %b %Y}" if start is not None else ""


class PerUsersBox(QDoubleSpinBox):
    """N in "one super user per N frontline users": "10", not "10.0"."""

    def textFromValue(self, value: float) -> str:  # noqa: N802 (Qt override)
        return per_text(value)


class SuperUsersView(LazyRefreshMixin, QWidget):
    refreshed = Signal()

    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.stale = True
        self.criterion: CriterionResult | None = None
        self._since: tuple[dict[int, datetime], datetime | None] = ({}, None)
        self._per_users = float(roster.DEFAULT_PER_USERS)
        self._build()

    def _build(self) -> None:
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)

        self.target_commands = ActionSet(self, {"golive.target.set": self.save_target})
        self.target = PerUsersBox()
        self.target.setRange(1, roster.MAX_PER_USERS)
        self.target.setDecimals(1)
        self.target.setPrefix("1 super user per ")
        self.target.setSuffix(" frontline users")
        self.target.setMinimumWidth(260)
        self.target.valueChanged.connect(self._update_target_button)
        self.target_button = self.target_commands.button("golive.target.set")
        self.target_source = QLabel()
        self.target_source.setObjectName("muted")
        target_row = QHBoxLayout()
        target_label = QLabel("Target")
        target_label.setStyleSheet("font-weight: 600;")
        target_row.addWidget(target_label)
        target_row.addWidget(self.target)
        target_row.addWidget(self.target_button)
        target_row.addWidget(self.target_source, 1)

        self.coverage = TableModel(COVERAGE_COLUMNS, id_of=lambda c: c.unit, parent=self)
        self.coverage_view = make_table(self.coverage, multi=False)
        keep_key_column(self.coverage_view)
        # The units furthest short first (as the service orders them).
        self.coverage_view.sortByColumn(len(COVERAGE_COLUMNS) - 1, Qt.SortOrder.AscendingOrder)

        self.roster = TableModel(
            (
                Column("Person", lambda r: r.name, width=200),
                Column("Unit", lambda r: r.unit, width=180),
                Column("Shift", lambda r: "All shifts" if r.shift == "all" else r.shift_label,
                       width=100),
                Column("Since", self._since_text, key=self._since_key, width=110,
                       tooltip=self._since_tip),
            ),
            id_of=lambda r: (r.id, r.person_id, r.unit, r.shift),
            parent=self,
        )  # fmt: skip
        self.roster_view = make_table(self.roster, multi=True)
        keep_key_column(self.roster_view)
        self.roster_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.commands = ActionSet(
            self,
            {
                "golive.super_user.add": self.assign,
                "golive.super_user.delete": self.remove_selected,
            },
            view=self.roster_view,  # the Delete key works in the roster
        )
        self.roster_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.roster.modelReset.connect(self._update_buttons)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the roster…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.roster.set_search)
        self.count = QLabel()
        self.count.setObjectName("muted")
        roster_bar = QHBoxLayout()
        roster_title = QLabel("Roster")
        roster_title.setStyleSheet("font-weight: 600; color: #1f2a37;")
        roster_bar.addWidget(roster_title)
        roster_bar.addWidget(self.search, 1)
        roster_bar.addWidget(self.count)
        roster_bar.addWidget(self.commands.button("golive.super_user.add"))
        roster_bar.addWidget(self.commands.button("golive.super_user.delete"))

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        coverage_title = QLabel("Coverage per unit")
        coverage_title.setStyleSheet("font-weight: 600; color: #1f2a37;")
        top_layout.addWidget(coverage_title)
        top_layout.addWidget(self.coverage_view, 1)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 6, 0, 0)
        bottom_layout.addLayout(roster_bar)
        bottom_layout.addWidget(self.roster_view, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 3)  # the units first; the roster has its own search
        split.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.verdict)
        layout.addLayout(target_row)
        layout.addWidget(split, 1)
        self._update_buttons()

    def command_actions(self) -> list[QAction]:
        return [*self.commands, *self.target_commands]

    # -- refresh ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.stale = False
        if self.facade.workspace is None:
            return
        ws, iid = self.facade.ws, self.facade.initiative_id
        self._since = roster.assigned_since(ws)
        self.coverage.set_rows(roster.coverage(ws, iid))
        keep = [self.roster.id_of(r) for r in selected_records(self.roster_view)]
        self.roster.set_rows(roster.roster(ws))
        select_ids(self.roster_view, keep)
        self._per_users = roster.target_per_users(ws, iid)
        self.target.blockSignals(True)
        self.target.setValue(round(self._per_users, 1))
        self.target.blockSignals(False)
        self.target_source.setText(
            "for every unit; it is the go-live criterion's threshold too"
            if roster.target_source(ws, iid) == "criterion"
            else "for every unit (a workspace setting: the scorecard has no super-user criterion)"
        )
        self._update_target_button()
        self._update_buttons()
        self.refreshed.emit()

    def show_criterion(self, result: CriterionResult | None) -> None:
        """The scorecard's super-user criterion, as evaluated now (None: there is none)."""
        self.criterion = result
        if result is None:
            self.verdict.setText(
                "<span style='color:#5b6b7c'>The go-live scorecard has no super-user criterion; "
                "add one from the template on the Scorecard tab to make coverage count.</span>"
            )
            return
        colour = STATUS_COLOURS[result.status]
        short = len(result.target_units)
        units = f"{short} unit{'s' if short != 1 else ''} short" if short else "every unit meets it"
        self.verdict.setText(
            f"<b>Go-live criterion</b> {escape(result.name)}: "
            f"<span style='color:{colour}; font-weight:700'>{result.status.label.upper()}</span>"
            f" — least-covered unit {escape(result.value_text)}, needs"
            f" {escape(result.threshold_text)};"
            f" {units}."
        )
        self.verdict.setToolTip("\n".join(result.evidence))  # the Scorecard tab's evidence

    # -- edits -----------------------------------------------------------------------------------
    def _report(self, title: str, message: str) -> None:
        show_error(self, title, message)

    def assign(self) -> AssignSuperUsersDialog | None:
        if self.facade.workspace is None:
            return None
        rows = self.roster.records
        dialog = AssignSuperUsersDialog(
            plan.audience_choices(self.facade.ws),
            units=[c.unit for c in self.coverage.records],
            taken=[(r.person_id, r.unit, r.shift) for r in rows if r.id is not None],
            selected_elsewhere=self.facade.selected_ids,
            parent=self,
        )
        if dialog.exec():
            people, unit, shift = dialog.person_ids(), dialog.unit_text(), dialog.shift_value()
            names = " and ".join(dialog.name_of(i) for i in people[:2])
            who = names if len(people) <= 2 else f"{len(people)} people"
            push(self.facade, AssignCommand(
                self.facade, f"make {who} super user for {unit}", people, unit, shift,
                self._report,
            ))  # fmt: skip
        return dialog

    def remove_selected(self) -> None:
        rows: list[RosterRow] = selected_records(self.roster_view)
        ids = [r.id for r in rows if r.id is not None]
        if not ids:
            if rows:
                self._report(
                    "Nothing to remove",
                    f"{rows[0].name} is flagged as a super user on their record, with no unit "
                    "assigned: clear “Super user” on the Stakeholders page instead.",
                )
            return
        first = next(r for r in rows if r.id is not None)
        text = f"remove {first.name} from the {first.unit} roster" if len(ids) == 1 else (
            f"remove {len(ids)} super-user assignments")  # fmt: skip
        push(self.facade, RemoveCommand(self.facade, text, ids, self._report))

    def save_target(self) -> None:
        iid, per = self.facade.initiative_id, self.target.value()
        if abs(per - self._per_users) < 0.05:
            return
        push(self.facade, UpdateCommand(
            self.facade, f"set the super-user target to 1 per {per_text(per)}",
            lambda ws, value: roster.save_target(ws, iid, value), per, self._report,
        ))  # fmt: skip

    # -- slots and helpers -----------------------------------------------------------------------
    def _since_text(self, row: RosterRow) -> str:
        return since_text(row, *self._since)

    def _since_key(self, row: RosterRow) -> Any:
        made, start = self._since
        when = made.get(row.id) if row.id is not None else None
        return when or start

    def _since_tip(self, row: RosterRow) -> str | None:
        if row.id is None:
            return "Flagged as a super user on their record, with no unit assigned"
        if row.id not in self._since[0]:
            return "Assigned before the workspace's history begins (on or before this date)"
        return None

    def _update_target_button(self, *_args: object) -> None:
        changed = abs(self.target.value() - self._per_users) >= 0.05
        self.target_commands["golive.target.set"].setEnabled(changed)

    def _update_buttons(self, *_args: object) -> None:
        self.commands.follow_selection(len(self.roster_view.selectionModel().selectedRows()))
        shown, total = self.roster.rowCount(), len(self.roster.records)
        noun = "super user" if total == 1 else "super users"
        self.count.setText(f"{shown} of {total} {noun}" if shown != total else f"{total} {noun}")


class AssignCommand(ServiceCommand):
    """Assign people (one transaction); undo removes those assignments, keeping the flag of
    anyone flagged before; redo puts the same rows back."""

    def __init__(
        self, facade: WorkspaceFacade, text: str, people: list[int], unit: str, shift: str,
        report: Any = None,
    ) -> None:  # fmt: skip
        super().__init__(facade, text, report=report)
        self.people, self.unit, self.shift = people, unit, shift
        self.assigned: roster.Assigned | None = None
        self._snapshot: Any = None

    def _do(self, ws: Any) -> Any:
        if self._snapshot is not None:
            return roster.restore(ws, self._snapshot)
        written = roster.assign_many(ws, self.people, self.unit, self.shift)
        self.assigned = written.value
        return written

    def _undo(self, ws: Any) -> Any:
        assert self.assigned is not None
        written = roster.unassign(ws, self.assigned.ids, keep_flag=self.assigned.were_flagged)
        self._snapshot = written.value
        return written


class RemoveCommand(ServiceCommand):
    def __init__(
        self, facade: WorkspaceFacade, text: str, ids: list[int], report: Any = None
    ) -> None:
        super().__init__(facade, text, report=report)
        self.ids = ids
        self._snapshot: Any = None

    def _do(self, ws: Any) -> Any:
        written = roster.unassign(ws, self.ids)
        self._snapshot = written.value
        return written

    def _undo(self, ws: Any) -> Any:
        return roster.restore(ws, self._snapshot)
