"""New workspace files appear only when complete.

A new workspace (and the sample) is built under a hidden temporary name in the target folder
and renamed into place at the end, so a kill or a full disk never leaves a half-created file
under the real name. A file that holds nothing (empty, or a database without a single table:
what an interrupted creation left before this scheme) may be replaced by a new workspace;
anything else is never touched.
"""

from __future__ import annotations

import contextlib
import glob
import os
import sqlite3
import stat
from pathlib import Path

from cmio_desktop.store.copies import SQLITE_MAGIC, remove_with_side_files

CREATING_SUFFIX = ".creating"


def creating_name(path: Path) -> Path:
    """The temporary name a new workspace is built under (hidden, tagged with our pid)."""
    return path.with_name(f".{path.name}.{os.getpid()}{CREATING_SUFFIX}")


def is_unfinished_workspace(path: Path) -> bool:
    """True for a file that holds nothing: empty, or a SQLite database without any table."""
    try:
        info = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    if info.st_size == 0:
        return True
    try:
        with open(path, "rb") as fh:
            if fh.read(16) != SQLITE_MAGIC:
                return False
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return False
    return tables == 0


def remove_stale_creations(path: Path) -> None:
    """Delete temporary files of creations whose process has died (a kill mid-creation)."""
    if os.name != "posix":  # os.kill(pid, 0) would end the process on Windows
        return
    for temp in path.parent.glob(glob.escape(f".{path.name}.") + "*" + CREATING_SUFFIX):
        pid_text = temp.name[len(path.name) + 2 : -len(CREATING_SUFFIX)]
        if not pid_text.isdigit() or _alive(int(pid_text)):
            continue
        remove_with_side_files(temp)


def discard_unfinished(path: Path) -> None:
    """Remove an unfinished file and its journal files, so its stale WAL can never be
    replayed into the new workspace that takes its name."""
    remove_with_side_files(path)


def publish(temp: Path, path: Path) -> bool:
    """Move the complete file ``temp`` to ``path`` unless a real file appeared there meanwhile.
    Returns False (and leaves ``path`` alone) in that case."""
    if os.path.lexists(path):
        if not is_unfinished_workspace(path):
            return False
        discard_unfinished(path)
    try:
        os.link(temp, path)  # fails if the name was taken in the meantime: never clobbers
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links
        os.replace(temp, path)
        return True
    with contextlib.suppress(OSError):
        os.unlink(temp)
    return True


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
