"""Encrypted workspaces: SQLCipher files, recognised because they lack SQLite's header.

An encrypted ``.cmio`` is a whole SQLCipher database (every page, the WAL and every copy made
from it encrypted with the same passphrase). ``sqlcipher3`` is imported only when such a file
is opened or made, so the plain path never loads it.

A program that cannot ask in a dialog (the ``cmio`` command) registers a passphrase source
with :func:`set_passphrase_source`; :func:`open_workspace` asks it for an encrypted file opened
without a passphrase.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from cmio_desktop.store.errors import (
    EncryptedWorkspaceError,
    WorkspaceError,
    WrongPassphraseError,
    storage_problem,
)

SQLITE_MAGIC = b"SQLite format 3\x00"
# SQLCipher's files are whole pages (512 bytes at the least) of ciphertext, which does not
# compress; a text, patterned or other known file is therefore never taken for one.
_MIN_PAGE = 512
_OTHER_FORMATS = (b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xd0\xcf\x11\xe0", b"\x1f\x8b", b"BZh")

# SQLCipher 4's key derivation (its defaults; the files are made with them): PBKDF2-HMAC-SHA512
# over the passphrase and the file's 16-byte salt, 256,000 iterations, a 32-byte key.
KDF_ITERATIONS = 256_000
_SALT_BYTES = 16

_passphrase_source: Callable[[Path], str | None] | None = None
_quieted = False  # SQLCipher's logging switched off


def looks_encrypted(start: bytes, size: int) -> bool:
    """True when a file's first bytes (ideally its first 512) and size fit a SQLCipher
    database: whole pages, no SQLite or other known header, and incompressible like ciphertext."""
    if size < _MIN_PAGE or size % _MIN_PAGE or start.startswith((SQLITE_MAGIC, *_OTHER_FORMATS)):
        return False
    if all(32 <= b < 127 or b in (9, 10, 13) for b in start[:16]):
        return False
    return len(zlib.compress(start, 9)) >= len(start)


def is_encrypted(path: Path) -> bool:
    try:
        # Only a regular file: opening a FIFO or a device would block or read forever.
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        return looks_encrypted(read_start(path), os.path.getsize(path))
    except OSError:
        return False


def read_start(path: Path) -> bytes:
    """The bytes :func:`looks_encrypted` judges (the first 512)."""
    with open(path, "rb") as fh:
        return fh.read(_MIN_PAGE)


def sqlcipher() -> ModuleType:
    """The SQLCipher driver, loaded on first use, its own stderr logging switched off (it would
    print a line for every wrong passphrase)."""
    global _quieted
    import sqlcipher3

    if not _quieted:
        probe = sqlcipher3.connect(":memory:")
        try:
            probe.execute("PRAGMA cipher_log_level = NONE")  # process-wide
        finally:
            probe.close()
        _quieted = True
    return sqlcipher3


def database_errors() -> tuple[type[BaseException], ...]:
    """The DB-API error classes of every driver loaded (sqlite3's and SQLCipher's are unrelated)."""
    found: tuple[type[BaseException], ...] = (sqlite3.Error,)
    module = sys.modules.get("sqlcipher3")
    if module is not None:
        found += (module.Error,)
    return found


def connect(
    path: Path, passphrase: str | None = None, *, readonly: bool = False, **kwargs: Any
) -> Any:
    """A DB-API connection to ``path``: sqlite3 for a plain file, SQLCipher keyed with
    ``passphrase`` for an encrypted one. ``readonly`` opens it with ``mode=ro``."""
    target: str = f"{Path(path).resolve().as_uri()}?mode=ro" if readonly else str(path)
    if passphrase is None:
        return sqlite3.connect(target, uri=readonly, **kwargs)
    conn = sqlcipher().connect(target, uri=readonly, **kwargs)
    conn.execute(f"PRAGMA key = {quote(passphrase)}")  # must come before anything else
    return conn


def raw_key(path: Path, passphrase: str) -> str:
    """The SQLCipher raw key (with its salt) that ``passphrase`` gives for the encrypted file
    ``path``. Derived once here, it spares every later connection (the engine's, the change
    watch's, each copy's) SQLCipher's deliberately slow key derivation; it is used wherever a
    passphrase is (``PRAGMA key`` takes either)."""
    salt = read_start(path)[:_SALT_BYTES]
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, 32)
    return f"x'{key.hex()}{salt.hex()}'"


def quote(value: str) -> str:
    """An SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def check_passphrase(path: Path, passphrase: str) -> None:
    """Raise :class:`WrongPassphraseError` unless ``passphrase`` opens the encrypted ``path``."""
    module = sqlcipher()
    try:
        conn = connect(path, passphrase, readonly=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except module.DatabaseError as exc:
        if "not a database" in str(exc):
            raise wrong_passphrase(path) from None
        raise WorkspaceError(f"{path.name} cannot be read ({exc}).") from None


def wrong_passphrase(path: Path) -> WrongPassphraseError:
    return WrongPassphraseError(
        f"That passphrase does not open {path.name} (or the file is damaged, or not a "
        "workspace); nothing was opened or changed. Check the passphrase and try again."
    )


def encrypted_needs_passphrase(path: Path) -> EncryptedWorkspaceError:
    return EncryptedWorkspaceError(
        f"{path.name} is an encrypted workspace; it opens only with its passphrase."
    )


def set_passphrase_source(source: Callable[[Path], str | None] | None) -> None:
    """Register how to get the passphrase of an encrypted file opened without one."""
    global _passphrase_source
    _passphrase_source = source


def passphrase_for(path: Path) -> str | None:
    return _passphrase_source(path) if _passphrase_source is not None else None


def convert(
    source: Path, target: Path, source_passphrase: str | None, target_passphrase: str | None
) -> None:
    """Write ``source`` to the new file ``target`` re-keyed (``None``: plain SQLite) with
    SQLCipher's ``sqlcipher_export``, through a verified temporary file beside ``target``."""
    import tempfile

    from cmio_desktop.store.copies import _fsync as fsync_file
    from cmio_desktop.store.copies import copy_problems, remove_with_side_files

    module = sqlcipher()
    if os.path.lexists(target):
        raise WorkspaceError(f"{target.name} already exists; choose another name.")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as exc:
        raise WorkspaceError(_not_written(target, exc)) from None
    os.close(fd)
    temp = Path(name)
    try:
        os.chmod(temp, 0o600)
        os.unlink(temp)  # SQLCipher makes the file itself (an empty file it would take as plain)
        _export(module, source, temp, source_passphrase, target_passphrase)
        problems = copy_problems(temp, passphrase=target_passphrase)
        if problems:
            raise WorkspaceError(
                f"{target.name} could not be verified ({problems[0]}); nothing was written."
            )
        os.chmod(temp, 0o600)
        fsync_file(temp)
        os.link(temp, target)  # never replaces a file that appeared meanwhile
    except FileExistsError:
        raise WorkspaceError(f"{target.name} already exists; choose another name.") from None
    except (OSError, *database_errors()) as exc:
        raise WorkspaceError(_not_written(target, exc)) from None
    finally:
        remove_with_side_files(temp)


def _export(
    module: ModuleType, source: Path, temp: Path, source_key: str | None, target_key: str | None
) -> None:
    conn = module.connect(str(source), isolation_level=None)
    try:
        if source_key is not None:
            conn.execute(f"PRAGMA key = {quote(source_key)}")
        try:
            user_version = conn.execute("PRAGMA user_version").fetchone()[0]
        except module.DatabaseError as exc:
            if "not a database" in str(exc):
                raise wrong_passphrase(source) from None
            raise
        application_id = conn.execute("PRAGMA application_id").fetchone()[0]
        conn.execute(
            f"ATTACH DATABASE {quote(str(temp))} AS converted KEY {quote(target_key or '')}"
        )
        conn.execute("BEGIN")  # one consistent snapshot of the source
        conn.execute("SELECT sqlcipher_export('converted')")
        conn.execute(f"PRAGMA converted.user_version = {int(user_version)}")
        conn.execute(f"PRAGMA converted.application_id = {int(application_id)}")
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE converted")
    finally:
        conn.close()


def _not_written(target: Path, exc: BaseException) -> str:
    return f"{target.name} could not be written: {storage_problem(exc)}; nothing was written."
