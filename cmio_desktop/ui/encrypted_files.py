"""File menu support for encrypted workspaces: create one, open one with its passphrase.

A wrong passphrase asks again with a sentence (nothing opened or changed); a passphrase
remembered in the OS keyring is tried first; with no keyring, remembering is not offered.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog

from cmio_desktop.store.errors import WorkspaceError, WrongPassphraseError
from cmio_desktop.ui import passphrase_dialog
from cmio_desktop.ui.dialogs import show_error
from cmio_desktop.ui.file_dialogs import ask_save_path

if TYPE_CHECKING:
    from cmio_desktop.ui.main_window import MainWindow

WORKSPACES = {"CMIO workspaces (*.cmio)": ".cmio"}


def new_encrypted_workspace(window: MainWindow) -> bool:
    """File › New Encrypted Workspace…: name, organisation, passphrase; True when created."""
    from cmio_desktop.store.keyring_memory import keyring_available

    target = ask_save_path(window, "New encrypted workspace", "workspace", "", WORKSPACES)
    if target is None:
        return False
    org, ok = QInputDialog.getText(window, "New encrypted workspace", "Organisation name:")
    if not ok:
        return False
    answer = passphrase_dialog.ask_new_passphrase(window, target, keyring_available())
    if answer is None or not answer.passphrase:
        return False
    from cmio_desktop.store import create_workspace

    try:
        ws = create_workspace(
            target, org.strip() or "My organisation", passphrase=answer.passphrase
        )
    except WorkspaceError as exc:
        show_error(window, "Cannot create workspace", str(exc))
        return False
    window.facade.set_workspace(ws)
    window.statusBar().showMessage(f"{target.name} created, encrypted.", 5000)
    _remember_if_asked(window, target, answer)
    return True


def open_encrypted(window: MainWindow, path: Path) -> bool:
    """Open the encrypted ``path``: the remembered passphrase, else ask until it is right or
    the user cancels. True when it opened."""
    from cmio_desktop.store.keyring_memory import (
        forget_passphrase,
        keyring_available,
        remembered_passphrase,
    )

    remembered = remembered_passphrase(path)
    if remembered:
        try:
            window.facade.open(path, passphrase=remembered)
            return True
        except WrongPassphraseError:
            forget_passphrase(path)  # changed elsewhere (a re-encrypted copy): ask instead
        except WorkspaceError as exc:
            show_error(window, "Cannot open workspace", str(exc))
            return False
    problem = ""
    can_remember = keyring_available()
    while True:
        answer = passphrase_dialog.ask_passphrase(window, path, can_remember, problem)
        if answer is None:
            return False
        try:
            window.facade.open(path, passphrase=answer.passphrase)
        except WrongPassphraseError as exc:
            problem = str(exc)
            continue
        except WorkspaceError as exc:
            show_error(window, "Cannot open workspace", str(exc))
            return False
        _remember_if_asked(window, path, answer)
        return True


def _remember_if_asked(
    window: MainWindow, path: Path, answer: passphrase_dialog.PassphraseAnswer
) -> None:
    from cmio_desktop.store.keyring_memory import remember_passphrase

    if answer.remember and not remember_passphrase(path, answer.passphrase):
        window.statusBar().showMessage(
            "The keyring did not accept the passphrase; you will be asked for it next time.", 8000
        )
