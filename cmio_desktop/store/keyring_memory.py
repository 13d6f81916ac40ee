"""Remembering an encrypted workspace's passphrase in the operating system's keyring.

Optional and best effort: with no keyring backend (a headless machine, a locked or broken
keyring) remembering is simply not offered and nothing fails. The entry is keyed by the file's
full path, so two workspaces that share a name keep their own passphrases.
"""

from __future__ import annotations

import logging
from pathlib import Path

SERVICE = "CMIO Desktop workspace"
log = logging.getLogger(__name__)


def keyring_available() -> bool:
    """True when a real keyring backend exists (not keyring's "fail" placeholder)."""
    try:
        import keyring
        from keyring.backends import fail

        backend = keyring.get_keyring()
        return not isinstance(backend, fail.Keyring) and float(backend.priority) > 0
    except Exception as exc:  # any backend trouble means: do not offer remembering
        log.info("No usable keyring: %s", exc)
        return False


def remembered_passphrase(path: Path) -> str | None:
    if not keyring_available():
        return None
    try:
        import keyring

        return keyring.get_password(SERVICE, _entry(path))
    except Exception as exc:
        log.warning("Could not read the keyring: %s", exc)
        return None


def remember_passphrase(path: Path, passphrase: str) -> bool:
    """Store the passphrase; False (and a log line) when the keyring refuses."""
    if not keyring_available():
        return False
    try:
        import keyring

        keyring.set_password(SERVICE, _entry(path), passphrase)
        return True
    except Exception as exc:
        log.warning("Could not store the passphrase in the keyring: %s", exc)
        return False


def forget_passphrase(path: Path) -> None:
    if not keyring_available():
        return
    try:
        import keyring

        keyring.delete_password(SERVICE, _entry(path))
    except Exception as exc:  # includes "no such entry"
        log.info("No remembered passphrase removed: %s", exc)


def _entry(path: Path) -> str:
    return str(Path(path).resolve())
