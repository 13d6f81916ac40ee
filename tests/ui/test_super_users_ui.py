"""The Go-live page's Super-users tab: coverage per unit against the target, the roster with
Assign… and Remove (undoable), the target editable, and the go-live criterion following."""

from __future__ import annotations

from datetime import date

import pytest

from cmio_desktop.services.governance import golive
from cmio_desktop.services.governance import super_users as roster
from cmio_desktop.services.stakeholders import edits
from cmio_desktop.ui.golive import GoLivePage
from cmio_desktop.ui.golive import super_users as view_module
from cmio_desktop.ui.golive.super_user_dialog import AssignSuperUsersDialog

TODAY = date(2026, 11, 2)
METRIC = "super_users_per_frontline"


@pytest.fixture
def page(qtbot, facade):
    facade.initiative_id = 1
    page = GoLivePage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    with qtbot.waitSignal(page.super_users.refreshed, timeout=10_000):
        page.tabs.setCurrentWidget(page.super_users)
    return page


def coverage(page: GoLivePage) -> dict[str, roster.UnitCoverage]:
    return {c.unit: c for c in page.super_users.coverage.records}


def coverage_text(page: GoLivePage, unit: str) -> str:
    model = page.super_users.coverage
    row = model.row_of(unit)
    assert row is not None
    return model.index(row, model.column_of("Coverage")).data()


def criterion(page: GoLivePage):
    return next(r for r in page.table.model.records if r.spec.metric == METRIC)


def med_surg_frontline(page: GoLivePage) -> list[int]:
    people = [edits.get_stakeholder(page.facade.ws, i) for i in range(1, 121)]
    return [
        p.id for p in people
        if p.department == "Med-Surg" and p.group.value == "frontline_clinician"
    ]  # fmt: skip


def answer_with(monkeypatch, act) -> list[AssignSuperUsersDialog]:
    """Replace the dialog's exec: ``act(dialog)`` fills it, then OK is pressed."""
    seen: list[AssignSuperUsersDialog] = []

    def run(dialog: AssignSuperUsersDialog) -> int:
        seen.append(dialog)
        act(dialog)
        dialog.accept()
        return dialog.result()

    monkeypatch.setattr(AssignSuperUsersDialog, "exec", run)
    return seen


def test_views_show_the_sample_roster_and_coverage(qtmodeltester, page) -> None:
    view = page.super_users
    qtmodeltester.check(view.coverage)
    qtmodeltester.check(view.roster)
    assert len(view.roster.records) == len(roster.roster(page.facade.ws)) == 8
    first = view.coverage.record(0)
    assert (first.unit, coverage_text(page, first.unit)) == ("Med-Surg", "Short by 2")
    assert coverage_text(page, "Periop") == "Met"
    assert view.target.text() == "1 super user per 10 frontline users"
    assert "RED" in view.verdict.text() and "6 units short" in view.verdict.text()
    assert "Med-Surg" in view.verdict.toolTip()  # the criterion's evidence
    since = view.roster.index(0, view.roster.column_of("Since")).data()
    assert since.startswith("≤ ")  # the sample's rows predate its history


def test_assign_two_people_meets_the_unit_and_moves_the_criterion(
    qtbot, page, facade, monkeypatch
) -> None:
    before = criterion(page)
    assert "Med-Surg" in before.target_units
    a, b = med_surg_frontline(page)[:2]

    def pick_two(dialog: AssignSuperUsersDialog) -> None:
        dialog.pick([a, b])
        assert dialog.unit_text() == "Med-Surg"  # the person's department by default
        dialog.shift.setCurrentIndex(dialog.shift.findData("night"))

    answer_with(monkeypatch, pick_two)
    with qtbot.waitSignal(page.super_users.refreshed, timeout=10_000):
        page.super_users.commands["golive.super_user.add"].trigger()

    row = coverage(page)["Med-Surg"]
    assert (row.super_users, row.needed, row.shifts["night"]) == (2, 0, 2)
    assert coverage_text(page, "Med-Surg") == "Met"
    after = criterion(page)
    assert "Med-Surg" not in after.target_units
    assert after.evidence != before.evidence
    assert "5 units short" in page.super_users.verdict.text()
    assert "Med-Surg" not in page.super_users.verdict.toolTip()
    shown = {(r.person_id, r.unit, r.shift) for r in page.super_users.roster.records}
    assert {(a, "Med-Surg", "night"), (b, "Med-Surg", "night")} <= shown
    assert edits.get_stakeholder(facade.ws, a).super_user is True
    made = page.super_users.roster.row_of(next(
        page.super_users.roster.id_of(r) for r in page.super_users.roster.records
        if r.person_id == a))  # fmt: skip
    since = page.super_users.roster.index(made, 3).data()
    assert not since.startswith("≤")  # made now: the audit trail says when

    facade.undo_stack.undo()  # one step takes both back, and their flags
    assert coverage_text(page, "Med-Surg") == "Short by 2"
    assert "Med-Surg" in criterion(page).target_units
    assert edits.get_stakeholder(facade.ws, a).super_user is False
    facade.undo_stack.redo()
    assert coverage_text(page, "Med-Surg") == "Met"


