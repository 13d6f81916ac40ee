"""Team workspaces: publishing a local workspace, offline copies and syncing them back.

Names resolve on first use (PEP 562): the conflict dialog imports ``team.report`` without
loading SQLAlchemy before the window's first paint.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cmio_desktop.services.team.origin import Origin
    from cmio_desktop.services.team.publishing import (
        Copied,
        checkout,
        open_publish_target,
        origin_of,
        publish,
        sync_with_origin,
    )
    from cmio_desktop.services.team.report import CHOICES, Choice, Conflict, SyncReport
    from cmio_desktop.services.team.syncing import SyncError, sync

_HOME = {
    "Origin": ".origin",
    "Copied": ".publishing",
    "checkout": ".publishing",
    "open_publish_target": ".publishing",
    "origin_of": ".publishing",
    "publish": ".publishing",
    "sync_with_origin": ".publishing",
    "CHOICES": ".report",
    "Choice": ".report",
    "Conflict": ".report",
    "SyncReport": ".report",
    "SyncError": ".syncing",
    "sync": ".syncing",
}

__all__ = [
    "CHOICES",
    "Choice",
    "Conflict",
    "Copied",
    "Origin",
    "SyncError",
    "SyncReport",
    "checkout",
    "open_publish_target",
    "origin_of",
    "publish",
    "sync",
    "sync_with_origin",
]


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_HOME[name], __name__), name)
    globals()[name] = value
    return value
