"""StakeholdersPage: the register (search, filters, sortable table), the detail editor and
the power/interest grid, kept in step with each other and with the workspace."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.engagement.log import contact_dates
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.stakeholders import edits as service
from cmio_desktop.services.stakeholders.register import NEEDS_CLASSIFICATION
from cmio_desktop.services.stakeholders.register_network import KEY_RESISTER, READY, RegisterNetwork
from cmio_desktop.store import Workspace
from cmio_desktop.ui.common.tasks import TaskRunner
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.page_heading import PageHeading
from cmio_desktop.ui.settings import AppSettings
from cmio_desktop.ui.stakeholders.actions import RegisterActions
from cmio_desktop.ui.stakeholders.commands import UpdateStakeholderCommand
from cmio_desktop.ui.stakeholders.detail_editor import NO_SELECTION, StakeholderEditor
from cmio_desktop.ui.stakeholders.filter_bar import FilterBar
from cmio_desktop.ui.stakeholders.grid_chart import GridPeople, PowerInterestChart
from cmio_desktop.ui.stakeholders.loader import RegisterLoad, network_job, register_job
from cmio_desktop.ui.stakeholders.person_tabs import PersonTabs
from cmio_desktop.ui.stakeholders.register_table import Col, NetworkColumns
from cmio_desktop.ui.stakeholders.register_view import RegisterView
from cmio_desktop.ui.stakeholders.selection import current_id, select_ids, selected_ids
from cmio_desktop.ui.stakeholders.table_model import StakeholderTableModel

HEADER_KEY = "stakeholders/header"
SPLITTER_KEY = "stakeholders/splitter"
SELECTION_SETTLE_MS = 40
SELECTION_SOURCE = "stakeholders"
SAVE_STATE_MS = 400
GRID_SETTLE_MS = 150
REGISTER, NETWORK = "register", "network"  # task keys


class StakeholdersPage(QWidget):
    #: The register rows (readiness and contact-date columns included); ties only move the
    #: network columns.
    DEPENDS_ON = frozenset(
        {
            ChangeKind.STAKEHOLDER,
            ChangeKind.ASSESSMENT,
            ChangeKind.ENGAGEMENT,
            ChangeKind.INITIATIVE,
            ChangeKind.WORKSPACE_SETTING,
        }
    )

    loaded = Signal()  # the register finished (re)loading
    network_loaded = Signal()  # the Network influence column and "network" filter are filled

    def __init__(
        self, facade: WorkspaceFacade, settings: AppSettings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.facade = facade
        self.settings = settings
        self.model = StakeholderTableModel(self)
        self._stale = True
        self._loading = False
        self._own_change = False
        self._kept_selection: tuple[list[int], int | None] = ([], None)
        self.choices = service.DistinctValues([], [], [], [])
        self.network: RegisterNetwork | None = None
        self.runner = TaskRunner(parent=self)
        self._build()
        self.actions = RegisterActions(self)
        self._connect()
        self._restore_state()
        facade.opened.connect(self._on_facade_opened)
        facade.initiative_changed.connect(lambda _i: self._schedule_reload())
        facade.changed.connect(self._on_facade_changed)
        facade.selection_changed.connect(self._on_facade_selection_changed)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.runner.cancel_all)

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        heading = PageHeading("Stakeholders")
        self.caption = heading.caption
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        heading.addWidget(self.count_label, 0, Qt.AlignmentFlag.AlignBottom)

        self.filter_bar = FilterBar()
        self.toolbar = self.filter_bar.actions_row
        self.only_banner = QLabel()
        self.only_banner.setObjectName("banner")
        self.show_everyone = QPushButton("Show everyone")
        self.show_everyone.clicked.connect(lambda: self.show_only(None))
        banner = QHBoxLayout()
        banner.addWidget(self.only_banner, 1)
        banner.addWidget(self.show_everyone)
        self.banner = QWidget()
        self.banner.setLayout(banner)
        banner.setContentsMargins(0, 0, 0, 0)
        self.banner.hide()

        self.view = RegisterView(self.model)

        self.editor = StakeholderEditor()
        self.grid = PowerInterestChart()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setObjectName("personTabs")  # narrower tabs (style.qss): seven fit at 1024
        self.tabs.addTab(self.editor, "Details")
        grid_tab = self.tabs.addTab(self.grid, "Grid")
        self.tabs.setTabToolTip(grid_tab, "Power/interest grid of the people listed")
        self.person_tabs = PersonTabs(self.facade, self.tabs)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([820, 400])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(heading)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)

    def _connect(self) -> None:
        self._grid_version = -1
        self._grid_timer = QTimer(self)
        self._grid_timer.setSingleShot(True)
        self._grid_timer.setInterval(GRID_SETTLE_MS)
        self._grid_timer.timeout.connect(self._refresh_grid)
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(SELECTION_SETTLE_MS)
        self._selection_timer.timeout.connect(self._on_selection_settled)
        self.filter_bar.search_changed.connect(self.model.set_search)
        self.filter_bar.filter_changed.connect(self._on_filter_changed)
        self.model.modelAboutToBeReset.connect(self._on_model_about_to_be_reset)
        self.model.modelReset.connect(self._on_model_reset)
        self.model.rowsInserted.connect(lambda *_a: self._on_rows_changed())
        self.view.setSortingEnabled(True)
        if self.settings.window_state(HEADER_KEY) is None:
            self.view.sortByColumn(int(Col.NAME), Qt.SortOrder.AscendingOrder)
        self.view.selectionModel().selectionChanged.connect(
            lambda *_a: self._selection_timer.start()
        )
        self.editor.apply_requested.connect(self._on_editor_apply_requested)
        self.grid.people_clicked.connect(self._on_grid_people_clicked)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_STATE_MS)
        self._save_timer.timeout.connect(self.save_state)
        header = self.view.horizontalHeader()
        for signal in (
            header.sectionResized,
            header.sectionMoved,
            header.sortIndicatorChanged,
            self.splitter.splitterMoved,
        ):
            signal.connect(lambda *_a: self._save_timer.start())

    def command_actions(self) -> list[QAction]:
        """The register's commands (and the shown person tab's), for the Edit menu while this
        page is shown."""
        return self.actions.command_actions() + self.person_tabs.command_actions(
            self.tabs.currentWidget()
        )

    # -- state ----------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        header_state = self.settings.window_state(HEADER_KEY)
        if header_state is not None:
            self.view.horizontalHeader().restoreState(header_state)
            column, order = (
                self.view.horizontalHeader().sortIndicatorSection(),
                self.view.horizontalHeader().sortIndicatorOrder(),
            )
            self.model.sort(column, order)
        splitter_state = self.settings.window_state(SPLITTER_KEY)
        if splitter_state is not None:
            self.splitter.restoreState(splitter_state)

    def save_state(self) -> None:
        self._save_timer.stop()
        self.settings.set_window_state(HEADER_KEY, self.view.horizontalHeader().saveState())
        self.settings.set_window_state(SPLITTER_KEY, self.splitter.saveState())

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 (Qt override)
        if self._save_timer.isActive():
            self.save_state()
        super().hideEvent(event)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._stale and not self._loading:
            self.reload()

    # -- loading --------------------------------------------------------------------------------
    def workspace(self) -> Workspace:
        return self.facade.ws

    def reload(self) -> None:
        """Read the register again, off the UI thread; ``loaded`` fires when it is shown."""
        if self.facade.workspace is None:
            return
        self._loading = True
        self._stale = False
        self.count_label.setText("Loading…")
        self.runner.start(
            register_job, self.facade.ws, self.facade.initiative_id, name="register", key=REGISTER
        ).then(self._on_loader_finished, self._on_loader_failed)

    def _on_loader_finished(self, load: RegisterLoad) -> None:
        self._loading = False
        self.choices = load.choices
        data = load.table.data
        self.caption.setText(
            f"Readiness from the latest assessment for {data.initiative_name}"
            if data.initiative_name
            else "No initiative yet"
        )
        self.filter_bar.set_values("department", load.choices.departments)
        self.filter_bar.set_values("site", load.choices.sites)
        self.editor.set_choices(load.choices.departments, load.choices.sites, load.choices.titles)
        if self.network is not None and self.network.initiative_id == data.initiative_id:
            load.table.set_network(self.network)  # last figures until the fresh ones land
        self.model.set_table(load.table)
        self._reload_editor()
        self._load_network()
        if self._stale:  # something changed while we were reading
            QTimer.singleShot(0, self.reload)
        self.loaded.emit()

    # -- network columns (off the UI thread, after the register) ---------------------------------
    def _load_network(self) -> None:
        if self.facade.workspace is None:
            return
        ids = list(self.model.table.data.ids)  # a snapshot: the job lines its columns up with it
        task = self.runner.start(
            network_job, self.facade.ws, self.facade.initiative_id, ids,
            name="register network", key=NETWORK,
        )  # fmt: skip
        task.then(lambda result: self._on_network_finished(*result), self._on_network_failed)

    def _on_network_finished(self, net: RegisterNetwork, columns: NetworkColumns) -> None:
        if self.facade.workspace is None:
            return
        self.network = net
        self.model.set_network(net, columns)
        self._on_rows_changed()
        self.network_loaded.emit()

    def _on_network_failed(self, message: str) -> None:
        self.count_label.setText(f"{self.model.count_text()} · network: {message}")

    def _on_filter_changed(self, key: str, value: Any) -> None:
        self.model.set_filter(key, value)
        if key == "network" and value == KEY_RESISTER:
            # The one key-resister list is ordered by network influence: show it that way.
            self.view.sortByColumn(int(Col.NETWORK_INFLUENCE), Qt.SortOrder.DescendingOrder)

    def _on_loader_failed(self, message: str) -> None:
        self._loading = False
        self.count_label.setText("")
        show_error(self, "Cannot show the register", message)

    def _on_facade_opened(self) -> None:
        self.editor.show_message(NO_SELECTION)
        self._kept_selection = ([], None)
        self._schedule_reload()

    def _on_facade_changed(self, change: ChangeSet) -> None:
        if not self._own_change and change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)
        elif change.touches({ChangeKind.RELATIONSHIP}) and self.network is not None:
            self._load_network()  # ties move network influence; the register rows stay

    def _on_data_changed(self, change: ChangeSet) -> None:
        if change.kinds == {ChangeKind.ENGAGEMENT} and self.isVisible() and not self._loading:
            # A log entry moves only the contact columns: one small query, no register reload.
            self.model.set_contacts(contact_dates(self.facade.ws))
            return
        self._schedule_reload()

    def _schedule_reload(self) -> None:
        self._stale = True
        if self.isVisible() and not self._loading:
            self.reload()

    # -- writes (the undo commands call back here) -----------------------------------------------
    def applied(self, kind: str, ids: list[int], changes: ChangeSet) -> None:
        """Refresh just the rows a command changed, then tell the rest of the app."""
        ws = self.facade.ws
        if kind == "remove":
            self.model.remove_ids(ids)
        elif ids:
            fresh = service.register_rows(ws, ids=ids)
            if kind == "insert":
                self.model.add_rows(fresh)
                select_ids(self.view, self.model, fresh.ids)
                self._reload_editor(fresh.ids)
            else:
                self.model.update_rows(fresh)
                self._refresh_grid()
        if self.editor.record is not None and self.editor.record.id in ids:
            self._reload_editor(force=True)
        self._own_change = True
        try:
            self.facade.announce(changes)
        finally:
            self._own_change = False
        self._load_network()  # an attitude or power change can change who is a key resister

    def report_error(self, title: str, message: str) -> None:
        show_error(self, title[:1].upper() + title[1:], message)

    def _on_editor_apply_requested(
        self, ident: int, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        record = self.editor.record
        name = record.name if record is not None else "person"
        version = record.version if record is not None and record.id == ident else None
        self._push_update(ident, name, old, new, version)

    def _push_update(
        self,
        ident: int,
        name: str,
        old: dict[str, Any],
        new: dict[str, Any],
        version: int | None = None,
    ) -> None:
        """``version``: the row version the person pane showed (a save over a row changed
        since is checked field by field, and refused when one of these fields moved)."""
        self.facade.undo_stack.push(UpdateStakeholderCommand(self, ident, name, old, new, version))

    # -- model resets: keep the selection by id ----------------------------------------------------
    def _on_model_about_to_be_reset(self) -> None:
        self._kept_selection = (
            selected_ids(self.view, self.model),
            current_id(self.view, self.model),
        )

    def _on_model_reset(self) -> None:
        ids, current = self._kept_selection
        if ids:
            select_ids(self.view, self.model, ids, current)
        self._selection_timer.start()  # a reset drops rows silently: re-read the selection
        self._on_rows_changed()

    def _on_rows_changed(self) -> None:
        self.count_label.setText(self.model.count_text())
        if self.model.content_version != self._grid_version:
            self._grid_timer.start()  # redraw once typing pauses, not on every keystroke

    def _on_tabs_current_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.grid:
            self.flush_grid()

    def flush_grid(self) -> None:
        """Bring the grid up to date now rather than when typing pauses."""
        if self._grid_timer.isActive() or self._grid_version != self.model.content_version:
            self._refresh_grid()

    def _refresh_grid(self) -> None:
        self._grid_timer.stop()
        self._grid_version = self.model.content_version
        d = self.model.table.data
        self.grid.set_people(
            GridPeople(
                d.ids, d.power, d.interest, d.attitude, d.name, self.model.visible_positions, d.grid
            )
        )

    # -- selection --------------------------------------------------------------------------------
    def selected_ids(self) -> list[int]:
        return selected_ids(self.view, self.model)

    def select_ids(self, ids: list[int]) -> int:
        return select_ids(self.view, self.model, ids)

    def _on_selection_settled(self) -> None:
        ids = self.selected_ids()
        self.grid.set_highlight(ids)
        self.actions.update_enabled(len(ids))
        self._reload_editor(ids)
        one = ids[0] if len(ids) == 1 else None
        self.person_tabs.set_person(one, self.model.table.name_of(one) if one else "")
        if ids and ids != self.facade.selected_ids:
            self.facade.select_people(ids, SELECTION_SOURCE)  # every other view follows

    def _on_facade_selection_changed(self, ids: list[int], source: str) -> None:
        """People picked elsewhere are selected here too; a group of them (a heat-map cell, a
        cluster) also narrows the register to just those people until "Show everyone"."""
        if source == SELECTION_SOURCE or not ids:
            return
        if len(ids) > 1:
            self.show_only(ids, source)
        if self.model.rowCount() == 0 and self._loading:
            self._kept_selection = (list(ids), ids[0])  # applied when the load lands
            return
        if self.select_ids(ids) < len(ids):
            self.filter_bar.clear()  # some were hidden by the filters: show everyone
            self.select_ids(ids)

    def show_needing_classification(self) -> None:
        """Everyone whose role or group is unclassified (the import summary's "Show them")."""
        self.show_only(None)
        self.filter_bar.clear()
        self.filter_bar.set_filter("classification", NEEDS_CLASSIFICATION)

    def show_route(self, _tab: str | None, filter_: str | None = None) -> None:
        """``filter_`` "everyone" clears the search and filters; "key_resisters" then shows just
        the key resisters, most influential first; "ready" the people ready for go-live."""
        if filter_ in ("everyone", "key_resisters", "ready"):
            self.show_only(None)
            self.filter_bar.clear()
        if filter_ == "key_resisters":
            self.filter_bar.set_filter("network", KEY_RESISTER)
        elif filter_ == "ready":
            self.filter_bar.set_filter("network", READY)

    def show_only(self, ids: list[int] | None, source: str = "") -> None:
        self.model.set_only_ids(ids)
        if ids:
            where = f" in {source.replace('_', ' ').capitalize()}" if source else ""
            self.only_banner.setText(f"Showing only the {len(ids):,} people selected{where}.")
        self.banner.setVisible(bool(ids))
        self._on_rows_changed()

    def _reload_editor(self, ids: list[int] | None = None, force: bool = False) -> None:
        ids = self.selected_ids() if ids is None else ids
        record = self.editor.record
        ident = ids[0] if len(ids) == 1 else None
        if record is not None and record.id == ident and not force:
            return
        # Leaving a person with unsaved edits applies them (one undoable step) — first take
        # them, then show the next person, then push, so the refresh cannot loop back here.
        pending = self._take_pending_edit() if record is not None and not force else None
        if ident is None:
            self.editor.show_message(
                NO_SELECTION
                if not ids
                else f"{len(ids):,} people selected. Use Bulk edit… to change them together, "
                "or Delete to remove them."
            )
        else:
            try:
                self.editor.load(
                    service.get_stakeholder(self.facade.ws, ident), self.model.table.summary(ident)
                )
            except ServiceError as exc:
                self.editor.show_message(str(exc))
        if pending is not None:
            self._push_update(*pending)

    def _take_pending_edit(
        self,
    ) -> tuple[int, str, dict[str, Any], dict[str, Any], int | None] | None:
        record = self.editor.record
        if record is None or not self.editor.is_dirty():
            return None
        problems = self.editor.problems()
        if problems:
            self.report_error(
                "Changes not saved",
                f"Your changes to {record.name} were not saved: " + " ".join(problems.values()),
            )
            return None
        new = self.editor.changes()
        old = {k: getattr(record, k) for k in new}
        return int(record.id), record.name, old, new, record.version

    def _on_grid_people_clicked(self, ids: list[int]) -> None:
        self.select_ids(ids)
        self.view.setFocus()