def test_undoing_an_assignment_keeps_the_flag_of_someone_flagged_before(
    page, facade, monkeypatch
) -> None:
    person = 93  # on the Ambulatory Clinics roster already
    answer_with(monkeypatch, lambda d: (d.pick([person]), d.unit.setEditText("ICU")))
    page.super_users.assign()
    assert coverage(page)["ICU"].super_users == 1
    facade.undo_stack.undo()
    assert coverage(page)["ICU"].super_users == 0
    assert edits.get_stakeholder(facade.ws, person).super_user is True


def test_remove_and_undo(qtbot, page, facade) -> None:
    view = page.super_users
    periop = [view.roster.id_of(r) for r in view.roster.records if r.unit == "Periop"]
    from cmio_desktop.ui.common.table_view import select_ids

    select_ids(view.roster_view, periop[:3])
    assert view.commands["golive.super_user.delete"].isEnabled()
    view.commands["golive.super_user.delete"].trigger()
    assert coverage(page)["Periop"].super_users == 1
    assert coverage_text(page, "Periop") == "Met"
    assert len(view.roster.records) == 5
    assert "Periop" not in criterion(page).target_units  # 1 for 10 still meets 1 per 10
    select_ids(view.roster_view, [view.roster.id_of(r) for r in view.roster.records
                                  if r.unit == "Periop"])  # fmt: skip
    view.remove_selected()
    assert coverage_text(page, "Periop") == "Short by 1"
    assert "Periop" in criterion(page).target_units

    facade.undo_stack.undo()
    facade.undo_stack.undo()
    assert coverage(page)["Periop"].super_users == 4
    assert len(view.roster.records) == 8
    assert "Periop" not in criterion(page).target_units
    assert all(edits.get_stakeholder(facade.ws, i).super_user for i in (60, 61, 65, 66))


def test_a_new_target_recalculates_met_and_moves_the_criterion(qtbot, page, facade) -> None:
    view = page.super_users
    assert coverage_text(page, "Ambulatory Clinics") == "Met"  # 2 for 15 at 1 per 10
    view.target.setValue(5)
    assert view.target_commands["golive.target.set"].isEnabled()
    view.target_commands["golive.target.set"].trigger()
    assert coverage_text(page, "Ambulatory Clinics") == "Short by 1"
    assert coverage(page)["Ambulatory Clinics"].target_ratio == pytest.approx(0.2)
    spec = criterion(page).spec
    assert spec.threshold == pytest.approx(0.2)
    assert spec.name == "≥ 1 super user per 5 frontline users per unit"
    assert "Ambulatory Clinics" in criterion(page).target_units
    assert not view.target_commands["golive.target.set"].isEnabled()

    facade.undo_stack.undo()
    assert coverage_text(page, "Ambulatory Clinics") == "Met"
    assert view.target.value() == 10
    assert criterion(page).spec.name == "≥ 1 super user per 10 frontline users per unit"


