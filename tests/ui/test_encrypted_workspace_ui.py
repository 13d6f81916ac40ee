"""File › New Encrypted Workspace and opening an encrypted file: the passphrase dialog, a wrong
passphrase asked again with a sentence, the optional keyring, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from PySide6.QtWidgets import QInputDialog, QMessageBox

from cmio_desktop.store import create_workspace
from cmio_desktop.store.workspace import SQLITE_MAGIC
from cmio_desktop.ui import encrypted_files, passphrase_dialog
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.passphrase_dialog import PassphraseAnswer, PassphraseDialog

ORG = "Wrenfield Community Health"
SECRET = "blue heron 42"


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps entries in memory (this machine has none)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


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
    facade.close()


@pytest.fixture(autouse=True)
def no_keyring() -> Iterator[None]:
    """As on this headless machine: no keyring backend (keyring would otherwise pick up the
    MemoryKeyring class above, since it finds backends by subclass)."""
    before = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(before)


@pytest.fixture
def memory_keyring(no_keyring) -> Iterator[MemoryKeyring]:  # type: ignore[no-untyped-def]
    before = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(before)


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "locked.cmio"
    create_workspace(path, ORG, passphrase=SECRET).close()
    return path


def _asked(monkeypatch, answers: list[PassphraseAnswer | None]) -> list[dict]:  # type: ignore[no-untyped-def]
    """Replace the open dialog with ``answers`` in turn; returns what each call was given."""
    calls: list[dict] = []

    def ask(_parent, path, can_remember, problem=""):  # type: ignore[no-untyped-def]
        calls.append({"path": path, "can_remember": can_remember, "problem": problem})
        return answers.pop(0)

    monkeypatch.setattr(passphrase_dialog, "ask_passphrase", ask)
    return calls


def test_new_encrypted_workspace_from_the_file_menu(
    window: MainWindow, tmp_path: Path, monkeypatch, errors
) -> None:
    target = tmp_path / "new secret.cmio"
    given: list[bool] = []
    monkeypatch.setattr(encrypted_files, "ask_save_path", lambda *a: target)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (ORG, True))

    def ask_new(_parent, path, can_remember):  # type: ignore[no-untyped-def]
        given.append(can_remember)
        return PassphraseAnswer(SECRET, remember=False)

    monkeypatch.setattr(passphrase_dialog, "ask_new_passphrase", ask_new)
    window.file_actions.actions["new_encrypted"].trigger()
    assert errors == []
    assert window.facade.ws.path == target and window.facade.ws.encrypted
    assert window.facade.info().organisation == ORG
    assert given == [False]  # no keyring on this machine: remembering is not offered
    data = target.read_bytes()
    assert not data.startswith(SQLITE_MAGIC) and ORG.encode() not in data


def test_cancelling_the_passphrase_creates_nothing(
    window: MainWindow, tmp_path: Path, monkeypatch, errors
) -> None:
    before = window.facade.ws
    monkeypatch.setattr(encrypted_files, "ask_save_path", lambda *a: tmp_path / "no.cmio")
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (ORG, True))
    monkeypatch.setattr(passphrase_dialog, "ask_new_passphrase", lambda *a: None)
    window.file_actions.actions["new_encrypted"].trigger()
    assert window.facade.ws is before and not (tmp_path / "no.cmio").exists() and errors == []


def test_a_wrong_passphrase_asks_again_with_a_sentence(
    window: MainWindow, encrypted: Path, monkeypatch, errors
) -> None:
    before = encrypted.read_bytes()
    calls = _asked(monkeypatch, [PassphraseAnswer("nope", False), PassphraseAnswer(SECRET, False)])
    window.file_actions.open_path(encrypted)
    assert [c["problem"] for c in calls][0] == ""
    assert "does not open locked.cmio" in calls[1]["problem"]
    assert errors == []  # said in the dialog, not in a message box
    assert window.facade.ws.path == encrypted and window.facade.info().organisation == ORG
    window.facade.close()
    assert encrypted.read_bytes()[:16] == before[:16]  # the same file (its salt unchanged)


def test_cancel_after_a_wrong_passphrase_changes_nothing(
    window: MainWindow, encrypted: Path, monkeypatch, errors
) -> None:
    open_before = window.facade.ws
    before = encrypted.read_bytes()
    files = sorted(encrypted.parent.iterdir())
    calls = _asked(monkeypatch, [PassphraseAnswer("nope", False), None])
    window.file_actions.open_path(encrypted)
    assert len(calls) == 2 and errors == []
    assert window.facade.ws is open_before
    assert encrypted.read_bytes() == before
    assert sorted(encrypted.parent.iterdir()) == files  # no journal or backup left behind


def test_a_remembered_passphrase_opens_without_asking(
    window: MainWindow, encrypted: Path, monkeypatch, errors, memory_keyring: MemoryKeyring
) -> None:
    calls = _asked(monkeypatch, [PassphraseAnswer(SECRET, remember=True)])
    window.file_actions.open_path(encrypted)
    assert calls[0]["can_remember"] is True
    assert list(memory_keyring.entries.values()) == [SECRET]
    window.facade.close()
    _asked(monkeypatch, [])  # asking again would fail: pop from an empty list
    window.file_actions.open_path(encrypted)
    assert window.facade.ws.path == encrypted and errors == []


def test_a_stale_remembered_passphrase_is_forgotten_and_asked(
    window: MainWindow, encrypted: Path, monkeypatch, errors, memory_keyring: MemoryKeyring
) -> None:
    from cmio_desktop.store.keyring_memory import remember_passphrase

    assert remember_passphrase(encrypted, "an old one")
    calls = _asked(monkeypatch, [PassphraseAnswer(SECRET, remember=False)])
    window.file_actions.open_path(encrypted)
    assert len(calls) == 1 and calls[0]["problem"] == ""
    assert memory_keyring.entries == {} and window.facade.ws.encrypted and errors == []


def test_the_dialog_checks_the_two_passphrases_and_hides_remembering(qtbot) -> None:
    dialog = PassphraseDialog(None, "x.cmio", new=True, can_remember=False)
    qtbot.addWidget(dialog)
    assert dialog.remember_box.isHidden()
    assert not dialog.ok_button.isEnabled()
    dialog.field.setText("one")
    dialog.again.setText("two")
    assert not dialog.ok_button.isEnabled() and "differ" in dialog.problem.text()
    dialog.again.setText("one")
    assert dialog.ok_button.isEnabled() and dialog.problem.isHidden()
    assert dialog.answer() == PassphraseAnswer("one", remember=False)
    opener = PassphraseDialog(None, "x.cmio", new=False, can_remember=True, problem="Wrong.")
    qtbot.addWidget(opener)
    assert not opener.remember_box.isHidden() and opener.problem.text() == "Wrong."
    opener.field.setText("k")
    opener.remember_box.setChecked(True)
    assert opener.ok_button.isEnabled() and opener.answer() == PassphraseAnswer("k", True)


def test_check_workspace_reads_the_open_encrypted_workspace(
    window: MainWindow, encrypted: Path, monkeypatch, errors
) -> None:
    from cmio_desktop.store.check import OK
    from cmio_desktop.ui.check_dialog import open_check_dialog

    _asked(monkeypatch, [PassphraseAnswer(SECRET, remember=False)])
    window.file_actions.open_path(encrypted)
    dialog = open_check_dialog(window)
    assert dialog is not None
    statuses = {f.check: f.status for f in dialog.report.findings}
    assert statuses["file"] == statuses["integrity"] == statuses["backups"] == OK
    dialog.close()
    assert errors == []
