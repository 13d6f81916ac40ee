"""People without ties cost the Network page linear work (issue 19, item 12): they are one
"No ties" cluster, not thousands of one-person communities, and the force layout runs over
tied people only (the isolates sit on a grid). Checked by what reaches the expensive steps,
not by timing; then the page itself is driven to its finished state on such a workspace."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from cmio_desktop import models as m
from cmio_desktop.analysis.network_layout import clear_layout_cache
from cmio_desktop.sample import generate_sample
from cmio_desktop.services.bulk import bulk_insert
from cmio_desktop.services.network import analysis as network
from cmio_desktop.store import create_workspace
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.network import NetworkPage, view_data
from cmio_desktop.ui.network.view_data import (
    MAX_CLUSTERS,
    NO_TIES_KEY,
    NetworkIndex,
    ViewFilters,
    build_view,
)

TIED, LONELY = 500, 2000
WAIT = 120_000  # generous: the machine is shared; the point is that it finishes at all


@pytest.fixture(autouse=True)
def _fresh_caches():
    network.clear_cache()
    clear_layout_cache()
    yield


@pytest.fixture(scope="module")
def lonely_path(tmp_path_factory) -> Path:
    """A 500-person sample plus 2,000 imported people with no ties at all."""
    path = tmp_path_factory.mktemp("isolates") / "lonely.cmio"
    ws = create_workspace(path, organisation="Riverside Health")
    generate_sample(ws, people=TIED, seed=3)
    with ws.session() as session:
        org = session.scalar(select(m.Organisation.id))
        rows = [
            {
                "organisation_id": org,
                "name": f"Imported Person {i}",
                "role": "nurse",
                "stakeholder_group": "frontline_clinician",
                "department": f"Imported ward {i % 5}",
            }
            for i in range(LONELY)
        ]
        bulk_insert(session, "stakeholder", rows)
    ws.close()
    return path


@pytest.fixture
def lonely_ws(lonely_path: Path):
    from cmio_desktop.store import open_workspace

    ws = open_workspace(lonely_path)
    yield ws
    ws.close()


@pytest.fixture
def layout_calls(monkeypatch) -> list[int]:
    """The node count of every force layout and label-overlap pass the view runs."""
    calls: list[int] = []
    real_layout, real_spread = view_data.force_layout, view_data._spread

    def layout(n, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls.append(n)
        return real_layout(n, *args, **kwargs)

    def spread(xy, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls.append(xy.shape[0])
        return real_spread(xy, *args, **kwargs)

    monkeypatch.setattr(view_data, "force_layout", layout)
    monkeypatch.setattr(view_data, "_spread", spread)
    return calls


def _tied_positions(a) -> np.ndarray:  # noqa: ANN001
    touched = np.zeros(a.n, dtype=bool)
    touched[a.tie_source] = touched[a.tie_target] = True
    return np.flatnonzero(touched)


def test_isolates_form_one_cluster_and_never_reach_the_layout(lonely_ws, layout_calls) -> None:
    a = network.analyze(lonely_ws)
    assert a.n == TIED + LONELY and len(a.isolates) >= LONELY
    assert len(a.community_names) >= LONELY  # Louvain: one community per person without ties

    graph = build_view(NetworkIndex(a), ViewFilters())

    assert graph.mode == "clusters" and graph.cluster_by == "community"
    assert len(graph.clusters) <= MAX_CLUSTERS + 2
    no_ties = next(c for c in graph.clusters if c.key == NO_TIES_KEY)
    assert no_ties.size == len(a.isolates) and no_ties.label == "No ties"
    assert sum(c.size for c in graph.clusters) == a.n
    assert layout_calls and max(layout_calls) <= MAX_CLUSTERS + 2
    assert layout_calls[0] == len(graph.clusters) - 1  # "No ties" is placed, not laid out
    lone = [c.key for c in graph.clusters].index(NO_TIES_KEY)
    assert graph.xy[lone, 0] > np.delete(graph.xy[:, 0], lone).max()  # beside the drawing
    lonely = a.isolates[0]
    assert graph.cluster_key_of(lonely) == NO_TIES_KEY
    tied = int(_tied_positions(a)[0])
    assert graph.cluster_key_of(tied) == str(int(a.community[tied]))


def test_people_view_lays_out_tied_people_and_grids_the_rest(lonely_ws, layout_calls) -> None:
    a = network.analyze(lonely_ws)
    tied = _tied_positions(a)

    graph = build_view(NetworkIndex(a), ViewFilters(threshold=a.n))

    assert graph.mode == "people" and graph.people.size == a.n
    assert layout_calls == [tied.size]  # the only force layout: over the tied people
    assert tied.size <= TIED
    alone = np.setdiff1d(np.arange(a.n), tied)
    tied_y = graph.unit[tied, 1]
    grid = graph.unit[alone]
    assert np.isfinite(graph.unit).all()
    assert grid[:, 1].min() > tied_y.max()  # a grid below the drawing
    assert np.unique(np.round(grid, 9), axis=0).shape[0] == alone.size  # nobody overlaps


def test_strength_filter_makes_loosely_tied_people_a_no_ties_cluster(lonely_ws) -> None:
    a = network.analyze(lonely_ws)
    graph = build_view(NetworkIndex(a), ViewFilters(min_strength=5, threshold=100))
    assert graph.mode == "clusters"
    shown = np.zeros(a.n, dtype=bool)
    strong = a.tie_strength >= 5
    shown[a.tie_source[strong]] = shown[a.tie_target[strong]] = True
    no_ties = next(c for c in graph.clusters if c.key == NO_TIES_KEY)
    assert no_ties.size == int((~shown).sum())


def test_network_page_finishes_with_thousands_of_isolates(qtbot, lonely_ws, monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: pytest.fail(str(args[2])))
    facade = WorkspaceFacade()
    facade.set_workspace(lonely_ws)
    page = NetworkPage(facade)
    qtbot.addWidget(page)
    page.resize(1200, 800)
    try:
        with qtbot.waitSignal(page.view_ready, timeout=WAIT):
            page.show()
        qtbot.waitUntil(lambda: not page.runner.active, timeout=WAIT)
        graph = page.graph
        assert graph is not None and graph.mode == "clusters"
        assert NO_TIES_KEY in page.view.clusters
        assert len(page.view.clusters) <= MAX_CLUSTERS + 2
        # a person without ties is not offered as a community filter of one
        a = page.analysis
        assert page.controls.community.count() == 1 + len(a.community_names) - len(a.isolates)
        assert "2,500 people" in page.summary.text()

        # double-clicking the "No ties" cluster opens nothing (and raises nothing)
        item = page.view.clusters[NO_TIES_KEY]
        point = page.view.mapFromScene(item.scenePos())
        qtbot.mouseDClick(page.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert page.controls.community.currentData() is None
    finally:
        page.shutdown()
        facade.close()
