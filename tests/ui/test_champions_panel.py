"""The Readiness page's Champions tab: the network analysis' champion set with each pick's
marginal coverage, named apart from the forecast's people to win over."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.network.key_people import (
    ChampionCoverage,
    champion_coverage,
    champion_ids,
)
from cmio_desktop.ui.readiness import ReadinessPage
from cmio_desktop.ui.readiness.champions_panel import summary_text


@pytest.fixture
def page(qtbot, facade):
    facade.initiative_id = 1
    page = ReadinessPage(facade)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignal(page.overview_ready, timeout=60_000):
        page.show()
    return page


def test_champions_tab_lists_the_analysis_champions_with_coverage(qtbot, page, facade) -> None:
    tabs = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    assert "Champions" in tabs
    panel = page.champions_panel
    with qtbot.waitSignal(panel.loaded, timeout=60_000):
        page.show_route("champions")
    a = network.analyze(facade.ws, 1)
    expected = champion_ids(a)
    assert expected
    model = panel.model
    assert [model.data(model.index(r, 0), model.IdRole) for r in range(model.rowCount())] == (
        expected
    )
    adds = [int(model.data(model.index(r, 3)).lstrip("+")) for r in range(model.rowCount())]
    assert adds == [c.marginal_coverage for c in a.champions]
    assert adds == sorted(adds, reverse=True)  # greedy coverage: gains never grow
    reached = model.data(model.index(model.rowCount() - 1, 4))
    assert reached == f"{a.champions[-1].covered_total:,}"
    assert "people to win over" in panel.explanation.text()
    assert panel.summary.text().startswith(f"{len(expected)} champions reach")
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert "Network influence" in headers and "Power (rated)" in headers
    # Clicking a champion selects them everywhere, by name.
    first = model.index(0, 1)
    panel.table.clicked.emit(first)
    assert facade.selected_ids == [expected[0]]
    assert model.data(first) in page.selection_text.toolTip()


def test_champions_are_ready_supporters_and_never_key_resisters(page, facade) -> None:
    a = network.analyze(facade.ws, 1)
    for pick in a.champions:
        assert a.ready[pick.position] and not a.key_resister[pick.position]
        assert a.attitude[pick.position] in ("supportive", "leading")
    coverage = champion_coverage(a)
    assert coverage.not_ready == int((~np.isnan(a.readiness) & ~a.ready).sum())


def test_summary_text_says_what_the_set_reaches() -> None:
    assert summary_text(None) == ""
    assert "no readiness rounds" in summary_text(ChampionCoverage([], 0, 0))
    assert summary_text(ChampionCoverage([], 0, 7)).startswith("No champion")
