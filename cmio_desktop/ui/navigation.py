"""The sections of the main window, in navigation order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blurb: str
    badge: str = ""  # the letters on its icon when the sidebar is collapsed

    @property
    def menu_text(self) -> str:
        """The title for a menu or button, where a single "&" would mark a mnemonic."""
        return self.title.replace("&", "&&")


SECTIONS: tuple[Section, ...] = (
    Section("dashboard", "Dashboard", "Key figures for the current initiative.", "Db"),
    Section(
        "stakeholders",
        "Stakeholders",
        "The stakeholder register with the power/interest grid.",
        "St",
    ),
    Section("network", "Network", "Who influences whom: influencers, brokers and hot spots.", "Nw"),
    Section(
        "readiness", "Readiness", "ADKAR rounds, barrier points, heat maps and forecast.", "Rd"
    ),
    Section("plan", "Plan", "Engagement activities, communications and training.", "Pl"),
    Section(
        "risks", "Risks & governance", "Risk register, decisions log and demand requests.", "Rk"
    ),
    Section("golive", "Go-live", "Go/no-go criteria evaluated live from the workspace.", "Go"),
)

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
