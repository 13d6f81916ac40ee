"""The main window: assembles navigation, pages, menus and the status bar; nothing more.

Each section names its page (``ui.navigation``); each page declares its commands
(``ui.actions``) and lists the ones that apply now in ``command_actions()``, which the Edit and
View menus show while that page is open."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QStackedWidget, QWidget

from cmio_desktop.ui.action_set import spec_of
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.file_actions import FileActions
from cmio_desktop.ui.navigation import SECTIONS, Route, Section
from cmio_desktop.ui.settings import AppSettings
from cmio_desktop.ui.sidebar import Sidebar, first_focusable
from cmio_desktop.ui.team_status import TeamStatus


class MainWindow(QMainWindow):
    def __init__(
        self, facade: WorkspaceFacade, settings: AppSettings, defer_pages: bool = False
    ) -> None:
        """With ``defer_pages`` only the dashboard is built now; the other pages (and the
        modules behind them) come with :meth:`build_pages`, which the app calls after the
        first paint."""
        super().__init__()
        self.facade = facade
        self.settings = settings
        self.setWindowTitle("CMIO Desktop")
        self.resize(1360, 860)
        self.setMinimumSize(QSize(960, 600))
        self.setAcceptDrops(True)

        self.sidebar = Sidebar(SECTIONS)
        self.nav = self.sidebar.nav
        self.pages = QStackedWidget()
        self.page_by_key: dict[str, QWidget] = {}
        for section in SECTIONS:
            build_now = not defer_pages or section.key == "dashboard"
            page = self._make_page(section) if build_now else QWidget()
            self.page_by_key[section.key] = page
            self.pages.addWidget(page)
        self.nav.currentRowChanged.connect(self._show_row)
        # Enter or a click on a section moves the focus into its page (arrows just browse).
        self.nav.itemActivated.connect(lambda _item: self.focus_page())
        self.nav.itemClicked.connect(lambda _item: self.focus_page())

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.sidebar)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.status_workspace = QLabel()
        self.status_counts = QLabel()
        self.statusBar().addWidget(self.status_workspace)
        # Shown while today's automatic backup has failed (stays until the next open).
        self.status_backup = QLabel()
        self.status_backup.setObjectName("backupWarning")
        self.status_backup.setStyleSheet("color: #9a5b00; font-weight: bold;")
        self.status_backup.setVisible(False)
        self.statusBar().addWidget(self.status_backup)
        self.statusBar().addPermanentWidget(self.status_counts)

        from cmio_desktop.ui.initiative_switcher import InitiativeSwitcher

        self.initiative_bar = self.addToolBar("Initiative")
        self.initiative_bar.setObjectName("initiativeToolbar")
        self.initiative_bar.setMovable(False)
        self.initiative_bar.addWidget(InitiativeSwitcher(facade))
        self.file_actions = FileActions(self)
        self._build_menus()
        self.team_status = TeamStatus(self)  # presence and viewer mode on a team workspace
        facade.opened.connect(self._on_facade_opened)
        facade.changed.connect(lambda _kind: self._refresh_status())
        facade.backup_failed.connect(self._on_backup_failed)
        self._restore_state()

    def build_pages(self) -> None:
        """Replace the stand-ins left by ``defer_pages`` with the real pages."""
        for index in range(len(SECTIONS)):
            self._build_page(index)
        self._show_page_commands()

    def _build_page(self, index: int) -> QWidget:
        section = SECTIONS[index]
        old = self.page_by_key[section.key]
        if type(old) is not QWidget:
            return old  # built already
        page = self._make_page(section)
        current = self.pages.currentIndex()
        self.pages.removeWidget(old)
        self.pages.insertWidget(index, page)
        self.pages.setCurrentIndex(current)
        self.page_by_key[section.key] = page
        old.deleteLater()
        return page

    def _show_row(self, row: int) -> None:
        if 0 <= row < len(SECTIONS):
            self._build_page(row)  # a deferred page is built when first asked for
        self.pages.setCurrentIndex(row)
        self._show_page_commands()

    def _make_page(self, section: Section) -> QWidget:
        factory = section.page_factory()
        page: QWidget = factory(*(getattr(self, name) for name in section.page_args))
        navigate = getattr(page, "navigate", None)  # a page that links to others
        if navigate is not None:
            navigate.connect(self.open_route)
        return page

    def show_page(self, key: str) -> None:
        keys = [s.key for s in SECTIONS]
        self.nav.setCurrentRow(keys.index(key) if key in keys else 0)

    def go_to_page(self, key: str) -> None:
        """Open a page from the keyboard (Ctrl+1…7): the focus lands in it, visibly."""
        self.show_page(key)
        self.focus_page()

    def focus_page(self) -> None:
        target = first_focusable(self.pages.currentWidget())
        if target is not None:
            target.setFocus(Qt.FocusReason.TabFocusReason)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.sidebar.follow_window_width(event.size().width())

    def open_route(self, route: Route) -> None:
        """Open ``route.page`` at its tab and filter (pages without them just open)."""
        self.show_page(route.page)
        page = self.page_by_key.get(route.page)
        show_route = getattr(page, "show_route", None)
        if show_route is not None and (route.tab or route.filter):
            show_route(route.tab, route.filter)
        self.focus_page()  # a card opened by keyboard leaves the focus where it landed

    def current_page_key(self) -> str:
        return SECTIONS[max(0, self.nav.currentRow())].key

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_actions.populate(bar.addMenu("&File"))
        self.edit_menu = edit = bar.addMenu("&Edit")
        self.undo_action = self.facade.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.facade.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Shift+Z")])
        edit.addActions([self.undo_action, self.redo_action])
        edit.aboutToShow.connect(self._show_page_commands)  # the current tab's, as of now
        self.view_menu = view = bar.addMenu("&View")
        view.aboutToShow.connect(self._show_page_commands)
        for index, section in enumerate(SECTIONS):
            action = QAction(section.menu_text, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _=False, k=section.key: self.go_to_page(k))
            view.addAction(action)
        view.addSeparator()
        to_sidebar = QAction("Go to &sidebar", self)
        to_sidebar.setShortcut(QKeySequence("Ctrl+0"))
        to_sidebar.triggered.connect(lambda: self.nav.setFocus(Qt.FocusReason.ShortcutFocusReason))
        view.addAction(to_sidebar)
        collapse = QAction("&Narrow sidebar", self)
        collapse.setCheckable(True)
        collapse.setShortcut(QKeySequence("Ctrl+Shift+B"))
        collapse.triggered.connect(self.sidebar.choose)  # the user only, not setChecked
        self.sidebar.collapsed_changed.connect(collapse.setChecked)
        view.addAction(collapse)
        self.collapse_action = collapse
        activity = QAction("Workspace &activity…", self)
        activity.setShortcut(QKeySequence("Ctrl+Shift+H"))
        activity.setStatusTip("Who changed what, and when, across the whole workspace")
        activity.triggered.connect(self.show_activity)
        view.addAction(activity)
        self._view_fixed = view.actions()
        self._edit_separator, self._view_separator = QAction(self), QAction(self)
        self._edit_separator.setSeparator(True)
        self._view_separator.setSeparator(True)
        self._show_page_commands()
        help_menu = bar.addMenu("&Help")
        guide = QAction("&Guide", self)
        guide.setShortcut(QKeySequence.StandardKey.HelpContents)
        guide.triggered.connect(lambda: self.open_help("guide.html"))
        help_menu.addAction(guide)
        glossary = QAction("G&lossary", self)
        glossary.triggered.connect(lambda: self.open_help("glossary.html"))
        help_menu.addAction(glossary)
        help_menu.addSeparator()
        check = QAction("&Check Workspace…", self)
        check.triggered.connect(self.check_workspace)
        help_menu.addAction(check)
        self.check_action = check
        about = QAction("&About CMIO Desktop", self)
        about.triggered.connect(self.file_actions.show_about)
        help_menu.addAction(about)

    def _show_page_commands(self) -> None:
        """Put the current page's commands in the Edit menu (after Undo and Redo) and its view
        commands at the end of the View menu. Only these are in a menu, so a page-wide shortcut
        works just while its page is shown."""
        if not hasattr(self, "edit_menu"):
            return  # the first page is shown before the menus exist
        command_actions = getattr(self.pages.currentWidget(), "command_actions", None)
        commands = command_actions() if command_actions is not None else []
        in_view = [a for a in commands if (d := spec_of(a)) is not None and d.menu == "view"]
        edits = [a for a in commands if a not in in_view]
        # Not QMenu.clear(): PySide deletes the actions it removes, Undo and Redo included.
        for menu, fixed, separator, added in (
            (self.edit_menu, 2, self._edit_separator, edits),
            (self.view_menu, len(self._view_fixed), self._view_separator, in_view),
        ):
            for action in menu.actions()[fixed:]:
                menu.removeAction(action)
            if added:
                menu.addActions([separator, *added])

    def _on_facade_opened(self) -> None:
        ws = self.facade.ws
        self.status_backup.setVisible(False)  # a failed backup is announced after this
        self.setWindowTitle(f"{ws.name} — CMIO Desktop")
        if ws.is_team:  # its URL without the password; the next start opens a file
            self.settings.add_recent(self.file_actions.team_opener().recent_entry(ws))
        else:
            self.settings.last_workspace = ws.path
            self.settings.add_recent(ws.path)
        self.file_actions.refresh_recent()
        self._refresh_status()

    def open_help(self, page: str, anchor: str | None = None) -> None:
        from cmio_desktop.ui.help_dialog import open_help

        open_help(self, page, anchor)

    def show_activity(self) -> None:
        from cmio_desktop.ui.history.activity_window import show_activity_window

        if self.facade.workspace is not None:
            show_activity_window(self, self.facade)

    def check_workspace(self) -> None:
        from cmio_desktop.ui.check_dialog import open_check_dialog

        open_check_dialog(self)

    def _on_backup_failed(self, message: str) -> None:
        # Non-blocking: the work goes on; the next open retries the backup.
        full = f"{message} It will be tried again next time."
        self.status_backup.setText("⚠ Today's backup failed")
        self.status_backup.setToolTip(full)
        self.status_backup.setVisible(True)
        self.statusBar().showMessage(f"⚠ {full}", 60_000)

    def _refresh_status(self) -> None:
        if self.facade.workspace is None:
            return
        info = self.facade.info()
        self.status_workspace.setText(f"{info.organisation} · {self.facade.ws.path.name}")
        c = info.counts
        self.status_counts.setText(
            f"{c['stakeholder']:,} people · {c['relationship']:,} ties · "
            f"{c['assessment']:,} assessments · {c['activity']:,} activities"
        )

    def _restore_state(self) -> None:
        geometry = self.settings.window_state("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.show_page(self.settings.last_page)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.settings.set_window_state("geometry", self.saveGeometry())
        self.settings.last_page = self.current_page_key()
        self.settings.sync()
        super().closeEvent(event)

    def dragEnterEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.file_actions.drag_enter(event)

    def dropEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.file_actions.drop(event)
