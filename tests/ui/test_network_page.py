"""The Network page, driven like a user: it loads, clicks select people everywhere, filters
narrow the view, big networks show clusters, and tie edits are undoable."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from cmio_desktop import models as m
from cmio_desktop.analysis.network_layout import clear_layout_cache
from cmio_desktop.sample import generate_sample
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.network import ties
from cmio_desktop.store import create_workspace
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.network import NetworkPage, TiesPanel, palette
from cmio_desktop.ui.network.commands import (
    AddTieCommand,
    DeleteTiesCommand,
    EditTieCommand,
    run_command,
)
from cmio_desktop.ui.network.items import NodeItem
from cmio_desktop.ui.network.tie_dialog import TieDialog

WAIT = 30_000


@pytest.fixture(autouse=True)
def _fresh_caches():
    network.clear_cache()
    clear_layout_cache()
    yield


@pytest.fixture(autouse=True)
def warnings_shown(monkeypatch) -> list[str]:
    """No modal message box may block a test: warnings are recorded instead."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: shown.append(args[2]))
    return shown


def open_page(qtbot, ws, **options) -> tuple[WorkspaceFacade, NetworkPage]:
    facade = WorkspaceFacade()
    facade.set_workspace(ws)
    page = NetworkPage(facade, **options)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    with qtbot.waitSignal(page.view_ready, timeout=WAIT):
        page.show()
    return facade, page


@pytest.fixture
def loaded(qtbot, sample_ws):
    facade, page = open_page(qtbot, sample_ws)
    yield facade, page
    page.shutdown()


def state(page: NetworkPage) -> str:
    task = page.runner.current("view")
    return (
        f"view task done={getattr(task, 'is_done', None)} "
        f"cancelled={getattr(task, 'is_cancelled', None)} active={page.runner.active} "
        f"busy={page.busy.bar.isVisible()} text={page.busy.text.text()!r}"
    )


def click_node(qtbot, page: NetworkPage, item: NodeItem) -> None:
    view = page.view
    view.centerOn(item)
    point = view.mapFromScene(item.scenePos())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def top_node(page: NetworkPage) -> NodeItem:
    return max(page.view.nodes.values(), key=lambda item: item.radius)


def test_page_loads_the_sample(loaded) -> None:
    _facade, page = loaded
    assert page.graph is not None and page.graph.mode == "people"
    assert len(page.view.nodes) == 120
    assert "120 people" in page.summary.text() and "betweenness exact" in page.summary.text()
    assert page.rankings.model.rowCount() > 10
    assert page.view.legend.entries and not page.busy.bar.isVisible()
    assert any(label.isVisible() for label in page.view._labels)


def test_clicking_a_node_selects_the_person_everywhere(qtbot, loaded) -> None:
    facade, page = loaded
    item = top_node(page)
    with qtbot.waitSignal(facade.selection_changed, timeout=WAIT) as blocker:
        click_node(qtbot, page, item)
    assert blocker.args == [[item.person_id], "network"]
    assert facade.selected_ids == [item.person_id]
    assert page.ties.person_id == item.person_id
    assert page.view._ring is not None


def test_a_selection_elsewhere_highlights_and_centres_the_node(qtbot, loaded) -> None:
    facade, page = loaded
    a = page.analysis
    pid = int(a.ids[a.top_influencers(3)[2]])
    page.view.zoom_by(4)
    facade.select_people([pid], "stakeholders")
    node = page.view.nodes[pid]
    ring = page.view._ring
    assert ring is not None and ring.pos() == node.pos()
    centre = page.view.mapToScene(page.view.viewport().rect().center())
    assert (centre - node.pos()).manhattanLength() < 5
    assert page.rankings.table.selectionModel().selectedRows()[0].row() == 2
    assert page.ties.person_id == pid


