"""Team workspaces: publishing a local workspace, offline copies and syncing them back."""

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
from cmio_desktop.services.team.sync import SyncError, sync

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
