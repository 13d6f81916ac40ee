"""ids are never reused: AUTOINCREMENT on the id of every audited table

Without AUTOINCREMENT SQLite gives a new row the largest id + 1, so deleting the newest person
and adding another reused the id, and the audit trail mixed the two people's histories.

SQLite cannot add AUTOINCREMENT to a table, so each table is rebuilt the way SQLite documents
(https://www.sqlite.org/lang_altertable.html#otheralter): create the new table from the old
one's own CREATE statement (every column, CHECK and FOREIGN KEY kept exactly) with the key
declared ``PRIMARY KEY AUTOINCREMENT``, copy the rows, drop the old table, rename, recreate the
indexes. The runner switches foreign keys off around the migration, as step 1 of that recipe
requires (else dropping a table would cascade-delete its children's rows), and checks them
before committing.

The id counter of each table starts above every id the audit trail has ever recorded for it,
so people deleted before this upgrade do not get their ids reused either.

On PostgreSQL every id is a sequence (``SERIAL``) from the first migration on, and a sequence
never hands out a number twice: nothing to do there.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05
"""

import re

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

# Every table with an integer id whose rows the audit trail names (audit_event itself only
# grows, so its ids are never reused anyway).
TABLES = (
    "organisation",
    "initiative",
    "phase",
    "milestone",
    "stakeholder",
    "relationship",
    "assessment",
    "activity",
    "activity_audience",
    "communication",
    "training_course",
    "training_completion",
    "risk",
    "decision",
    "request",
    "golive_criterion",
)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for table in TABLES:
        _rebuild_with_autoincrement(conn, table)


def _rebuild_with_autoincrement(conn, table: str) -> None:  # type: ignore[no-untyped-def]
    create = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    if "AUTOINCREMENT" in create.upper():
        return
    column = re.compile(r"\n\s*id INTEGER NOT NULL,", re.IGNORECASE)
    key = re.compile(rf"\s*CONSTRAINT pk_{table} PRIMARY KEY \(id\),?", re.IGNORECASE)
    if not column.search(create) or not key.search(create):
        raise RuntimeError(f"unexpected definition of table {table}")
    new = f"_new_{table}"
    create = column.sub(
        f"\n\tid INTEGER NOT NULL CONSTRAINT pk_{table} PRIMARY KEY AUTOINCREMENT,", create, 1
    )
    create = key.sub("", create, 1)
    create = re.sub(r",(\s*\))\s*$", r"\1", create)  # the key may have been the last item
    create = create.replace(f"CREATE TABLE {table} (", f"CREATE TABLE {new} (", 1)
    indexes = (
        conn.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
            (table,),
        )
        .scalars()
        .all()
    )
    conn.exec_driver_sql(create)
    conn.exec_driver_sql(f"INSERT INTO {new} SELECT * FROM {table}")
    conn.exec_driver_sql(f"DROP TABLE {table}")
    conn.exec_driver_sql(f"ALTER TABLE {new} RENAME TO {table}")
    for sql in indexes:
        conn.exec_driver_sql(sql)
    highest = conn.exec_driver_sql(
        f"SELECT max(coalesce((SELECT max(id) FROM {table}), 0), coalesce((SELECT max("
        "entity_id) FROM audit_event WHERE entity = ?), 0))",
        (table,),
    ).scalar_one()
    if highest:
        # Copying the rows may already have made the table's counter row: set it, else add it.
        updated = conn.exec_driver_sql(
            "UPDATE sqlite_sequence SET seq = ? WHERE name = ?", (int(highest), table)
        )
        if updated.rowcount == 0:
            conn.exec_driver_sql(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, int(highest))
            )


def downgrade() -> None:
    raise NotImplementedError("workspaces are never downgraded")
