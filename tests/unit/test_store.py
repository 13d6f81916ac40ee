"""Workspace files: creation, identification, refusal of foreign and newer files, migrations."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest

from cmio_desktop.models import Base
from cmio_desktop.store import (
    NewerWorkspaceError,
    NotAWorkspaceError,
    WorkspaceError,
    create_workspace,
    open_workspace,
)
from cmio_desktop.store.migrations_runner import HEAD_SCHEMA_VERSION
from cmio_desktop.store.workspace import APPLICATION_ID


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_workspace_is_stamped_private_and_migrated(tmp_path: Path) -> None:
    path = tmp_path / "new.cmio"
    ws = create_workspace(path, organisation="Riverside")
    ws.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == HEAD_SCHEMA_VERSION
        assert (
            conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            == f"{HEAD_SCHEMA_VERSION:04d}"
        )
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(Base.metadata.tables) <= tables


def test_migrations_match_the_models(tmp_path: Path) -> None:
    """The migrated schema has every column the ORM declares (no drift between the two)."""
    path = tmp_path / "drift.cmio"
    create_workspace(path).close()
    with sqlite3.connect(path) as conn:
        for name, table in Base.metadata.tables.items():
            columns = {r[1] for r in conn.execute(f"PRAGMA table_info('{name}')")}
            assert columns == {c.name for c in table.columns}, name


@pytest.mark.sqlite_only
def test_pragmas_on_every_connection(empty_ws) -> None:
    with empty_ws.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_transaction_really_begins_and_rolls_back(empty_ws) -> None:
    """A failed action leaves nothing behind, DDL-free SELECT-then-write included."""
    with pytest.raises(RuntimeError), empty_ws.session() as session:
        session.connection().exec_driver_sql(
            "INSERT INTO organisation (name, created_at) VALUES ('Ghost', CURRENT_TIMESTAMP)"
        )
        assert session.connection().in_transaction()
        raise RuntimeError("abort")
    with empty_ws.engine.connect() as conn:
        names = [r[0] for r in conn.exec_driver_sql("SELECT name FROM organisation")]
    assert names == ["Test Health"]


def test_create_refuses_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "x.cmio"
    path.write_bytes(b"keep me")
    with pytest.raises(WorkspaceError, match="already exists"):
        create_workspace(path)
    assert path.read_bytes() == b"keep me"


@pytest.mark.parametrize("checkpointed", [True, False])
def test_newer_version_refused_and_untouched(tmp_path: Path, checkpointed: bool) -> None:
    """Refused whether the newer stamp is in the main file or still in the WAL."""
    path = tmp_path / "future.cmio"
    create_workspace(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {HEAD_SCHEMA_VERSION + 5}")
    conn.commit()
    if checkpointed:
        conn.close()
    before = digest(path)
    mtime = path.stat().st_mtime_ns
    with pytest.raises(NewerWorkspaceError, match="newer version"):
        open_workspace(path)
    assert digest(path) == before
    assert path.stat().st_mtime_ns == mtime
    if not checkpointed:
        conn.close()


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (bytes(range(256)) * 8, "not a database file"),
        (b"SQLite format 3", "not a database file"),  # truncated header
    ],
)
def test_not_a_workspace_refused_and_untouched(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.cmio"
    path.write_bytes(content)
    with pytest.raises(NotAWorkspaceError, match=reason):
        open_workspace(path)
    assert path.read_bytes() == content


def test_other_sqlite_database_refused_and_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('hello')")
    before = digest(path)
    with pytest.raises(NotAWorkspaceError, match="not a CMIO workspace"):
        open_workspace(path)
    assert digest(path) == before


def test_missing_file_has_clear_message(tmp_path: Path) -> None:
    with pytest.raises(WorkspaceError, match="no such file"):
        open_workspace(tmp_path / "nowhere.cmio")


def test_older_schema_is_backed_up_and_upgraded(tmp_path: Path) -> None:
    """A file at schema 0 (stamped, no tables) migrates to head after a backup copy."""
    path = tmp_path / "old.cmio"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("PRAGMA user_version = 0")
        conn.execute("CREATE TABLE scratch (x)")  # give the file a real page
    ws = open_workspace(path)
    try:
        assert ws.schema_version() == HEAD_SCHEMA_VERSION
        assert ws.integrity_problems() == []
    finally:
        ws.close()
    assert (tmp_path / "old.cmio.v0.bak").exists()


@pytest.mark.sqlite_only
def test_backup_copy_is_a_private_workspace(sample_ws, tmp_path: Path) -> None:
    copy = tmp_path / "copy.cmio"
    sample_ws.backup_to(copy)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    reopened = open_workspace(copy)
    try:
        with reopened.engine.connect() as conn:
            count = conn.exec_driver_sql("SELECT count(*) FROM stakeholder").scalar()
        assert count == 120
    finally:
        reopened.close()


def test_unclassified_migration_keeps_every_tie(tmp_path: Path, monkeypatch) -> None:
    """0001 → 0002 widens the role/group CHECKs without recreating ``stakeholder``: a recreate
    would cascade-delete every tie, since foreign keys are enforced on every connection."""
    from alembic import command
    from alembic.config import Config

    from cmio_desktop.store import migrations_runner, workspace

    def upgrade_to_0001(conn) -> None:
        config = Config()
        config.set_main_option("script_location", str(migrations_runner.MIGRATIONS_DIR))
        config.attributes["connection"] = conn
        command.upgrade(config, "0001")
        conn.exec_driver_sql("PRAGMA user_version = 1")

    path = tmp_path / "v1.cmio"
    with monkeypatch.context() as patch:
        patch.setattr(workspace, "upgrade_to_head", upgrade_to_0001)
        create_workspace(path, organisation="Riverside").close()
    person = (
        "INSERT INTO stakeholder (organisation_id, name, title, role, stakeholder_group, "
        "department, site, phone, notes, is_body, power, interest, attitude, desired_attitude, "
        "salience_power, salience_legitimacy, salience_urgency, physician_champion, super_user, "
        "custom_fields, created_at, updated_at) VALUES (1, ?, '', ?, ?, '', '', '', '', 0, 3, 3, "
        "'neutral', 'supportive', 0, 0, 0, 0, 0, '{}', '2025-01-01', '2025-01-01')"
    )
    with sqlite3.connect(path) as conn:
        conn.execute(person, ("A", "nurse", "it"))
        conn.execute(person, ("B", "nurse", "it"))
        conn.execute(
            "INSERT INTO relationship (source_id, target_id, strength, kind, note) "
            "VALUES (1, 2, 3, 'peer', '')"
        )
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(person, ("C", "unclassified", "it"))
    conn.close()
    open_workspace(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == HEAD_SCHEMA_VERSION
        assert conn.execute("SELECT count(*) FROM relationship").fetchone()[0] == 1
        conn.execute(person, ("C", "unclassified", "unclassified"))
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute(person, ("D", "wizard", "it"))
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