def test_filters_reduce_the_visible_nodes(qtbot, loaded) -> None:
    _facade, page = loaded
    a = page.analysis
    department = a.department[a.top_influencers(1)[0]]
    with qtbot.waitSignal(page.view_ready, timeout=5000, raising=False) as blocker:
        page.controls.set_department(department)
    assert blocker.signal_triggered, state(page)
    shown = page.view.nodes
    assert 0 < len(shown) < 120
    assert {a.department[item.position] for item in shown.values()} == {department}
    ranked = {row.department for row in page.rankings.model.rows}
    assert ranked == {department}  # the rankings follow the filters
    with qtbot.waitSignal(page.view_ready, timeout=5000, raising=False) as blocker:
        page.controls.strength.setCurrentIndex(3)  # ties of strength ≥ 4 only
    assert blocker.signal_triggered, state(page)
    assert page.graph is not None and all(page.graph.edge_weight >= 4)
    with qtbot.waitSignal(page.view_ready, timeout=5000, raising=False) as blocker:
        page.controls.reset.click()
    assert blocker.signal_triggered, state(page)
    assert len(page.view.nodes) == 120


def test_ego_view_shows_the_person_and_their_neighbours(qtbot, loaded) -> None:
    facade, page = loaded
    a = page.analysis
    pos = a.top_influencers(1)[0]
    pid = int(a.ids[pos])
    facade.select_people([pid], "stakeholders")
    with qtbot.waitSignal(page.view_ready, timeout=WAIT):
        page.controls.set_ego_depth(1)
    neighbours = set(a.tie_target[a.tie_source == pos].tolist())
    neighbours |= set(a.tie_source[a.tie_target == pos].tolist())
    assert {item.position for item in page.view.nodes.values()} == neighbours | {pos}


def test_switching_initiative_recomputes_readiness(qtbot, loaded) -> None:
    facade, page = loaded
    assert page.analysis.initiative_id == facade.initiative_id
    with qtbot.waitSignal(page.analysis_ready, timeout=WAIT):
        facade.set_initiative(2)  # the sample's second initiative has no rounds yet
    assert page.analysis.initiative_id == 2
    assert page.analysis.readiness_of(0) is None
    assert page.readiness.model.rows[0].assessed == 0


def test_zoom_controls(loaded) -> None:
    _facade, page = loaded
    scale = page.view.transform().m11()
    page.view.zoom_by(2)
    assert page.view.transform().m11() == pytest.approx(2 * scale)
    page.view.fit()
    assert page.view.transform().m11() == pytest.approx(scale)


def test_colour_switch_recolours_without_recomputing(loaded) -> None:
    _facade, page = loaded
    a = page.analysis
    item = top_node(page)
    graph = page.graph
    page.controls.colour.setCurrentIndex(2)  # community
    assert page.view.colour_by == "community" and page.graph is graph  # no new view
    assert page.view.legend.entries[0].text == "Community:"
    community = int(a.community[item.position])
    assert item.brush().color().name() == palette.community_colour(community)
    page.controls.colour.setCurrentIndex(1)  # readiness
    assert item.brush().color().name() == palette.readiness_colour(a.readiness_of(item.position))
    assert any("4.0" in e.text for e in page.view.legend.entries)


def test_ranking_row_click_selects_the_person(qtbot, loaded) -> None:
    facade, page = loaded
    page.rankings.show_kind("hot_spots")
    model = page.rankings.model
    assert model.rowCount() > 0 and "influence" in model.rows[0].reason
    table = page.rankings.table
    rect = table.visualRect(model.index(0, 1))
    with qtbot.waitSignal(facade.selection_changed, timeout=WAIT) as blocker:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [[model.rows[0].person_id], "network"]


def test_relationships_model_passes_the_model_tester(qtbot, qtmodeltester, loaded) -> None:
    facade, page = loaded
    with qtbot.waitSignal(page.relationships_ready, timeout=WAIT):
        page.side.setCurrentWidget(page.relationships)
    model = page.relationships.model
    total = model.rowCount()
    assert total == page.analysis.tie_count
    qtmodeltester.check(model)
    name = page.analysis.name[page.analysis.top_influencers(1)[0]]
    page.relationships.search.setText(name.split()[-1].lower())
    assert 0 < model.rowCount() < total
    qtmodeltester.check(model)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    strengths = [int(model.data(model.index(r, 2))) for r in range(model.rowCount())]
    assert strengths == sorted(strengths, reverse=True)
    page.relationships.search.clear()
    page.relationships.strength.setCurrentIndex(4)  # strength 5 only
    assert all(model.data(model.index(r, 2)) == "5" for r in range(model.rowCount()))


