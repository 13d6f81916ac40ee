"""The passphrase of an encrypted workspace: asked when one is opened or created.

Tests replace :func:`ask_passphrase` / :func:`ask_new_passphrase` through monkeypatch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

PROBLEM_COLOUR = "#b42318"  # 5.9:1 on white


@dataclass(frozen=True)
class PassphraseAnswer:
    passphrase: str
    remember: bool  # store it in the OS keyring (only ever True when a keyring exists)


class PassphraseDialog(QDialog):
    """One passphrase field (opening) or two that must match (a new file), an optional
    "remember" box (only when a keyring exists) and a line for what went wrong."""

    def __init__(
        self,
        parent: QWidget | None,
        file_name: str,
        *,
        new: bool,
        can_remember: bool,
        problem: str = "",
    ) -> None:
        super().__init__(parent)
        self.new = new
        self.can_remember = can_remember
        self.setWindowTitle("New encrypted workspace" if new else "Encrypted workspace")
        self.setMinimumWidth(460)
        if new:
            intro = (
                f"Choose a passphrase for <b>{_escape(file_name)}</b>. The file, its backups "
                "and its copies are encrypted with it.<br><br>Keep it safe: without the "
                "passphrase the workspace cannot be opened, and it cannot be recovered."
            )
        else:
            intro = f"<b>{_escape(file_name)}</b> is encrypted. Enter its passphrase to open it."
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {PROBLEM_COLOUR};")
        self.show_problem(problem)
        self.field = _secret_field()
        self.again = _secret_field()
        form = QFormLayout()
        form.addRow("&Passphrase:", self.field)
        if new:
            form.addRow("&Again:", self.again)
        self.remember_box = QCheckBox("&Remember the passphrase in this computer's keyring")
        self.remember_box.setVisible(can_remember)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Create" if new else "Open")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.remember_box)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.field.textChanged.connect(self._update)
        self.again.textChanged.connect(self._update)
        self._update()
        self.field.setFocus()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def answer(self) -> PassphraseAnswer:
        return PassphraseAnswer(
            self.field.text(), self.can_remember and self.remember_box.isChecked()
        )

    def _update(self) -> None:
        text = self.field.text()
        differs = self.new and bool(self.again.text()) and self.again.text() != text
        if self.new:
            self.show_problem("The two passphrases differ." if differs else "")
        complete = bool(text) and (not self.new or self.again.text() == text)
        self.ok_button.setEnabled(complete)


def ask_passphrase(
    parent: QWidget | None, path: Path, can_remember: bool, problem: str = ""
) -> PassphraseAnswer | None:
    """The passphrase to open ``path`` (``problem``: why the last one failed); None: cancelled."""
    dialog = PassphraseDialog(
        parent, path.name, new=False, can_remember=can_remember, problem=problem
    )
    return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_new_passphrase(
    parent: QWidget | None, path: Path, can_remember: bool
) -> PassphraseAnswer | None:
    """A passphrase (typed twice) for the new encrypted ``path``; None: cancelled."""
    dialog = PassphraseDialog(parent, path.name, new=True, can_remember=can_remember)
    return dialog.answer() if dialog.exec() == QDialog.DialogCode.Accepted else None


def _secret_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(260)
    return field


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
