"""The app and another program on the same workspace (real child processes): the app notices
their changes, never writes over them (edit or undo), and a held write lock gives a sentence,
not "Something went wrong", with no dead entry left in Edit → Undo."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from cmio_desktop.services.stakeholders import edits as service
from cmio_desktop.store import engine as store_engine
from cmio_desktop.store.errors import BUSY_MESSAGE
from cmio_desktop.ui.stakeholders import StakeholdersPage
from tests.other_program import run_python, start_cli, write_lock_held

SQL = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], timeout=10)
with conn:
    conn.execute(sys.argv[2], sys.argv[3:])
conn.close()
"""


def elsewhere(ws, sql: str, *params: object) -> None:
    run_python(SQL, str(ws.path), sql, *map(str, params))


@pytest.fixture
def page(qtbot, facade, settings):
    page = StakeholdersPage(facade, settings)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.show()
    return page


@pytest.fixture
def messages(monkeypatch) -> list[tuple[str, str]]:
    shown: list[tuple[str, str]] = []
    for kind in ("warning", "critical"):
        monkeypatch.setattr(
            QMessageBox, kind, lambda _p, title, text, *_a, k=kind: shown.append((k, text))
        )
    return shown


def open_editor_on(qtbot, page, row: int) -> int:
    ident = page.model.id_at(row)
    page.select_ids([ident])
    qtbot.waitUntil(lambda: page.editor.record is not None and page.editor.record.id == ident)
    return ident


def apply_power(qtbot, page, value: int) -> None:
    page.editor.widgets["power"].setValue(value)
    qtbot.mouseClick(page.editor.apply_button, Qt.MouseButton.LeftButton)


def other_power(power: int) -> int:
    return 5 if power != 5 else 1


def test_register_shows_people_another_program_imported(
    qtbot, page, facade, workspace, tmp_path: Path
) -> None:
    facade.watch(workspace)
    assert page.model.rowCount() == 120
    people = tmp_path / "new-starters.csv"
    people.write_text(
        "Employee ID,Full name,Role,Group\n"
        + "".join(f"N{i},New Starter {i},Nurse,Frontline clinician\n" for i in range(3)),
        encoding="utf-8",
    )
    child = start_cli("import", str(workspace.path), str(people), "--kind", "stakeholders")
    out, err = child.communicate(timeout=120)  # waits, and closes the pipes
    assert child.returncode == 0, (out, err)
    qtbot.waitUntil(lambda: page.model.rowCount() == 123, timeout=5_000)
    assert page.count_label.text() == "123 of 123 shown"


def test_own_writes_are_not_taken_for_changes_elsewhere(facade, workspace) -> None:
    assert workspace.changed_elsewhere() is False  # the first look takes the starting point
    ident = service.get_stakeholder(workspace, 1).id
    service.update_stakeholder(workspace, ident, title="Our own change")
    assert facade.check_outside_changes() is False
    elsewhere(workspace, "UPDATE stakeholder SET title = 'Theirs' WHERE id = ?", ident)
    service.update_stakeholder(workspace, ident, phone="555")  # ours, after theirs
    assert facade.check_outside_changes() is True
    assert facade.check_outside_changes() is False


def test_an_edit_over_a_value_changed_elsewhere_is_refused(qtbot, page, facade, messages) -> None:
    ident = open_editor_on(qtbot, page, 3)
    shown = page.editor.record
    theirs = other_power(shown.power)
    elsewhere(facade.ws, "UPDATE stakeholder SET power = ? WHERE id = ?", theirs, ident)
    apply_power(qtbot, page, 1 if theirs != 1 else 2)
    assert messages == [
        (
            "warning",
            f"Power (rated) of {shown.name} was changed to {theirs} by someone else since you "
            "opened it; your change was not saved.",
        )
    ]
    assert service.get_stakeholder(facade.ws, ident).power == theirs
    assert facade.undo_stack.count() == 0


