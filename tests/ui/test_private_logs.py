"""The log and screenshots are private (0600 in 0700 folders, whatever the umask) and no log
line carries a field value: a failed write's SQL parameters (a note's text) are redacted."""

from __future__ import annotations

import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from cmio_desktop import app, paths
from cmio_desktop.private_files import redact
from cmio_desktop.services.stakeholders import edits as stakeholders
from cmio_desktop.store import create_workspace

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zebulon told me in confidence about his divorce"


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The common default umask: files 0644, folders 0755 unless the code says otherwise."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def app_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None) -> Iterator[Path]:
    """The app's logging and excepthook as ``main()`` sets them up, in a fresh data folder."""
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    logger = logging.getLogger("cmio_desktop")
    before = list(logger.handlers)
    log_path = app.configure_logging()
    app.install_excepthook(log_path)
    yield log_path
    for handler in logger.handlers[len(before) :]:
        logger.removeHandler(handler)
        handler.close()


def _failing_note_edit(path: Path) -> BaseException:
    """A real failed write: the database refuses the UPDATE that carries the secret note."""
    ws = create_workspace(path, organisation="Test Health")
    try:
        person = stakeholders.create_stakeholder(ws, name="Zebulon Quuxley")
        db = sqlite3.connect(path)
        db.execute(
            "CREATE TRIGGER jam BEFORE UPDATE ON stakeholder "
            "BEGIN INSERT INTO missing_table VALUES (1); END"
        )
        db.commit()
        db.close()
        with pytest.raises(Exception) as caught:
            stakeholders.update_stakeholder(ws, person.id, notes=SECRET)
        return caught.value
    finally:
        ws.close()


def test_a_failed_edit_leaves_no_field_value_in_the_log(
    tmp_path: Path, app_log: Path, monkeypatch: pytest.MonkeyPatch, qapp
) -> None:
    error = _failing_note_edit(tmp_path / "w.cmio")
    assert SECRET in str(error)  # SQLAlchemy's message carries the parameters
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: shown.append(text))

    # the two ways an error reaches the log: the excepthook (an edit on the UI thread) and a
    # background task's logged traceback
    sys.excepthook(type(error), error, error.__traceback__)
    try:
        raise error
    except Exception:
        logging.getLogger("cmio_desktop.ui.common.tasks").warning("Task failed", exc_info=True)
    for handler in logging.getLogger("cmio_desktop").handlers:
        handler.flush()

    text = app_log.read_text(encoding="utf-8")
    assert "no such table: main.missing_table" in text  # the kind of error is kept
    assert "UPDATE stakeholder SET notes=?" in text  # and what was being written
    assert "[parameters: redacted]" in text
    assert SECRET not in text and "Zebulon" not in text
    assert shown and SECRET not in shown[0]
    assert _mode(app_log) == 0o600
    assert _mode(app_log.parent) == 0o700


def test_an_old_world_readable_log_becomes_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, open_umask: None
) -> None:
    logs = tmp_path / "data" / "logs"
    logs.mkdir(parents=True, mode=0o755)
    old = logs / "cmio-desktop.log"
    old.write_text("earlier line\n", encoding="utf-8")
    old.chmod(0o644)
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "data"))
    logger = logging.getLogger("cmio_desktop")
    before = list(logger.handlers)
    try:
        assert app.configure_logging() == old
    finally:
        for handler in logger.handlers[len(before) :]:
            logger.removeHandler(handler)
            handler.close()
    assert _mode(old) == 0o600 and _mode(logs) == 0o700
    assert old.read_text(encoding="utf-8") == "earlier line\n"


def test_redact_keeps_shape_and_drops_values() -> None:
    text = (
        "(sqlite3.IntegrityError) CHECK constraint failed\n"
        "[SQL: INSERT INTO note (body, kind) VALUES (?, 'private ] text')]\n"
        "[parameters: ('a ] secret', 3)]\n"
        "(Background on this error at: https://sqlalche.me/e/20/gkpj)"
    )
    clean = redact(text)
    assert "secret" not in clean and "private" not in clean
    assert "INSERT INTO note (body, kind) VALUES (?, ?)" in clean
    assert "CHECK constraint failed" in clean
    assert redact(repr(Exception(text))).count("secret") == 0
    assert redact("plain line, id 12") == "plain line, id 12"


def test_screenshot_is_private_in_a_private_new_folder(
    tmp_path: Path, sample_ws, open_umask: None
) -> None:
    shot = tmp_path / "shots" / "page.png"
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", CMIO_DESKTOP_DATA_DIR=str(tmp_path / "data")
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), str(sample_ws.path), "--screenshot", str(shot)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert _mode(shot) == 0o600
    assert _mode(shot.parent) == 0o700
    assert _mode(tmp_path / "data" / "logs" / "cmio-desktop.log") == 0o600
    assert not list(shot.parent.glob("*.tmp"))
