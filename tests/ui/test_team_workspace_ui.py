"""The app on a team workspace, on a real PostgreSQL server (skipped cleanly without one, as
tests/pg_fixtures.py says): File → Open Team Workspace… and its sentences, other people's
changes arriving live, who else has it open, and viewer mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from cmio_desktop.services.changes import ChangeKind
from cmio_desktop.services.governance.records import create_risk
from cmio_desktop.services.stakeholders import edits
from cmio_desktop.store.errors import WorkspaceError
from cmio_desktop.store.locations import create_location, open_location
from cmio_desktop.ui.facade import WorkspaceFacade
from cmio_desktop.ui.main_window import MainWindow
from cmio_desktop.ui.settings import AppSettings
from cmio_desktop.ui.view_only import VIEW_ONLY_REASON, view_only_gate

SECRET = "Team-s3cret"


def _fill(ws) -> None:  # type: ignore[no-untyped-def]
    from cmio_desktop.sample import generate_sample
    from tests.conftest import SAMPLE_TODAY

    generate_sample(ws, people=60, seed=5, today=SAMPLE_TODAY)


@pytest.fixture
def team_url(pg_server) -> str:
    """A team workspace holding a small sample (a fresh database per test)."""

    def build(url: str) -> None:
        create_location(url, organisation="Team Health", fill=_fill).close()

    return pg_server.workspace_url("team-ui-sample", build)


@pytest.fixture
def window(qtbot, tmp_path: Path):
    facade = WorkspaceFacade()
    win = MainWindow(facade, AppSettings(tmp_path / "settings.ini"))
    qtbot.addWidget(win)
    win.resize(1280, 800)
    yield win
    QThreadPool.globalInstance().waitForDone(30_000)
    win.close()
    facade.close()
    view_only_gate().set_reason(None)


def _login(pg_server, name: str, role: str | None = None) -> str:
    """A login role with a password (and ``role`` granted); skips without password checks."""
    if pg_server.tcp_port is None:
        pytest.skip("needs the throwaway cluster (password authentication on its TCP port)")
    pg_server.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{SECRET}'")
    if role is not None:
        pg_server.execute(f"GRANT {role} TO {name}")
    return name


def _tcp_url(pg_server, team_url: str, user: str, password: str = SECRET) -> str:
    database = team_url.split("?", 1)[0].rsplit("/", 1)[-1]
    return f"postgresql://{user}:{password}@127.0.0.1:{pg_server.tcp_port}/{database}"


def _open_in_dialog(qtbot, window: MainWindow, url: str, password: str = ""):
    dialog = window.file_actions.open_team_dialog()
    dialog.set_url(url)
    if password:
        dialog.password_edit.setText(password)
    dialog.start_open()
    return dialog


# -- 1. File → Open Team Workspace… ----------------------------------------------------------
def test_the_dialog_opens_a_team_workspace_and_the_recent_list_keeps_it_without_password(
    qtbot, window, pg_server, team_url
) -> None:
    user = _login(pg_server, f"sam_{pg_server.new_database()}")
    database = team_url.split("?", 1)[0].rsplit("/", 1)[-1]
    pg_server.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {user}", dbname=database)
    pg_server.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {user}", dbname=database)
    url = _tcp_url(pg_server, team_url, user)
    dialog = _open_in_dialog(qtbot, window, url)  # the pasted password moves to its field
    assert SECRET not in dialog.url_edit.text() and dialog.password_edit.text() == SECRET
    assert dialog.host_edit.text() == "127.0.0.1" and dialog.user_edit.text() == user
    qtbot.waitUntil(lambda: window.facade.workspace is not None, timeout=15_000)
    ws = window.facade.ws
    assert ws.is_team and database in window.status_workspace.text()
    recent = window.settings.recent_workspaces
    assert recent[0] == f"postgresql://{user}@127.0.0.1:{pg_server.tcp_port}/{database}"
    window.settings.sync()
    settings_text = Path(window.settings._path).read_text(encoding="utf-8")
    assert SECRET not in settings_text and "postgresql://" in settings_text
    assert [a.text() for a in window.file_actions.recent_menu.actions()][0] == recent[0]


def test_a_remembered_password_goes_to_the_keyring_and_the_recent_entry_reopens(
    qtbot, window, pg_server, team_url
) -> None:
    import keyring

    from cmio_desktop.store.server_url import KEYRING_SERVICE
    from tests.unit.test_team_workspace import _MemoryKeyring

    user = _login(pg_server, f"kim_{pg_server.new_database()}", None)
    database = team_url.split("?", 1)[0].rsplit("/", 1)[-1]
    pg_server.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {user}", dbname=database)
    memory = _MemoryKeyring().backend
    previous = keyring.get_keyring()
    keyring.set_keyring(memory)
    try:
        dialog = window.file_actions.open_team_dialog()
        dialog.set_url(_tcp_url(pg_server, team_url, user))
        assert dialog.remember_box.isEnabled()
        dialog.remember_box.setChecked(True)
        dialog.start_open()
        qtbot.waitUntil(lambda: window.facade.workspace is not None, timeout=15_000)
        assert memory.get_password(KEYRING_SERVICE, f"{user}@127.0.0.1") == SECRET
        first = window.facade.ws
        recent = window.settings.recent_workspaces[0]
        assert isinstance(recent, str) and SECRET not in recent
        window.file_actions.open_path(recent)  # no password given: the keyring's
        qtbot.waitUntil(lambda: window.facade.workspace is not first, timeout=15_000)
        assert window.facade.ws.current_user() == user
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize("problem", ["down", "missing", "password", "newer"])
def test_each_bad_address_is_a_sentence_in_the_dialog_and_nothing_opens(
    qtbot, window, pg_server, team_url, problem, caplog
) -> None:
    if problem == "down":
        url, password = "postgresql://nobody@127.0.0.1:1/cmio?connect_timeout=2", ""
        expected = "cannot be reached"
    elif problem == "missing":
        url, password = pg_server.url("no_such_database_here"), ""
        expected = "has no database “no_such_database_here”"
    elif problem == "password":
        user = _login(pg_server, f"ana_{pg_server.new_database()}")
        url, password = _tcp_url(pg_server, team_url, user, "wrong-Pa55"), "wrong-Pa55"
        expected = f"refused the password for user “{user}”"
    else:
        database = team_url.split("?", 1)[0].rsplit("/", 1)[-1]
        pg_server.execute("UPDATE cmio_workspace SET schema_version = 99", dbname=database)
        url, password = team_url, ""
        expected = "saved by a newer version of CMIO Desktop"
    dialog = _open_in_dialog(qtbot, window, url, password)
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=15_000)
    sentence = dialog.error_label.text()
    assert expected in sentence, sentence
    assert "Traceback" not in sentence and (not password or password not in sentence)
    assert window.facade.workspace is None and dialog.isVisible()
    assert not password or password not in caplog.text  # nor in the log
    assert dialog.open_button.isEnabled()  # the user can correct it and try again


def test_a_recent_team_workspace_that_fails_opens_the_dialog_with_the_sentence(
    qtbot, window
) -> None:
    window.file_actions.open_path("postgresql://nobody@127.0.0.1:1/cmio?connect_timeout=2")
    qtbot.waitUntil(lambda: window.file_actions.team_opener().dialog is not None, timeout=15_000)
    dialog = window.file_actions.team_opener().dialog
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=5_000)
    assert "cannot be reached" in dialog.error_label.text()
    assert dialog.url().startswith("postgresql://nobody@127.0.0.1:1/cmio")


def test_the_command_line_takes_a_team_workspace_url(tmp_path: Path) -> None:
    from cmio_desktop.app import choose_workspace

    url = "postgresql://sam@db.example.org/cmio?sslmode=verify-full"
    assert choose_workspace(url, tmp_path / "last.cmio") == url  # not folded into a Path


# -- 2. live views -----------------------------------------------------------------------------
def test_a_write_by_another_client_reaches_the_facade_within_two_seconds(qtbot, team_url) -> None:
    mine, theirs = open_location(team_url), open_location(team_url)
    facade = WorkspaceFacade()
    try:
        facade.set_workspace(mine)
        facade.watch(mine)
        person = edits.get_stakeholder(mine, 1)
        with qtbot.waitSignal(facade.changed, timeout=2000) as arrived:
            edits.update_stakeholder(theirs, person.id, power=5 if person.power != 5 else 4)
        changes = arrived.args[0]
        assert ChangeKind.STAKEHOLDER in changes.kinds and not changes.is_everything
        assert person.id in changes.ids
        # Our own writes are announced by their services, not again by the watch: our notice
        # (delivered before theirs, in commit order) is skipped, theirs names only risks.
        edits.update_stakeholder(mine, person.id, power=2)
        with qtbot.waitSignal(facade.changed, timeout=2000) as arrived:
            create_risk(theirs, 1, {"description": "Interface backlog"})
        assert arrived.args[0].kinds == {ChangeKind.RISK}
    finally:
        facade.close()
        theirs.close()


def test_a_write_by_a_program_other_than_the_app_reaches_the_facade(qtbot, team_url) -> None:
    """Hospital IT's psql (no app, no notice of its own): the server's trigger tells us."""
    from cmio_desktop.store.server_watch import listening_connection

    mine = open_location(team_url)
    facade = WorkspaceFacade()
    try:
        facade.set_workspace(mine)
        facade.watch(mine)
        other = listening_connection(mine.engine)  # a plain psycopg connection, no app
        other.autocommit = True
        with qtbot.waitSignal(facade.changed, timeout=2000) as arrived:
            other.execute("UPDATE risk SET owner = 'IT' WHERE id = 1")
        other.close()
        assert arrived.args[0].kinds == {ChangeKind.RISK}
        # The app's own write sessions say they are the app, so the trigger stays silent (the
        # app announces its writes through its commands, not through the watch).
        with qtbot.assertNotEmitted(facade.changed, wait=1500):  # longer than a watch tick
            create_risk(mine, 1, {"description": "Interface backlog"})
    finally:
        facade.close()


def test_a_lost_listening_connection_is_made_again_and_reloads_everything(
    qtbot, pg_server, team_url
) -> None:
    mine = open_location(team_url)
    facade = WorkspaceFacade()
    try:
        facade.set_workspace(mine)
        facade.watch(mine)
        pid = mine.watch.backend_pid
        assert pid is not None
        pg_server.execute(f"SELECT pg_terminate_backend({pid})")  # the network dropped
        with qtbot.waitSignal(facade.changed, timeout=5000) as arrived:
            pass
        assert arrived.args[0].is_everything  # notices may have been missed meanwhile
        assert mine.watch.backend_pid not in (None, pid)
    finally:
        facade.close()


# -- 3. presence -------------------------------------------------------------------------------
def test_the_status_bar_shows_who_else_has_the_workspace_open(
    qtbot, window, pg_server, team_url
) -> None:
    import psycopg

    user = _login(pg_server, f"lee_{pg_server.new_database()}")
    window.facade.set_workspace(open_location(team_url))
    assert window.team_status.presence.text() == "" or "Also open" in (
        window.team_status.presence.text()
    )
    database = team_url.split("?", 1)[0].rsplit("/", 1)[-1]
    other = psycopg.connect(
        host="127.0.0.1",
        port=pg_server.tcp_port,
        dbname=database,
        user=user,
        password=SECRET,
        application_name="cmio-desktop",
    )
    try:
        window.team_status.refresh_presence()
        qtbot.waitUntil(lambda: user in window.team_status.presence.text(), timeout=10_000)
        assert window.team_status.presence.text().startswith("Also open: ")
        assert f"{user}: " in window.team_status.presence.toolTip()
    finally:
        other.close()
    window.team_status.refresh_presence()
    qtbot.waitUntil(lambda: user not in window.team_status.presence.text(), timeout=10_000)


def test_nothing_team_shows_on_a_local_file(qtbot, window, sample_ws) -> None:
    window.facade.set_workspace(sample_ws)
    assert window.team_status.presence.isHidden() and window.team_status.badge.isHidden()
    assert not view_only_gate().active
    window.facade.workspace = None  # sample_ws closes itself


# -- 4. viewer mode ----------------------------------------------------------------------------
def test_a_viewer_gets_a_read_only_app_and_the_server_refuses_a_forced_write(
    qtbot, window, pg_server, team_url
) -> None:
    from cmio_desktop.store.server_roles import init_server

    init_server(team_url)
    viewer = _login(pg_server, f"val_{pg_server.new_database()}", "cmio_viewer")
    window.facade.set_workspace(open_location(_tcp_url(pg_server, team_url, viewer)))
    window.build_pages()
    window.show()
    qtbot.waitExposed(window)
    assert window.team_status.badge.isVisible() and view_only_gate().active
    assert window.team_status.badge.text() == "View only"
    window.show_page("stakeholders")
    page = window.page_by_key["stakeholders"]
    add = next(a for a in page.command_actions() if a.objectName() == "stakeholders.person.add")
    assert not add.isEnabled() and add.toolTip() == VIEW_ONLY_REASON
    find = next(a for a in page.command_actions() if a.objectName() == "stakeholders.register.find")
    assert find.isEnabled()  # looking stays possible
    assert not window.file_actions.actions["import"].isEnabled()
    from cmio_desktop.ui.initiative_switcher import InitiativeSwitcher

    manage = window.initiative_bar.findChild(InitiativeSwitcher).manage
    assert not manage.isEnabled() and manage.toolTip() == VIEW_ONLY_REASON
    # The details form's Apply stays off however the form is edited; nothing edits in place.
    page.editor._set_dirty(True)
    assert not page.editor.apply_button.isEnabled()
    assert page.editor.apply_button.toolTip() == VIEW_ONLY_REASON
    from PySide6.QtCore import Qt

    from cmio_desktop.ui.common.table_model import Column, TableModel

    model = TableModel([Column("Name", str, edit=lambda r, t: t)], id_of=id)
    model.set_rows(["x"])
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
    # Every page's writing command is off, with the reason.
    from cmio_desktop.ui.view_only import writes

    for key in ("network", "plan", "risks", "golive"):
        window.show_page(key)
        for action in window.page_by_key[key].command_actions():
            if writes(action.objectName()):
                assert not action.isEnabled(), action.objectName()
                assert action.toolTip() == VIEW_ONLY_REASON
    # The server refuses a write all the same: a sentence, nothing changed.
    ws = window.facade.ws
    before = edits.get_stakeholder(ws, 1).power
    with pytest.raises(WorkspaceError, match=f"User “{viewer}” has no right to do this"):
        edits.update_stakeholder(ws, 1, power=1 if before != 1 else 2)
    assert edits.get_stakeholder(ws, 1).power == before
    # Back on an editor's workspace the commands come back.
    window.facade.set_workspace(open_location(team_url))
    assert not view_only_gate().active and window.team_status.badge.isHidden()
    window.show_page("stakeholders")
    assert add.isEnabled() and add.toolTip() != VIEW_ONLY_REASON
    assert page.editor.apply_button.isEnabled()  # (still marked edited above)
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable
