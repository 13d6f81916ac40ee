"""The sections of the main window, in navigation order."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    blurb: str


SECTIONS: tuple[Section, ...] = (
    Section("dashboard", "Dashboard", "Key figures for the current initiative."),
    Section(
        "stakeholders", "Stakeholders", "The stakeholder register with the power/interest grid."
    ),
    Section("network", "Network", "Who influences whom: influencers, brokers and hot spots."),
    Section("readiness", "Readiness", "ADKAR rounds, barrier points, heat maps and forecast."),
    Section("plan", "Plan", "Engagement activities, communications and training."),
    Section("risks", "Risks & governance", "Risk register, decisions log and demand requests."),
    Section("golive", "Go-live", "Go/no-go criteria evaluated live from the workspace."),
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
