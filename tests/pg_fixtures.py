"""The PostgreSQL side of the workspace fixtures: one server per test session, one fresh
database per test, cloned (``CREATE DATABASE … TEMPLATE``) from a migrated template database
so a test pays for a file copy, not for the migrations or the sample.

The server is ``CMIO_TEST_POSTGRES_URL`` when set (an admin URL: it may create databases),
else a throwaway cluster this session starts when PostgreSQL's binaries exist
(tests/pg_cluster.py). Without either the PostgreSQL tests are skipped with the reason, unless
``CMIO_REQUIRE_POSTGRES=1`` (CI), where that is a failure.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from typing import Any

import pytest

URL_ENV = "CMIO_TEST_POSTGRES_URL"
REQUIRE_ENV = "CMIO_REQUIRE_POSTGRES"


def _admin(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


def _with_db(url: str, name: str) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url)
    params["dbname"] = name
    return make_conninfo(**params)  # a key=value string; our URLs below are rebuilt from it


def _as_url(url: str, name: str) -> str:
    """A postgresql:// URL for database ``name`` on the admin URL's server."""
    from urllib.parse import quote

    from psycopg.conninfo import conninfo_to_dict

    p = conninfo_to_dict(url)
    auth = quote(str(p.get("user", "")), safe="")
    if p.get("password"):
        auth += ":" + quote(str(p["password"]), safe="")
    host = str(p.get("host", "localhost"))
    port = f":{p['port']}" if p.get("port") else ""
    extra = "".join(
        f"&{k}={quote(str(v))}"
        for k, v in p.items()
        if k not in ("user", "password", "host", "port", "dbname")
    )
    if host.startswith("/"):
        port_param = f"&port={p['port']}" if p.get("port") else ""
        return f"postgresql://{auth}@/{name}?host={quote(host, safe='')}{port_param}{extra}"
    query = "?" + extra[1:] if extra else ""
    return f"postgresql://{auth}@{host}{port}/{name}{query}"


class PgServer:
    """Creates databases on the test server; each test's is dropped when an external server
    is used (a throwaway cluster is removed whole at the end)."""

    def __init__(self, admin_url: str, external: bool, port: int | None = None) -> None:
        self.admin_url = admin_url
        self.external = external
        self.tcp_port = port  # the throwaway cluster's password-checked port on 127.0.0.1
        self._templates: dict[str, str] = {}
        self._count = itertools.count(1)
        self._prefix = f"cmio_t{os.getpid()}_"
        self.created: list[str] = []

    def url(self, name: str) -> str:
        return _as_url(self.admin_url, name)

    def new_database(self, template: str | None = None) -> str:
        """Create an empty database (or a clone of ``template``); returns its name."""
        name = f"{self._prefix}{next(self._count)}"
        with _admin(self.admin_url) as conn:
            clause = f' TEMPLATE "{template}"' if template else " TEMPLATE template0"
            conn.execute(f'CREATE DATABASE "{name}"{clause}')
        self.created.append(name)
        return name

    def drop(self, name: str) -> None:
        with _admin(self.admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def workspace_url(self, key: str, build: Callable[[str], None]) -> str:
        """A fresh database cloned from the template ``key`` (built by ``build(url)`` once)."""
        if key not in self._templates:
            template = self.new_database()
            build(self.url(template))  # must close every connection it made
            self._templates[key] = template
        return self.url(self.new_database(self._templates[key]))

    def execute(self, sql: str, dbname: str | None = None) -> None:
        """Run ``sql`` as the admin (in ``dbname``, else the admin's database)."""
        url = _with_db(self.admin_url, dbname) if dbname else self.admin_url
        with _admin(url) as conn:
            conn.execute(sql)

    def close(self) -> None:
        if self.external:
            for name in list(self.created):
                self.drop(name)


def start_server() -> tuple[PgServer, Callable[[], None]]:
    """The session's server, or pytest.skip/fail when there is none."""
    from tests import pg_cluster

    url = os.environ.get(URL_ENV)
    if url:
        server = PgServer(url, external=True)
        return server, server.close
    if pg_cluster.binaries() is None:
        reason = f"PostgreSQL is not installed (no initdb/pg_ctl) and {URL_ENV} is not set"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    cluster = pg_cluster.start()
    server = PgServer(cluster.url, external=False, port=cluster.port)

    def stop() -> None:
        server.close()
        cluster.stop()

    return server, stop
