"""The CLI backs up a workspace before it writes to it: the same daily backup as the app
(one verified copy a day in the user data folder); a failed backup is a warning, never a stop."""

from __future__ import annotations

import sys
from typing import Any


def backup_before_write(ws: Any) -> None:
    from cmio_desktop.paths import backups_dir
    from cmio_desktop.store.backup import daily_backup
    from cmio_desktop.store.errors import WorkspaceError

    if ws.is_team:  # a team server's backups are IT's (pg_dump), not a file copy
        return
    try:
        daily_backup(ws, backups_dir())
    except (OSError, WorkspaceError) as exc:
        print(f"cmio: warning: {exc} It will be tried again next time.", file=sys.stderr)
