"""The audit trail has no gaps: ids are never reused, a cascaded delete records every row it
took, an import records what each new person holds, and old workspaces are upgraded to
never-reused ids without losing a row."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command
from alembic.config import Config

from cmio_desktop import models as m
from cmio_desktop.sample import generate_sample
from cmio_desktop.services import crud
from cmio_desktop.services.importing.pipeline import prepare_import
from cmio_desktop.services.importing.run import commit_import
from cmio_desktop.services.stakeholders import edits as service
from cmio_desktop.store import create_workspace, open_workspace
from cmio_desktop.store.engine import make_engine
from cmio_desktop.store.migrations_runner import HEAD_SCHEMA_VERSION, MIGRATIONS_DIR
from cmio_desktop.store.workspace import APPLICATION_ID
from tests.raw_rows import raw_rows
from tests.unit.test_importing_helpers import table_rows


def audit(ws, sql: str = "", *params) -> list[tuple]:
    return raw_rows(
        ws,
        "SELECT action, entity, entity_id, field, old_value, new_value FROM audit_event " + sql,
        params,
    )


def test_a_deleted_persons_id_is_never_given_to_someone_else(empty_ws) -> None:
    first = service.create_stakeholder(empty_ws, name="Ann First")
    last = service.create_stakeholder(empty_ws, name="Bob Last")
    service.delete_stakeholders(empty_ws, [last.id])
    newcomer = service.create_stakeholder(empty_ws, name="Cy New")
    assert newcomer.id > last.id > first.id  # used to be newcomer.id == last.id
    history = audit(empty_ws, "WHERE entity = 'stakeholder' AND entity_id = ?", last.id)
    assert [a for a, *_ in history] == ["create", "delete"]  # only Bob's own history


def test_imported_people_never_take_a_deleted_persons_id(empty_ws, tmp_path: Path) -> None:
    gone = service.create_stakeholder(empty_ws, name="Gone Soon")
    service.delete_stakeholders(empty_ws, [gone.id])
    staff = tmp_path / "staff.csv"
    staff.write_text("Full name,Role,Group\nNew Person,Nurse,Frontline clinician\n")
    _source, _validation, plan = prepare_import(empty_ws, staff, "stakeholders")
    token = commit_import(empty_ws, plan).token
    assert token.created[0]["id"] > gone.id


def test_a_cascaded_delete_audits_every_tie_it_removes(empty_ws) -> None:
    hub = service.create_stakeholder(empty_ws, name="Hub Person")
    others = [service.create_stakeholder(empty_ws, name=f"Spoke {i}") for i in range(5)]
    ties = [
        crud.create(empty_ws, m.Relationship, source_id=hub.id, target_id=o.id).id for o in others
    ]
    ties.append(crud.create(empty_ws, m.Relationship, source_id=others[0].id, target_id=hub.id).id)
    snapshot = service.delete_stakeholders(empty_ws, [hub.id])
    deleted = audit(empty_ws, "WHERE action = 'delete' ORDER BY id")
    expected = [("stakeholder", hub.id)] + [("relationship", t) for t in ties]
    assert sorted((e, i) for _a, e, i, *_ in deleted) == sorted(expected)  # used to be 1 row
    tie_values = json.loads(next(old for _a, e, _i, _f, old, _n in deleted if e == "relationship"))
    assert hub.id in (tie_values["source_id"], tie_values["target_id"])
    service.restore(empty_ws, snapshot)
    restored = audit(empty_ws, "WHERE action = 'restore'")
    assert sorted((e, i) for _a, e, i, *_ in restored) == sorted(expected)


def test_people_created_by_an_import_are_audited_with_their_values(
    empty_ws, tmp_path: Path
) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "Employee ID,Full name,Role,Group,Department,Influence (1-5)\n"
        "E7,Dr. Ada Okafor,Physician,Clinical leader,Cardiology,4\n",
        encoding="utf-8",
    )
    _source, _validation, plan = prepare_import(empty_ws, staff, "stakeholders")
    token = commit_import(empty_ws, plan).token
    ((*_, new_value),) = audit(empty_ws, "WHERE action = 'create' AND entity = 'stakeholder'")
    values = json.loads(new_value)  # used to be only the label "Dr. Ada Okafor (E7)"
    assert values["name"] == "Dr. Ada Okafor" and values["external_id"] == "E7"
    assert values["department"] == "Cardiology" and values["power"] == 4
    assert values["role"] == "physician"
    assert token.created[0]["id"] == table_rows(empty_ws, "SELECT id FROM stakeholder")[0][0]


def make_version_1_workspace(path: Path, people: int = 60) -> None:
    """A workspace as the previous release wrote it: schema 0001 only, stamped version 1,
    holding the sample's rows of the tables 0001 has (the sample itself is made at head)."""
    full = path.with_name(f"{path.stem}-at-head.cmio")
    create_workspace(
        full, organisation="Old Trust", fill=lambda ws: generate_sample(ws, people=people, seed=5)
    ).close()
    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
            conn.exec_driver_sql("PRAGMA user_version = 1")
    finally:
        engine.dispose()
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("ATTACH DATABASE ? AS head", (str(full),))
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
            )
        ]
        for table in tables:
            columns = ", ".join(r[1] for r in conn.execute(f"PRAGMA main.table_info({table})"))
            conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM head.{table}")
    for leftover in path.parent.glob(f"{full.name}*"):
        leftover.unlink()


