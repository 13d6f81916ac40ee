"""Automatic backups: one consistent copy per workspace per day, the last few days kept."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from .workspace import Workspace

KEEP_DAYS = 7


def daily_backup(
    ws: Workspace, folder: Path, today: date | None = None, keep: int = KEEP_DAYS
) -> Path | None:
    """Copy the workspace into ``folder`` unless today's copy exists; prune older ones.

    Backups of different files that share a name stay apart: the name carries a short hash of
    the workspace's full path. Returns the new backup's path, or None when one already existed.
    """
    today = today or date.today()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    tag = hashlib.sha1(str(ws.path.resolve()).encode()).hexdigest()[:8]
    prefix = f"{ws.path.stem}-{tag}-"
    target = folder / f"{prefix}{today.isoformat()}.cmio"
    created = None
    if not target.exists():
        ws.backup_to(target)
        created = target
    for old in sorted(folder.glob(f"{prefix}*.cmio"))[:-keep]:
        old.unlink(missing_ok=True)
    return created
