"""Run Alembic migrations in-process on a connection that is already inside a transaction."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# user_version stamped into the file = number of the head revision ("0003" → 3).
HEAD_SCHEMA_VERSION = 6


def upgrade_to_head(conn: Connection) -> None:
    """Apply every pending migration and stamp ``user_version``; the caller owns the transaction."""
    from alembic import command  # imported lazily: only opening an old or new file needs it
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")
    if conn.dialect.name == "sqlite":  # a server keeps it in a table (store/postgres.py)
        conn.exec_driver_sql(f"PRAGMA user_version = {HEAD_SCHEMA_VERSION}")


def upgrade_existing(engine: Engine) -> None:
    """Upgrade a workspace that holds data, in one transaction, foreign keys switched off.

    Rebuilding a table (the only way SQLite can change most things) drops the old one, which
    with foreign keys on would first delete every row that hangs off it. SQLite's recipe:
    foreign keys off outside the transaction, migrate, ``foreign_key_check``, commit, back on.
    """
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")  # a no-op inside a transaction: do it first
        try:
            with conn.begin():
                upgrade_to_head(conn)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"the upgrade would break references: {broken[:3]}")
        finally:
            raw.execute("PRAGMA foreign_keys = ON")
