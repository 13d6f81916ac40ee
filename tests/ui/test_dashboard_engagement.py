"""The dashboard's engagement cards: "Follow-ups due this week" and "Key resisters not contacted
in 4 weeks" count exactly the lists their drill-downs show (the service functions' lists), the
list reaches the register, and a logged contact updates both."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.exceptions import TimeoutError as WaitTimeout

from cmio_desktop.services.engagement import log
from cmio_desktop.services.engagement.dashboard import key_resisters_not_contacted
from cmio_desktop.ui.dashboard.engagement import FOLLOW_UPS, NOT_CONTACTED
from cmio_desktop.ui.dashboard.page import DashboardPage
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.settings import AppSettings
from tests.conftest import SAMPLE_TODAY as TODAY


def _loaded(page: DashboardPage) -> list:
    return [page.summary_loaded, page.network_loaded, page.engagement_loaded]


@pytest.fixture
def dashboard(qtbot, facade):
    facade.initiative_id = 1
    page = DashboardPage(facade, clock=lambda: TODAY)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    with qtbot.waitSignals(_loaded(page), timeout=30_000):
        page.show()
    yield page
    if page.list_dialog is not None:
        page.list_dialog.close()
    page.wait()


def _click(qtbot, card) -> None:
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))


def test_the_counts_are_the_service_lists(dashboard, facade) -> None:
    follow_ups = log.follow_ups_due(facade.ws, TODAY, 7)
    resisters = key_resisters_not_contacted(facade.ws, 1, TODAY)
    assert follow_ups and resisters  # the sample logs contacts with the key resisters
    card = dashboard.cards[FOLLOW_UPS]
    assert card.value.text() == str(len(follow_ups))
    overdue = [f for f in follow_ups if f.due < TODAY]
    assert overdue and card.note.text().startswith(f"{len(overdue)} overdue · ")
    assert dashboard.cards[NOT_CONTACTED].value.text() == str(len(resisters))
    assert dashboard.cards[NOT_CONTACTED].note.text().startswith(resisters[0].name)
    # Overdue means before today, and everything is due within the week.
    assert all(f.due <= TODAY + timedelta(days=7) for f in follow_ups)


def test_each_card_drills_down_to_its_people(qtbot, dashboard, facade) -> None:
    _click(qtbot, dashboard.cards[FOLLOW_UPS])
    dialog = dashboard.list_dialog
    assert dialog is not None and dialog.isVisible()
    model = dialog.model
    expected = log.follow_ups_due(facade.ws, TODAY, 7)
    assert model.rowCount() == len(expected)
    rows = [[model.index(r, c).data() for c in range(3)] for r in range(model.rowCount())]
    assert [r[0] for r in rows] == [f.name for f in expected]  # soonest due first
    assert [r[2] for r in rows] == [f.what for f in expected]
    assert "overdue" in rows[0][1] and f"{len(expected)} follow-ups are due" in dialog.intro.text()

    _click(qtbot, dashboard.cards[NOT_CONTACTED])
    dialog = dashboard.list_dialog
    resisters = key_resisters_not_contacted(facade.ws, 1, TODAY)
    model = dialog.model
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert names == [p.name for p in resisters]
    never = [p for p in resisters if p.last is None]
    if never:
        assert model.index(0, 1).data() == "never"
    assert dialog.person_ids == [p.person_id for p in resisters]


def test_show_in_the_register_narrows_it_to_those_people(qtbot, tmp_path, sample_ws) -> None:
    facade = WorkspaceFacade()
    window = MainWindow(facade, AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(window)
    dashboard = window.page_by_key["dashboard"]
    dashboard.clock = lambda: TODAY
    facade.set_workspace(sample_ws)
    facade.initiative_id = 1
    with qtbot.waitSignal(dashboard.engagement_loaded, timeout=30_000):
        window.show()
    _click(qtbot, dashboard.cards[FOLLOW_UPS])
    ids = dashboard.list_dialog.person_ids
    assert len(ids) > 1
    dashboard.list_dialog.show_button.click()
    register = window.page_by_key["stakeholders"]
    assert window.current_page_key() == "stakeholders"
    qtbot.waitUntil(lambda: register.model.rowCount() == len(ids), timeout=30_000)
    assert register.model.only_ids == frozenset(ids)
    assert {register.model.id_at(r) for r in range(register.model.rowCount())} == set(ids)
    assert register.only_banner.text().endswith("selected in Follow-ups due this week.")
    dashboard.wait()
    window.close()
    facade.workspace = None


def test_a_logged_contact_updates_both_cards(qtbot, dashboard, facade) -> None:
    """ChangeKind.ENGAGEMENT reloads the engagement figures (and nothing else is needed)."""
    resisters = key_resisters_not_contacted(facade.ws, 1, TODAY)
    before_follow_ups = len(log.follow_ups_due(facade.ws, TODAY, 7))
    who = resisters[0]
    written = log.add_entry(
        facade.ws, who.person_id,
        {"occurred_on": TODAY, "summary": "Coffee", "next_contact": TODAY + timedelta(days=3)},
        [("Send the order-set draft", TODAY + timedelta(days=5))],
    )  # fmt: skip
    with qtbot.waitSignal(dashboard.engagement_loaded, timeout=30_000):
        facade.announce(written.changes)
    assert dashboard.cards[NOT_CONTACTED].value.text() == str(len(resisters) - 1)
    assert dashboard.cards[FOLLOW_UPS].value.text() == str(before_follow_ups + 2)
    assert dashboard.engagement is not None
    assert who.person_id not in [p.person_id for p in dashboard.engagement.resisters_not_contacted]


def test_no_log_no_follow_ups(qtbot, empty_ws) -> None:
    facade = WorkspaceFacade()
    facade.workspace = empty_ws
    page = DashboardPage(facade, clock=lambda: date(2026, 11, 2))
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.engagement_loaded, timeout=30_000):
        page.show()
    assert page.cards[FOLLOW_UPS].value.text() == "0"
    assert page.cards[FOLLOW_UPS].note.text() == "nothing due in the next 7 days"
    assert page.cards[NOT_CONTACTED].value.text() == "0"
    dialog = page.show_list(NOT_CONTACTED)
    assert dialog is not None and dialog.model.rowCount() == 0
    assert not dialog.show_button.isEnabled()
    dialog.close()
    page.wait()
    facade.workspace = None


def _shown_whole(label) -> bool:
    if label.wordWrap():
        return label.heightForWidth(label.width()) <= label.height()
    hint = label.sizeHint()
    return hint.width() <= label.width() and hint.height() <= label.height()


@pytest.mark.parametrize(("width", "height"), [(1024, 700), (1280, 800)])
def test_twelve_cards_fit_without_clipping(qtbot, qapp, tmp_path, sample_ws, width, height):
    """Six cards to a row: every caption, figure and note is shown whole (a wrapped label gets
    the height it needs at its width) in a small window too."""
    from cmio_desktop.resource_files import resource_path

    previous = qapp.styleSheet()
    qapp.setStyleSheet(resource_path("style.qss").read_text(encoding="utf-8"))
    facade = WorkspaceFacade()
    window = MainWindow(facade, AppSettings(tmp_path / "settings.ini"), defer_pages=True)
    qtbot.addWidget(window)
    dashboard = window.page_by_key["dashboard"]
    dashboard.clock = lambda: TODAY
    facade.set_workspace(sample_ws)
    facade.initiative_id = 1
    window.resize(width, height)
    try:
        with qtbot.waitSignals(_loaded(dashboard), timeout=30_000):
            window.show()
        assert all(card.width() > 100 for card in dashboard.cards.values())

        def cut() -> list[str]:
            return [
                f"{key}: {label.text()!r}"
                for key, card in dashboard.cards.items()
                for label in (card.caption, card.value, card.note)
                if not _shown_whole(label)
            ]

        # The rows settle after one more layout pass (the cards' new widths → their heights).
        with contextlib.suppress(WaitTimeout):
            qtbot.waitUntil(lambda: not cut(), timeout=5_000)
        assert cut() == []
    finally:
        dashboard.wait()
        window.close()
        facade.workspace = None
        qapp.setStyleSheet(previous)
