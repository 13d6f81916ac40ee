"""File → Open Team Workspace…: the server's address (fields, or a pasted postgresql:// URL)
and a password, opened in the background so the app stays usable; each failure is the store's
sentence shown in the dialog. The recent list keeps the URL without its password."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from cmio_desktop.ui.main_window import MainWindow

SSLMODE_TIP = (
    "How the connection is secured (libpq's sslmode).\n"
    "prefer: encrypted when the server offers it.\n"
    "require: always encrypted, but the server's identity is not checked.\n"
    "verify-ca: encrypted, and the server's certificate must be signed by a trusted authority.\n"
    "verify-full: as verify-ca, and the certificate must name this host — the safe choice on a "
    "hospital network (the authority's certificate goes in ~/.postgresql/root.crt, or name it "
    "with sslrootcert=… in a pasted URL).\n"
    "disable: never encrypted (only on this computer)."
)
URL_TIP = (
    "Paste a whole address, e.g. postgresql://sam.lee@db.hospital.org:5432/cmio?sslmode=verify-full"
)


def _open(_context: Any, url: str) -> Any:
    """Open and read the workspace once (a user without rights to read gets the sentence
    here, before the app switches to it)."""
    from cmio_desktop.services.workspace_info import workspace_info
    from cmio_desktop.store.locations import open_location

    ws = open_location(url)
    try:
        workspace_info(ws)
    except BaseException:
        ws.close()
        raise
    return ws


class TeamWorkspaceDialog(QDialog):
    """Asks where the team workspace is and opens it through ``TeamOpener``."""

    def __init__(self, opener: TeamOpener, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from cmio_desktop.store.server_credentials import SSLMODES

        self.opener = opener
        self.setWindowTitle("Open Team Workspace")
        self.setMinimumWidth(560)
        intro = QLabel(
            "A team workspace lives in a PostgreSQL database on your organisation's server. "
            "Enter its address from IT, or paste the whole URL."
        )
        intro.setWordWrap(True)
        self.url_edit = QLineEdit()
        self.url_edit.setObjectName("teamUrl")
        self.url_edit.setPlaceholderText("postgresql://user@host:5432/database")
        self.url_edit.setToolTip(URL_TIP)
        self.url_edit.textEdited.connect(self._url_edited)
        self.host_edit = QLineEdit()
        self.host_edit.setPlaceholderText("db.hospital.org")
        self.port_spin = QSpinBox()
        self.port_spin.setRange(1, 65535)
        self.port_spin.setValue(5432)
        self.database_edit = QLineEdit()
        self.database_edit.setPlaceholderText("cmio")
        self.user_edit = QLineEdit()
        self.sslmode_combo = QComboBox()
        self.sslmode_combo.addItems(SSLMODES)
        self.sslmode_combo.setToolTip(SSLMODE_TIP)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("(from the keyring or pgpass when empty)")
        self.remember_box = QCheckBox("Remember in the system keyring")
        from cmio_desktop.store.keyring_memory import keyring_available

        if keyring_available():
            self.remember_box.setToolTip(
                "Keep the password in the operating system's keyring (never in the app's "
                "settings); next time leave the password empty."
            )
        else:
            self.remember_box.setEnabled(False)
            self.remember_box.setToolTip(
                "This computer has no system keyring: the password is used for this session "
                "only (IT can set up a pgpass or service file instead)."
            )
        for edit in (self.host_edit, self.database_edit, self.user_edit):
            edit.textEdited.connect(self._fields_edited)
        self.port_spin.valueChanged.connect(self._fields_edited)
        self.sslmode_combo.currentIndexChanged.connect(self._fields_edited)

        form = QFormLayout()
        form.addRow("&URL:", self.url_edit)
        form.addRow("&Host:", self.host_edit)
        form.addRow("&Port:", self.port_spin)
        form.addRow("&Database:", self.database_edit)
        form.addRow("&User:", self.user_edit)
        form.addRow("&Security:", self.sslmode_combo)
        form.addRow("Pass&word:", self.password_edit)
        form.addRow("", self.remember_box)
        self.error_label = QLabel()
        self.error_label.setObjectName("teamOpenError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #a11d1d;")
        self.error_label.setVisible(False)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        self.open_button = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        self.buttons.accepted.connect(self.start_open)
        self.buttons.rejected.connect(self.reject)
        self.status_label = QLabel()
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)
        self.sslmode_combo.setCurrentText("prefer")

    # -- the two ways of saying where --------------------------------------------------------
    def set_url(self, url: str) -> None:
        self.url_edit.setText(url)
        self._url_edited(url)
        self.url_edit.setCursorPosition(0)  # the start of an address says the most

    def _url_edited(self, url: str) -> None:
        from cmio_desktop.store.errors import WorkspaceError
        from cmio_desktop.store.server_url import parse_server_url

        try:
            params = parse_server_url(url).params
        except WorkspaceError:
            return  # not (yet) a whole address: the fields stay as they are
        for edit, key in (
            (self.host_edit, "host"),
            (self.database_edit, "dbname"),
            (self.user_edit, "user"),
        ):
            edit.blockSignals(True)
            edit.setText(params.get(key, ""))
            edit.blockSignals(False)
        self.port_spin.blockSignals(True)
        port = params.get("port", "5432").split(",")[0]
        self.port_spin.setValue(int(port) if port.isdigit() else 5432)
        self.port_spin.blockSignals(False)
        self.sslmode_combo.blockSignals(True)
        self.sslmode_combo.setCurrentText(params.get("sslmode", "prefer"))
        self.sslmode_combo.blockSignals(False)
        if params.get("password"):  # a pasted password moves to the password field
            self.password_edit.setText(params["password"])
            self.url_edit.setText(self._without_password(url))

    @staticmethod
    def _without_password(url: str) -> str:
        from cmio_desktop.store.server_credentials import without_password

        return without_password(url)

    def _fields_edited(self, *_args: object) -> None:
        from cmio_desktop.store.server_credentials import build_server_url

        sslmode = self.sslmode_combo.currentText()
        self.url_edit.setText(
            build_server_url(
                self.host_edit.text() or "localhost",
                self.port_spin.value(),
                self.database_edit.text(),
                self.user_edit.text(),
                "" if sslmode == "prefer" else sslmode,
            )
        )

    def url(self) -> str:
        return self._without_password(self.url_edit.text())

    # -- opening -----------------------------------------------------------------------------
    def start_open(self) -> None:
        url = self.url().strip()
        if not url:
            self.show_error("Enter the team workspace's address (host and database, or a URL).")
            return
        self.show_error("")
        self.set_busy(True)
        self.opener.open_url(
            url, self.password_edit.text(), self.remember_box.isChecked(), dialog=self
        )

    def set_busy(self, busy: bool) -> None:
        self.open_button.setEnabled(not busy)
        self.status_label.setText("Connecting…" if busy else "")

    def show_error(self, sentence: str) -> None:
        self.set_busy(False)
        self.error_label.setText(sentence)
        self.error_label.setVisible(bool(sentence))


class TeamOpener:
    """Opens team workspaces in the background for the main window (dialog, recent list)."""

    def __init__(self, window: MainWindow) -> None:
        from cmio_desktop.ui.common.tasks import TaskRunner

        self.window = window
        self.runner = TaskRunner(window, freeze_heap=False)
        self.dialog: TeamWorkspaceDialog | None = None

    def show_dialog(self, url: str = "", error: str = "") -> TeamWorkspaceDialog:
        dialog = TeamWorkspaceDialog(self, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if url:
            dialog.set_url(url)
        if error:
            dialog.show_error(error)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_url(
        self,
        url: str,
        password: str = "",
        remember: bool = False,
        dialog: TeamWorkspaceDialog | None = None,
    ) -> None:
        """Open ``url`` (``password`` for this session) off the GUI thread; on failure the
        sentence goes to ``dialog``, or a dialog opens with it (a recent entry)."""
        from cmio_desktop.store.server_credentials import with_password

        if dialog is None:
            self.window.statusBar().showMessage("Connecting to the team workspace…")
        task = self.runner.start(_open, with_password(url, password), name="open team", key="open")
        task.finished.connect(lambda ws: self._opened(ws, url, password, remember, dialog))
        task.failed.connect(lambda sentence: self._failed(sentence, url, dialog))

    def _opened(
        self,
        ws: Any,
        url: str,
        password: str,
        remember: bool,
        dialog: TeamWorkspaceDialog | None,
    ) -> None:
        if dialog is not None and not dialog.isVisible():
            ws.close()  # cancelled while connecting
            return
        if remember:
            from cmio_desktop.store.server_credentials import remember_server_password

            if not remember_server_password(ws.address, password):
                self.window.statusBar().showMessage(
                    "The password could not be kept in the keyring; it is used for this "
                    "session only.",
                    10_000,
                )
        self.window.statusBar().clearMessage()
        self.window.facade.set_workspace(ws)
        if dialog is not None:
            dialog.accept()

    def _failed(self, sentence: str, url: str, dialog: TeamWorkspaceDialog | None) -> None:
        self.window.statusBar().clearMessage()
        if dialog is not None:
            if dialog.isVisible():
                dialog.show_error(sentence)
            return
        self.show_dialog(url, sentence)

    @staticmethod
    def recent_entry(ws: Any) -> str:
        """What the recent list keeps for a team workspace: its URL without the password."""
        from cmio_desktop.store.server_credentials import without_password

        return without_password(ws.address.url)
