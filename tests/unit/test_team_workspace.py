"""Team workspaces on a real PostgreSQL server: opening by URL, the schema stamp, the write
lock, credentials (keyring, pgpass, service file) and a clear sentence for each bad input,
never a password in it."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from cmio_desktop.cli import main
from cmio_desktop.services.stakeholders import edits
from cmio_desktop.store.errors import (
    NewerWorkspaceError,
    NotAWorkspaceError,
    WorkspaceBusyError,
    WorkspaceError,
)
from cmio_desktop.store.locations import create_location, open_location, shown_location
from cmio_desktop.store.migrations_runner import HEAD_SCHEMA_VERSION
from cmio_desktop.store.server_url import KEYRING_SERVICE, masked, parse_server_url
from tests.raw_rows import raw_rows

SECRET = "s3cret-Pa55"


@pytest.fixture
def server(pg_server):
    return pg_server


@pytest.fixture
def empty_db(server) -> str:
    """The URL of a new, empty database."""
    return server.url(server.new_database())


@pytest.fixture
def password_user(server):
    """A login role with a password, and the TCP port that checks passwords."""
    if server.tcp_port is None:
        pytest.skip("needs the throwaway cluster (password authentication on its TCP port)")
    name = f"alice_{server.new_database()}"
    server.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{SECRET}' CREATEDB")
    db = server.new_database()
    server.execute(f'ALTER DATABASE "{db}" OWNER TO {name}')
    server.execute(f"GRANT ALL ON SCHEMA public TO {name}", dbname=db)
    server.execute(f"ALTER SCHEMA public OWNER TO {name}", dbname=db)
    return name, db, server.tcp_port


def test_a_team_workspace_is_created_opened_and_used_like_a_file(empty_db) -> None:
    ws = create_location(empty_db, organisation="Team Health")
    try:
        assert ws.is_team and ws.schema_version() == HEAD_SCHEMA_VERSION
        person = edits.create_stakeholder(ws, name="Jane Doe", power=4)
    finally:
        ws.close()
    again = open_location(empty_db)
    try:
        assert edits.get_stakeholder(again, person.id).name == "Jane Doe"
        assert again.flush_to_file() is True and again.integrity_problems() == []
        with pytest.raises(WorkspaceError, match="not available on a team workspace"):
            again.backup_to(Path("/tmp/never.cmio"))
    finally:
        again.close()


def test_a_second_creation_and_a_foreign_database_are_refused(empty_db, server) -> None:
    create_location(empty_db, organisation="Team Health").close()
    with pytest.raises(WorkspaceError, match="already holds a team workspace"):
        create_location(empty_db)
    other = server.new_database()
    server.execute("CREATE TABLE invoices (id int)", dbname=other)
    with pytest.raises(WorkspaceError, match="already holds other tables"):
        create_location(server.url(other))
    with pytest.raises(NotAWorkspaceError, match="holds no CMIO workspace"):
        open_location(server.url(server.new_database()))


def test_a_newer_server_schema_is_refused_with_the_files_sentence(empty_db, server) -> None:
    create_location(empty_db).close()
    name = parse_server_url(empty_db).database
    server.execute("UPDATE cmio_workspace SET schema_version = 99", dbname=name)
    with pytest.raises(NewerWorkspaceError, match=r"newer version of CMIO Desktop \(schema 99"):
        open_location(empty_db)


def test_a_failed_fill_leaves_the_database_empty(empty_db, server) -> None:
    def fill(ws) -> None:  # type: ignore[no-untyped-def]
        edits.create_stakeholder(ws, name="Half", power=3)
        raise ValueError("stop")

    with pytest.raises(ValueError):
        create_location(empty_db, fill=fill)
    ws = create_location(empty_db, organisation="Again")  # the database is empty again
    ws.close()


def test_writers_take_turns_and_a_long_wait_is_the_busy_sentence(empty_db, monkeypatch) -> None:
    from cmio_desktop.store import postgres

    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_MS", 300)
    first = create_location(empty_db)
    second = open_location(empty_db)
    try:
        holding, release = threading.Event(), threading.Event()

        def hold() -> None:
            with first.session():
                holding.set()
                release.wait(10)

        thread = threading.Thread(target=hold)
        thread.start()
        assert holding.wait(10)
        try:
            with pytest.raises(WorkspaceBusyError), second.session():
                pass
        finally:
            release.set()
            thread.join()
        edits.create_stakeholder(second, name="After", power=2)  # the lock is free again
    finally:
        first.close()
        second.close()


def test_bad_urls_are_sentences_without_the_password() -> None:
    for url in (f"postgresql://bob:{SECRET}@[broken/db", "postgresql://h:port/db"):
        with pytest.raises(WorkspaceError, match="not a valid team workspace address") as err:
            open_location(url)
        assert SECRET not in str(err.value)
    assert SECRET not in repr(parse_server_url(f"postgresql://bob:{SECRET}@h/db"))
    assert masked(f"postgresql://bob:{SECRET}@h/db?password={SECRET}") == (
        "postgresql://bob:***@h/db?password=***"
    )
    assert shown_location(f"postgres://bob:{SECRET}@h/db") == "postgres://bob:***@h/db"
    with pytest.raises(WorkspaceError, match="no passphrase"):
        open_location("postgresql://h/db", passphrase="x")


def test_a_server_that_is_down_is_a_sentence() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    with pytest.raises(WorkspaceError, match="cannot be reached") as err:
        open_location(f"postgresql://bob:{SECRET}@127.0.0.1:{port}/cmio?connect_timeout=2")
    assert SECRET not in str(err.value)


def test_a_missing_database_is_a_sentence(server) -> None:
    url = server.url("no_such_database_here")
    with pytest.raises(WorkspaceError, match="The server has no database “no_such_database_here”"):
        open_location(url)


def test_a_wrong_password_is_a_sentence_without_it(password_user) -> None:
    name, db, port = password_user
    url = f"postgresql://{name}:wrong-{SECRET}@127.0.0.1:{port}/{db}"
    with pytest.raises(WorkspaceError, match=f"refused the password for user “{name}”") as err:
        open_location(url)
    assert SECRET not in str(err.value)
    create_location(f"postgresql://{name}:{SECRET}@127.0.0.1:{port}/{db}").close()
    no_password = f"postgresql://{name}@127.0.0.1:{port}/{db}"
    with pytest.raises(WorkspaceError, match="needs a password"):
        open_location(no_password)


class _MemoryKeyring:
    """A keyring backend holding entries in memory (the tests' OS keyring)."""

    def __init__(self) -> None:
        from keyring.backend import KeyringBackend

        store: dict[tuple[str, str], str] = {}

        class Backend(KeyringBackend):
            priority = 1  # type: ignore[assignment]

            def get_password(self, service: str, username: str) -> str | None:
                return store.get((service, username))

            def set_password(self, service: str, username: str, password: str) -> None:
                store[(service, username)] = password

            def delete_password(self, service: str, username: str) -> None:
                store.pop((service, username), None)

        self.backend = Backend()


def test_the_password_comes_from_the_keyring(password_user, monkeypatch) -> None:
    import keyring

    name, db, port = password_user
    memory = _MemoryKeyring().backend
    previous = keyring.get_keyring()
    keyring.set_keyring(memory)
    try:
        memory.set_password(KEYRING_SERVICE, f"{name}@127.0.0.1", SECRET)
        ws = create_location(f"postgresql://{name}@127.0.0.1:{port}/{db}")
        try:
            assert ws.current_user() == name
            assert SECRET not in repr(ws.path) and SECRET not in str(ws.path)
        finally:
            ws.close()
    finally:
        keyring.set_keyring(previous)


def test_the_password_comes_from_pgpassfile_or_a_service_file(
    password_user, tmp_path: Path, monkeypatch
) -> None:
    name, db, port = password_user
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"127.0.0.1:{port}:*:{name}:{SECRET}\n")
    passfile.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(passfile))
    create_location(f"postgresql://{name}@127.0.0.1:{port}/{db}?sslmode=disable").close()
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[team]\nhost=127.0.0.1\nport={port}\nuser={name}\ndbname={db}\n")
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    ws = open_location("postgresql:///?service=team")
    try:
        assert ws.current_user() == name
    finally:
        ws.close()