def test_undo_does_not_overwrite_a_change_made_elsewhere(qtbot, page, facade, messages) -> None:
    ident = open_editor_on(qtbot, page, 5)
    before = page.editor.record
    ours = other_power(before.power)
    apply_power(qtbot, page, ours)
    assert service.get_stakeholder(facade.ws, ident).power == ours
    theirs = next(v for v in range(1, 6) if v not in (before.power, ours))
    elsewhere(facade.ws, "UPDATE stakeholder SET power = ? WHERE id = ?", theirs, ident)
    facade.undo_stack.undo()
    assert messages == [
        (
            "warning",
            f"Power (rated) of {before.name} was changed to {theirs} by someone else since your "
            "edit; undo skipped.",
        )
    ]
    assert service.get_stakeholder(facade.ws, ident).power == theirs
    assert facade.undo_stack.count() == 0  # the refused step left the history


def test_a_held_write_lock_is_a_sentence_and_leaves_no_undo_entry(
    qtbot, page, facade, messages, monkeypatch
) -> None:
    monkeypatch.setattr(store_engine, "BUSY_TIMEOUT_MS", 300)  # keep the test short
    facade.ws.engine.dispose()  # new connections take the shorter timeout
    ident = open_editor_on(qtbot, page, 2)
    before = page.editor.record.power
    with write_lock_held(facade.ws.path, 3):
        apply_power(qtbot, page, other_power(before))
    assert messages == [("warning", BUSY_MESSAGE)]
    assert service.get_stakeholder(facade.ws, ident).power == before
    assert facade.undo_stack.count() == 0
    apply_power(qtbot, page, other_power(before))  # tried again once the lock is free
    assert service.get_stakeholder(facade.ws, ident).power == other_power(before)
    assert facade.undo_stack.count() == 1


def test_plan_page_undo_does_not_overwrite_a_change_made_elsewhere(facade, workspace) -> None:
    from cmio_desktop.services import initiatives
    from cmio_desktop.ui.common.undo import UpdateCommand, push

    (initiative, *_) = initiatives.list_initiatives(workspace)
    reports: list[tuple[str, str]] = []
    command = UpdateCommand(
        facade,
        "edit initiative",
        lambda ws, vals: initiatives.update_initiative(ws, initiative.id, **vals),
        {"description": "Ours"},
        lambda title, text: reports.append((title, text)),
    )
    assert push(facade, command)
    elsewhere(workspace, "UPDATE initiative SET description = 'Theirs' WHERE id = ?", initiative.id)
    facade.undo_stack.undo()
    assert reports == [
        (
            "Could not edit initiative",
            f"Description of {initiative.name} was changed to “Theirs” by someone else since "
            "your edit; undo skipped.",
        )
    ]
    assert initiatives.get_initiative(workspace, initiative.id).description == "Theirs"


def test_plan_page_undo_and_redo_work_when_nobody_else_wrote(facade, workspace) -> None:
    from cmio_desktop.services import initiatives
    from cmio_desktop.ui.common.undo import UpdateCommand, push

    (initiative, *_) = initiatives.list_initiatives(workspace)
    before = initiative.description
    command = UpdateCommand(
        facade,
        "edit initiative",
        lambda ws, vals: initiatives.update_initiative(ws, initiative.id, **vals),
        {"description": "  Ours  "},  # stored stripped: the undo expects what was stored
        lambda title, text: pytest.fail(text),
    )
    assert push(facade, command)
    facade.undo_stack.undo()
    assert initiatives.get_initiative(workspace, initiative.id).description == before
    facade.undo_stack.redo()
    assert initiatives.get_initiative(workspace, initiative.id).description == "Ours"


def test_a_busy_workspace_reaching_the_excepthook_is_its_sentence(
    qapp, messages, monkeypatch, tmp_path: Path
) -> None:
    import sys

    from cmio_desktop.app import install_excepthook
    from cmio_desktop.store import WorkspaceBusyError

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    install_excepthook(tmp_path / "app.log")
    sys.excepthook(WorkspaceBusyError, WorkspaceBusyError(), None)
    assert messages == [("warning", BUSY_MESSAGE)]  # not "Something went wrong"


