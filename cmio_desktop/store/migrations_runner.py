"""Run Alembic migrations in-process on a connection that is already inside a transaction."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# user_version stamped into the file = number of the head revision ("0002" → 2).
HEAD_SCHEMA_VERSION = 2


def upgrade_to_head(conn: Connection) -> None:
    """Apply every pending migration and stamp ``user_version``; the caller owns the transaction."""
    from alembic import command  # imported lazily: only opening an old or new file needs it
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
    conn.exec_driver_sql(f"PRAGMA user_version = {HEAD_SCHEMA_VERSION}")