def test_sslmode_is_honoured(password_user) -> None:
    name, db, port = password_user
    url = f"postgresql://{name}:{SECRET}@127.0.0.1:{port}/{db}?sslmode=require"
    with pytest.raises(WorkspaceError, match="secure connection") as err:
        open_location(url)  # the test server has no TLS: required TLS is refused
    assert SECRET not in str(err.value)


def test_every_cli_command_takes_the_url(empty_db, capsys) -> None:
    assert main(["sample", empty_db, "--people", "40"]) == 0
    assert "Sample written to" in capsys.readouterr().out
    assert main(["info", empty_db]) == 0
    assert f"(schema {HEAD_SCHEMA_VERSION})" in capsys.readouterr().out
    assert main(["analyze", empty_db, "--json"]) == 0
    capsys.readouterr()
    assert main(["initiative", "list", empty_db]) == 0
    assert "Ambulatory EHR go-live" in capsys.readouterr().out
    for command in (["check", empty_db], ["backups", empty_db], ["copy", empty_db, "x.cmio"]):
        assert main(command) == 1
        assert "works on workspace files" in capsys.readouterr().err


def test_cli_new_on_a_server_and_its_bad_input(server, capsys) -> None:
    url = server.url(server.new_database())
    assert main(["new", url, "--org", "Team Health"]) == 0
    assert "Created" in capsys.readouterr().out
    assert main(["new", url, "--org", "Again"]) == 1
    assert "already holds a team workspace" in capsys.readouterr().err
    assert main(["info", f"postgresql://bob:{SECRET}@127.0.0.1:1/x?connect_timeout=2"]) == 1
    err = capsys.readouterr().err
    assert "cannot be reached" in err and SECRET not in err


