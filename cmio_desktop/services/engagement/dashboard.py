"""The dashboard's engagement figures: follow-ups due this week and the key resisters nobody
has spoken to in four weeks. Each card's count is the length of the list its drill-down shows,
and each list comes from one function (``follow_ups_due``, :func:`key_resisters_not_contacted`),
so the number and the names can never disagree."""

from __future__ import annotations

from datetime import date
from typing import Any

from cmio_desktop.services.engagement.figures import (
    FOLLOW_UP_DAYS,
    NOT_CONTACTED_WEEKS,
    EngagementFigures,
    NotContacted,
)
from cmio_desktop.services.engagement.log import follow_ups_due, not_contacted_since
from cmio_desktop.store import Workspace


def key_resisters_not_contacted(
    ws: Workspace,
    initiative_id: int | None,
    today: date | None = None,
    weeks: int = NOT_CONTACTED_WEEKS,
    metrics_runner: Any = None,
) -> list[NotContacted]:
    """The initiative's key resisters (the one list, ``services.network.key_people``) with no
    logged contact in the last ``weeks`` weeks."""
    from cmio_desktop.services.network import analysis as network
    from cmio_desktop.services.network.key_people import key_resister_ids

    found = network.analyze(ws, initiative_id, metrics_runner=metrics_runner)
    return not_contacted_since(ws, key_resister_ids(found), today, weeks)


def engagement_figures(
    ws: Workspace, initiative_id: int | None, today: date | None = None, metrics_runner: Any = None
) -> EngagementFigures:
    today = today or date.today()
    return EngagementFigures(
        today,
        follow_ups_due(ws, today, FOLLOW_UP_DAYS),
        key_resisters_not_contacted(ws, initiative_id, today, metrics_runner=metrics_runner),
    )
