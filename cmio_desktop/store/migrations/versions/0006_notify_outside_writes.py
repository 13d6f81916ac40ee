"""a team workspace hears writes made outside the app

The app announces its own writes (store/server_watch.py: a notice naming the tables and rows,
sent inside the write transaction). A program that writes to the server without the app —
hospital IT's ``psql``, a reporting tool, an older app — sent nothing, so open apps did not
reload. On PostgreSQL each data table now gets a statement-level trigger that sends a notice
naming the table, unless the writing transaction has said it is the app (the setting
``cmio.client``, set by the app's write sessions, which announce themselves in more detail).

SQLite needs nothing: other programs' commits are noticed through ``PRAGMA data_version``.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Every table holding the user's data (the audit trail's own rows are never announced).
TABLES = (
    "organisation", "initiative", "phase", "milestone", "stakeholder", "relationship",
    "assessment", "activity", "activity_audience", "communication", "training_course",
    "training_completion", "risk", "risk_stakeholder", "decision", "request", "golive_criterion",
    "workspace_setting", "engagement_entry", "engagement_commitment", "change_impact",
    "super_user_assignment",
)  # fmt: skip

_FUNCTION = """
CREATE OR REPLACE FUNCTION cmio_notify_outside_write() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('cmio.client', true), '') = '' THEN
        PERFORM pg_notify(
            'cmio_changes',
            json_build_object('c', '', 't', json_build_array(TG_TABLE_NAME))::text
        );
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    conn.exec_driver_sql(_FUNCTION)
    for table in TABLES:
        conn.exec_driver_sql(
            f"CREATE TRIGGER notify_outside_{table} AFTER INSERT OR UPDATE OR DELETE OR "
            f"TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION cmio_notify_outside_write()"
        )


def downgrade() -> None:
    raise NotImplementedError("workspaces are never downgraded")
