"""Engine construction: per-connection pragmas and transactions that really begin."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event

BUSY_TIMEOUT_MS = 5000
# Execution option naming how a transaction begins; the write sessions set it (see
# :meth:`Workspace.session`). "IMMEDIATE" takes the write lock at BEGIN, waiting up to the busy
# timeout for another writer; a plain (deferred) BEGIN would read first and then fail at once
# when it tries to upgrade to a write lock that someone else holds.
BEGIN_OPTION = "cmio_begin"


def make_engine(path: Path, passphrase: str | None = None) -> Engine:
    """An engine on ``path``; with a ``passphrase``, through SQLCipher (an encrypted file)."""
    if passphrase is None:
        engine = create_engine(f"sqlite:///{path}", future=True)
    else:
        from sqlalchemy import URL
        from sqlalchemy.pool import QueuePool

        from cmio_desktop.store.encryption import sqlcipher

        sqlcipher()  # loaded through us first: its stderr logging off

        # The dialect sends PRAGMA key first on every new connection, before our pragmas below.
        # Same pool as the plain path (the dialect's default is one connection per thread).
        url = URL.create("sqlite+pysqlcipher", password=passphrase, database=str(path))
        engine = create_engine(url, poolclass=QueuePool)
    _install_pragmas_and_begin(engine)
    return engine


def writer_engine(engine: Engine) -> Engine:
    """The same engine (same pool and events) whose transactions begin IMMEDIATE."""
    return engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})


def _install_pragmas_and_begin(engine: Engine) -> None:
    # Python's sqlite3 module only emits BEGIN before DML, so DDL and SELECTs would run outside
    # the transaction. SQLAlchemy's documented recipe: turn off the driver's transaction
    # handling and emit BEGIN ourselves when SQLAlchemy starts a transaction.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # WAL: readers (the analysis worker) never block the UI's writes and a killed process
        # cannot corrupt the file. synchronous=FULL makes every committed user action durable
        # even across power loss; commits are one per user action, so the fsync is affordable.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        # A deleted person's name must not stay readable in the file's free pages: SQLite
        # overwrites deleted content with zeros (cost measured in benchmarks/RESULTS.md).
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        mode = conn.get_execution_options().get(BEGIN_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")
