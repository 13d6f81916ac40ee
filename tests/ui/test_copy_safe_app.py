"""Issue 18, item 1: a saved edit is in the .cmio file itself, so copying the file with the
operating system while the app stays open gives a copy that holds the edit; and the app's exit
paths (screenshot mode, Ctrl+C) leave no -wal/-shm beside the workspace."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool

from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.glob(path.name + "-*"))


def power_in_copy(copy: Path, ident: int) -> int:
    # Read-only and without any -wal (none was copied): exactly what the main file holds.
    conn = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT power FROM stakeholder WHERE id = ?", (ident,)).fetchone()[0]
    finally:
        conn.close()


def test_a_copy_made_with_the_os_while_the_app_is_open_holds_the_edit(
    qtbot, settings, sample_ws, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = sample_ws.path
    sample_ws.close()
    facade = WorkspaceFacade(watch_outside_changes=True)  # as the app makes it
    window = MainWindow(facade, settings)
    qtbot.addWidget(window)
    facade.open(path)
    try:
        window.resize(1360, 860)
        window.show()
        window.show_page("stakeholders")
        page = window.page_by_key["stakeholders"]
        qtbot.waitUntil(lambda: page.model.rowCount() == 120, timeout=20_000)
        ident = page.model.id_at(3)
        page.select_ids([ident])
        qtbot.waitUntil(lambda: page.editor.record is not None and page.editor.record.id == ident)
        new_power = 5 if page.editor.record.power != 5 else 1
        page.editor.widgets["power"].setValue(new_power)
        qtbot.mouseClick(page.editor.apply_button, Qt.MouseButton.LeftButton)
        assert facade.undo_stack.count() == 1  # the edit was saved

        copy = tmp_path / "mailed.cmio"
        shutil.copyfile(path, copy)  # the app stays open, as when a user e-mails the file
        assert power_in_copy(copy, ident) == new_power
        assert not facade.ws.behind
    finally:
        QThreadPool.globalInstance().waitForDone(10_000)
        window.close()
        facade.close()
    assert side_files(path) == []  # closing the workspace removed its side files


def test_an_edit_held_back_by_a_reader_reaches_the_file_when_it_ends(
    qtbot, sample_ws, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Another program reading (an open snapshot) keeps the checkpoint from copying the edit;
    the app's watch tick copies it in once that read ends."""
    facade = WorkspaceFacade(watch_outside_changes=True)
    facade.set_workspace(sample_ws)
    reader = sqlite3.connect(sample_ws.path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM stakeholder").fetchone()  # a snapshot held open
        with sample_ws.session() as session:
            session.connection().exec_driver_sql(
                "UPDATE organisation SET name = 'Held back by a reader'"
            )
        assert sample_ws.behind
        reader.execute("COMMIT")
        qtbot.waitUntil(lambda: not sample_ws.behind, timeout=5_000)
    finally:
        reader.close()
        facade.workspace = None  # sample_ws closes itself
    copy = tmp_path / "later.cmio"
    shutil.copyfile(sample_ws.path, copy)
    with sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT name FROM organisation").fetchone()[0] == (
            "Held back by a reader"
        )


def app_env(tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", CMIO_DESKTOP_DATA_DIR=str(tmp_path))


def test_screenshot_mode_leaves_no_side_files(sample_ws, tmp_path: Path) -> None:
    path = sample_ws.path
    sample_ws.close()
    shot = tmp_path / "shot.png"
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), str(path), "--screenshot", str(shot)],
        env=app_env(tmp_path / "data"),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    assert shot.stat().st_size > 0
    assert side_files(path) == []


@pytest.mark.skipif(os.name != "posix", reason="signals as on Linux and macOS")
def test_ctrl_c_closes_the_app_and_its_workspace(sample_ws, tmp_path: Path) -> None:
    path = sample_ws.path
    sample_ws.close()
    app = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), str(path)],
        env=app_env(tmp_path / "data"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not side_files(path) and time.monotonic() < deadline:  # the app opened it
            time.sleep(0.05)
        assert side_files(path), "the app never opened the workspace"
        app.send_signal(signal.SIGINT)
        _, stderr = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
    assert app.returncode == 0, stderr
    assert "Traceback" not in stderr
    assert side_files(path) == []