def test_server_init_roles_are_enforced_and_audited_by_database_user(server, capsys) -> None:
    if server.tcp_port is None:
        pytest.skip("needs the throwaway cluster (password authentication on its TCP port)")
    db = server.new_database()
    tag = db.rsplit("_", 1)[-1]
    boss, ed, val = f"boss_{tag}", f"ed_{tag}", f"val_{tag}"
    for user in (boss, ed, val):
        server.execute(f"CREATE ROLE {user} LOGIN PASSWORD '{SECRET}'")
    assert main(["server", "init", server.url(db), "--admin-user", boss, "--org", "Team"]) == 0
    assert "cmio_admin" in capsys.readouterr().out
    assert main(["server", "init", server.url(db)]) == 0  # again: nothing breaks
    capsys.readouterr()
    server.execute(f"GRANT cmio_editor TO {ed}")
    server.execute(f"GRANT cmio_viewer TO {val}")

    def url(user: str) -> str:
        return f"postgresql://{user}:{SECRET}@127.0.0.1:{server.tcp_port}/{db}"

    editor = open_location(url(ed))
    try:
        person = edits.create_stakeholder(editor, name="Jane Doe", power=3)
        assert raw_rows(editor, "SELECT user_name FROM audit_event ORDER BY id DESC LIMIT 1") == [
            (ed,)
        ]
    finally:
        editor.close()
    viewer = open_location(url(val))
    try:
        assert edits.get_stakeholder(viewer, person.id).name == "Jane Doe"
        with pytest.raises(WorkspaceError, match=f"User “{val}” has no right to do this"):
            edits.update_stakeholder(viewer, person.id, power=5)
        assert edits.get_stakeholder(viewer, person.id).power == 3
    finally:
        viewer.close()
    assert main(["server", "init", server.url(db), "--admin-user", "nobody_here"]) == 1
    assert "has no user “nobody_here”" in capsys.readouterr().err


def test_a_connection_dropped_mid_save_is_a_sentence_and_nothing_half_written(
    empty_db, server
) -> None:
    from sqlalchemy import text

    ws = create_location(empty_db)
    name = parse_server_url(empty_db).database
    try:
        with pytest.raises(WorkspaceError, match="cannot be reached"), ws.session() as session:
            session.execute(text("UPDATE organisation SET name = 'Half-written'"))
            server.execute(  # the network drops: the server ends this client's connections
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
            )
        # the app stays usable: the next action reconnects
        assert raw_rows(ws, "SELECT name FROM organisation") == [("My organisation",)]
        edits.create_stakeholder(ws, name="After the drop", power=2)
    finally:
        ws.close()


def test_two_clients_importing_at_once_both_finish(server, tmp_path: Path) -> None:
    """Two `cmio import`s (two processes, two connections) into one team workspace: both
    finish, no deadlock, no lost row (writers take turns on the advisory lock)."""
    from tests.other_program import start_cli

    rows = 1500
    files = []
    for prefix in ("A", "B"):
        lines = ["Employee ID,Full name,Role,Group"]
        lines += [f"{prefix}{i},Person {prefix}{i},Nurse,Frontline clinician" for i in range(rows)]
        path = tmp_path / f"{prefix}.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    for _trial in range(2):
        url = server.url(server.new_database())
        create_location(url).close()
        children = [start_cli("import", url, str(f), "--kind", "stakeholders") for f in files]
        results = [(c.wait(timeout=180), *c.communicate()) for c in children]
        for code, out, err in results:
            assert "Traceback" not in err, err
            assert code == 0, err
            assert out.rstrip().endswith("Imported."), out
        ws = open_location(url)
        try:
            assert raw_rows(ws, "SELECT count(*) FROM stakeholder") == [(2 * rows,)]
            ids = raw_rows(
                ws,
                "SELECT count(DISTINCT entity_id) FROM audit_event "
                "WHERE entity = 'stakeholder' AND action LIKE '%create'",
            )
            assert ids == [(2 * rows,)]
        finally:
            ws.close()