def test_without_a_criterion_the_target_is_a_workspace_setting(qtbot, page, facade) -> None:
    ident = next(s.id for s in golive.criteria_specs(facade.ws, 1) if s.metric == METRIC)
    facade.announce(golive.delete_criteria(facade.ws, [ident]).changes)
    view = page.super_users
    assert "no super-user criterion" in view.verdict.text()
    assert "workspace setting" in view.target_source.text()
    view.target.setValue(20)
    view.save_target()
    assert roster.target_per_users(facade.ws, 1) == 20
    assert coverage_text(page, "Emergency Department") == "Met"  # 1 for 12 at 1 per 20
    facade.undo_stack.undo()
    assert roster.target_per_users(facade.ws, 1) == 10


def test_bad_input_gets_a_sentence_and_changes_nothing(qtbot, page, facade, monkeypatch) -> None:
    before = roster.roster(facade.ws)
    dialogs = answer_with(monkeypatch, lambda d: None)
    page.super_users.assign()
    dialog = dialogs[-1]
    assert dialog.result() == 0
    assert dialog.error.text() == "Pick at least one person from the register."

    def no_unit(d: AssignSuperUsersDialog) -> None:
        d.pick([47])
        d.unit.setEditText("  ")

    dialogs = answer_with(monkeypatch, no_unit)
    page.super_users.assign()
    dialog = dialogs[-1]
    assert dialog.result() == 0
    assert dialog.error.text() == "Give the unit the super users support."

    def taken(d: AssignSuperUsersDialog) -> None:
        d.search.setText("Luis")
        assert d.people.rowCount() == 1
        d.pick([93])
        d.unit.setEditText("ambulatory clinics")
        d.shift.setCurrentIndex(d.shift.findData("day"))

    dialogs = answer_with(monkeypatch, taken)
    page.super_users.assign()
    dialog = dialogs[-1]
    assert dialog.result() == 0
    assert dialog.error.text() == (
        "Luis Perez is already a super user for ambulatory clinics on days."
    )
    assert roster.roster(facade.ws) == before
    assert facade.undo_stack.count() == 0

    # A refusal from the service (the roster changed under the dialog) is reported, not raised.
    told: list[str] = []
    monkeypatch.setattr(view_module, "show_error", lambda _p, _t, message: told.append(message))
    command = view_module.AssignCommand(facade, "make Luis super user", [93],
                                        "Ambulatory Clinics", "day",
                                        page.super_users._report)  # fmt: skip
    assert not view_module.push(facade, command)
    assert told == ["Luis Perez is already a super user for Ambulatory Clinics (day)."]
    assert roster.roster(facade.ws) == before


def test_edit_menu_follows_the_open_tab(page) -> None:
    ids = [a.objectName() for a in page.command_actions()]
    assert ids == ["golive.super_user.add", "golive.super_user.delete", "golive.target.set"]
    page.tabs.setCurrentIndex(0)
    assert "golive.criterion.add" in [a.objectName() for a in page.command_actions()]


def test_picks_survive_a_new_search(qtbot, facade) -> None:
    from PySide6.QtCore import QItemSelectionModel

    from cmio_desktop.services.plan.activities import audience_choices

    dialog = AssignSuperUsersDialog(audience_choices(facade.ws))
    qtbot.addWidget(dialog)
    dialog.search.setText("carlos vargas")
    dialog.pick([47])
    dialog.search.setText("deepa haddad")
    assert dialog.people.rowCount() == 1 and dialog.person_ids() == [47]
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    dialog.view.selectionModel().select(dialog.people.index(0, 0), flags)
    assert dialog.person_ids() == [47, 33]
    assert dialog.picked.text() == "Picked: Carlos Vargas, Deepa Haddad"
    dialog.search.setText("")
    assert len(dialog.view.selectionModel().selectedRows()) == 2  # shown as picked again
    dialog.view.sortByColumn(1, dialog.view.horizontalHeader().sortIndicatorOrder())
    assert dialog.person_ids() == [47, 33]


def test_people_selected_in_the_register_can_be_picked(page, facade, monkeypatch) -> None:
    facade.select_people([47, 33], "stakeholders")

    def from_register(d: AssignSuperUsersDialog) -> None:
        assert d.add_selected.text() == "Pick the 2 selected elsewhere"
        d.search.setText("no one is called this")
        d.add_selected.click()
        assert d.person_ids() == [47, 33] and d.unit_text() == "Med-Surg"

    answer_with(monkeypatch, from_register)
    page.super_users.assign()
    assert coverage_text(page, "Med-Surg") == "Met"
