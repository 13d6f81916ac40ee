"""New files appear only when complete; bad workspace paths give sentences, never tracebacks
or hangs (issue 19, items 9 and 10)."""

from __future__ import annotations

import csv
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cmio_desktop.store import NotAWorkspaceError, WorkspaceError, create_workspace, open_workspace
from cmio_desktop.store.workspace import APPLICATION_ID
from tests.unit.small_disk import fill, small_disk_fixture  # noqa: F401  (the small_disk fixture)

# File headers, permissions and journals: SQLite only.
pytestmark = pytest.mark.sqlite_only


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cmio_desktop.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def people(path: Path) -> int:
    ws = open_workspace(path)
    try:
        with ws.engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM stakeholder").scalar_one())
    finally:
        ws.close()


def kill_when_building(process: subprocess.Popen, folder: Path, name: str) -> None:
    """SIGKILL ``process`` once its temporary file has grown past its first pages."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        temps = list(folder.glob(f".{name}.*.creating*"))
        if sum(p.stat().st_size for p in temps if p.exists()) > 200_000:
            break
        time.sleep(0.01)
    assert process.poll() is None, "the creation finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def unstamped_leftover(path: Path) -> None:
    """What a kill during creation left before: a 4 kB database with no stamp and no tables."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    assert path.stat().st_size > 0


# -- item 9: a half-created workspace is not a dead end --------------------------------------


def test_a_killed_cli_sample_leaves_no_file_and_the_next_run_succeeds(tmp_path: Path) -> None:
    target = tmp_path / "demo.cmio"
    process = subprocess.Popen(
        [sys.executable, "-m", "cmio_desktop.cli", "sample", str(target), "--people", "30000"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    kill_when_building(process, tmp_path, target.name)
    assert not target.exists()  # nothing under the real name
    done = cli("sample", str(target), "--people", "100")
    assert done.returncode == 0, done.stderr
    assert people(target) == 100
    assert [p.name for p in tmp_path.iterdir() if ".creating" in p.name] == []  # cleaned up


def test_a_killed_first_run_sample_is_made_again_on_the_next_launch(tmp_path: Path) -> None:
    from cmio_desktop.app import ensure_sample

    sample = tmp_path / "Riverside Health sample.cmio"
    code = (
        "import sys; from pathlib import Path; from cmio_desktop.app import ensure_sample; "
        "from cmio_desktop import sample as s; s.DEFAULT_PEOPLE = 30000; "
        "import cmio_desktop.sample; ensure_sample(Path(sys.argv[1]))"
    )
    process = subprocess.Popen([sys.executable, "-c", code, str(sample)])
    kill_when_building(process, tmp_path, sample.name)
    ensure_sample(sample)  # the next launch
    assert people(sample) == 400


@pytest.mark.parametrize("leftover", ["empty", "unstamped"])
def test_an_old_style_leftover_is_replaced_by_new_sample_and_first_run(
    tmp_path: Path, leftover: str
) -> None:
    from cmio_desktop.app import ensure_sample

    target = tmp_path / "demo.cmio"
    for make in (lambda: cli("sample", str(target), "--people", "20"),
                 lambda: cli("new", str(target), "--org", "Lakeside")):  # fmt: skip
        target.write_bytes(b"") if leftover == "empty" else unstamped_leftover(target)
        done = make()
        assert done.returncode == 0, done.stderr
        ws = open_workspace(target)
        ws.close()
        target.unlink()
    target.write_bytes(b"") if leftover == "empty" else unstamped_leftover(target)
    ensure_sample(target)
    assert people(target) == 400


def test_a_file_with_content_is_never_replaced_by_a_new_workspace(tmp_path: Path) -> None:
    target = tmp_path / "notes.cmio"
    target.write_text("my notes")
    with pytest.raises(WorkspaceError, match="already exists"):
        create_workspace(target)
    assert target.read_text() == "my notes"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.cmio"]


def test_a_new_workspace_never_appears_half_made(tmp_path: Path) -> None:
    target = tmp_path / "new.cmio"
    seen: list[bool] = []

    def fill(ws) -> None:  # type: ignore[no-untyped-def]
        seen.append(target.exists())
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        create_workspace(target, fill=fill)
    assert seen == [False] and list(tmp_path.iterdir()) == []


def test_a_sample_on_a_full_disk_is_a_sentence_and_leaves_nothing(small_disk: Path) -> None:
    target = small_disk / "demo.cmio"
    done = cli("sample", str(target), "--people", "5000")
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "cmio: demo.cmio could not be created: the disk is full; nothing was left behind."
    ]
    assert list(small_disk.iterdir()) == []


# -- item 10: sentences, not tracebacks or hangs ----------------------------------------------


def test_a_fifo_as_the_workspace_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.cmio"
    os.mkfifo(fifo)
    done = cli("info", str(fifo), timeout=20)  # first, in a child: a hang is a timeout here
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert "not a regular file" in done.stderr
    with pytest.raises(NotAWorkspaceError, match="not a regular file"):
        open_workspace(fifo)


def test_workspace_tables_without_a_stamp_are_refused_untouched(sample_ws, tmp_path) -> None:
    path = sample_ws.path
    sample_ws.close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 0")
        conn.execute("DROP TABLE alembic_version")
    conn.close()
    before = digest(path)
    done = cli("info", str(path))
    assert done.returncode == 1 and len(done.stderr.splitlines()) == 1
    assert "no schema version stamp" in done.stderr
    assert digest(path) == before
    assert not path.with_name(path.name + ".v0.bak").exists()


def test_a_stamped_file_with_other_tables_still_upgrades(tmp_path: Path) -> None:
    path = tmp_path / "old.cmio"
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("CREATE TABLE scratch (x)")
    conn.close()
    open_workspace(path).close()


def test_a_workspace_in_a_read_only_folder_is_a_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "plan.cmio"
    create_workspace(path).close()
    real = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == tmp_path else real(p, mode)
    )
    with pytest.raises(WorkspaceError, match="folder you cannot write to"):
        open_workspace(path)


