"""every row carries a version

A ``version`` column (starting at 1) on every table the user edits, raised by one on every
update of the row by the database itself, whichever program or statement made it: the
app's ORM, a bulk statement, a sync, or another program writing SQL. An edit remembers the
version of the row it showed; a save over a row whose version has moved since is refused
(``services/conflicts.py``). The audit trail (only ever appended to) has none.

SQLite: an AFTER UPDATE trigger that, unless the statement itself raised the version, sets it
to the old one plus one (a trigger never fires itself again: ``recursive_triggers`` is off, and
its WHEN would be false anyway); a statement that writes back an older version (a stale copy
of the row) is bumped too, so a version never goes back. PostgreSQL: a BEFORE UPDATE trigger
does the same to the row being written, at no extra statement.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Every table but audit_event, in the order the schema made them.
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
    "risk_stakeholder",
    "decision",
    "request",
    "golive_criterion",
    "workspace_setting",
    "engagement_entry",
    "engagement_commitment",
    "change_impact",
    "super_user_assignment",
)

_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION cmio_bump_row_version() RETURNS trigger AS $$
BEGIN
    IF NEW.version <= OLD.version THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    conn = op.get_bind()
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(_PG_FUNCTION)
        for table in TABLES:
            conn.exec_driver_sql(
                f"CREATE TRIGGER version_bump_{table} BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION cmio_bump_row_version()"
            )
        return
    for table in TABLES:
        conn.exec_driver_sql(
            f"CREATE TRIGGER version_bump_{table} AFTER UPDATE ON {table} "
            "FOR EACH ROW WHEN NEW.version <= OLD.version BEGIN "
            f"UPDATE {table} SET version = OLD.version + 1 WHERE rowid = NEW.rowid; END"
        )


def downgrade() -> None:
    raise NotImplementedError("workspaces are never downgraded")
