"""Encrypted workspaces (SQLCipher): made, opened with the right passphrase only, and every copy
of one (Save a Copy, daily backups, the backup before an upgrade) encrypted as well."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from cmio_desktop.sample import generate_sample
from cmio_desktop.store import create_workspace, open_workspace
from cmio_desktop.store.backup import daily_backup
from cmio_desktop.store.encryption import connect, convert, is_encrypted
from cmio_desktop.store.errors import (
    EncryptedWorkspaceError,
    NotAWorkspaceError,
    WorkspaceError,
    WrongPassphraseError,
)
from cmio_desktop.store.migrations_runner import HEAD_SCHEMA_VERSION
from cmio_desktop.store.workspace import APPLICATION_ID, SQLITE_MAGIC

# SQLCipher files: SQLite only.
pytestmark = pytest.mark.sqlite_only

PASSPHRASE = "correct horse 'battery' staple"
ORG = "Zephyrine Infirmary Trust"
ROOT = Path(__file__).resolve().parents[2]


def _sample(ws) -> None:  # type: ignore[no-untyped-def]
    generate_sample(ws, people=40, seed=5, today=date(2026, 11, 2))


def _names(ws) -> list[str]:  # type: ignore[no-untyped-def]
    with ws.engine.connect() as conn:
        return [r[0] for r in conn.exec_driver_sql("SELECT name FROM stakeholder ORDER BY id")]


def _all_rows(path: Path, passphrase: str | None) -> dict[str, list[tuple]]:
    conn = connect(path, passphrase, readonly=True)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in tables}
    finally:
        conn.close()


def _assert_encrypted_file(path: Path, *plaintexts: str) -> None:
    data = path.read_bytes()
    assert not data.startswith(SQLITE_MAGIC)
    assert is_encrypted(path)
    for text in plaintexts:
        assert text.encode() not in data


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "secret.cmio"
    create_workspace(path, ORG, fill=_sample, passphrase=PASSPHRASE).close()
    return path


def test_an_encrypted_workspace_has_no_plaintext(encrypted: Path) -> None:
    ws = open_workspace(encrypted, PASSPHRASE)
    try:
        names = _names(ws)
    finally:
        ws.close()
    assert len(names) >= 40
    _assert_encrypted_file(encrypted, "Riverside Health", names[0], names[-1], "stakeholder")


def test_opening_needs_the_right_passphrase(encrypted: Path) -> None:
    before = _digest(encrypted)
    with pytest.raises(EncryptedWorkspaceError, match="encrypted workspace"):
        open_workspace(encrypted)
    with pytest.raises(WrongPassphraseError, match="does not open secret.cmio"):
        open_workspace(encrypted, "wrong horse")
    assert _digest(encrypted) == before  # a refused open changes nothing
    assert sorted(p.name for p in encrypted.parent.iterdir()) == ["secret.cmio"]
    ws = open_workspace(encrypted, PASSPHRASE)
    try:
        assert ws.encrypted and ws.schema_version() == HEAD_SCHEMA_VERSION
        assert ws.integrity_problems() == []
    finally:
        ws.close()


def test_writes_and_the_change_watch_work_encrypted(encrypted: Path) -> None:
    from cmio_desktop.services.stakeholders.edits import create_stakeholder

    ws = open_workspace(encrypted, PASSPHRASE)
    other = open_workspace(encrypted, PASSPHRASE)
    try:
        assert ws.changed_elsewhere() is False  # starts watching
        create_stakeholder(other, name="Ottoline Vexbridge")
        assert ws.changed_elsewhere() is True
        assert "Ottoline Vexbridge" in _names(ws)
    finally:
        other.close()
        ws.close()
    _assert_encrypted_file(encrypted, "Ottoline Vexbridge")


def test_a_plain_workspace_ignores_a_passphrase(empty_ws) -> None:
    empty_ws.close()
    ws = open_workspace(empty_ws.path, "anything")
    try:
        assert not ws.encrypted
    finally:
        ws.close()


def test_copies_and_backups_stay_encrypted(encrypted: Path, tmp_path: Path) -> None:
    ws = open_workspace(encrypted, PASSPHRASE)
    try:
        names = _names(ws)
        copy = tmp_path / "copy.cmio"
        ws.backup_to(copy)
        backup = daily_backup(ws, tmp_path / "backups")
        assert backup is not None
        assert daily_backup(ws, tmp_path / "backups") is None  # today's is valid (read keyed)
    finally:
        ws.close()
    for path in (copy, backup):
        _assert_encrypted_file(path, names[0], names[-1], "Riverside Health")
        with pytest.raises(EncryptedWorkspaceError):
            open_workspace(path)
        reopened = open_workspace(path, PASSPHRASE)
        try:
            assert _names(reopened) == names
        finally:
            reopened.close()


def test_encrypt_and_decrypt_keep_every_row(encrypted: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.cmio"
    again = tmp_path / "again.cmio"
    convert(encrypted, plain, PASSPHRASE, None)
    assert plain.read_bytes().startswith(SQLITE_MAGIC)
    convert(plain, again, None, "another passphrase")
    _assert_encrypted_file(again, "Riverside Health")
    original = _all_rows(encrypted, PASSPHRASE)
    assert original["stakeholder"] and original["relationship"]
    assert _all_rows(plain, None) == original
    assert _all_rows(again, "another passphrase") == original
    for path, key in ((plain, None), (again, "another passphrase")):
        ws = open_workspace(path, key)
        try:  # still a workspace: our stamp and the schema version came along
            assert ws.schema_version() == HEAD_SCHEMA_VERSION and ws.integrity_problems() == []
        finally:
            ws.close()
        assert stat_mode(path) == 0o600


def stat_mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_convert_refuses_an_existing_target_and_a_wrong_passphrase(
    encrypted: Path, tmp_path: Path
) -> None:
    taken = tmp_path / "taken.cmio"
    taken.write_bytes(b"keep me")
    with pytest.raises(WorkspaceError, match="already exists"):
        convert(encrypted, taken, PASSPHRASE, None)
    assert taken.read_bytes() == b"keep me"
    with pytest.raises(WrongPassphraseError):
        convert(encrypted, tmp_path / "out.cmio", "wrong", None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["secret.cmio", "taken.cmio"]


def test_migrations_run_on_an_encrypted_file(tmp_path: Path) -> None:
    """An encrypted file at schema 0 upgrades to head, and its pre-upgrade backup is encrypted."""
    path = tmp_path / "old.cmio"
    conn = connect(path, PASSPHRASE)
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 0")
        conn.execute("CREATE TABLE scratch (x)")  # give the file a real page
        conn.commit()
    finally:
        conn.close()
    ws = open_workspace(path, PASSPHRASE)
    try:
        assert ws.schema_version() == HEAD_SCHEMA_VERSION
        assert ws.integrity_problems() == []
    finally:
        ws.close()
    bak = tmp_path / "old.cmio.v0.bak"
    _assert_encrypted_file(bak, "scratch")
    _assert_encrypted_file(path, "organisation")


def test_patterned_or_text_files_are_not_taken_for_encrypted(tmp_path: Path) -> None:
    for content in (bytes(range(256)) * 8, b"hello world, not a workspace\n" * 64):
        path = tmp_path / "bad.cmio"
        path.write_bytes(content[:1024])
        with pytest.raises(NotAWorkspaceError, match="not a database file"):
            open_workspace(path)
    random_pages = tmp_path / "noise.cmio"
    random_pages.write_bytes(os.urandom(4096))  # looks like SQLCipher: asks for a passphrase
    with pytest.raises(EncryptedWorkspaceError):
        open_workspace(random_pages)
    with pytest.raises(WrongPassphraseError):
        open_workspace(random_pages, "any")


def test_an_empty_passphrase_is_refused(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="not empty"):
        create_workspace(tmp_path / "x.cmio", passphrase="")
    assert list(tmp_path.iterdir()) == []


def test_the_plain_path_never_loads_sqlcipher(empty_ws, tmp_path: Path) -> None:
    """Opening, reading, backing up and copying a plain workspace leaves SQLCipher unloaded."""
    empty_ws.close()
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from cmio_desktop.store import open_workspace\n"
        "from cmio_desktop.store.backup import daily_backup\n"
        f"ws = open_workspace(Path({str(empty_ws.path)!r}))\n"
        "ws.changed_elsewhere()\n"
        f"daily_backup(ws, Path({str(tmp_path / 'b')!r}))\n"
        f"ws.backup_to(Path({str(tmp_path / 'c.cmio')!r}))\n"
        "ws.close()\n"
        "print('sqlcipher3' in sys.modules, 'keyring' in sys.modules)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["False", "False"]


def test_a_plain_sqlite_reader_cannot_read_it(encrypted: Path) -> None:
    conn = sqlite3.connect(f"{encrypted.resolve().as_uri()}?mode=ro", uri=True)
    try:
        with pytest.raises(sqlite3.DatabaseError):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()