def test_tie_edit_and_its_undo_respect_a_change_made_elsewhere(facade, workspace, messages):
    from cmio_desktop.services.network import ties
    from cmio_desktop.ui.network.commands import EditTieCommand, run_command

    with closing(sqlite3.connect(workspace.path)) as conn:
        (first,) = conn.execute("SELECT min(id) FROM relationship").fetchone()
    tie = ties.get_tie(workspace, first)
    shown = {"strength": tie.strength}
    theirs = 1 if tie.strength != 1 else 2
    elsewhere(workspace, "UPDATE relationship SET strength = ? WHERE id = ?", theirs, tie.id)
    ours = next(v for v in range(1, 6) if v not in (tie.strength, theirs))
    edit = EditTieCommand(facade, tie.id, {"strength": ours}, "edit tie", shown)
    assert not run_command(edit)
    who = f"the tie {tie.source_name} → {tie.target_name}"
    assert messages[-1] == (
        "warning",
        f"Tie strength of {who} was changed to {theirs} by someone else since you opened it; "
        "your change was not saved.",
    )
    assert ties.get_tie(workspace, tie.id).strength == theirs

    edit = EditTieCommand(facade, tie.id, {"strength": ours}, "edit tie", {"strength": theirs})
    assert run_command(edit)
    elsewhere(workspace, "UPDATE relationship SET note = 'x', strength = 5 WHERE id = ?", tie.id)
    facade.undo_stack.undo()
    assert "was changed to 5 by someone else since your edit; undo skipped" in messages[-1][1]
    assert ties.get_tie(workspace, tie.id).strength == 5


def test_undoing_an_added_tie_keeps_a_change_made_elsewhere(facade, workspace, messages):
    from cmio_desktop.services.network import ties
    from cmio_desktop.ui.network.commands import AddTieCommand, run_command

    with closing(sqlite3.connect(workspace.path)) as conn:
        source, target = conn.execute(
            "SELECT a.id, b.id FROM stakeholder a, stakeholder b WHERE a.id <> b.id AND NOT "
            "EXISTS (SELECT 1 FROM relationship r WHERE r.source_id = a.id AND r.target_id = "
            "b.id) LIMIT 1"
        ).fetchone()
    add = AddTieCommand(facade, source, target, 2, "peer", "", "add tie")
    assert run_command(add)
    elsewhere(workspace, "UPDATE relationship SET strength = 5 WHERE id = ?", add.tie_id)
    facade.undo_stack.undo()
    tie = ties.get_tie(workspace, add.tie_id)  # still there
    assert messages[-1] == (
        "warning",
        f"Undo of “add tie” failed: Tie strength of the tie {tie.source_name} → "
        f"{tie.target_name} was changed to 5 by someone else since you added it; undo skipped.",
    )


