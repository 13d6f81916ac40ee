"""The sections of the main window, in navigation order, each naming the page it shows.

A page is named lazily, as a dotted ``"module:Class"`` string (or a callable that imports on
first use), so this module imports no page and the first paint loads only the dashboard.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: What builds a page: ``"package.module:Class"`` or a callable; it is called with the main
#: window's attributes that ``Section.page_args`` names, in order.
PageFactory = str | Callable[..., Any]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blurb: str
    badge: str = ""  # the letters on its icon when the sidebar is collapsed
    page: PageFactory = ""
    page_args: tuple[str, ...] = ("facade",)

    def page_factory(self) -> Callable[..., Any]:
        """The page class (or function), imported now if the section names it by string."""
        if callable(self.page):
            return self.page
        module, _, name = self.page.partition(":")
        if not module or not name:
            raise ValueError(f"Section {self.key!r} names no page as 'module:Class'.")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]

    @property
    def menu_text(self) -> str:
        """The title for a menu or button, where a single "&" would mark a mnemonic."""
        return self.title.replace("&", "&&")


SECTIONS: tuple[Section, ...] = (
    Section(
        "dashboard", "Dashboard", "Key figures for the current initiative.", "Db",
        "cmio_desktop.ui.dashboard.page:DashboardPage",
    ),
    Section(
        "stakeholders", "Stakeholders", "The stakeholder register with the power/interest grid.",
        "St", "cmio_desktop.ui.stakeholders.page:StakeholdersPage", ("facade", "settings"),
    ),
    Section(
        "network", "Network", "Who influences whom: influencers, brokers and hot spots.", "Nw",
        "cmio_desktop.ui.network.page:NetworkPage",
    ),
    Section(
        "readiness", "Readiness", "ADKAR rounds, barrier points, heat maps and forecast.", "Rd",
        "cmio_desktop.ui.readiness.page:ReadinessPage",
    ),
    Section(
        "plan", "Plan", "Engagement activities, communications and training.", "Pl",
        "cmio_desktop.ui.plan.page:PlanPage",
    ),
    Section(
        "risks", "Risks & governance", "Risk register, decisions log and demand requests.", "Rk",
        "cmio_desktop.ui.governance.page:GovernancePage",
    ),
    Section(
        "golive", "Go-live", "Go/no-go criteria evaluated live from the workspace.", "Go",
        "cmio_desktop.ui.golive.page:GoLivePage",
    ),
    Section(
        "portfolio", "Portfolio", "Change load across initiatives, saturation and change impact.",
        "Pf", "cmio_desktop.ui.portfolio.page:PortfolioPage",
    ),
)  # fmt: skip

SECTION_KEYS = tuple(s.key for s in SECTIONS)


@dataclass(frozen=True)
class Route:
    """Where a click lands: a page, optionally one of its tabs and a filter on it.

    Pages that have tabs or filters implement ``show_route(tab, filter)``; the main window
    opens the page and then asks it to show the tab and filter (see ``MainWindow.open_route``).
    """

    page: str
    tab: str | None = None
    filter: str | None = None