def test_tie_commands_undo_and_redo_and_the_page_refreshes(qtbot, loaded) -> None:
    facade, page = loaded
    a = page.analysis
    source, target = int(a.ids[0]), int(a.ids[-1])
    before = a.tie_count
    command = AddTieCommand(facade, source, target, 5, "mentor", "", "add tie A → B")
    with qtbot.waitSignal(page.analysis_ready, timeout=WAIT):
        assert run_command(command, page)
    assert page.analysis.tie_count == before + 1
    assert facade.undo_stack.undoText() == "add tie A → B"
    with qtbot.waitSignal(page.analysis_ready, timeout=WAIT):
        facade.undo_stack.undo()
    assert page.analysis.tie_count == before
    facade.undo_stack.redo()
    assert ties.find_tie(facade.ws, source, target) is not None
    tie_id = ties.find_tie(facade.ws, source, target).id
    assert run_command(DeleteTiesCommand(facade, [tie_id], "delete tie"), page)
    assert ties.find_tie(facade.ws, source, target) is None
    facade.undo_stack.undo()
    assert ties.find_tie(facade.ws, source, target).id == tie_id


def test_an_edit_keeps_the_drawing_and_the_zoom(qtbot, loaded) -> None:
    facade, page = loaded
    a = page.analysis
    page.view.zoom_by(2.0)
    scale = page.view.transform().m11()
    before = {pid: item.pos() for pid, item in page.view.nodes.items()}
    source, target = int(a.ids[1]), int(a.ids[-2])
    with qtbot.waitSignal(page.view_ready, timeout=WAIT):
        run_command(AddTieCommand(facade, source, target, 4, "peer", "", "add tie"), page)
    after = {pid: item.pos() for pid, item in page.view.nodes.items()}
    moved = sorted((after[pid] - before[pid]).manhattanLength() for pid in before)
    extent = page.view.sceneRect().width()
    assert moved[len(moved) // 2] < 0.05 * extent  # most people stay where they were
    assert page.view.transform().m11() == pytest.approx(scale)


def test_a_refused_tie_is_not_pushed_for_undo(loaded, warnings_shown) -> None:
    facade, page = loaded
    shown = warnings_shown
    pid = int(page.analysis.ids[0])
    assert not run_command(AddTieCommand(facade, pid, pid, 3, "peer", "", "x"), page)
    assert shown and "themselves" in shown[0]
    assert facade.undo_stack.count() == 0


def test_ties_panel_lists_edits_and_removes(qtbot, sample_ws, monkeypatch, warnings_shown) -> None:
    facade = WorkspaceFacade()
    facade.set_workspace(sample_ws)
    panel = TiesPanel(facade)
    qtbot.addWidget(panel)
    panel.set_person(1)
    found = ties.person_ties(sample_ws, 1)
    assert panel.influences.model.rowCount() == len(found.influences) > 0
    assert panel.influenced_by.model.rowCount() == len(found.influenced_by)
    assert "(" in panel.influences.heading.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    panel.influences.table.selectRow(0)
    first = panel.influences.current()
    panel.influences.remove_button.click()
    assert panel.influences.model.rowCount() == len(found.influences) - 1
    facade.undo_stack.undo()
    assert panel.influences.model.rowCount() == len(found.influences)
    assert facade.undo_stack.undoText() == ""
    assert facade.undo_stack.redoText() == f"delete tie {first.describe()}"

    already = {t.target_id for t in found.influences} | {1}
    new_target = next(i for i in range(2, 200) if i not in already)

    def fake_exec(dialog: TieDialog) -> int:
        assert dialog.source.person_id() == 1
        dialog.target.setText(dialog.target.label_of(new_target))
        dialog.strength.setCurrentIndex(4)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(TieDialog, "exec", fake_exec)
    count = panel.influences.model.rowCount()
    panel.influences.add_button.click()
    assert panel.influences.model.rowCount() == count + 1
    added = ties.find_tie(sample_ws, 1, new_target)
    assert added is not None and added.strength == 5
    assert facade.undo_stack.undoText().startswith("add tie ")
    assert warnings_shown == []
    panel.set_person(None)
    assert panel.influences.model.rowCount() == 0


def test_save_the_view_as_png_and_svg(loaded, tmp_path: Path, monkeypatch) -> None:
    _facade, page = loaded
    for name, chosen in (("net.png", "PNG image (*.png)"), ("net", "SVG vector image (*.svg)")):
        target = tmp_path / name
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", lambda *a, t=target, c=chosen: (str(t), c)
        )
        page.save_dialog()
    image = QImage(str(tmp_path / "net.png"))
    assert not image.isNull() and image.width() >= 2 * page.view.viewport().width()
    svg = (tmp_path / "net.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Unaware" in svg


def test_large_network_is_aggregated_and_drills_down(qtbot, tmp_path: Path) -> None:
    ws = create_workspace(tmp_path / "big.cmio")
    generate_sample(ws, people=2000, seed=3)
    with ws.session() as session:  # sampled betweenness keeps the test quick
        session.add(m.WorkspaceSetting(key="network.exact_betweenness_max_nodes", value=500))
        session.add(m.WorkspaceSetting(key="network.betweenness_pivots", value=100))
    facade, page = open_page(qtbot, ws, aggregate_threshold=300)
    try:
        graph = page.graph
        assert graph is not None and graph.mode == "clusters"
        assert len(page.view.clusters) >= 5 and not page.view.nodes
        assert sum(c.size for c in graph.clusters) == 2000
        assert "sampled" in page.summary.text()
        smallest = min(graph.clusters, key=lambda c: c.size)
        item = page.view.clusters[smallest.key]
        point = page.view.mapFromScene(item.scenePos())
        with qtbot.waitSignal(page.view_ready, timeout=WAIT):
            qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert page.graph.mode == "people"
        assert len(page.view.nodes) == smallest.size
        community = {int(page.analysis.community[i.position]) for i in page.view.nodes.values()}
        assert community == {int(smallest.key)}
        with qtbot.waitSignal(page.view_ready, timeout=WAIT):
            page.controls.cluster_by.setCurrentIndex(1)  # departments (community still set)
        with qtbot.waitSignal(page.view_ready, timeout=WAIT):
            page.controls.reset.click()
        assert page.graph.mode == "clusters" and page.graph.cluster_by == "department"
        facade.select_people([int(page.analysis.ids[0])], "stakeholders")
        assert page.view._ring is not None  # the person's cluster is highlighted
    finally:
        page.shutdown()
        facade.close()


def test_cancel_stops_the_background_analysis(qtbot, sample_ws) -> None:
    facade = WorkspaceFacade()
    facade.set_workspace(sample_ws)
    page = NetworkPage(facade, in_thread_max_ties=0)  # graph metrics in a child process
    qtbot.addWidget(page)
    page.show()
    assert page.busy.cancel_button.isVisible()
    page.cancel()
    assert not page.busy.bar.isVisible() and page.busy.text.text() == "Cancelled"
    page.shutdown()
    assert page.runner.active == 0 or page.runner.wait(5000)
    with qtbot.waitSignal(page.view_ready, timeout=WAIT):
        page.refresh()  # the child process path completes too
    assert len(page.view.nodes) == 120
    page.shutdown()


def test_click_on_empty_space_and_drag_do_not_select(qtbot, loaded) -> None:
    facade, page = loaded
    seen: list[list[int]] = []
    facade.selection_changed.connect(lambda ids, _source: seen.append(ids))
    viewport = page.view.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=QPoint(3, 3))
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=QPoint(200, 200))
    qtbot.mouseMove(viewport, QPoint(260, 240))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=QPoint(260, 240))
    assert seen == []


def test_edit_tie_command_undo_restores_the_old_values(qtbot, loaded) -> None:
    facade, page = loaded
    tie = ties.person_ties(facade.ws, int(page.analysis.ids[0])).influences[0]
    command = EditTieCommand(facade, tie.id, {"strength": 1, "note": "cooling"}, "edit tie")
    assert run_command(command, page)
    assert (ties.get_tie(facade.ws, tie.id).strength, ties.get_tie(facade.ws, tie.id).note) == (
        1,
        "cooling",
    )
    facade.undo_stack.undo()
    again = ties.get_tie(facade.ws, tie.id)
    assert (again.strength, again.note) == (tie.strength, tie.note)
