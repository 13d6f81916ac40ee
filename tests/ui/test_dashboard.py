"""The dashboard: KPIs load off the UI thread, and every card clicks through to its page."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt

from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.ui.dashboard.page import CARDS, DashboardPage
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow

TODAY = date(2026, 11, 2)


@pytest.fixture
def dashboard(qtbot, facade):
    facade.initiative_id = 1
    page = DashboardPage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1360, 860)
    with qtbot.waitSignals([page.summary_loaded, page.network_loaded], timeout=30_000):
        page.show()
    return page


def test_cards_show_the_sample_figures(dashboard) -> None:
    c = dashboard.cards
    assert c["people"].value.text() == "120"
    assert c["overdue"].value.text() == "1"  # one overdue item in the sample
    assert c["due"].value.text().isdigit()
    assert c["golive"].value.text() == "No-go"
    assert c["risks"].value.text() == "2"
    assert c["training"].value.text().endswith("%")
    assert c["hot_spots"].value.text().isdigit()
    assert int(c["key_resisters"].value.text()) > 0
    assert "influential and not ready" not in c["hot_spots"].note.text()
    assert float(c["weighted"].value.text()) > 1
    s = dashboard.summary
    assert s is not None and s.days_to_go_live == 91 and s.activities_overdue == 1
    dashboard.readiness_chart.draw_now()
    dashboard.due_chart.draw_now()
    dashboard.training_chart.draw_now()


def test_a_change_reloads_the_summary(qtbot, dashboard, facade) -> None:
    from cmio_desktop.services.governance import records as governance

    risk = next(r for r in governance.list_risks(facade.ws, 1) if r.criticality == "critical")
    governance.update_risk(facade.ws, risk.id, {"status": "closed"})
    with qtbot.waitSignal(dashboard.summary_loaded, timeout=10_000):
        facade.announce(ChangeSet.of(ChangeKind.RISK))
    assert dashboard.cards["risks"].value.text() == "1"


def test_cards_click_through_to_the_tab_and_filter_behind_their_number(
    qtbot, tmp_path, sample_ws
) -> None:
    from cmio_desktop.ui.settings import AppSettings

    facade = WorkspaceFacade()
    window = MainWindow(facade, AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    facade.set_workspace(sample_ws)
    window.show()
    dashboard = window.page_by_key["dashboard"]
    assert isinstance(dashboard, DashboardPage)
    assert window.current_page_key() == "dashboard"
    pages = window.page_by_key
    network, plan, risks = pages["network"], pages["plan"], pages["risks"]
    with qtbot.waitSignal(network.analysis_ready, timeout=30_000):
        window.show_page("network")
    network.controls.department.setCurrentIndex(1)  # a filter the card must clear
    assert network.controls.department.currentIndex() == 1
    plan.activities.search.setText("zzz")  # likewise
    landed = {}
    for key, _caption, route in CARDS:
        window.show_page("dashboard")
        card = dashboard.cards[key]
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
        assert window.current_page_key() == route.page, key
        page = pages[route.page]
        if route.page == "network":
            landed[key] = (
                network.side.currentWidget() is network.rankings and network.rankings.kind
                if route.tab != "readiness"
                else network.side.currentWidget() is network.readiness
            )
            assert network.controls.department.currentIndex() == 0
        elif route.page == "plan":
            filters = plan.activities.filters()
            landed[key] = (plan.current_tab(), filters.status, filters.due_window,
                           plan.activities.model.rowCount())  # fmt: skip
        elif route.page == "risks":
            landed[key] = (risks.current_tab(), risks.risk_filter.currentData())
        elif route.page == "readiness":
            landed[key] = page.tabs.currentWidget() is page.overview_panel
        elif route.page == "stakeholders":
            landed[key] = page.filter_bar.search.text() == "" and page.model.only_ids is None
    assert landed["hot_spots"] == "hot_spots"
    assert landed["key_resisters"] == "key_resisters"
    assert landed["weighted"] is True and landed["people"] is True
    from cmio_desktop.services import dashboard as figures

    board = figures.summary(sample_ws, facade.initiative_id, date.today())
    assert landed["overdue"] == ("activities", "overdue", None, board.activities_overdue)
    assert landed["due"] == ("activities", None, 14, board.activities_due_soon)
    assert landed["training"][0] == "training"
    assert landed["risks"] == ("risks", "critical")
    # "Ready for go-live 62 of 400" lands on exactly those people in the register.
    window.show_page("dashboard")
    qtbot.mouseClick(dashboard.cards["ready"], Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    register = pages["stakeholders"]
    assert window.current_page_key() == "stakeholders"
    qtbot.waitUntil(lambda: register.model.rowCount() == board.ready, timeout=30_000)
    assert board.ready > 0
    window.show_page("dashboard")
    dashboard.cards["golive"].setFocus()
    qtbot.keyClick(dashboard.cards["golive"], Qt.Key.Key_Return)
    assert window.current_page_key() == "golive"
    dashboard.wait()
    window.close()
    facade.workspace = None


def test_without_readiness_rounds_the_hot_spots_card_says_only_that(qtbot, facade) -> None:
    facade.initiative_id = 2  # the sample's second initiative has no rounds yet
    page = DashboardPage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignals([page.summary_loaded, page.network_loaded], timeout=30_000):
        page.show()
    assert page.cards["hot_spots"].note.text() == "No readiness rounds yet"
    assert page.cards["weighted"].note.text() == "No readiness rounds yet"
    page.wait()


def test_key_resisters_card_names_the_first_of_the_one_list(dashboard, facade) -> None:
    from cmio_desktop.services.network import analysis as network
    from cmio_desktop.services.network.key_people import key_resister_rows

    rows = key_resister_rows(network.analyze(facade.ws, 1))
    card = dashboard.cards["key_resisters"]
    assert card.value.text() == str(len(rows))
    assert card.note.text().startswith(f"{rows[0].name}, {rows[1].name}")
    assert "person " not in card.note.text()
