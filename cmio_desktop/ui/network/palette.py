"""Colours of the network view and its legend (hex strings; no Qt needed)."""

from __future__ import annotations

import math
from typing import Literal

from cmio_desktop.enums import Attitude

ColourBy = Literal["attitude", "readiness", "community"]
COLOUR_BY_LABELS: dict[ColourBy, str] = {
    "attitude": "Attitude",
    "readiness": "Readiness",
    "community": "Community",
}

# The register uses the same attitude colours, so a person looks the same everywhere.
ATTITUDE = {
    Attitude.UNAWARE.value: "#94a3b8",
    Attitude.RESISTANT.value: "#dc2626",
    Attitude.NEUTRAL.value: "#d97706",
    Attitude.SUPPORTIVE.value: "#0d9488",
    Attitude.LEADING.value: "#2563eb",
}
NO_DATA = "#cbd5e1"
HOT_SPOT_RING = "#b91c1c"
SELECTION = "#f59e0b"
EDGE = "#64748b"

# Readiness 1–5 in bands (upper bound, colour, legend text).
READINESS_BANDS = (
    (2.5, "#b91c1c", "below 2.5"),
    (3.0, "#ea580c", "2.5 – 3.0"),
    (3.5, "#eab308", "3.0 – 3.5"),
    (4.0, "#65a30d", "3.5 – 4.0"),
    (99.0, "#047857", "4.0 and above"),
)

# Twelve distinguishable, calm colours for the largest communities; the rest share grey.
COMMUNITY = (
    "#2563eb",
    "#ea580c",
    "#059669",
    "#9333ea",
    "#dc2626",
    "#0891b2",
    "#ca8a04",
    "#db2777",
    "#4f46e5",
    "#65a30d",
    "#0d9488",
    "#92400e",
)
OTHER_COMMUNITY = "#a8b3c1"


def readiness_colour(value: float | None) -> str:
    if value is None or math.isnan(value):
        return NO_DATA
    return next(colour for limit, colour, _ in READINESS_BANDS if value < limit)


def attitude_colour(value: str) -> str:
    return ATTITUDE.get(value, NO_DATA)


def community_colour(community: int) -> str:
    return COMMUNITY[community] if 0 <= community < len(COMMUNITY) else OTHER_COMMUNITY
