"""Keyboard and accessibility: the sidebar by keyboard and collapsed on small screens, focus
in the page after navigation, names for every control, "&" escaped in menus, help and the
glossary, and AA contrast for the status colours used as text."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QWidget,
    QWidgetAction,
)

from cmio_desktop.resource_files import resource_path
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.network.key_people import key_resister_ids
from cmio_desktop.ui.contrast import AA_TEXT, contrast_ratio
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.help_dialog import GLOSSARY, TERMS, HelpDialog
from cmio_desktop.ui.help_link import HelpLink
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.navigation import SECTIONS
from cmio_desktop.ui.settings import AppSettings

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, tmp_path, sample_ws):
    facade = WorkspaceFacade()
    win = MainWindow(facade, AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    facade.set_workspace(sample_ws)
    facade.initiative_id = 1
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()
    facade.workspace = None


def focus_is_in(page: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and page.isAncestorOf(focus)


def test_ctrl_number_opens_the_page_with_the_focus_in_it(qtbot, window) -> None:
    for index, section in enumerate(SECTIONS):
        qtbot.keyClick(window, getattr(Qt.Key, f"Key_{index + 1}"), CTRL)
        assert window.current_page_key() == section.key
        page = window.page_by_key[section.key]
        qtbot.waitUntil(lambda page=page: focus_is_in(page), timeout=5_000)


def test_sidebar_reached_and_operated_by_keyboard(qtbot, window) -> None:
    qtbot.keyClick(window, Qt.Key.Key_0, CTRL)
    assert QApplication.focusWidget() is window.nav
    window.nav.setCurrentRow(0)
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.current_page_key() == "network"
    assert QApplication.focusWidget() is window.nav  # arrows browse, the focus stays
    qtbot.keyClick(window.nav, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focus_is_in(window.page_by_key["network"]), timeout=5_000)


def test_sidebar_collapses_on_a_small_window_and_keeps_names(qtbot, window) -> None:
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.sidebar.collapsed)
    assert window.sidebar.width() < 80
    for row, section in enumerate(SECTIONS):
        item = window.nav.item(row)
        assert item.text() == ""  # icons only …
        assert section.title in item.toolTip()  # … with the name in the tooltip
        assert item.data(Qt.ItemDataRole.AccessibleTextRole) == section.title
    window.resize(1400, 800)
    qtbot.waitUntil(lambda: not window.sidebar.collapsed)
    assert window.nav.item(5).text() == "Risks & governance"
    window.collapse_action.trigger()  # the user's choice wins over the width
    window.resize(1500, 800)
    qtbot.wait(50)
    assert window.sidebar.collapsed and window.collapse_action.isChecked()


def test_menus_escape_ampersands(window) -> None:
    texts = [a.text() for a in window.menuBar().actions()[2].menu().actions()]
    assert "Risks && governance" in texts
    # No menu text has a lone "&" followed by a space (it would underline the space).
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            assert not re.search(r"(?<!&)&(?!&)\s", action.text()), action.text()


def qt_internal(button: QAbstractButton) -> bool:
    """Qt's own helper buttons (table corner, line-edit clear, toolbar and menu-bar overflow):
    outside the Tab chain, with nothing for the app to name."""
    parent = button.parentWidget()
    return button.objectName().startswith("qt_") or isinstance(
        parent, (QLineEdit, QAbstractItemView)
    )


def test_every_button_and_action_has_a_name(qtbot, window) -> None:
    for section in SECTIONS:  # build every page (they are lazy)
        window.show_page(section.key)
        qtbot.wait(20)
    nameless = [
        f"{type(b).__name__} {b.objectName()!r} in {type(b.parentWidget()).__name__}"
        for b in window.findChildren(QAbstractButton)
        if not (b.text().strip() or b.accessibleName().strip()) and not qt_internal(b)
    ]
    assert nameless == [], "\n".join(nameless)
    # Skipped: separators, widget actions (the widget is named), a menu's own action (named by
    # its button or menu title) and Qt's internal line-edit actions.
    actions = [
        a
        for a in window.findChildren(QAction)
        if not a.isSeparator()
        and not isinstance(a, QWidgetAction)
        and a.menu() is None
        and not a.objectName().startswith("_q_")
    ]
    unnamed = [
        f"{type(a).__name__} {a.objectName()!r} in {type(a.parent()).__name__}"
        for a in actions
        if not a.text().strip()
    ]
    assert actions and unnamed == [], "\n".join(unnamed)


def test_keyboard_only_walk_to_a_key_resister_and_back(qtbot, window, sample_ws) -> None:
    dashboard = window.page_by_key["dashboard"]
    net_page = window.page_by_key["network"]
    expected = key_resister_ids(network.analyze(sample_ws, 1))
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    qtbot.waitUntil(lambda: focus_is_in(dashboard))
    card = dashboard.cards["key_resisters"]
    for _ in range(60):  # Tab through the dashboard in reading order to the card
        if QApplication.focusWidget() is card:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is card
    with qtbot.waitSignal(net_page.analysis_ready, timeout=30_000):
        qtbot.keyClick(card, Qt.Key.Key_Return)
    assert window.current_page_key() == "network"
    qtbot.waitUntil(lambda: net_page.rankings.model.rowCount() == len(expected))
    table = net_page.rankings.table
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table)
    qtbot.keyClick(table, Qt.Key.Key_Down)  # the first key resister
    qtbot.keyClick(table, Qt.Key.Key_Return)  # open them: selected, their ties shown
    assert net_page.selected == expected[0]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, CTRL)  # and back
    assert window.current_page_key() == "dashboard"
    qtbot.waitUntil(lambda: focus_is_in(dashboard))
    dashboard.wait()


def test_help_guide_and_glossary_links(qtbot, window) -> None:
    help_menu = window.menuBar().actions()[-1].menu()
    guide = next(a for a in help_menu.actions() if a.text() == "&Guide")
    guide.trigger()
    dialog = window.findChild(HelpDialog)
    assert dialog.isVisible() and "Ctrl+1" in dialog.browser.toPlainText()
    window.show_page("golive")
    link = next(w for w in window.page_by_key["golive"].findChildren(HelpLink))
    assert link.accessibleName() == "What is Go/no-go?"
    qtbot.mouseClick(link, Qt.MouseButton.LeftButton)
    assert dialog.browser.source().fileName() == GLOSSARY
    assert dialog.browser.source().fragment() == "go-no-go"
    assert "no-go if any critical criterion is red" in dialog.browser.toPlainText()
    dialog.close()


def test_every_glossary_term_has_an_entry_and_every_link_a_term() -> None:
    html = resource_path(GLOSSARY).read_text(encoding="utf-8")
    anchors = set(re.findall(r'id="([^"]+)"', html))
    assert set(TERMS) <= anchors
    guide = resource_path("guide.html").read_text(encoding="utf-8")
    for anchor in re.findall(r"glossary\.html#([\w-]+)", guide):
        assert anchor in anchors
    with pytest.raises(KeyError):
        HelpLink("no-such-term")


def status_text_pairs() -> list[tuple[str, str, str]]:
    """(where, text colour, background) for every status colour drawn as text."""
    from cmio_desktop.ui.dashboard import page as dashboard_page
    from cmio_desktop.ui.golive.widgets import OVERALL_STYLE, STATUS_BACKGROUNDS, STATUS_COLOURS
    from cmio_desktop.ui.plan import activity_table
    from cmio_desktop.ui.stakeholders import table_model

    white, alternate, page = "#ffffff", "#f8fafc", "#f7f9fb"  # cells, alternate rows, pages
    pairs = []
    for status, colour in STATUS_COLOURS.items():
        for bg in (STATUS_BACKGROUNDS[status], white, alternate):
            pairs.append((f"go-live {status.value}", colour, bg))
    for overall, (fg, bg) in OVERALL_STYLE.items():
        pairs.append((f"go-live banner {overall.value}", fg, bg))
    for status, colour in activity_table.STATUS_COLOURS.items():
        pairs += [(f"activity {status}", colour, bg) for bg in (white, alternate)]
    pairs.append(("overdue", activity_table.OVERDUE_RED, activity_table.OVERDUE_BACKGROUND))
    for _limit, colour in table_model._READINESS_COLOURS:
        pairs += [("register readiness", colour.name(), bg) for bg in (white, alternate)]
    for name in ("RED", "AMBER", "GREEN", "TEAL"):
        pairs.append((f"dashboard card {name}", getattr(dashboard_page, name), white))
    pairs.append(("muted text", "#5b6b7c", page))
    return pairs


@pytest.mark.parametrize(("where", "fg", "bg"), status_text_pairs())
def test_status_text_meets_wcag_aa(where: str, fg: str, bg: str) -> None:
    ratio = contrast_ratio(fg, bg)
    assert ratio >= AA_TEXT, f"{where}: {fg} on {bg} is {ratio:.2f}:1"


def test_contrast_ratio_matches_known_values() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#94a3b8", "#ffffff") < AA_TEXT  # the old "cancelled" grey


def test_tab_visits_the_dashboard_cards_in_reading_order(qtbot, window) -> None:
    dashboard = window.page_by_key["dashboard"]
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    qtbot.waitUntil(lambda: focus_is_in(dashboard))
    cards = set(dashboard.cards.values())
    visited: list[QWidget] = []
    for _ in range(40):
        focus = QApplication.focusWidget()
        if focus in cards and focus not in visited:
            visited.append(focus)
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
    assert len(visited) == len(cards)
    positions = [card.mapTo(dashboard, card.rect().topLeft()) for card in visited]
    reading = sorted(positions, key=lambda p: (p.y(), p.x()))
    assert [(p.y(), p.x()) for p in positions] == [(p.y(), p.x()) for p in reading]
    dashboard.wait()


def _described(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton | QLineEdit) else ""
    return f"{type(widget).__name__}({widget.accessibleName() or widget.objectName() or text!r})"


def _tab_stops(page: QWidget) -> list[QWidget]:
    """Every control a keyboard user must be able to reach on the page as it is shown."""
    return [
        w
        for w in page.findChildren(QWidget)
        if w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus
        and w.focusProxy() is None
        and w.window() is page.window()
    ]


@pytest.mark.parametrize("key", [s.key for s in SECTIONS])
def test_tab_reaches_every_control_of_every_page(qtbot, window, key: str) -> None:
    """From the page's first focus, Tab alone reaches every visible control of the page
    (each tab of a tabbed page too), and no control holds the focus (Tab always moves on)."""
    index = [s.key for s in SECTIONS].index(key)
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{index + 1}"), CTRL)
    page = window.page_by_key[key]
    qtbot.waitUntil(lambda: focus_is_in(page))
    QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.wait(50)
    tabs = getattr(page, "tabs", None)
    for tab in range(tabs.count() if tabs is not None else 1):
        if tabs is not None:
            tabs.setCurrentIndex(tab)
            QThreadPool.globalInstance().waitForDone(30_000)
            qtbot.wait(50)
        wanted = set(_tab_stops(page))
        reached: set[QWidget] = set()
        focus = QApplication.focusWidget()
        for _ in range(4 * len(wanted) + 20):
            if focus in wanted:
                reached.add(focus)
            qtbot.keyClick(focus, Qt.Key.Key_Tab)
            after = QApplication.focusWidget()
            assert after is not focus or isinstance(after, QAbstractItemView), (
                f"Tab is stuck on {type(focus).__name__} {focus.objectName()!r}"
            )
            focus = after
        missed = [_described(w) for w in wanted - reached]
        where = key if tabs is None else f"{key} › {tabs.tabText(tab)}"
        assert not missed, f"{where}: Tab never reaches {missed}"
