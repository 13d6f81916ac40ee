"""Live views on a team workspace: every write transaction NOTIFYs what it changed, and each open
app LISTENs on a dedicated connection, so other people's changes reach it within a tick.

- The writer: an engine-wide cursor hook notes the tables each connection's INSERT/UPDATE/DELETE
  statements touch (and the ids of the ORM rows flushed); just before the commit the write
  session sends ``pg_notify(CHANNEL, payload)`` inside the same transaction, so the notice is
  delivered only if (and when) the change is committed.
- The payload is JSON ``{"c": client, "t": [tables], "i": [ids]}``; too long for PostgreSQL's
  8000-byte limit it drops the ids, then says ``{"c": client, "all": true}`` (reload everything).
- Programs other than the app: each data table's statement trigger (migration 0006) sends
  ``{"c": "", "t": [table]}`` unless the transaction set ``cmio.client`` — the app's write
  sessions do (:func:`claim_writes`), as they send the fuller notice themselves.
- The listener: one autocommit psycopg connection per open workspace (from its first look on:
  the CLI never looks), read without blocking (``notifies(timeout=0)``) on the app's one-second
  tick. Its own client id is skipped (our writes are announced by the services' own
  ChangeSets). A lost listening connection is made again on the next tick and reports
  "everything" (notices may have been missed meanwhile).
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import threading
import uuid
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session

from cmio_desktop.store.server_url import ServerAddress, masked

log = logging.getLogger(__name__)

CHANNEL = "cmio_changes"
MAX_PAYLOAD = 7900  # PostgreSQL refuses a NOTIFY payload of 8000 bytes or more
_WRITTEN = "cmio_written_tables"  # per connection (conn.info): tables written this transaction
_WRITE = re.compile(
    r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:ONLY\s+)?"
    r'(?:"?public"?\.)?"?(?P<table>[A-Za-z_][A-Za-z0-9_]*)"?',
    re.IGNORECASE,
)
_DML = re.compile(r"^\s*(INSERT|UPDATE|DELETE|MERGE|TRUNCATE|COPY)\b", re.IGNORECASE)
# Not anyone's data: the audit trail and the schema's own bookkeeping.
_NOT_DATA = ("audit_event", "cmio_workspace", "alembic_version")
EVERYTHING = "*"


def track_writes(engine: Engine) -> None:
    """Note, per connection, the tables written by each statement (any API: ORM, Core, SQL)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _note(conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        if not _DML.match(statement):
            return
        written: set[str] = conn.info.setdefault(_WRITTEN, set())
        match = _WRITE.match(statement)
        if match is None:
            written.add(EVERYTHING)  # a statement we cannot read: reload everything
        elif match["table"] not in _NOT_DATA:
            written.add(match["table"])


def payload_for(client: str, tables: set[str], ids: set[int]) -> str:
    """The notice's JSON text, within PostgreSQL's limit (fewer details when too long)."""
    if EVERYTHING in tables or not tables:
        return json.dumps({"c": client, "all": True})
    for candidate in (
        {"c": client, "t": sorted(tables), "i": sorted(ids)},
        {"c": client, "t": sorted(tables)},
    ):
        text_ = json.dumps(candidate, separators=(",", ":"))
        if len(text_.encode()) <= MAX_PAYLOAD:
            return text_
    return json.dumps({"c": client, "all": True})


def claim_writes(session: Session, client: str) -> None:
    """Tell the server's triggers that this transaction is the app's (it announces itself)."""
    session.execute(text("SELECT set_config('cmio.client', :client, true)"), {"client": client})


class WriteNotice:
    """Collects what one write session changes and sends the notice before its commit."""

    def __init__(self, session: Session) -> None:
        self._ids: set[int] = set()
        self._conn = session.connection()
        self._conn.info[_WRITTEN] = set()
        event.listen(session, "after_flush", self._after_flush)

    def _after_flush(self, session: Session, _context: Any) -> None:
        for obj in (*session.new, *session.dirty, *session.deleted):
            table = getattr(getattr(obj, "__table__", None), "name", "")
            ident = getattr(obj, "id", None)
            if table not in _NOT_DATA and isinstance(ident, int):
                self._ids.add(ident)

    def send(self, session: Session, client: str) -> None:
        session.flush()  # every pending row's statement is noted before we read the tables
        event.remove(session, "after_flush", self._after_flush)
        tables = set(self._conn.info.pop(_WRITTEN, set()))
        if not tables:
            return  # a write session that wrote nothing: nothing to tell
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {"channel": CHANNEL, "payload": payload_for(client, tables, self._ids)},
        )


class NotifyChangeWatch:
    """Other clients' commits, heard on a LISTEN connection (same protocol as ChangeWatch)."""

    def __init__(self, address: ServerAddress, connect: Any) -> None:
        self.client = uuid.uuid4().hex[:12]  # our own notices carry it: we skip them
        self._address = address
        self._connect = connect  # makes a psycopg connection as the engine does
        self._lock = threading.Lock()
        self._conn: Any = None
        self._tables: set[str] = set()
        self._ids: set[int] = set()
        self._changed = False
        self._closed = False
        self._started = False  # listening starts with the first look (the CLI never looks)

    def _listen(self) -> bool:
        try:
            conn = self._connect()
            conn.autocommit = True
            conn.execute(f"LISTEN {CHANNEL}")
        except Exception as exc:  # the server is unreachable: try again next tick
            log.warning("Could not listen for team changes: %s", masked(str(exc)))
            return False
        self._conn = conn
        return True

    @property
    def backend_pid(self) -> int | None:
        return None if self._conn is None else int(self._conn.info.backend_pid)

    def changed_elsewhere(self) -> bool:
        with self._lock:
            if self._closed:
                return False
            if self._conn is None or self._conn.closed:
                if not self._listen():
                    return False
                if self._started:  # notices may have been missed while away
                    self._tables.add(EVERYTHING)
                    self._changed = True
                self._started = True
            try:
                for notice in self._conn.notifies(timeout=0):
                    self._take(notice.payload)
            except Exception as exc:  # the connection dropped: listen again next tick
                log.warning("Lost the team change listener: %s", masked(str(exc)))
                self._drop()
            changed, self._changed = self._changed, False
            return changed

    def _take(self, payload: str) -> None:
        try:
            notice = json.loads(payload)
        except ValueError:
            notice = {"all": True}
        if notice.get("c") == self.client:
            return
        self._changed = True
        if notice.get("all") or not notice.get("t"):
            self._tables.add(EVERYTHING)
            return
        self._tables.update(str(t) for t in notice["t"])
        self._ids.update(int(i) for i in notice.get("i", ()))

    def take_changes(self) -> tuple[frozenset[str], frozenset[int]] | None:
        """The tables and ids heard since the last call; None means "reload everything"."""
        with self._lock:
            tables, ids = self._tables, self._ids
            self._tables, self._ids = set(), set()
        if EVERYTHING in tables or not tables:
            return None
        return frozenset(tables), frozenset(ids)

    def before_own_write(self) -> None:
        """Nothing to do: our notices carry our client id."""

    def after_own_commit(self) -> None:
        """Nothing to do: our notices carry our client id."""

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # closing a dead connection
                self._conn.close()
        self._conn = None

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._drop()


def listening_connection(engine: Engine) -> Any:
    """A connection of ``engine``'s own making (same URL, password and name), out of its pool."""
    pooled = engine.raw_connection()
    conn = pooled.driver_connection
    pooled.detach()
    return conn
