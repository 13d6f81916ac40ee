"""The Readiness page driven like a user: survey-round keyboard entry and paste, heat-map
clicks selecting people everywhere, settings and assessment edits with undo, the forecast's
what-if, people to win over, back-test and calibration. Every model passes qtmodeltester."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QGroupBox, QLineEdit, QMessageBox
from sqlalchemy import func, select

from cmio_desktop import models as m
from cmio_desktop.services import analysis_settings as readiness_settings
from cmio_desktop.services.changes import ChangeKind
from cmio_desktop.services.readiness import assessments as readiness
from cmio_desktop.services.readiness import forecast as forecast_service
from cmio_desktop.services.readiness.overview import cell_people
from cmio_desktop.services.readiness.rounds import survey_people
from cmio_desktop.ui.common.table_view import title_width
from cmio_desktop.ui.readiness import AssessmentEditor, ReadinessPage, SurveyRoundDialog
from cmio_desktop.ui.readiness.forecast_panel import WHAT_IF_COLUMNS
from cmio_desktop.ui.readiness.survey_model import FIRST_SCORE, NOTE

A = m.Assessment.__table__


def assessments(ws) -> int:
    with ws.session() as s:
        return int(s.scalar(select(func.count()).select_from(A)))


@pytest.fixture
def ready_facade(facade):
    facade.initiative_id = 1
    return facade


@pytest.fixture
def warnings(monkeypatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: shown.append(text))
    return shown


@pytest.fixture
def page(qtbot, ready_facade):
    page = ReadinessPage(ready_facade)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignal(page.overview_ready, timeout=15_000):
        page.show()
    return page


@pytest.fixture
def survey(qtbot, ready_facade, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    dialog = SurveyRoundDialog(ready_facade, "ICU")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def scores(dialog: SurveyRoundDialog, row: int) -> list[int | None]:
    return dialog.model.scores[row]


# -- survey round ---------------------------------------------------------------------------------


def test_survey_grid_keyboard_entry(qtbot, survey, ready_facade) -> None:
    view, model = survey.view, survey.model
    icu = survey_people(ready_facade.ws, "ICU")
    assert [p.id for p in model.people] == [p.id for p in icu]
    assert view.currentIndex().row() == 0 and view.currentIndex().column() == FIRST_SCORE

    qtbot.keyClicks(view, "34534")  # each digit sets its cell and moves on, skipping the note
    assert scores(survey, 0) == [3, 4, 5, 3, 4]
    assert (view.currentIndex().row(), view.currentIndex().column()) == (1, FIRST_SCORE)
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert (view.currentIndex().row(), view.currentIndex().column()) == (0, NOTE)
    qtbot.keyClick(view, "n")  # the note column opens an editor on the first key
    editor = view.findChild(QLineEdit)
    qtbot.keyClicks(editor, "eeds")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits and closes the editor queued
    qtbot.waitUntil(lambda: view.currentIndex().row() == 1)
    assert model.notes[0] == "needs"
    assert view.currentIndex().column() == FIRST_SCORE

    qtbot.keyClick(view, "7")  # refused with a visible message; the cell stays empty
    assert scores(survey, 1)[0] is None
    assert survey.message.isVisible() and "7 is outside 1–5" in survey.message.text()
    qtbot.keyClick(view, "x")
    assert "'x' is not a number" in survey.message.text()
    qtbot.keyClicks(view, "2")
    assert survey.message.text() == "" and scores(survey, 1)[0] == 2
    qtbot.keyClick(view, Qt.Key.Key_Tab)  # Tab skips a cell; Enter too
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert view.currentIndex().column() == FIRST_SCORE + 3
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    assert view.currentIndex().column() == FIRST_SCORE + 2
    qtbot.keyClicks(view, "1")
    qtbot.keyClick(view, Qt.Key.Key_Backtab)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert scores(survey, 1) == [2, None, None, None, None]
    assert survey.count.text() == f"2 of {len(icu)} scored"


def test_survey_grid_paste_and_save_as_one_undo_step(qtbot, survey, ready_facade) -> None:
    view, model = survey.view, survey.model
    clipboard = QApplication.clipboard()
    view.setCurrentIndex(model.index(1, FIRST_SCORE))
    clipboard.setText("4\t4\t3\t4\t5\tok\r\n5\t5\t5\t5\t5\n2\t 3 \t2\t2\t2\n")
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert [scores(survey, r) for r in (1, 2, 3)] == [[4, 4, 3, 4, 5], [5] * 5, [2, 3, 2, 2, 2]]
    assert model.notes[1] == "ok"

    clipboard.setText("1\t1\t1\t1\t1\n3\t9\t3\t3\t3\n")  # one bad value: nothing pasted
    view.setCurrentIndex(model.index(4, FIRST_SCORE))
    qtbot.keyClick(view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert scores(survey, 4) == [None] * 5
    assert "Nothing pasted: row 2" in survey.message.text() and "9 is outside" in (
        survey.message.text()
    )
    clipboard.setText("1\t2\t3\t4\t5\t6\t7\t8\n")
    assert not view.paste_clipboard()
    assert "columns" in survey.message.text()
    view.setCurrentIndex(model.index(model.rowCount() - 1, FIRST_SCORE))
    clipboard.setText("1\n2\n")
    assert not view.paste_clipboard() and "rows" in survey.message.text()

    view.setCurrentIndex(model.index(0, FIRST_SCORE))
    qtbot.keyClicks(view, "33")  # an incomplete row blocks saving, with the reason
    before, stack = assessments(ready_facade.ws), ready_facade.undo_stack
    assert not survey.save()
    assert "Knowledge, Ability, Reinforcement missing" in survey.message.text()
    assert assessments(ready_facade.ws) == before and stack.count() == 0
    qtbot.keyClicks(view, "333")
    with qtbot.waitSignal(
        ready_facade.changed, check_params_cb=lambda c: c.kinds == {ChangeKind.ASSESSMENT}
    ):
        assert survey.save()
    assert stack.count() == 1
    assert stack.text(0) == "record survey round for ICU (4 people)"
    assert assessments(ready_facade.ws) == before + 4
    stack.undo()
    assert assessments(ready_facade.ws) == before
    stack.redo()
    assert assessments(ready_facade.ws) == before + 4


def test_survey_prefills_a_day_already_recorded(qtbot, ready_facade, monkeypatch) -> None:
    people = [p.id for p in survey_people(ready_facade.ws, "ICU")]
    readiness.record_round(ready_facade.ws, 1, "2026-11-01", {people[1]: [1, 2, 3, 4, 5]})
    dialog = SurveyRoundDialog(ready_facade, "ICU")
    qtbot.addWidget(dialog)
    dialog.date.setDate(dialog.date.date().fromString("2026-11-01", "yyyy-MM-dd"))
    row = [p.id for p in dialog.model.people].index(people[1])
    assert dialog.model.scores[row] == [1, 2, 3, 4, 5]
    assert "1 already recorded" in dialog.message.text()


# -- overview -------------------------------------------------------------------------------------


def test_heat_map_cell_click_selects_exactly_those_people(qtbot, page, ready_facade) -> None:
    chart = page.overview_panel.heat_map
    chart.draw_now()
    data = page.overview.data
    row = chart.rows[0]
    column = row.weakest
    expected = cell_people(data, row, column)
    assert expected
    with qtbot.waitSignal(ready_facade.selection_changed) as blocker:
        qtbot.mouseClick(chart.canvas, Qt.MouseButton.LeftButton, pos=chart.cell_point(0, column))
    assert blocker.args == [expected, "readiness"]
    assert ready_facade.selected_ids == expected
    assert page.register_button.isEnabled()
    assert f"{len(expected)} in {row.label} scoring ≤ 3" in page.selection_text.toolTip()

    with qtbot.waitSignal(ready_facade.selection_changed) as blocker:
        qtbot.mouseClick(chart.canvas, Qt.MouseButton.LeftButton, pos=chart.count_point(1))
    assert blocker.args == [list(chart.rows[1].members), "readiness"]


def test_groupings_dropped_table_and_models(qtbot, qtmodeltester, page, ready_facade) -> None:
    panel = page.overview_panel
    assert page.caption.text().startswith("Ambulatory EHR go-live · ")
    assert panel.heat_map.rows and panel.dropped.rowCount() > 0
    qtmodeltester.check(panel.dropped)
    changes = [panel.dropped.rows[r].change for r in range(panel.dropped.rowCount())]
    assert changes == sorted(changes) and changes[0] < 0
    index = panel.dropped.index(0, 0)
    with qtbot.waitSignal(ready_facade.selection_changed) as blocker:
        panel.table.clicked.emit(index)
    assert blocker.args == [[panel.dropped.rows[0].person_id], "readiness"]
    for position, key in enumerate(("group", "role", "site", "community")):
        page.settings_bar.grouping.setCurrentIndex(position + 1)
        assert page.grouping() == key
        assert panel.heat_map.summary.grouping == key
    ready_facade.select_people([panel.dropped.rows[2].person_id], "network")
    assert panel.table.currentIndex().row() in (-1, 2)
    assert page.selection_text.text() == "1 person selected"


def test_settings_change_is_stored_and_undoable(qtbot, page, ready_facade) -> None:
    stack = ready_facade.undo_stack
    with qtbot.waitSignal(page.overview_ready, timeout=15_000):
        page.settings_bar.mode.setCurrentIndex(1)  # lowest element
    assert stack.text(stack.count() - 1) == "change barrier point rule"
    assert readiness_settings.readiness_settings(ready_facade.ws).barrier_mode == "lowest"
    assert page.overview.data.settings.barrier_mode == "lowest"
    with qtbot.waitSignal(page.overview_ready, timeout=15_000):
        stack.undo()
    assert readiness_settings.readiness_settings(ready_facade.ws).barrier_mode == "first"
    assert page.settings_bar.mode.currentData() == "first"


# -- assessment editor ----------------------------------------------------------------------------


def test_assessment_editor_add_edit_delete_undo(qtbot, qtmodeltester, ready_facade) -> None:
    person = survey_people(ready_facade.ws, "ICU")[0]
    editor = AssessmentEditor(ready_facade)
    qtbot.addWidget(editor)
    editor.set_person(person.id, person.name)
    rounds = readiness.person_rounds(ready_facade.ws, person.id, 1)
    assert editor.model.rowCount() == len(rounds)
    qtmodeltester.check(editor.model)
    for spin, value in zip(editor.spins, (4, 4, 2, 5, 5), strict=True):
        spin.setValue(value)
    assert editor.live.text() == "Readiness 4.0 · barrier point: Knowledge · not ready"
    stack = ready_facade.undo_stack
    assert editor.add_round()
    assert len(readiness.person_rounds(ready_facade.ws, person.id, 1)) == len(rounds) + 1
    assert stack.text(0) == f"add readiness round for {person.name}"
    editor.table.selectRow(0)
    editor.spins[2].setValue(4)
    assert editor.save_round()
    latest = readiness.person_rounds(ready_facade.ws, person.id, 1)[-1]
    assert latest.scores.as_tuple() == (4, 4, 4, 5, 5)
    assert editor.delete_round()
    assert len(readiness.person_rounds(ready_facade.ws, person.id, 1)) == len(rounds)
    stack.undo()
    stack.undo()
    assert readiness.person_rounds(ready_facade.ws, person.id, 1)[-1].scores.knowledge == 2
    stack.undo()
    assert len(readiness.person_rounds(ready_facade.ws, person.id, 1)) == len(rounds)
    editor.date.setDate(editor.date.maximumDate())
    editor.set_person(None)
    assert editor.heading.text() == "No person selected" and not editor.add_button.isEnabled()


# -- forecast -------------------------------------------------------------------------------------


def test_forecast_what_if_and_people_to_win_over(qtbot, qtmodeltester, page, ready_facade) -> None:
    with qtbot.waitSignal(page.forecast_ready, timeout=15_000):
        page.tabs.setCurrentIndex(1)
    panel = page.forecast_panel
    assert panel.groups.rowCount() == len(page.overview.summaries["department"].rows)
    qtmodeltester.check(panel.groups)
    run = page.forecast
    assert forecast_service.verdict(run) in panel.headline.text().replace("&gt;", ">")
    assert "With the plan, mean readiness" in panel.headline.text()
    assert all(r.without_plan is not None for r in panel.groups.rows)
    assert all(panel.table.isColumnHidden(c) for c in WHAT_IF_COLUMNS)  # nothing to show yet
    headers = [panel.groups.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers[2:] == ["Today", "No plan"]
    assert panel.backtest.text() == forecast_service.backtest_text(run)
    assert panel.backtest.text().startswith("Back-test (")

    chosen = [int(page.forecast.ids[0]), int(page.forecast.ids[1])]
    ready_facade.select_people(chosen, "stakeholders")
    assert panel.scenario_panel.win_button.isEnabled()
    selected = panel.scenario_panel.selection_label.text()
    assert run.name[0] in selected and "person " not in selected
    with qtbot.waitSignal(panel.scenario_ready, timeout=10_000):
        panel.scenario_panel.win_button.click()
    assert all(r.scenario is not None for r in panel.groups.rows)
    assert any(r.scenario_change > 0 for r in panel.groups.rows)
    assert not any(panel.table.isColumnHidden(c) for c in WHAT_IF_COLUMNS)
    assert "What-if:" in panel.headline.text()

    panel.scenario_panel.k.setValue(3)
    with qtbot.waitSignal(panel.win_over_ready, timeout=10_000):
        panel.scenario_panel.recommend_button.click()
    picks = panel.scenario_panel.picks
    assert [r.rank for r in picks.rows] == [1, 2, 3]
    assert all(r.gain > 0 for r in picks.rows)
    qtmodeltester.check(picks)
    with qtbot.waitSignal(ready_facade.selection_changed) as blocker:
        panel.scenario_panel.table.clicked.emit(picks.index(0, 1))
    assert blocker.args == [[picks.rows[0].person_id], "readiness"]
    titles = [box.title() for box in panel.scenario_panel.findChildren(QGroupBox)]
    assert "People to win over" in titles and not any("hampion" in t for t in titles)


def test_selection_before_the_forecast_shows_names(qtbot, page, ready_facade) -> None:
    ident = int(page.overview.data.ids[3])
    name = page.overview.data.name[3]
    ready_facade.select_people([ident], "stakeholders")  # the forecast is not loaded yet
    panel = page.forecast_panel
    assert panel.scenario_panel.selection_label.text() == f"Selected: {name}"
    with qtbot.waitSignal(page.forecast_ready, timeout=15_000):
        page.tabs.setCurrentIndex(1)
    assert panel.scenario_panel.selection_label.text() == f"Selected: {name}"


def test_advanced_settings_and_calibration(qtbot, page, ready_facade, warnings) -> None:
    with qtbot.waitSignal(page.forecast_ready, timeout=15_000):
        page.tabs.setCurrentIndex(1)
    panel = page.forecast_panel
    params = panel.parameters
    assert not params.advanced.isVisibleTo(panel)  # knobs tucked away by default
    params.advanced_button.click()
    assert params.advanced.isVisibleTo(panel) and params.spins["self_weight"].isVisibleTo(panel)
    assert params.changed_note.text() == "Default settings."

    assert panel.calibrate_button.isEnabled()
    with qtbot.waitSignal(panel.calibration_ready, timeout=60_000):
        panel.calibrate_button.click()
    proposal = panel.proposal
    assert proposal is not None and panel.apply_button.isVisibleTo(panel)
    assert panel.calibration.text() == proposal.text
    assert proposal.mae_after <= proposal.mae_before + 1e-9
    assert page.forecast.settings == forecast_service.settings_from({})  # not applied yet
    with qtbot.waitSignal(page.forecast_ready, timeout=15_000):
        panel.apply_button.click()
    stack = ready_facade.undo_stack
    assert stack.text(stack.count() - 1) == "apply forecast calibration"
    fitted = proposal.values["default_susceptibility"]
    assert page.forecast.settings.default_susceptibility == pytest.approx(fitted)
    with qtbot.waitSignal(page.forecast_ready, timeout=15_000):
        stack.undo()
    assert page.forecast.settings == forecast_service.settings_from({})
    assert warnings == []


def test_forecast_parameters_are_undoable_settings(qtbot, page, ready_facade, warnings) -> None:
    with qtbot.waitSignal(page.forecast_ready, timeout=15_000):
        page.tabs.setCurrentIndex(1)
    spin = page.forecast_panel.parameters.spins["default_susceptibility"]
    with qtbot.waitSignal(page.forecast_ready, timeout=15_000):
        spin.setValue(0.7)
    stack = ready_facade.undo_stack
    assert stack.text(stack.count() - 1) == "change forecast parameters"
    assert page.forecast.settings.default_susceptibility == 0.7
    with qtbot.waitSignal(page.forecast_ready, timeout=15_000):
        page.forecast_panel.parameters.restore_defaults()
    assert page.forecast.settings.default_susceptibility == 0.5
    assert warnings == []


def test_survey_models_pass_the_model_tester(qtmodeltester, survey) -> None:
    survey.model.paste(0, FIRST_SCORE, "1\t2\t3\t4\t5\tnote\n")
    qtmodeltester.check(survey.model)


def test_selection_before_the_overview_shows_names_once_loaded(qtbot, ready_facade) -> None:
    page = ReadinessPage(ready_facade)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with ready_facade.workspace.session() as s:
        ident, name = s.execute(select(m.Stakeholder.id, m.Stakeholder.name).limit(1)).one()
    ready_facade.select_people([int(ident)], "stakeholders")  # nothing loaded yet
    label = page.forecast_panel.scenario_panel.selection_label
    assert "person " not in label.text()
    with qtbot.waitSignal(page.overview_ready, timeout=15_000):
        page.show()
    assert label.text() == f"Selected: {name}"


def test_forecast_without_readiness_rounds_says_not_assessed(qtbot, ready_facade) -> None:
    """No rounds at all: the forecast would be an invented 3.0 for everyone, so it says why it
    is not shown instead (the CLI says the same sentence)."""
    with ready_facade.ws.session() as s:
        s.execute(A.delete())
    page = ReadinessPage(ready_facade)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    page.show()
    page.tabs.setCurrentIndex(1)
    headline = page.forecast_panel.headline
    qtbot.waitUntil(lambda: "Not assessed" in headline.text(), timeout=15_000)
    assert "no readiness rounds" in headline.text()
    assert page.forecast_panel.groups.rowCount() == 0


def test_forecast_on_a_laptop_screen_keeps_the_chart_readable(qtbot, page) -> None:
    """At 1024 px the parameters move to a row above the verdict, so the chart has the width;
    every group keeps a readable row and no column title is cut; wide again, they return."""
    with qtbot.waitSignal(page.forecast_ready, timeout=15_000):
        page.tabs.setCurrentIndex(1)
    panel = page.forecast_panel
    assert not panel.parameters.compact and panel.splitter.indexOf(panel.parameters) == 0
    page.resize(950, 640)
    qtbot.waitUntil(lambda: panel.parameters.compact)
    assert panel.splitter.indexOf(panel.parameters) == -1  # now above the chart
    assert panel.splitter.widget(0).width() > 500  # the chart's column
    qtbot.waitUntil(lambda: panel.chart.height() >= 12 * len(panel.chart.rows) + 100)
    header = panel.table.horizontalHeader()
    for column in range(1, panel.groups.columnCount()):
        if panel.table.isColumnHidden(column):
            continue
        title = panel.groups.headerData(column, Qt.Orientation.Horizontal)
        assert header.sectionSize(column) >= title_width(header, title), title
    panel.parameters.advanced_button.click()
    assert panel.parameters.advanced.isVisible()
    assert panel.parameters.advanced.maximumHeight() < panel.height()
    page.resize(1500, 900)
    qtbot.waitUntil(lambda: not panel.parameters.compact)
    assert panel.splitter.indexOf(panel.parameters) == 0
    assert panel.parameters.advanced.isVisible()
