"""PortfolioPage: change load across every initiative of the workspace (saturation: weeks ×
departments, thresholds, clashes) and the current initiative's change impact (ratings, the
degree of impact beside readiness, the red zone)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from cmio_desktop.services.changes import ChangeKind, ChangeSet
from cmio_desktop.services.errors import REFUSED
from cmio_desktop.services.initiatives import list_initiatives
from cmio_desktop.services.portfolio.load import portfolio
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.lazy_tabs import LazyTabsMixin
from cmio_desktop.ui.page_heading import PageHeading
from cmio_desktop.ui.portfolio import commands
from cmio_desktop.ui.portfolio.heat_grid import grid_data
from cmio_desktop.ui.portfolio.impact_tab import ImpactTab
from cmio_desktop.ui.portfolio.saturation_tab import SaturationTab

TABS = ("saturation", "impact")
#: What each tab shows, so a write reloads only the tabs it touches.
TAB_KINDS = {
    "saturation": frozenset({
        ChangeKind.ACTIVITY, ChangeKind.IMPACT, ChangeKind.INITIATIVE,
        ChangeKind.WORKSPACE_SETTING, ChangeKind.STAKEHOLDER,
    }),
    "impact": frozenset({
        ChangeKind.IMPACT, ChangeKind.ASSESSMENT, ChangeKind.INITIATIVE,
        ChangeKind.WORKSPACE_SETTING, ChangeKind.STAKEHOLDER,
    }),
}  # fmt: skip


class PortfolioPage(LazyTabsMixin, QWidget):
    #: Activities, impact ratings, initiatives (go-live dates), thresholds and readiness
    #: settings, people (departments, headcounts) and assessments (readiness).
    DEPENDS_ON = TAB_KINDS["saturation"] | TAB_KINDS["impact"]

    tab_names = TABS
    refreshed = Signal(str)

    def __init__(self, facade: WorkspaceFacade, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facade = facade
        self.stale = set(TABS)
        self.captions = dict.fromkeys(TABS, "")
        heading = PageHeading("Portfolio")
        self.caption = heading.caption
        self.saturation = SaturationTab()
        self.saturation.thresholds_edited.connect(self._on_saturation_thresholds_edited)
        self.impact = ImpactTab(facade)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.saturation, "Saturation")
        self.tabs.addTab(self.impact, "Change impact")
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 12)
        layout.addLayout(heading)
        layout.addWidget(self.tabs, 1)
        facade.opened.connect(lambda: self.invalidate(TABS))
        facade.initiative_changed.connect(lambda _i: self.invalidate({"impact"}))
        facade.changed.connect(self._on_facade_changed)

    def _on_facade_changed(self, change: ChangeSet) -> None:
        if change.touches(self.DEPENDS_ON):
            self._on_data_changed(change)

    def _on_data_changed(self, change: ChangeSet) -> None:
        self.invalidate({tab for tab in TABS if change.touches(TAB_KINDS[tab])})

    def _on_tabs_current_changed(self, _index: int) -> None:
        self.caption.setText(self.captions[self.current_tab()])
        self.refresh_if_stale()

    def command_actions(self) -> list[QAction]:
        """The change-impact commands while that tab is open (the Edit menu lists them)."""
        return self.impact.command_actions() if self.current_tab() == "impact" else []

    def show_route(self, tab: str | None, _filter: str | None = None) -> None:
        if tab in TABS:
            self.tabs.setCurrentIndex(TABS.index(tab))

    def refresh(self, tab: str | None = None) -> None:
        tab = tab or self.current_tab()
        self.stale.discard(tab)
        try:
            if tab == "saturation":
                self.captions[tab] = self._refresh_saturation()
            else:
                self.captions[tab] = self.impact.refresh()
        except REFUSED as exc:  # the initiative went away, the file is busy: say so
            self.captions[tab] = f"Could not load: {exc}"
        if tab == self.current_tab():
            self.caption.setText(self.captions[tab])
        self.refreshed.emit(tab)

    def _refresh_saturation(self) -> str:
        ws = self.facade.ws
        found = portfolio(ws)
        go_lives = {i.name: i.go_live for i in list_initiatives(ws)}
        grid = grid_data(found, go_lives)
        self.saturation.set_grid(grid, found.clashes)
        if not grid.weeks:
            return "No change load yet: no initiative has dated activities or rated impact."
        over = grid.over_count
        return (
            f"{len(go_lives)} initiatives · {len(grid.departments)} departments · "
            f"{len(grid.weeks)} weeks · {over} department-week{'s' if over != 1 else ''} over "
            f"the threshold · {len(found.clashes)} clashes"
        )

    def _on_saturation_thresholds_edited(self, values: dict[str, float | None]) -> None:
        commands.save_thresholds(self.facade, self._report_threshold, values)

    def _report_threshold(self, _title: str, message: str) -> None:
        self.saturation.editor.note.setText(message)
