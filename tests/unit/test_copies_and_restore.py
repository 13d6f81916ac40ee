"""Issue 18, items 1 and 2 without Qt: saved changes reach the main file, the CLI closes what it
opened on every way out, and `cmio copy`, `cmio backups`, `cmio restore` work and refuse to
overwrite."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from cmio_desktop import cli
from cmio_desktop.cli import main
from cmio_desktop.paths import backups_dir
from cmio_desktop.store import open_workspace
from cmio_desktop.store.backup import daily_backup
from cmio_desktop.store.errors import WorkspaceError
from cmio_desktop.store.restore import BEFORE_UPGRADE, DAILY, list_backups, restore_backup
from cmio_desktop.store.workspace import close_open_workspaces, open_workspaces

# File copies and restores: SQLite only.
pytestmark = pytest.mark.sqlite_only


def org_name(path: Path) -> str:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT name FROM organisation").fetchone()[0]


def people(path: Path) -> int:
    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT count(*) FROM stakeholder").fetchone()[0]


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(path.name + "-*"))


def rename_org(ws, name: str) -> None:  # type: ignore[no-untyped-def]
    with ws.session() as session:
        session.execute(text("UPDATE organisation SET name = :n"), {"n": name})


def test_every_write_reaches_the_main_file(sample_ws, tmp_path) -> None:  # type: ignore[no-untyped-def]
    rename_org(sample_ws, "Copied by the OS")
    assert not sample_ws.behind
    shutil.copyfile(sample_ws.path, tmp_path / "os-copy.cmio")
    assert org_name(tmp_path / "os-copy.cmio") == "Copied by the OS"


def test_a_read_in_progress_delays_the_copy_until_it_ends(sample_ws, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with sample_ws.read_session() as reading:  # the analysis worker, say
        reading.execute(text("SELECT count(*) FROM stakeholder")).all()
        rename_org(sample_ws, "After the read")
        assert sample_ws.behind  # the reader's snapshot still needs the old pages
    assert not sample_ws.behind  # the end of the read flushed it
    shutil.copyfile(sample_ws.path, tmp_path / "os-copy.cmio")
    assert org_name(tmp_path / "os-copy.cmio") == "After the read"


def test_close_is_idempotent_and_leaves_no_side_files(sample_ws) -> None:  # type: ignore[no-untyped-def]
    sample_ws.close()
    sample_ws.close()
    assert side_files(sample_ws.path) == []


def test_cli_closes_a_workspace_left_open_when_interrupted(
    sample_ws, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = sample_ws.path
    sample_ws.close()
    opened = []

    def interrupted(ws):  # type: ignore[no-untyped-def]
        opened.append(ws)
        raise KeyboardInterrupt  # Ctrl+C while the command works

    monkeypatch.setattr(cli, "workspace_info", interrupted)
    assert main(["info", str(path)]) == cli.EXIT_INTERRUPTED
    assert "interrupted" in capsys.readouterr().err
    assert opened and side_files(path) == []


def test_the_safety_net_closes_workspaces_a_command_forgot(
    sample_ws, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:  # type: ignore[no-untyped-def]
    path = sample_ws.path
    sample_ws.close()
    leaked: list = []

    def forgetful(ws):  # type: ignore[no-untyped-def]  # a command that never closes
        leaked.append(open_workspace(ws.path))
        rename_org(leaked[0], "Leaked")
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "workspace_info", forgetful)
    assert main(["info", str(path)]) == cli.EXIT_INTERRUPTED
    assert side_files(path) == []
    assert org_name(path) == "Leaked"


def test_the_safety_net_keeps_a_callers_own_workspace(sample_ws) -> None:  # type: ignore[no-untyped-def]
    extra = open_workspace(sample_ws.path)
    close_open_workspaces(keep={sample_ws})
    rename_org(sample_ws, "Still open")  # the kept one still works and still flushes
    assert not sample_ws.behind and org_name(sample_ws.path) == "Still open"
    assert extra not in open_workspaces()


def test_cmio_copy_writes_a_verified_copy_and_refuses_the_source(
    sample_ws, tmp_path, capsys
) -> None:  # type: ignore[no-untyped-def]
    rename_org(sample_ws, "Copied by cmio")
    out = tmp_path / "copy.cmio"
    assert main(["copy", str(sample_ws.path), str(out)]) == 0  # while it is open
    assert org_name(out) == "Copied by cmio" and people(out) == 120
    assert side_files(out) == []  # one self-contained file
    capsys.readouterr()
    before = sample_ws.path.read_bytes()
    assert main(["copy", str(sample_ws.path), str(sample_ws.path)]) == 1
    assert "different file name" in capsys.readouterr().err
    link = tmp_path / "link.cmio"
    link.symlink_to(sample_ws.path)
    assert main(["copy", str(sample_ws.path), str(link), "--force"]) == 1
    assert sample_ws.path.read_bytes() == before
    assert main(["copy", str(sample_ws.path), str(out)]) == 1  # exists, no --force
    assert "already exists" in capsys.readouterr().err
    assert main(["copy", str(sample_ws.path), str(out), "--force"]) == 0


def test_cmio_copy_refuses_a_file_that_is_no_workspace(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    assert main(["copy", str(other), str(tmp_path / "out.cmio")]) == 1
    assert "not a CMIO workspace" in capsys.readouterr().err
    assert not (tmp_path / "out.cmio").exists()


def make_backups(ws) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """A daily backup of 120 people, and a before-upgrade copy beside the workspace."""
    daily = daily_backup(ws, backups_dir(), today=date(2026, 11, 1))
    upgrade = ws.path.with_name(ws.path.name + ".v1.bak")
    shutil.copyfile(daily, upgrade)
    return daily, upgrade


def test_backups_are_listed_with_counts(sample_ws, capsys) -> None:  # type: ignore[no-untyped-def]
    daily, upgrade = make_backups(sample_ws)
    found = {b.path: b for b in list_backups(sample_ws.path, backups_dir())}
    assert found[daily].kind == DAILY and found[upgrade].kind == BEFORE_UPGRADE
    assert found[daily].counts["people"] == 120 and found[daily].counts["ties"] > 0
    assert found[daily].counts["assessments"] > 0 and "activities" in found[daily].counts
    assert main(["backups", str(sample_ws.path), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {Path(b["path"]) for b in listed} == {daily, upgrade}
    assert all(b["counts"]["people"] == 120 and b["problem"] == "" for b in listed)
    assert main(["backups", str(sample_ws.path)]) == 0
    out = capsys.readouterr().out
    assert "before upgrade" in out and "120 people" in out


def test_cmio_restore_writes_a_new_file_and_never_replaces_one(sample_ws, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    daily, _ = make_backups(sample_ws)
    rename_org(sample_ws, "Changed after the backup")
    out = tmp_path / "restored.cmio"
    assert main(["restore", str(daily), str(out)]) == 0
    assert org_name(out) == "Riverside Health" and people(out) == 120
    reopened = open_workspace(out)  # a real workspace again
    reopened.close()
    capsys.readouterr()
    before = sample_ws.path.read_bytes()
    assert main(["restore", str(daily), str(sample_ws.path)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert sample_ws.path.read_bytes() == before
    with pytest.raises(WorkspaceError, match="is the open workspace"):
        restore_backup(daily, sample_ws.path, current=sample_ws.path)


def test_a_damaged_backup_is_listed_as_unreadable_and_not_restored(sample_ws, tmp_path) -> None:  # type: ignore[no-untyped-def]
    daily, _ = make_backups(sample_ws)
    with open(daily, "r+b") as fh:
        fh.truncate(2048)
    info = next(b for b in list_backups(sample_ws.path, backups_dir()) if b.path == daily)
    assert info.problem == "the file is truncated"
    with pytest.raises(WorkspaceError, match="cannot be restored"):
        restore_backup(daily, tmp_path / "new.cmio")
    assert not (tmp_path / "new.cmio").exists()
