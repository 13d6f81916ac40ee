"""The Portfolio page on the sample workspace: saturation (heat grid, clashes, thresholds) and
change impact (ratings, degree beside readiness, the red zone), every edit an undo step whose
values round-trip through the services."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from cmio_desktop.services.plan.facts import department_readiness, people_facts
from cmio_desktop.services.portfolio import impact, load
from cmio_desktop.ui.common.table_view import selected_records
from cmio_desktop.ui.portfolio.impact_dialog import ImpactDialog
from cmio_desktop.ui.portfolio.page import PortfolioPage

IID = 1  # the sample's go-live initiative (go-live 01 Feb 2027)
GO_LIVE_WEEK = date(2027, 2, 1)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def page(qtbot, facade):
    facade.initiative_id = IID
    page = PortfolioPage(facade)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: "saturation" not in page.stale)
    return page


def show_impact(qtbot, page: PortfolioPage) -> None:
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "impact" not in page.stale)


def over_cells(page: PortfolioPage, department: str | None = None) -> int:
    cells = page.saturation.model.grid.cells.values()
    return sum(c.over for c in cells if department is None or c.department == department)


def line_of(page: PortfolioPage, department: str):
    return next(ln for ln in page.impact.lines() if ln.row.department == department)


def cell_text(page: PortfolioPage, department: str, column: str) -> str:
    model = page.impact.model
    row = next(r for r in range(model.rowCount()) if model.record(r).row.department == department)
    return model.index(row, model.column_of(column)).data()


# -- saturation ------------------------------------------------------------------------------------


def test_the_sample_shows_a_clash_in_the_go_live_weeks(page) -> None:
    tab = page.saturation
    clashes = [r.clash for r in tab.clashes.records]
    periop = next(c for c in clashes if c.department == "Periop" and c.week == GO_LIVE_WEEK)
    assert periop.saturated and periop.hours > periop.threshold
    initiatives = {p.initiative for p in periop.parts}
    assert len(initiatives) >= 2  # two initiatives load Periop in the go-live week
    assert "Downtime drill" in periop.sentence and "go-live of" in periop.sentence
    # The grid marks the same cell over its threshold, and the go-live week in its header.
    model = tab.model
    index = model.index_of("Periop", GO_LIVE_WEEK)
    assert index.data(model.OverRole) is True
    assert index.data() == "7.6"
    assert "Downtime drill" in index.data(Qt.ItemDataRole.ToolTipRole)
    column = model.grid.weeks.index(GO_LIVE_WEEK)
    assert "◆" in model.headerData(column, Qt.Orientation.Horizontal)
    assert "Go-live: Ambulatory EHR go-live" in model.headerData(
        column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
    )
    # Every week from the first to the last is a column (quiet weeks too).
    weeks = model.grid.weeks
    assert all((b - a).days == 7 for a, b in zip(weeks, weeks[1:], strict=False))
    assert "1 department-week over the threshold" in page.caption.text()


def test_choosing_a_clash_selects_its_cell_and_shows_what_makes_it_up(qtbot, page) -> None:
    tab = page.saturation
    row = next(
        r for r in range(tab.clashes.rowCount()) if tab.clashes.record(r).id[0] == "Periop"
        and tab.clashes.record(r).clash.saturated
    )  # fmt: skip
    tab.clash_view.selectRow(row)
    cell = tab.current_cell()
    assert (cell.department, cell.week) == ("Periop", GO_LIVE_WEEK)
    assert tab.shown_cell == cell
    text = tab.cell_text.text()
    assert "Downtime drill" in text and "over" in text and "7.6 h" in text
    assert tab.editor.department.currentText() == "Periop"  # thresholds follow the selection


def test_lowering_a_threshold_marks_more_cells_over_and_undo_restores(qtbot, page, facade) -> None:
    tab = page.saturation
    before_icu, before_all = over_cells(page, "ICU"), over_cells(page)
    assert before_icu == 0
    tab.editor.choose("ICU")
    tab.editor.department_box.setValue(3.0)
    with qtbot.waitSignal(page.refreshed):
        tab.editor.department_button.click()
    assert over_cells(page, "ICU") > before_icu
    assert over_cells(page) > before_all
    assert load.portfolio(facade.ws).thresholds == {"ICU": 3.0}  # stored
    icu = tab.model.grid.departments.index("ICU")
    assert tab.model.headerData(icu, Qt.Orientation.Vertical) == "ICU  (3 h)"
    assert tab.editor.reset_button.isEnabled()
    assert facade.undo_stack.undoText() == "change ICU's threshold"

    with qtbot.waitSignal(page.refreshed):
        facade.undo_stack.undo()
    assert load.portfolio(facade.ws).thresholds == {}
    assert (over_cells(page, "ICU"), over_cells(page)) == (before_icu, before_all)
    assert tab.model.headerData(icu, Qt.Orientation.Vertical) == "ICU"

    with qtbot.waitSignal(page.refreshed):
        facade.undo_stack.redo()
    assert load.portfolio(facade.ws).thresholds == {"ICU": 3.0}
    tab.editor.choose("ICU")
    with qtbot.waitSignal(page.refreshed):
        tab.editor.reset_button.click()  # back to the default
    assert load.portfolio(facade.ws).thresholds == {}


def test_the_default_threshold_round_trips(qtbot, page, facade) -> None:
    tab = page.saturation
    tab.editor.default_box.setValue(12.0)
    with qtbot.waitSignal(page.refreshed):
        tab.editor.default_button.click()
    found = load.portfolio(facade.ws)
    assert found.default_threshold == 12.0
    assert over_cells(page) == 0
    assert tab.editor.default_box.value() == 12.0
    assert all(c.threshold == 12.0 for c in tab.model.grid.cells.values())
    with qtbot.waitSignal(page.refreshed):
        facade.undo_stack.undo()
    assert load.portfolio(facade.ws).default_threshold == 6.0
    assert tab.editor.default_box.value() == 6.0


def test_a_refused_threshold_is_said_and_changes_nothing(qtbot, page, facade) -> None:
    tab = page.saturation
    tab.thresholds_edited.emit({"ICU": 95.0})  # out of range (the spin box cannot send it)
    assert "between 0 and 80 hours" in tab.editor.note.text()
    assert load.portfolio(facade.ws).thresholds == {}
    assert facade.undo_stack.count() == 0


# -- change impact ---------------------------------------------------------------------------------


def test_readiness_beside_the_degree_is_the_dashboards_figure(qtbot, page, facade) -> None:
    show_impact(qtbot, page)
    means = {d: (mean, n) for d, mean, n in department_readiness(people_facts(facade.ws, IID))}
    for line in page.impact.lines():
        mean, assessed = means[line.row.department]
        assert cell_text(page, line.row.department, "Readiness") == f"{mean:.2f} ({assessed})"
    assert cell_text(page, "Periop", "degree") == "High · 3.6"
    zone = impact.red_zone(facade.ws, IID)
    assert [r.department for r in page.impact.red.records] == [z.department for z in zone if z.red]
    assert page.impact.map.red_zone_departments() == sorted(z.department for z in zone if z.red)
    assert "6 departments in the red zone" in page.caption.text()


def test_an_impact_edit_updates_the_degree_and_the_red_zone(qtbot, page, facade) -> None:
    show_impact(qtbot, page)
    tab = page.impact
    lab = line_of(page, "Laboratory")
    assert lab.row.degree == "medium" and not lab.red
    assert "Laboratory" not in tab.map.red_zone_departments()
    with qtbot.waitSignal(page.refreshed):
        assert tab.set_aspect(lab, "technology", "5")  # any aspect at 5 makes it high
    lab = line_of(page, "Laboratory")
    assert lab.row.degree == "high" and lab.red
    assert cell_text(page, "Laboratory", "Red zone") == "RED"
    assert "Laboratory" in [r.department for r in tab.red.records]
    assert "Laboratory" in tab.map.red_zone_departments()
    stored = next(r for r in impact.list_impacts(facade.ws, IID) if r.department == "Laboratory")
    assert stored.aspects == lab.row.aspects and stored.aspects["technology"] == 5

    with qtbot.waitSignal(page.refreshed):
        facade.undo_stack.undo()
    lab = line_of(page, "Laboratory")
    assert lab.row.aspects["technology"] == 3 and lab.row.degree == "medium" and not lab.red
    assert "Laboratory" not in tab.map.red_zone_departments()


def test_an_aspect_typed_in_the_table_is_stored(qtbot, page, facade) -> None:
    show_impact(qtbot, page)
    model = page.impact.model
    row = next(r for r in range(model.rowCount()) if model.record(r).row.department == "Pharmacy")
    index = model.index(row, model.column_of("workflow"))
    assert model.flags(index) & Qt.ItemFlag.ItemIsEditable
    with qtbot.waitSignal(page.refreshed):
        assert model.setData(index, "4") is False  # stored by the page, then shown
    stored = next(r for r in impact.list_impacts(facade.ws, IID) if r.department == "Pharmacy")
    assert stored.aspects["workflow"] == 4
    assert cell_text(page, "Pharmacy", "workflow") == "4"


@pytest.mark.parametrize("typed", ["7", "-1", "two", "2.5"])
def test_an_aspect_out_of_range_gets_a_sentence_and_changes_nothing(
    qtbot, page, facade, typed
) -> None:
    show_impact(qtbot, page)
    before = impact.list_impacts(facade.ws, IID)
    assert not page.impact.set_aspect(line_of(page, "ICU"), "process", typed)
    assert page.impact.message.text() == (
        f"ICU: Process impact is a whole number from 0 to 5. “{typed}” was not stored."
    )
    assert impact.list_impacts(facade.ws, IID) == before
    assert facade.undo_stack.count() == 0


def test_an_unknown_department_gets_a_sentence_and_the_dialog_stays(qtbot, page) -> None:
    show_impact(qtbot, page)
    dialog = ImpactDialog(page.impact.departments)
    qtbot.addWidget(dialog)
    dialog.department.setCurrentText("Cardiology")
    dialog.accept()
    assert dialog.result() == 0 and dialog.result_values is None
    assert not dialog.error.isHidden()
    assert "no department “Cardiology”" in dialog.error.text()
    dialog.department.setCurrentText("  periop ")  # case and spaces are forgiven
    dialog.spins["people"].setValue(5)
    assert "high" in dialog.degree.text()
    dialog.accept()
    assert dialog.result_values == ("Periop", None, {**dict.fromkeys(dialog.spins, 0), "people": 5})


def test_rating_a_new_department_then_undo_and_redo(qtbot, page, facade, monkeypatch) -> None:
    show_impact(qtbot, page)

    def fill(dialog: ImpactDialog) -> int:
        dialog.department.setCurrentText("Executive")
        dialog.role.setCurrentIndex(dialog.role.findData("executive"))
        for spin in dialog.spins.values():
            spin.setValue(4)
        dialog.accept()
        return 1

    monkeypatch.setattr(ImpactDialog, "exec", fill)
    with qtbot.waitSignal(page.refreshed):
        page.impact.add_rating()
    stored = [r for r in impact.list_impacts(facade.ws, IID) if r.department == "Executive"]
    assert [(r.role, r.degree, set(r.aspects.values())) for r in stored] == [
        ("executive", "high", {4})
    ]
    assert any(ln.row.scope == "Executive · Executive" for ln in page.impact.lines())
    with qtbot.waitSignal(page.refreshed):
        facade.undo_stack.undo()
    assert not [r for r in impact.list_impacts(facade.ws, IID) if r.department == "Executive"]
    with qtbot.waitSignal(page.refreshed):
        facade.undo_stack.redo()
    again = [r for r in impact.list_impacts(facade.ws, IID) if r.department == "Executive"]
    assert [r.id for r in again] == [stored[0].id]  # the same rating, restored


def test_deleting_a_rating_and_undo(qtbot, page, facade, monkeypatch) -> None:
    show_impact(qtbot, page)
    tab = page.impact
    row = next(
        r for r in range(tab.model.rowCount()) if tab.model.record(r).row.department == "ICU"
    )
    tab.view.selectRow(row)
    assert tab.delete_button.isEnabled() and tab.edit_button.isEnabled()
    with qtbot.waitSignal(page.refreshed):
        tab.delete_button.click()
    assert "ICU" not in {r.department for r in impact.list_impacts(facade.ws, IID)}
    assert "ICU" not in [r.department for r in tab.red.records]
    with qtbot.waitSignal(page.refreshed):
        facade.undo_stack.undo()
    assert "ICU" in {ln.row.department for ln in tab.lines()}
    assert "ICU" in [r.department for r in tab.red.records]


def test_an_impact_edit_moves_the_saturation_load_too(qtbot, page, facade) -> None:
    before = page.saturation.model.grid.cell("Laboratory", GO_LIVE_WEEK).hours
    show_impact(qtbot, page)
    with qtbot.waitSignal(page.refreshed):
        page.impact.set_aspect(line_of(page, "Laboratory"), "people", "5")
    assert "saturation" in page.stale  # reloaded when shown again
    page.tabs.setCurrentIndex(0)
    qtbot.waitUntil(lambda: "saturation" not in page.stale)
    after = page.saturation.model.grid.cell("Laboratory", GO_LIVE_WEEK).hours
    assert after == pytest.approx(before + 3 / 7)  # people 2 → 5 adds 3/7 to the mean


def test_switching_initiative_shows_its_ratings(qtbot, page, facade) -> None:
    show_impact(qtbot, page)
    with qtbot.waitSignal(page.refreshed):
        facade.set_initiative(2)
    assert {ln.row.initiative_id for ln in page.impact.lines()} == {2}
    assert {ln.row.department for ln in page.impact.lines()} == {"ICU", "Med-Surg", "Periop"}


# -- first paint -----------------------------------------------------------------------------------


def test_the_first_paint_does_not_import_the_portfolio_package(tmp_path) -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from cmio_desktop.ui.facade import WorkspaceFacade\n"
        "from cmio_desktop.ui.main_window import MainWindow\n"
        "from cmio_desktop.ui.settings import AppSettings\n"
        "from pathlib import Path\n"
        f"w = MainWindow(WorkspaceFacade(), AppSettings(Path({str(tmp_path / 's.ini')!r})), "
        "defer_pages=True)\n"
        "loaded = [m for m in sys.modules if m.startswith('cmio_desktop.ui.portfolio')]\n"
        "assert not loaded, loaded\n"
        "w.build_pages()\n"
        "assert 'cmio_desktop.ui.portfolio.page' in sys.modules\n"
    )
    env = {"QT_QPA_PLATFORM": "offscreen", "CMIO_DESKTOP_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, cwd=ROOT,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_delete_key_and_the_edit_menu_commands(qtbot, page, facade) -> None:
    assert page.command_actions() == []  # the saturation tab has no row commands
    show_impact(qtbot, page)
    ids = [a.objectName() for a in page.command_actions()]
    assert ids == ["portfolio.impact.add", "portfolio.impact.edit", "portfolio.impact.delete"]
    view = page.impact.view
    view.selectRow(page.impact.model.row_of(line_of(page, "Radiology").id))
    page.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    with qtbot.waitSignal(page.refreshed):
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "Radiology" not in {r.department for r in impact.list_impacts(facade.ws, IID)}
    assert facade.undo_stack.undoText() == "delete change impact on Radiology"


def test_clicking_a_red_zone_cell_selects_its_ratings(qtbot, page) -> None:
    show_impact(qtbot, page)
    chart = page.impact.map
    chart.resize(480, 240)
    x, y = next(
        (x, y) for x in range(0, 480, 8) for y in range(0, 240, 8)
        if chart.cell_at(x, y) == ("high", "not_ready")
    )  # fmt: skip
    with qtbot.waitSignal(chart.cell_clicked) as clicked:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    assert clicked.args == [["Periop"]]
    chosen = {ln.row.department for ln in selected_records(page.impact.view)}
    assert chosen == {"Periop"}


def test_an_empty_workspace_shows_an_empty_portfolio(qtbot, empty_ws) -> None:
    from cmio_desktop.ui.facade import WorkspaceFacade

    facade = WorkspaceFacade()
    facade.workspace = empty_ws
    page = PortfolioPage(facade)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: "saturation" not in page.stale)
    assert page.saturation.model.rowCount() == 0
    assert page.caption.text().startswith("No change load yet")
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "impact" not in page.stale)
    assert page.caption.text() == "No initiative yet."
    assert page.impact.add_rating() is None  # no initiative to rate for: no dialog
    facade.workspace = None


def test_the_colours_used_as_text_reach_aa_contrast() -> None:
    from cmio_desktop.ui.contrast import AA_TEXT, contrast_ratio
    from cmio_desktop.ui.portfolio.heat_grid import BANDS
    from cmio_desktop.ui.portfolio.impact_table import DEGREE_COLOURS, RED_ROW

    pairs = [(fg, bg) for _limit, bg, fg, _text in BANDS]
    pairs += [(c, "#ffffff") for c in DEGREE_COLOURS.values()]
    pairs += [(DEGREE_COLOURS["high"], RED_ROW), ("#991b1b", RED_ROW)]  # only high rows are red
    assert [p for p in pairs if contrast_ratio(*p) < AA_TEXT] == []