def dump(path: Path) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(path)) as conn:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name != 'alembic_version' ORDER BY name"
            )
        ]
        return {n: conn.execute(f"SELECT * FROM {n} ORDER BY 1, 2").fetchall() for n in names}


def test_an_old_workspace_is_upgraded_without_losing_a_row(tmp_path: Path) -> None:
    path = tmp_path / "old.cmio"
    make_version_1_workspace(path)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("PRAGMA foreign_keys = ON")
        (newest,) = conn.execute("SELECT max(id) FROM stakeholder").fetchone()
        conn.execute("DELETE FROM stakeholder WHERE id = ?", (newest,))  # with its ties
        conn.execute(
            "INSERT INTO audit_event (at, user_name, action, entity, entity_id) "
            "VALUES (CURRENT_TIMESTAMP, 'someone', 'delete', 'stakeholder', ?)",
            (newest,),
        )
    before = dump(path)
    assert before["relationship"] and before["assessment"]

    ws = open_workspace(path)
    try:
        assert ws.schema_version() == HEAD_SCHEMA_VERSION
        after = dump(path)
        # Every row of every table, ties and rounds included; tables added since are empty.
        # (the row version added by 0005 is the last column: every old row starts at 1)
        kept = {n: [r if n == "audit_event" else r[:-1] for r in after[n]] for n in before}
        assert kept == before
        assert {r[-1] for name in before if name != "audit_event" for r in after[name]} == {1}
        assert all(after[name] == [] for name in after.keys() - before.keys())
        assert (tmp_path / "old.cmio.v1.bak").exists()
        assert ws.integrity_problems() == []
        with closing(sqlite3.connect(path)) as conn:
            create = conn.execute(
                "SELECT sql FROM sqlite_master WHERE name = 'stakeholder'"
            ).fetchone()[0]
        assert "PRIMARY KEY AUTOINCREMENT" in create
        assert "ck_stakeholder_power_range" in create  # constraints kept
        newcomer = service.create_stakeholder(ws, name="After Upgrade")
        assert newcomer.id == newest + 1  # the id deleted before the upgrade is not reused
        # The rebuilt tables still cascade: deleting a person removes their ties.
        person = table_rows(ws, "SELECT source_id FROM relationship LIMIT 1")[0][0]
        service.delete_stakeholders(ws, [person])
        assert table_rows(
            ws,
            f"SELECT count(*) FROM relationship WHERE source_id = {person} OR target_id = {person}",
        ) == [(0,)]
    finally:
        ws.close()


def test_a_new_workspace_has_never_reused_ids_from_the_start(tmp_path: Path) -> None:
    ws = create_workspace(tmp_path / "fresh.cmio")
    ws.close()
    with closing(sqlite3.connect(ws.path)) as conn:
        for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%(%id INTEGER%'"
        ):
            if "\n\tid INTEGER" in sql and "audit_event" not in sql:
                assert "AUTOINCREMENT" in sql, sql
