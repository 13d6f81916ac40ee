"""The dashboard: KPIs load off the UI thread, and every card clicks through to its page."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt

from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.pages.dashboard_page import CARDS, DashboardPage

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
    assert c["activities"].value.text().endswith("· 1")  # one overdue item in the sample
    assert c["golive"].value.text() == "No-go"
    assert c["risks"].value.text() == "2"
    assert c["training"].value.text().endswith("%")
    assert c["hot_spots"].value.text().isdigit()
    assert float(c["weighted"].value.text()) > 1
    s = dashboard.summary
    assert s is not None and s.days_to_go_live == 91 and s.activities_overdue == 1
    dashboard.readiness_chart.draw_now()
    dashboard.due_chart.draw_now()
    dashboard.training_chart.draw_now()


def test_a_change_reloads_the_summary(qtbot, dashboard, facade) -> None:
    from cmio_desktop.services import governance

    risk = next(r for r in governance.list_risks(facade.ws, 1) if r.criticality == "critical")
    governance.update_risk(facade.ws, risk.id, {"status": "closed"})
    with qtbot.waitSignal(dashboard.summary_loaded, timeout=10_000):
        facade.notify("risk")
    assert dashboard.cards["risks"].value.text() == "1"


def test_cards_click_through_to_their_pages(qtbot, tmp_path, sample_ws) -> None:
    from cmio_desktop.ui.settings import AppSettings

    facade = WorkspaceFacade()
    window = MainWindow(facade, AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    facade.set_workspace(sample_ws)
    window.show()
    dashboard = window.page_by_key["dashboard"]
    assert isinstance(dashboard, DashboardPage)
    assert window.current_page_key() == "dashboard"
    for key, _caption, target in CARDS:
        window.show_page("dashboard")
        card = dashboard.cards[key]
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
        assert window.current_page_key() == target, key
    window.show_page("dashboard")
    dashboard.cards["golive"].setFocus()
    qtbot.keyClick(dashboard.cards["golive"], Qt.Key.Key_Return)
    assert window.current_page_key() == "golive"
    dashboard.wait()
    window.close()
    facade.workspace = None
