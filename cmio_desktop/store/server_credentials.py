"""Building a team workspace's address from its parts, and keeping the password out of it.

The app's dialog asks for host, port, database, user and ``sslmode`` (or takes a pasted URL) and a
password. The password goes to the OS keyring when the user asks (service ``cmio-desktop``,
entry ``user@host``, where :func:`server_url.keyring_password` looks) or lives in memory for this
session only; what is remembered in settings (the recent list) is the URL without it.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import quote

from cmio_desktop.store.server_url import KEYRING_SERVICE, ServerAddress, masked

log = logging.getLogger(__name__)

SSLMODES = ("prefer", "require", "verify-ca", "verify-full", "disable")
_URL_PASSWORD = re.compile(r"^(?P<head>postgres(?:ql)?://[^:/@?#\s]*):[^@/?#\s]*@")
_PARAM_PASSWORD = re.compile(r"([?&])password=[^&]*(&?)", re.IGNORECASE)


def build_server_url(host: str, port: int | str | None, database: str, user: str,
                     sslmode: str = "") -> str:  # fmt: skip
    """``postgresql://user@host:port/database?sslmode=…`` (never a password)."""
    auth = f"{quote(user.strip(), safe='')}@" if user.strip() else ""
    host = host.strip()
    port_text = f":{int(port)}" if port not in (None, "", 0) else ""
    if host.startswith("/"):  # a Unix socket folder goes in the query
        url = f"postgresql://{auth}/{quote(database.strip(), safe='')}?host={quote(host, safe='')}"
        if port_text:
            url += f"&port={port_text[1:]}"
        return url + (f"&sslmode={sslmode}" if sslmode else "")
    url = f"postgresql://{auth}{host}{port_text}/{quote(database.strip(), safe='')}"
    return url + (f"?sslmode={sslmode}" if sslmode else "")


def without_password(url: str) -> str:
    """``url`` with any password removed (what a recent list or setting may keep)."""
    url = _URL_PASSWORD.sub(lambda m: f"{m['head']}@", url.strip())
    url = _PARAM_PASSWORD.sub(lambda m: m[1] if m[2] else "", url)
    return url.rstrip("?&")


def with_password(url: str, password: str) -> str:
    """``url`` carrying ``password`` for this session's connections (kept in memory only)."""
    if not password:
        return url
    base = without_password(url)
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}password={quote(password, safe='')}"


def remember_server_password(address: ServerAddress, password: str) -> bool:
    """Store ``password`` in the OS keyring for ``address``'s user and host; False when the
    keyring refuses or there is none (the connection still works for this session)."""
    from cmio_desktop.store.keyring_memory import keyring_available

    if not password or not keyring_available():
        return False
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, address.keyring_entry(), password)
        return True
    except Exception as exc:  # a locked or broken keyring
        log.warning("Could not store the password in the keyring: %s", masked(str(exc)))
        return False