def test_a_workspace_on_a_read_only_mount_is_a_sentence_in_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    create_workspace(folder / "plan.cmio").close()
    if subprocess.run(["mount", "--bind", str(folder), str(folder)]).returncode:
        pytest.skip("bind mounts are not permitted here")
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder)], check=True)
        done = cli("info", str(folder / "plan.cmio"))
    finally:
        subprocess.run(["umount", str(folder)])
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1
    assert "read-only" in done.stderr or "cannot write to" in done.stderr


def _staff_csv(path: Path, count: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Employee ID", "Full name", "Role", "Group", "Notes"])
        for i in range(count):
            writer.writerow([f"X{i:06d}", f"Person {i}", "Nurse", "Frontline clinician", "n" * 200])
    return path


def test_an_import_onto_a_full_disk_is_one_sentence(small_disk: Path, tmp_path: Path) -> None:
    ws = small_disk / "plan.cmio"
    assert cli("sample", str(ws), "--people", "20").returncode == 0
    fill(small_disk, leave=64 * 1024)
    before = people(ws)
    done = cli("import", str(ws), str(_staff_csv(tmp_path / "staff.csv", 3000)),
               "--kind", "stakeholders")  # fmt: skip
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "disk is full" in done.stderr and "Traceback" not in done.stderr
    assert people(ws) == before


def test_an_edit_onto_a_full_disk_is_one_sentence(small_disk: Path) -> None:
    ws = small_disk / "plan.cmio"
    assert cli("sample", str(ws), "--people", "20").returncode == 0
    with sqlite3.connect(ws) as conn:
        conn.execute("DELETE FROM activity")
    conn.close()
    fill(small_disk, leave=0)
    done = cli("plan", str(ws), "--generate")
    assert done.returncode == 1
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "disk is full" in done.stderr
