"""One key-resister list (MODELS.md): the dashboard card, the network rankings, the register
filter, the go-live criterion and the workbook show the same people in the same order; the
register shows Network influence next to Power (rated), sortable and filterable."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt

from cmio_desktop.services import dashboard as figures
from cmio_desktop.services.governance import golive
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.network.key_people import champion_ids, key_resister_ids
from cmio_desktop.services.stakeholders.register_network import (
    CHAMPION,
    KEY_RESISTER,
    TOP_INFLUENCE,
    RegisterNetwork,
)
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.stakeholders import StakeholdersPage
from cmio_desktop.ui.stakeholders.register_table import Col
from cmio_desktop.ui.stakeholders.table_model import StakeholderTableModel

TODAY = date(2026, 11, 2)


@pytest.fixture
def register(qtbot, facade, settings):
    facade.initiative_id = 1
    page = StakeholdersPage(facade, settings)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignals([page.loaded, page.network_loaded], timeout=30_000):
        page.show()
    return page


def visible_ids(page: StakeholdersPage) -> list[int]:
    return [page.model.id_at(r) for r in range(page.model.rowCount())]


def test_network_influence_sits_next_to_power_rated_and_sorts(register, facade) -> None:
    header = register.view.horizontalHeader()
    power, influence = Col.POWER, Col.NETWORK_INFLUENCE
    assert register.model.headerData(power, Qt.Orientation.Horizontal) == "Power (rated)"
    assert register.model.headerData(influence, Qt.Orientation.Horizontal) == "Network influence"
    assert header.visualIndex(influence) == header.visualIndex(power) + 1
    a = network.analyze(facade.ws, 1)
    register.view.sortByColumn(int(influence), Qt.SortOrder.DescendingOrder)
    top = [int(a.ids[p]) for p in a.top_influencers(10)]
    assert visible_ids(register)[:10] == top
    first = register.model.index(0, int(influence))
    assert register.model.data(first) == "100"


def test_register_network_filter_keeps_tagged_people(register, facade) -> None:
    a = network.analyze(facade.ws, 1)
    register.filter_bar.set_filter("network", CHAMPION)
    assert sorted(visible_ids(register)) == sorted(champion_ids(a))
    register.filter_bar.set_filter("network", TOP_INFLUENCE)
    assert 0 < register.model.rowCount() <= max(1, round(0.1 * a.n) + 2)
    register.filter_bar.set_filter("network", None)
    assert register.model.rowCount() == 120


def test_the_same_key_resisters_in_the_same_order_everywhere(qtbot, tmp_path, sample_ws) -> None:
    from cmio_desktop.ui.settings import AppSettings

    facade = WorkspaceFacade()
    window = MainWindow(facade, AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    facade.set_workspace(sample_ws)
    facade.initiative_id = 1
    dashboard = window.page_by_key["dashboard"]
    with qtbot.waitSignal(dashboard.network_loaded, timeout=30_000):
        window.show()
    expected = key_resister_ids(network.analyze(sample_ws, 1))
    assert len(expected) >= 3

    # Dashboard: the card counts the list and names its first people, in order.
    kpis = figures.network_kpis(sample_ws, 1)
    assert kpis.key_resisters == len(expected)
    assert [i for i, _n, _d in kpis.top_key_resisters] == expected[:5]
    assert dashboard.cards["key_resisters"].value.text() == str(len(expected))

    # Clicking the card lands on the Key resisters ranking: the whole list, in order.
    net_page = window.page_by_key["network"]
    with qtbot.waitSignal(net_page.analysis_ready, timeout=30_000):
        qtbot.mouseClick(dashboard.cards["key_resisters"], Qt.MouseButton.LeftButton,
                         pos=QPoint(10, 10))  # fmt: skip
    qtbot.waitUntil(lambda: net_page.rankings.model.rowCount() == len(expected))
    assert net_page.rankings.kind == "key_resisters"
    assert [r.person_id for r in net_page.rankings.model.rows] == expected

    # Register: the "Key resisters" filter, sorted by network influence.
    register = window.page_by_key["stakeholders"]
    with qtbot.waitSignals([register.loaded, register.network_loaded], timeout=30_000):
        window.show_page("stakeholders")
    register.show_route(None, "key_resisters")
    assert visible_ids(register) == expected

    # Go-live: the "No key resisters" criterion names the same people, in order.
    card = golive.evaluate(sample_ws, 1, TODAY)
    result = next(r for r in card.results if r.spec.metric == "resistant_key_players")
    assert result.value == len(expected)
    names = {i: n for i, n in zip(register.model.table.data.ids, register.model.table.data.name,
                                  strict=True)}  # fmt: skip
    lines = [line for line in result.evidence if "is a key resister" in line]
    assert [line.split(" (")[0] for line in lines] == [names[i] for i in expected]
    dashboard.wait()
    window.close()
    facade.workspace = None


def test_model_orders_ties_in_network_influence_like_the_analysis(qapp, workspace) -> None:
    from cmio_desktop.services.stakeholders import edits as service

    model = StakeholderTableModel()
    model.set_register(service.register_rows(workspace))
    ids = model.table.data.ids
    influence = {i: 50.0 for i in ids[:4]}  # a four-way tie
    influence[ids[5]] = 80.0
    net = RegisterNetwork(1, influence, key_resisters=[ids[5], ids[0], ids[1], ids[2], ids[3]])
    model.set_filter("network", KEY_RESISTER)
    assert model.rowCount() == 0  # nothing tagged before the analysis lands
    model.set_network(net)
    model.sort(int(Col.NETWORK_INFLUENCE), Qt.SortOrder.DescendingOrder)
    assert [model.id_at(r) for r in range(model.rowCount())] == net.key_resisters
    model.set_filter("network", None)
    assert model.data(model.index(model.row_of_id(ids[5]), int(Col.NETWORK_INFLUENCE))) == "80"
    blank = model.row_of_id(ids[10])
    assert model.data(model.index(blank, int(Col.NETWORK_INFLUENCE))) == ""


def test_rows_reread_after_an_edit_keep_their_network_figures(qapp, workspace) -> None:
    from cmio_desktop.services.stakeholders import edits as service
    from cmio_desktop.ui.stakeholders.register_table import network_columns

    table_model = StakeholderTableModel()
    table_model.set_register(service.register_rows(workspace))
    table = table_model.table
    ids = table.data.ids
    net = RegisterNetwork(1, {i: float(n % 90) for n, i in enumerate(ids)}, key_resisters=[ids[3]])
    stale = network_columns(net, ids[:-1])  # lined up with other ids: recomputed, not trusted
    table_model.set_network(net, stale)
    pos = table.index[ids[3]]
    assert table.derived.tags[pos] == frozenset({KEY_RESISTER})
    table_model.update_rows(service.register_rows(workspace, ids=[ids[3]]))
    assert table.display[Col.NETWORK_INFLUENCE][pos] == "3"
    assert table.derived.tags[pos] == frozenset({KEY_RESISTER})
    assert table.display[Col.NETWORK_INFLUENCE][-1] == f"{(len(ids) - 1) % 90}"
