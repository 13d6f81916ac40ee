"""The Plan page driven like a user: activities (create, edit, undo), filters, the plan
generator (accept, then undo as one step), communications, training and the timeline."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from cmio_desktop.services.plan import activities as plan
from cmio_desktop.services.plan.activities import AudienceEntry
from cmio_desktop.ui.common.form_dialog import FormDialog
from cmio_desktop.ui.plan import PlanPage
from cmio_desktop.ui.plan.activity_dialog import ActivityDialog
from cmio_desktop.ui.plan.generator_dialog import GeneratorDialog, ProposalModel
from cmio_desktop.ui.plan.page import TABS
from cmio_desktop.ui.plan.timeline_chart import TimelineChart

TODAY = date(2026, 11, 2)


@pytest.fixture
def page(qtbot, facade):
    facade.initiative_id = 1
    page = PlanPage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.show()
    return page


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: shown.append(text))
    return shown


def titles(page: PlanPage) -> list[str]:
    return [r.title for r in page.activities.model.visible_records]


def show_tab(qtbot, page: PlanPage, name: str) -> None:
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        page.tabs.setCurrentIndex(TABS.index(name))


def test_models_pass_the_model_tester(qtmodeltester, qtbot, page) -> None:
    qtmodeltester.check(page.activities.model)
    show_tab(qtbot, page, "communications")
    qtmodeltester.check(page.comms.model)
    show_tab(qtbot, page, "training")
    qtmodeltester.check(page.training.courses)
    qtmodeltester.check(page.training.roster)
    qtmodeltester.check(page.training.untrained)


def test_activities_show_the_overdue_flag_and_filter(qtbot, page) -> None:
    assert page.activities.model.rowCount() == 16
    assert page.activities.overdue_button.text() == "1 overdue"
    page.activities.show_quick("overdue")
    assert titles(page) == ["Ambulatory workflow demo"]
    row = page.activities.model.record(0)
    assert row.overdue
    model = page.activities.model
    due = model.index(0, 7)
    assert model.data(due, Qt.ItemDataRole.ForegroundRole).color().name() == "#b91c1c"
    page.activities.reset_filters()
    page.activities.element.setCurrentIndex(page.activities.element.findData("desire"))
    assert set(titles(page)) == {
        "Surgeon 1:1s with the CMO",
        "Peer 1:1s led by ED physician champions",
    }
    page.activities.reset_filters()
    page.activities.search.setText("training")
    assert titles(page) and all("training" in t.lower() for t in titles(page))
    page.activities.search.clear()
    page.activities.show_quick("soon")
    assert all(r.due and TODAY <= r.due <= TODAY + timedelta(days=14)
               for r in page.activities.model.visible_records)  # fmt: skip


def test_create_edit_and_undo_an_activity(qtbot, page, facade, monkeypatch, warnings) -> None:
    def fill_new(dialog: ActivityDialog) -> int:
        dialog.set_value("title", "Periop huddle with surgeons")
        dialog.set_value("type", "super_user_huddle")
        dialog.set_value("element", "desire")
        dialog.set_value("start", TODAY + timedelta(days=3))
        dialog.set_value("due", TODAY + timedelta(days=5))
        dialog.audience.add(AudienceEntry(department="Periop"))
        assert dialog.audience.reach_count() > 0
        return 1

    monkeypatch.setattr(ActivityDialog, "exec", fill_new)
    with qtbot.waitSignal(page.refreshed, timeout=5_000):
        page.activities.add_button.click()
    assert "Periop huddle with surgeons" in titles(page)
    created = next(r for r in page.activities.model.records if r.title.startswith("Periop"))
    assert created.audience_text == "Periop" and created.audience_size > 0
    assert facade.undo_stack.undoText() == "add activity Periop huddle with surgeons"

    def mark_done(dialog: ActivityDialog) -> int:
        assert dialog.value("title") == "Periop huddle with surgeons"
        dialog.set_value("status", "done")
        dialog.set_value("outcome", "Surgeons on board")
        return 1

    monkeypatch.setattr(ActivityDialog, "exec", mark_done)
    page.activities.edit_requested.emit(created)
    edited = plan.get_activity(facade.ws, created.id, TODAY)
    assert edited.status == "done" and edited.outcome == "Surgeons on board"
    assert edited.audience == created.audience

    facade.undo_stack.undo()  # the edit
    assert plan.get_activity(facade.ws, created.id, TODAY).status == "planned"
    facade.undo_stack.undo()  # the creation
    assert "Periop huddle with surgeons" not in titles(page)
    facade.undo_stack.redo()
    again = next(r for r in page.activities.model.records if r.title.startswith("Periop"))
    assert again.id == created.id and again.audience == created.audience
    assert warnings == []


def test_bad_dates_are_refused_in_the_dialog(qtbot, page, facade) -> None:
    dialog = ActivityDialog(plan.audience_choices(facade.ws), [], today=TODAY)
    qtbot.addWidget(dialog)
    dialog.set_value("title", "Backwards")
    dialog.set_value("due", TODAY - timedelta(days=3))
    dialog.accept()
    assert dialog.result() == 0 and "due date" in dialog.error.text()


def test_mark_done_and_delete_are_undoable(qtbot, page, facade) -> None:
    rows = [r for r in page.activities.model.records if r.status == "planned"][:2]
    page.edits.mark_done(rows)
    assert {plan.get_activity(facade.ws, r.id).status for r in rows} == {"done"}
    facade.undo_stack.undo()
    assert {plan.get_activity(facade.ws, r.id).status for r in rows} == {"planned"}
    # As the list shows them now: each row's version moved twice (the rows read before would
    # refuse the delete, as changed since they were shown).
    ids = {r.id for r in rows}
    rows = [r for r in page.activities.model.records if r.id in ids]
    page.edits.delete_activities(rows)
    assert page.activities.model.rowCount() == 14
    facade.undo_stack.undo()
    assert page.activities.model.rowCount() == 16


def test_accept_a_generated_plan_then_undo_it_as_one_step(
    qtbot, page, facade, monkeypatch, qtmodeltester
) -> None:
    chosen: list = []

    def review(dialog: GeneratorDialog) -> int:
        qtbot.waitUntil(lambda: dialog.generation is not None, timeout=30_000)
        qtmodeltester.check(dialog.model)
        assert dialog.model.rowCount() > 5
        assert all(p.reason for p in dialog.model.records)
        dialog.model.set_all(False)
        for row in range(5):
            dialog.model.setData(dialog.model.index(row, 0), Qt.CheckState.Checked,
                                 Qt.ItemDataRole.CheckStateRole)  # fmt: skip
        chosen.extend(dialog.chosen())
        return 1

    monkeypatch.setattr(GeneratorDialog, "exec", review)
    before_steps = facade.undo_stack.count()
    page.activities.generate_button.click()
    assert len(chosen) == 5
    assert facade.undo_stack.count() == before_steps + 1
    assert facade.undo_stack.undoText() == "add 5 generated activities"
    assert page.activities.model.rowCount() == 21
    accepted = [r for r in page.activities.model.records if r.title in {p.title for p in chosen}]
    assert all(r.status == "planned" and r.audience_size > 0 for r in accepted)
    facade.undo_stack.undo()
    assert page.activities.model.rowCount() == 16
    facade.undo_stack.redo()
    assert page.activities.model.rowCount() == 21


def test_proposal_model_checks(qtbot) -> None:
    model = ProposalModel()
    assert model.rowCount() == 0 and model.chosen() == []


def test_communications_add_edit_delete(qtbot, page, facade, monkeypatch) -> None:
    show_tab(qtbot, page, "communications")
    assert page.comms.model.rowCount() == 5
    assert "Upcoming sends" in page.comms.sends_title.text()
    assert page.comms.sends.count() > 0

    def fill(dialog: FormDialog) -> int:
        dialog.set_value("audience", "Surgeons")
        dialog.set_value("message", "Order-set build dates")
        dialog.set_value("cadence", "monthly")
        dialog.set_value("start_date", date(2027, 1, 31))
        dialog.set_value("end_date", date(2027, 4, 30))
        return 1

    monkeypatch.setattr(FormDialog, "exec", fill)
    with qtbot.waitSignal(page.refreshed, timeout=5_000):
        page.comms.add_button.click()
    row = next(r for r in page.comms.model.records if r.audience == "Surgeons")
    assert row.next_date == date(2027, 1, 31)
    facade.undo_stack.undo()
    assert page.comms.model.rowCount() == 5


def test_training_bulk_mark_complete_then_undo(qtbot, page, facade) -> None:
    show_tab(qtbot, page, "training")
    course = page.training.current_course()
    assert course is not None and page.training.roster.rowCount() > 0
    untrained = [r.person_id for r in page.training.roster.records if r.completed_on is None]
    before = page.training.overview.overall.trained
    assert page.edits.push_mark(course.id, untrained, TODAY, "proficient")
    assert page.training.overview.overall.trained > before
    assert all(r.completed_on == TODAY for r in page.training.roster.records
               if r.person_id in untrained)  # fmt: skip
    facade.undo_stack.undo()
    assert page.training.overview.overall.trained == before
    assert all(r.completed_on is None for r in page.training.roster.records
               if r.person_id in untrained)  # fmt: skip


def test_timeline_draws_with_milestones_sends_and_due_list(qtbot, page, tmp_path) -> None:
    show_tab(qtbot, page, "timeline")
    chart: TimelineChart = page.timeline
    assert chart.data is not None and chart.data.sends and chart.data.milestones
    chart.draw_now()
    assert page.due_panel.list.count() >= 1
    assert "overdue" in page.due_panel.overdue_label.text()
    saved = chart.save(tmp_path / "timeline.png")
    assert saved.stat().st_size > 5_000


def test_initiative_switcher_moves_every_page_to_the_chosen_initiative(qtbot, page, facade) -> None:
    from cmio_desktop.ui.initiative_switcher import InitiativeSwitcher

    switcher = InitiativeSwitcher(facade)
    qtbot.addWidget(switcher)
    switcher.reload()
    assert switcher.combo.count() == 2 and switcher.combo.currentData() == 1
    with qtbot.waitSignal(page.refreshed, timeout=5_000):
        switcher.combo.setCurrentIndex(1)
    assert facade.initiative_id == 2
    from cmio_desktop.services.plan.activities import list_activities

    second = list_activities(facade.ws, 2)  # the sample's order-set work near the go-live
    assert page.activities.model.rowCount() == len(second) == 3
    assert "Inpatient order sets refresh" in page.caption.text()


def test_initiatives_dialog_creates_and_edits_with_undo(qtbot, facade, monkeypatch) -> None:
    from cmio_desktop.services import initiatives
    from cmio_desktop.ui.plan.initiative_dialog import InitiativesDialog

    facade.initiative_id = 1
    dialog = InitiativesDialog(facade)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2 and dialog.current is not None
    assert [m.name for m in dialog.current.milestones][-1] == "Go-live"

    def new(form: FormDialog) -> int:
        form.set_value("name", "Pharmacy robot go-live")
        form.set_value("go_live", date(2027, 6, 1))
        return 1

    monkeypatch.setattr(FormDialog, "exec", new)
    dialog._on_new_clicked()
    assert dialog.list.count() == 3 and dialog.current.name == "Pharmacy robot go-live"
    dialog.name.setText("Pharmacy robot go-live (phase 1)")
    dialog._on_save_clicked()
    assert initiatives.get_initiative(facade.ws, dialog.current.id).name.endswith("(phase 1)")

    def milestone(form: FormDialog) -> int:
        form.set_value("name", "Robot validated")
        form.set_value("due", date(2027, 5, 1))
        return 1

    monkeypatch.setattr(FormDialog, "exec", milestone)
    dialog._on_add("milestone")
    assert [m.name for m in dialog.current.milestones] == ["Robot validated"]
    for _ in range(3):
        facade.undo_stack.undo()
    assert dialog.list.count() == 2
