"""``cmio copy WS OUT``, ``cmio backups WS [--json]`` and ``cmio restore BACKUP OUT``.

All three copy through SQLite's backup API (``store.copies.save_copy``, the function behind
File → Save a Copy and File → Restore from Backup… in the app), so a copy taken while the app
has the workspace open holds every saved change.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    copy = sub.add_parser(
        "copy",
        help="save a consistent copy of a workspace (safe while the app has it open)",
        description="Copy a workspace through SQLite's backup API into one self-contained, "
        "verified file. Never writes over the workspace itself; an existing OUT is replaced "
        "only with --force.",
    )
    copy.add_argument("workspace", help="the .cmio workspace")
    copy.add_argument("out", help="the copy to write")
    copy.add_argument("--force", action="store_true", help="replace OUT if it exists")
    copy.set_defaults(run=run_copy)

    backups = sub.add_parser(
        "backups",
        help="list a workspace's backups (daily, and before upgrades)",
        description="List the automatic daily backups of a workspace and the copies taken "
        "before a schema upgrade, newest first, with date, size and counts. Restore one with "
        "`cmio restore BACKUP OUT`.",
    )
    backups.add_argument("workspace", help="the .cmio workspace (it need not open)")
    backups.add_argument("--json", action="store_true", help="machine-readable output")
    backups.set_defaults(run=run_backups)

    restore = sub.add_parser(
        "restore",
        help="restore a backup as a new workspace file",
        description="Write a backup (see `cmio backups`) as a new workspace. OUT must not "
        "exist: a restore never replaces a file.",
    )
    restore.add_argument("backup", help="the backup file")
    restore.add_argument("out", help="the new .cmio workspace to create")
    restore.set_defaults(run=run_restore)


def run_copy(args: argparse.Namespace) -> int:
    from cmio_desktop.store.copies import save_copy
    from cmio_desktop.store.errors import NotAWorkspaceError
    from cmio_desktop.store.workspace import APPLICATION_ID, read_identity

    source, out = Path(args.workspace), Path(args.out)
    if read_identity(source).application_id != APPLICATION_ID:
        raise NotAWorkspaceError(f"{source.name} is a database, but not a CMIO workspace.")
    save_copy(source, out, overwrite=args.force)
    print(f"Copied {source} to {out}.")
    return 0


def run_backups(args: argparse.Namespace) -> int:
    from cmio_desktop.paths import backups_dir
    from cmio_desktop.store.restore import list_backups

    found = list_backups(Path(args.workspace), backups_dir())
    if args.json:
        print(json.dumps([b.as_dict() for b in found], indent=2, ensure_ascii=False))
        return 0
    if not found:
        print(f"No backups of {args.workspace} yet (one is made each day it is opened).")
        return 0
    for backup in found:
        if backup.problem:
            summary = f"unreadable: {backup.problem}"
        else:
            summary = ", ".join(f"{n:,} {label}" for label, n in backup.counts.items())
        print(
            f"{backup.saved:%Y-%m-%d %H:%M}  {backup.kind:<14} {_size(backup.size):>9}  "
            f"{summary}\n    {backup.path}"
        )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from cmio_desktop.store.restore import restore_backup

    restore_backup(Path(args.backup), Path(args.out))
    print(f"Restored {Path(args.backup).name} as {args.out}.")
    return 0


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