def test_every_edit_dialog_shows_values_as_stored(facade, workspace) -> None:
    """The first edit expects the values a dialog showed; they must compare equal to what is
    stored, field by field, or an edit nobody interfered with would be refused. Saving every
    field unchanged, with every field expected, goes through on each kind of row."""
    from cmio_desktop.services import initiatives
    from cmio_desktop.services.governance import records as governance
    from cmio_desktop.services.plan import activities as plan
    from cmio_desktop.services.plan import communications, training
    from cmio_desktop.ui.common.undo import UpdateCommand, push
    from cmio_desktop.ui.governance.tables import DECISION_FIELDS, RISK_FIELDS, request_fields
    from cmio_desktop.ui.plan.actions import COMM_FIELDS, COURSE_FIELDS
    from cmio_desktop.ui.plan.initiative_dialog import MILESTONE_FIELDS, PHASE_FIELDS

    iid = initiatives.list_initiatives(workspace)[0].id
    full = initiatives.get_initiative(workspace, iid)
    people = plan.audience_choices(workspace).people
    activity = plan.list_activities(workspace, iid, date_today())[0]
    comm = communications.list_communications(workspace, iid)[0]
    course = training.training_overview(workspace, iid).courses[0]
    risk = governance.list_risks(workspace, iid)[0]
    decision = governance.list_decisions(workspace, iid)[0]
    request = governance.list_requests(workspace, iid)[0]
    cases = [
        (activity, plan.ACTIVITY_FIELDS, lambda ws, v, r=activity: plan.update_activity(
            ws, r.id, v[0], list(r.audience)), True),
        (comm, [f.key for f in COMM_FIELDS],
         lambda ws, v, r=comm: communications.update_communication(ws, r.id, v), False),
        (course, [f.key for f in COURSE_FIELDS],
         lambda ws, v, r=course: training.update_course(ws, r.id, v), False),
        (risk, [f.key for f in RISK_FIELDS], lambda ws, v, r=risk: governance.update_risk(
            ws, r.id, v[0], list(r.people)), True),
        (decision, [f.key for f in DECISION_FIELDS],
         lambda ws, v, r=decision: governance.update_record(ws, "decision", r.id, v), False),
        (request, [f.key for f in request_fields(people)],
         lambda ws, v, r=request: governance.update_record(ws, "request", r.id, v), False),
        (full, ["name", "go_live", "description"],
         lambda ws, v: initiatives.update_initiative(ws, iid, **v), False),
    ]  # fmt: skip
    if full.phases:
        row = full.phases[0]
        phase = lambda ws, v, r=row: initiatives.update_phase(ws, r.id, **v)  # noqa: E731
        cases.append((row, [f.key for f in PHASE_FIELDS], phase, False))
    if full.milestones:
        row = full.milestones[0]
        milestone = lambda ws, v, r=row: initiatives.update_milestone(ws, r.id, **v)  # noqa: E731
        cases.append((row, [f.key for f in MILESTONE_FIELDS], milestone, False))
    reports: list[str] = []
    for row, keys, apply, paired in cases:
        shown = {k: getattr(row, k) for k in keys}
        new = (dict(shown), None) if paired else dict(shown)
        command = UpdateCommand(
            facade, "edit", apply, new, lambda _t, text: reports.append(text), shown
        )
        assert push(facade, command), (type(row).__name__, reports)


def date_today():
    from datetime import date

    return date(2026, 11, 2)


def test_the_apps_facade_watches_while_a_workspace_is_open(qapp, workspace) -> None:
    from cmio_desktop.ui.facade import WorkspaceFacade

    facade = WorkspaceFacade(watch_outside_changes=True)
    facade.set_workspace(workspace)
    assert facade.watch_timer.isActive()
    facade.workspace = None  # let go (the fixture closes the workspace): the timer stops
    assert not facade.watch_timer.isActive()
    assert not WorkspaceFacade().watch_outside_changes  # tests and tools opt in


def test_deleting_a_person_changed_elsewhere_is_refused_and_the_register_reloads(
    qtbot, page, facade, messages, monkeypatch
) -> None:
    monkeypatch.setattr("cmio_desktop.ui.stakeholders.actions.confirm", lambda *_a: True)
    ident = open_editor_on(qtbot, page, 4)
    name, shown = page.model.name_of(ident), page.model.version_of(ident)
    elsewhere(facade.ws, "UPDATE stakeholder SET name = ? WHERE id = ?", name + " (moved)", ident)
    page.actions.delete()
    assert messages == [
        (
            "warning",
            f"{name} (moved) was changed by someone else since it was shown to you; nothing "
            "was deleted.",
        )
    ]
    assert facade.undo_stack.count() == 0
    # The refusal reloaded the register: it shows their change and the row's new version.
    qtbot.waitUntil(lambda: page.model.name_of(ident) == name + " (moved)", timeout=10_000)
    assert page.model.version_of(ident) == shown + 1
    page.select_ids([ident])
    page.actions.delete()  # on the version now shown, the delete goes through
    assert len(messages) == 1
    with closing(sqlite3.connect(facade.ws.path)) as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM stakeholder WHERE id = ?", (ident,)
        ).fetchone()
    assert count == 0
