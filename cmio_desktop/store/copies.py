"""Copies of a workspace that never destroy the file they replace.

Every copy goes through SQLite's online backup API (``sqlite3.Connection.backup``), which reads
the committed state, ``-wal`` included, while the workspace stays open. File → Save a Copy,
``cmio copy``, restoring a backup (app and ``cmio restore``) share :func:`save_copy`; the daily
backup and the backup before an upgrade call :func:`write_verified_copy` directly.

A copy is written under a temporary name in the target's folder, checked by reopening it, and
only then renamed over the target. A full disk or a read-only folder therefore leaves any
earlier copy untouched and no partial file or ``-journal`` behind; the caller gets a
:class:`WorkspaceError` sentence.
"""

from __future__ import annotations

import contextlib
import os
import struct
import tempfile
from pathlib import Path
from typing import Any

from cmio_desktop.store.encryption import connect, database_errors, looks_encrypted
from cmio_desktop.store.errors import WorkspaceError, storage_problem

APPLICATION_ID = 0x434D494F  # "CMIO" (also in workspace.py, which imports this module)
SQLITE_MAGIC = b"SQLite format 3\x00"
# A table every workspace has from its first migration on; a copy without it is no workspace.
REQUIRED_TABLE = "organisation"
_SIDE_FILES = ("-journal", "-wal", "-shm")


def save_copy(
    source: Path,
    target: Path,
    *,
    overwrite: bool = True,
    require_tables: bool = True,
    passphrase: str | None = None,
) -> None:
    """Copy the workspace ``source`` to ``target`` for the user: never onto ``source`` itself
    (also not through a link), never onto a folder; an existing ``target`` is replaced only
    with ``overwrite`` (the file dialog has asked by then)."""
    source, target = Path(source), Path(target)
    if is_same_file(target, source):
        raise WorkspaceError("Choose a different file name for the copy.")
    if target.is_dir():
        raise WorkspaceError(f"{target.name} is a folder; choose a file name for the copy.")
    if not overwrite and os.path.lexists(target):
        raise WorkspaceError(f"{target.name} already exists; choose another name.")
    if not target.parent.is_dir():
        raise WorkspaceError(
            f"Cannot write {target.name}: the folder {target.parent} does not exist."
        )
    write_verified_copy(source, target, require_tables=require_tables, passphrase=passphrase)


def is_same_file(a: Path, b: Path) -> bool:
    """True when both paths name one file (also through symlinks and hard links)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return Path(os.path.abspath(a)) == Path(os.path.abspath(b))


def write_verified_copy(
    source: Path, target: Path, require_tables: bool = True, passphrase: str | None = None
) -> None:
    """Copy the SQLite file ``source`` to ``target`` through a verified temporary file
    (``require_tables=False`` for the copy of a file from before the first migration). An
    encrypted ``source`` (its ``passphrase`` given) gives a copy encrypted with the same one."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as exc:
        raise WorkspaceError(_cannot_write(target, exc)) from None
    os.close(fd)
    temp = Path(name)
    try:
        os.chmod(temp, 0o600)
        if passphrase is None:  # the plain call, as tests that inject a full disk replace it
            _backup(source, temp)
        else:
            _backup(source, temp, passphrase)
        problems = copy_problems(temp, require_tables=require_tables, passphrase=passphrase)
        if problems:
            raise WorkspaceError(
                f"The copy {target.name} could not be verified ({problems[0]}); "
                "no file was replaced."
            )
        _fsync(temp)
        os.replace(temp, target)
        _fsync_folder(target.parent)
    except (OSError, *database_errors()) as exc:
        raise WorkspaceError(_cannot_write(target, exc)) from None
    finally:
        remove_with_side_files(temp)


def copy_problems(
    path: Path, thorough: bool = True, require_tables: bool = True, passphrase: str | None = None
) -> list[str]:
    """Why ``path`` is not a complete workspace copy (empty list: it is one).

    ``thorough`` runs SQLite's integrity check; otherwise only the cheap facts are checked
    (header, our stamp, the file's length against its page count, a required table). With a
    ``passphrase`` the copy must be encrypted, and is read with it.
    """
    try:
        with open(path, "rb") as fh:
            start = fh.read(512)
        header = start[:100]
        size = path.stat().st_size
    except OSError as exc:
        return [f"cannot be read: {exc.strerror or exc}"]
    if passphrase is not None:
        if not looks_encrypted(start, size):
            return ["not an encrypted database file"]
    elif len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return ["not a complete database file"]
    else:
        (application_id,) = struct.unpack(">I", header[68:72])
        if application_id != APPLICATION_ID:
            return ["not a CMIO workspace"]
        (page_size,) = struct.unpack(">H", header[16:18])
        page_size = 65536 if page_size == 1 else page_size
        (pages,) = struct.unpack(">I", header[28:32])
        if pages and size < pages * page_size:
            return ["the file is truncated"]
    try:
        conn = connect(path, passphrase, readonly=True)
        try:
            if passphrase is not None:  # the header facts, read through the cipher
                stamp_problem = _encrypted_stamp_problem(conn, size)
                if stamp_problem:
                    return [stamp_problem]
            found = conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                (REQUIRED_TABLE,),
            ).fetchone()[0]
            if require_tables and not found:
                return ["it has no workspace tables"]
            if thorough:
                rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
                if rows != ["ok"]:
                    return [f"integrity check: {rows[0]}"]
        finally:
            conn.close()
    except database_errors() as exc:
        return [f"cannot be read as a database ({exc})"]
    return []


def _encrypted_stamp_problem(conn: Any, size: int) -> str | None:
    if conn.execute("PRAGMA application_id").fetchone()[0] & 0xFFFFFFFF != APPLICATION_ID:
        return "not a CMIO workspace"
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    if size < pages * int(conn.execute("PRAGMA page_size").fetchone()[0]):  # SQLCipher: text
        return "the file is truncated"
    return None


def remove_with_side_files(path: Path) -> None:
    for name in (path.name, *(path.name + s for s in _SIDE_FILES)):
        with contextlib.suppress(OSError):
            os.unlink(path.with_name(name))


def _backup(source: Path, temp: Path, passphrase: str | None = None) -> None:
    src = connect(source, passphrase)
    dst = connect(temp, passphrase)  # the same key: the copy is encrypted as the source is
    try:
        src.backup(dst)
        # A copy is one self-contained file: no WAL needed to read it.
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
        src.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _cannot_write(target: Path, exc: BaseException) -> str:
    return f"{target.name} could not be written: {storage_problem(exc)}; no file was replaced."
