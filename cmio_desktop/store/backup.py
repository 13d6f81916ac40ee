"""Automatic backups: one verified copy per workspace per day, the last few days kept.

A backup never blocks work: any failure (a full disk, a read-only folder) raises
:class:`BackupError` with a sentence the caller shows as a warning and logs. A copy is written
beside its final name and verified before the rename, so no partial backup or ``-journal`` is
left behind; an invalid backup found under today's name is replaced on the next open.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date
from pathlib import Path

from cmio_desktop.store.copies import copy_problems, write_verified_copy
from cmio_desktop.store.errors import BackupError, WorkspaceError, storage_problem
from cmio_desktop.store.workspace import Workspace

KEEP_DAYS = 7
log = logging.getLogger(__name__)


def backup_prefix(workspace_path: Path) -> str:
    """File-name prefix of a workspace's backups: its stem and a short hash of its full path,
    so backups of different files that share a name stay apart."""
    tag = hashlib.sha1(str(workspace_path.resolve()).encode()).hexdigest()[:8]
    return f"{workspace_path.stem}-{tag}-"


def backups_of(workspace_path: Path, folder: Path) -> list[Path]:
    """The workspace's backups in ``folder``, oldest first."""
    return sorted(folder.glob(f"{backup_prefix(workspace_path)}*.cmio"))


def daily_backup(
    ws: Workspace, folder: Path, today: date | None = None, keep: int = KEEP_DAYS
) -> Path | None:
    """Copy the workspace into ``folder`` unless a valid copy from today exists; prune old ones.

    Returns the new backup's path, or None when today's backup already existed and is valid.
    Raises :class:`BackupError` (never anything else for a disk or folder problem).
    """
    today = today or date.today()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BackupError(
            f"The daily backup could not be made: the folder {folder} cannot be created "
            f"({storage_problem(exc)})."
        ) from None
    target = folder / f"{backup_prefix(ws.path)}{today.isoformat()}.cmio"
    if target.exists():
        problems = copy_problems(target, thorough=False, passphrase=ws.passphrase)
        if not problems:
            return None
        log.warning("Today's backup %s is invalid (%s); writing it again.", target, problems[0])
    try:
        write_verified_copy(ws.path, target, passphrase=ws.passphrase)  # encrypted stays so
    except WorkspaceError as exc:
        raise BackupError(f"The daily backup could not be made: {exc}") from None
    for old in backups_of(ws.path, folder)[:-keep]:
        old.unlink(missing_ok=True)
    return target
