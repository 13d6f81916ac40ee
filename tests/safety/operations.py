"""The writes a kill may interrupt, each run the way the app or the CLI runs it.

Every operation has a start workspace (made once, copied for each trial) and a body that a
child process runs; the body calls ``go()`` just before the part that writes, so a kill timed
from "go" lands inside the operation. Small workspaces keep a trial well under a second.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

OPERATIONS = ("import", "bulk_edit", "plan_generation", "undo_import", "migration")
TODAY = date(2026, 11, 2)
OLD_REVISION, OLD_VERSION = "0002", 2  # the migration trials upgrade 0002 → head
# One name for every copy: the import's audit row names its file, and all runs must match.
IMPORT_FILE = "new-starters.csv"


def people_csv(path: Path, count: int) -> Path:
    lines = ["Employee ID,Full name,Role,Group,Department"]
    lines += [
        f"K{i:05d},Kill Trial {i},Nurse,Frontline clinician,Ward {i % 7}" for i in range(count)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make_start(folder: Path, operation: str, people: int) -> Path:
    """The workspace ``operation`` starts from (and its import file, beside it)."""
    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store import create_workspace

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"start-{operation}.cmio"
    if operation == "migration":
        return make_old_sample(path, people)
    ws = create_workspace(path, organisation="Kill Trials Health")
    try:
        generate_sample(ws, people=people, seed=7, today=TODAY)
    finally:
        ws.close()
    people_csv(folder / IMPORT_FILE, max(50, people * 2))
    return path


def make_old_sample(path: Path, people: int) -> Path:
    """A sample workspace saved at an older schema (what a user upgrading the app opens)."""
    from alembic import command
    from alembic.config import Config

    from cmio_desktop.sample import generate_sample
    from cmio_desktop.store import create_workspace, migrations_runner, workspace

    def upgrade_to_old(conn) -> None:  # type: ignore[no-untyped-def]
        config = Config()
        config.set_main_option("script_location", str(migrations_runner.MIGRATIONS_DIR))
        config.attributes["connection"] = conn
        command.upgrade(config, OLD_REVISION)
        conn.exec_driver_sql(f"PRAGMA user_version = {OLD_VERSION}")

    # The sample is made at head, then its rows of the tables the old schema has are copied.
    full = path.with_name(f"{path.stem}-at-head.cmio")
    create_workspace(
        full, organisation="Kill Trials Health",
        fill=lambda ws: generate_sample(ws, people=people, seed=7, today=TODAY),
    ).close()  # fmt: skip
    real = workspace.upgrade_to_head
    workspace.upgrade_to_head = upgrade_to_old
    try:
        create_workspace(path, organisation="Kill Trials Health").close()
    finally:
        workspace.upgrade_to_head = real
    copy_rows(full, path)
    for leftover in path.parent.glob(f"{full.name}*"):
        leftover.unlink()
    return path


def copy_rows(source: Path, target: Path) -> None:
    """Replace ``target``'s rows with ``source``'s, for the tables and columns ``target`` has."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(target)) as conn, conn:
        conn.execute("ATTACH DATABASE ? AS head", (str(source),))
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'"
            )
        ]
        for table in tables:
            columns = ", ".join(r[1] for r in conn.execute(f"PRAGMA main.table_info({table})"))
            conn.execute(f"DELETE FROM main.{table}")
            conn.execute(f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM head.{table}")


def run(operation: str, path: Path, go: Callable[[], None]) -> None:
    """The body a child runs on its own copy ``path``; ``go()`` marks where writing starts."""
    from cmio_desktop.store import open_workspace

    if operation == "migration":
        go()
        open_workspace(path).close()  # the app's open path: backup, then the upgrade
        return
    ws = open_workspace(path)
    try:
        BODIES[operation](ws, path, go)
    finally:
        ws.close()


def _import(ws, path: Path, go: Callable[[], None]):  # type: ignore[no-untyped-def]
    from cmio_desktop.services.importing.pipeline import prepare_import
    from cmio_desktop.services.importing.run import commit_import

    _source, _validation, plan = prepare_import(ws, path.parent / IMPORT_FILE, "stakeholders")
    go()
    return commit_import(ws, plan)


def _bulk_edit(ws, _path: Path, go: Callable[[], None]) -> None:  # type: ignore[no-untyped-def]
    from cmio_desktop.services.stakeholders import edits
    from cmio_desktop.services.stakeholders.register import register_rows

    ids = register_rows(ws).ids
    go()
    edits.bulk_update(ws, ids, interest=5, power=1, department="Moved by bulk edit")


def _plan_generation(ws, _path: Path, go: Callable[[], None]) -> None:  # type: ignore[no-untyped-def]
    from cmio_desktop.services import initiatives
    from cmio_desktop.services.plan.generation import accept, generate

    initiative = initiatives.list_initiatives(ws)[0].id
    # Generating only reads (the network analysis, then scheduling); accepting the proposals
    # is the write, so the kills are timed from there.
    result = generate(ws, initiative, today=TODAY)
    go()
    accept(ws, initiative, result.plan.proposals)


def _undo_import(ws, path: Path, go: Callable[[], None]) -> None:  # type: ignore[no-untyped-def]
    from cmio_desktop.services.importing.run import undo_import

    outcome = _import(ws, path, lambda: None)
    go()
    undo_import(ws, outcome.token)


BODIES = {
    "import": _import,
    "bulk_edit": _bulk_edit,
    "plan_generation": _plan_generation,
    "undo_import": _undo_import,
}


def preload() -> None:
    """Import everything the bodies use, so forked children start at once."""
    import cmio_desktop.sample  # noqa: F401
    import cmio_desktop.services.importing.pipeline  # noqa: F401
    import cmio_desktop.services.importing.run  # noqa: F401
    import cmio_desktop.services.initiatives  # noqa: F401
    import cmio_desktop.services.plan.generation  # noqa: F401
    import cmio_desktop.services.stakeholders.edits  # noqa: F401
    import cmio_desktop.services.stakeholders.register  # noqa: F401
    import cmio_desktop.store.migrations_runner  # noqa: F401
