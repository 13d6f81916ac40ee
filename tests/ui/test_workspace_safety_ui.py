"""The app's side of issue 19 (items 4, 5, 6, 9, 10, 13): Help › Check Workspace…, a failed
backup that only warns, exports and copies that refuse the open workspace, a first-run sample
that recovers from an interrupted one, and a FIFO refused at once."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox

from cmio_desktop.ui import file_actions
from cmio_desktop.ui.check_dialog import CheckDialog
from cmio_desktop.ui.export_dialog import ExportDialog
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def errors(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _title, text, *a: shown.append(text))
    return shown


@pytest.fixture
def window(qtbot, facade, settings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(facade, settings)
    qtbot.addWidget(win)
    facade.opened.emit()
    yield win
    QThreadPool.globalInstance().waitForDone(10_000)


def test_help_check_workspace_shows_the_report(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    (window.facade.ws.path.parent / "gone.cmio-wal").write_bytes(b"x")
    window.check_action.trigger()
    dialog = window.findChild(CheckDialog)
    assert dialog is not None and dialog.isVisible()
    texts = [label.text() for label in dialog.detail_labels]
    assert any("gone.cmio-wal" in t for t in texts)
    assert "1 problem found." in dialog.summary.text()
    dialog.resize(dialog.sizeHint())
    dialog.grab().save("/tmp/h19b-check-dialog.png")
    dialog.close()


def test_a_failed_backup_warns_in_the_status_bar_and_the_workspace_opens(
    qtbot, settings, sample_ws, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backups folder should be")
    monkeypatch.setattr("cmio_desktop.ui.facade.backups_dir", lambda: blocker / "backups")
    facade = WorkspaceFacade()
    win = MainWindow(facade, settings)
    qtbot.addWidget(win)
    path = sample_ws.path
    sample_ws.close()
    facade.open(path)
    try:
        assert facade.ws.path == path
        message = win.statusBar().currentMessage()
        assert message.startswith("⚠ The daily backup could not be made")
        assert "tried again next time" in message
        assert win.status_backup.text() == "⚠ Today's backup failed"
        assert "disk" in win.status_backup.toolTip() or "folder" in win.status_backup.toolTip()
        win.statusBar().clearMessage()  # the message times out; the label stays
        win.resize(1100, 700)
        win.show()
        win.grab().save("/tmp/h19b-backup-warning.png")
    finally:
        QThreadPool.globalInstance().waitForDone(10_000)  # the pages' loads, before closing
        win.close()
        facade.close()


def test_the_export_dialog_refuses_the_open_workspace(  # type: ignore[no-untyped-def]
    qtbot, facade, errors, tmp_path: Path
) -> None:
    link = tmp_path / "board.xlsx"
    link.symlink_to(facade.ws.path)
    before = facade.ws.path.read_bytes()[:100]
    dialog = ExportDialog(facade)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(link))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=60_000)
    assert errors and "is the open workspace" in errors[-1]
    assert facade.ws.path.read_bytes()[:100] == before


def test_save_a_copy_onto_the_open_workspace_is_refused(  # type: ignore[no-untyped-def]
    window: MainWindow, errors, monkeypatch
) -> None:
    monkeypatch.setattr(file_actions, "ask_save_path", lambda *a, **k: window.facade.ws.path)
    window.file_actions.save_copy()
    assert errors == ["Choose a different file name for the copy."]


def run_main(data: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CMIO_DESKTOP_DATA_DIR=str(data))
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_the_first_launch_after_an_interrupted_sample_recovers(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    sample = data / "Riverside Health sample.cmio"
    conn = sqlite3.connect(sample)  # what a kill during creation used to leave
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    done = run_main(data, "--screenshot", str(tmp_path / "shot.png"))
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(sample) as check:
        assert check.execute("SELECT count(*) FROM stakeholder").fetchone()[0] == 400


def test_a_fifo_as_the_workspace_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "plan.cmio"
    os.mkfifo(fifo)
    started = time.monotonic()
    done = run_main(tmp_path / "data", str(fifo), "--screenshot", str(tmp_path / "x.png"),
                    timeout=60)  # fmt: skip
    assert time.monotonic() - started < 60
    assert done.returncode == 1 and "not a regular file" in done.stderr


def test_a_workspace_in_a_read_only_folder_is_a_sentence_in_the_app(  # type: ignore[no-untyped-def]
    window: MainWindow, errors, tmp_path: Path, monkeypatch
) -> None:
    from cmio_desktop.store import create_workspace

    folder = tmp_path / "shared"
    folder.mkdir()
    path = folder / "plan.cmio"
    create_workspace(path).close()
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, m: False if Path(p) == folder else real(p, m))
    opened_before = window.facade.ws.path
    window.file_actions.open_path(path)
    assert len(errors) == 1 and "folder you cannot write to" in errors[0]
    assert window.facade.ws.path == opened_before


def _disk_full_from_sqlite(folder: Path) -> BaseException:
    """A real 'database or disk is full' from SQLite, wrapped by SQLAlchemy as in an edit."""
    from sqlalchemy import create_engine

    from tests.unit.small_disk import fill

    engine = create_engine(f"sqlite:///{folder / 'edit.cmio'}")
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE note (body TEXT)")
    fill(folder, leave=0)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO note VALUES (?)", ("x" * 100_000,))
    except Exception as exc:  # noqa: BLE001 (the error under test)
        return exc
    finally:
        engine.dispose()
    raise AssertionError("the write did not fail")


def test_a_full_disk_during_an_edit_is_a_sentence_not_something_went_wrong(
    qapp, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)]).returncode:
        pytest.skip("mounting a small tmpfs is not permitted here")
    try:
        error = _disk_full_from_sqlite(mount)
    finally:
        subprocess.run(["umount", "-l", str(mount)])
    _assert_cannot_save_sentence(error, tmp_path, monkeypatch)


def test_an_injected_full_disk_during_an_edit_is_a_sentence(qapp, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.exc import OperationalError

    error = OperationalError(
        "UPDATE stakeholder", {}, sqlite3.OperationalError("database or disk is full")
    )
    _assert_cannot_save_sentence(error, tmp_path, monkeypatch)


def _assert_cannot_save_sentence(error: BaseException, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from cmio_desktop.app import install_excepthook
    from cmio_desktop.ui.common.tasks import error_sentence

    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _p, title, text, *a: shown.append((title, text))
    )
    monkeypatch.setattr(
        QMessageBox, "critical", lambda _p, title, text, *a: shown.append((title, text))
    )
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_excepthook(tmp_path / "log.txt")
    sys.excepthook(type(error), error, error.__traceback__)
    assert shown == [
        (
            "Cannot save",
            "The change could not be saved: the disk is full. Nothing was changed; free some "
            "space (or use a writable folder) and try again.",
        )
    ]
    assert error_sentence(error) == shown[0][1]  # background tasks say the same
