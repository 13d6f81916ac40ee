"""Team workspaces on a PostgreSQL server: telling a URL from a path, and never showing a password.

A team workspace is named by a libpq URL (``postgresql://user@host:port/database?sslmode=...``,
or ``postgresql:///?service=name`` for a connection service file). The password is never taken
from settings: it comes, in this order, from the URL itself (accepted, never shown or stored),
the OS keyring (service ``cmio-desktop``, entry ``user@host``), and then libpq's own sources
(``PGPASSFILE`` / ``~/.pgpass``, the service file). Every sentence and repr that names a server
goes through :func:`masked`.
"""

from __future__ import annotations

import getpass
import logging
import os
import re
from dataclasses import dataclass, field
from typing import Any

from cmio_desktop.store.errors import WorkspaceError

log = logging.getLogger(__name__)

SCHEMES = ("postgresql://", "postgres://")
KEYRING_SERVICE = "cmio-desktop"
_PASSWORD_IN_URL = re.compile(r"(?P<head>postgres(?:ql)?://[^:/@?#\s]*):(?P<secret>[^@/?#\s]*)@")
_PASSWORD_PARAM = re.compile(r"(?P<head>[?&\s]password=)(?P<secret>[^&\s]*)", re.IGNORECASE)


def is_server_url(target: object) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL; paths are everything else."""
    return isinstance(target, str) and target.strip().lower().startswith(SCHEMES)


def masked(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` with every password (in a URL, a ``password=`` parameter, or given) as ``***``."""
    text = _PASSWORD_IN_URL.sub(lambda m: f"{m['head']}:***@", text)
    text = _PASSWORD_PARAM.sub(lambda m: f"{m['head']}***", text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


@dataclass(frozen=True)
class ServerAddress:
    """A parsed team-workspace URL; ``repr`` and ``str`` never contain the password."""

    url: str = field(repr=False)
    params: dict[str, str] = field(repr=False, compare=False)

    @property
    def shown(self) -> str:
        return masked(self.url, (self.params.get("password", ""),))

    def __str__(self) -> str:
        return self.shown

    def __repr__(self) -> str:
        return f"ServerAddress({self.shown!r})"

    @property
    def database(self) -> str:
        return self.params.get("dbname") or os.environ.get("PGDATABASE") or self.user

    @property
    def host(self) -> str:
        host = self.params.get("host") or self.params.get("hostaddr") or os.environ.get("PGHOST")
        return host or "localhost"

    @property
    def user(self) -> str:
        return self.params.get("user") or os.environ.get("PGUSER") or getpass.getuser()

    @property
    def service(self) -> str | None:
        return self.params.get("service")

    @property
    def where(self) -> str:
        """A short, password-free description for sentences: "database cmio on db.example.org"."""
        if self.service and not self.params.get("dbname"):
            return f"the team workspace of service “{self.service}”"
        host = self.host if not self.host.startswith("/") else "this computer"
        port = self.params.get("port")
        return f"database “{self.database}” on {host}{':' + port if port else ''}"

    def keyring_entry(self) -> str:
        return f"{self.user}@{self.host}"

    def connect_kwargs(self) -> dict[str, Any]:
        """Extra libpq parameters: the keyring's password when the URL carries none."""
        if "password" in self.params or self.service:
            return {}
        password = keyring_password(self.keyring_entry())
        return {"password": password} if password else {}

    def with_database(self, name: str) -> ServerAddress:
        """The same server and credentials, another database (for creating/dropping one)."""
        from psycopg.conninfo import make_conninfo

        params = {**self.params, "dbname": name}
        return ServerAddress(make_conninfo(**params), params)


def parse_server_url(url: str) -> ServerAddress:
    """Parse a libpq URL; a malformed one is a :class:`WorkspaceError` sentence (masked)."""
    from psycopg import ProgrammingError
    from psycopg.conninfo import conninfo_to_dict

    url = url.strip()
    if not is_server_url(url):
        raise WorkspaceError(f"“{masked(url)}” is not a team workspace address (postgresql://…).")
    try:
        raw = conninfo_to_dict(url)
    except ProgrammingError as exc:
        reason = masked(str(exc).strip(), _secret_guess(url))
        raise WorkspaceError(
            f"“{masked(url, _secret_guess(url))}” is not a valid team workspace address "
            f"({reason}). Use postgresql://user@host:port/database."
        ) from None
    params = {k: str(v) for k, v in raw.items() if v is not None}
    port = params.get("port")
    if port is not None and not all(p.isdigit() for p in port.split(",")):
        raise WorkspaceError(
            f"“{masked(url)}” is not a valid team workspace address (the port “{port}” is not "
            "a number). Use postgresql://user@host:port/database."
        )
    return ServerAddress(url, params)


def _secret_guess(url: str) -> tuple[str, ...]:
    match = _PASSWORD_IN_URL.search(url)
    return (match["secret"],) if match and match["secret"] else ()


def keyring_password(entry: str) -> str | None:
    """The password stored in the OS keyring for ``user@host``; None when there is none or no
    usable keyring (never an error: libpq's own sources are tried next)."""
    from cmio_desktop.store.keyring_memory import keyring_available

    if not keyring_available():
        return None
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, entry)
    except Exception as exc:  # a locked or broken keyring: fall back to libpq's sources
        log.warning("Could not read the keyring: %s", exc)
        return None
