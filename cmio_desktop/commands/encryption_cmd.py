"""Encrypted workspaces on the command line: where passphrases come from, and
``cmio encrypt`` / ``cmio decrypt`` (a converted copy; the original is left as it was).

A passphrase comes from the environment variable ``CMIO_PASSPHRASE`` (scripts), else the OS
keyring if the app remembered it, else a prompt when run in a terminal.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

PASSPHRASE_ENV = "CMIO_PASSPHRASE"


class PassphraseUnavailable(Exception):
    """No passphrase could be had (no variable, no keyring entry, no terminal to ask in)."""


def existing_passphrase(path: Path) -> str | None:
    """The passphrase of the encrypted ``path``: registered as the store's passphrase source."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    from cmio_desktop.store.keyring_memory import remembered_passphrase

    remembered = remembered_passphrase(path)
    if remembered:
        return remembered
    if not _interactive():
        return None  # the store then says the file is encrypted; main() adds how to help it
    return getpass.getpass(f"Passphrase for {path.name}: ") or None


def new_passphrase(path: Path) -> str:
    """A passphrase for a new encrypted file: the variable, or asked twice in a terminal."""
    from_env = os.environ.get(PASSPHRASE_ENV)
    if from_env:
        return from_env
    if not _interactive():
        raise PassphraseUnavailable(
            f"{path.name} needs a passphrase: set {PASSPHRASE_ENV} or run the command in a "
            "terminal to type one."
        )
    first = getpass.getpass(f"New passphrase for {path.name}: ")
    if not first:
        raise PassphraseUnavailable("The passphrase cannot be empty; nothing was written.")
    if getpass.getpass("Type it again: ") != first:
        raise PassphraseUnavailable("The two passphrases differ; nothing was written.")
    return first


def how_to_give_passphrase() -> str:
    return f"Set {PASSPHRASE_ENV}, or run the command in a terminal to type it."


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def _cmd_encrypt(args: argparse.Namespace) -> int:
    from cmio_desktop.store.encryption import convert, is_encrypted

    source, target = Path(args.workspace), Path(args.output)
    if is_encrypted(source):
        raise PassphraseUnavailable(f"{source.name} is already encrypted; nothing was written.")
    _workspace_identity(source, None)  # a missing or foreign file says so
    convert(source, target, None, new_passphrase(target))
    print(f"Encrypted copy written to {target}; {source.name} was left as it was.")
    return 0


def _cmd_decrypt(args: argparse.Namespace) -> int:
    from cmio_desktop.store.encryption import convert, is_encrypted

    source, target = Path(args.workspace), Path(args.output)
    if not is_encrypted(source):
        _workspace_identity(source, None)  # a missing or foreign file says so
        raise PassphraseUnavailable(f"{source.name} is not encrypted; nothing was written.")
    passphrase = existing_passphrase(source)
    if passphrase is None:
        raise PassphraseUnavailable(
            f"{source.name} is encrypted and no passphrase was given. {how_to_give_passphrase()}"
        )
    _workspace_identity(source, passphrase)  # a wrong passphrase or a foreign file: a sentence
    convert(source, target, passphrase, None)
    print(f"Decrypted copy written to {target}; {source.name} was left as it was.")
    return 0


def _workspace_identity(path: Path, passphrase: str | None) -> Any:
    from cmio_desktop.store.errors import NotAWorkspaceError
    from cmio_desktop.store.workspace import APPLICATION_ID, read_identity

    identity = read_identity(path, passphrase)
    if identity.application_id != APPLICATION_ID:
        raise NotAWorkspaceError(f"{path.name} is not a CMIO workspace; nothing was written.")
    return identity


def register(sub: Any) -> None:
    encrypt = sub.add_parser(
        "encrypt",
        help="write an encrypted copy of a workspace",
        description=f"Write an encrypted copy of WORKSPACE to OUTPUT. The passphrase comes from "
        f"{PASSPHRASE_ENV}, or is asked twice in a terminal.",
    )
    encrypt.add_argument("workspace")
    encrypt.add_argument("output", help="the new encrypted .cmio file (must not exist)")
    encrypt.set_defaults(run=_cmd_encrypt)
    decrypt = sub.add_parser(
        "decrypt",
        help="write a plain (unencrypted) copy of an encrypted workspace",
        description=f"Write a plain copy of the encrypted WORKSPACE to OUTPUT. The passphrase "
        f"comes from {PASSPHRASE_ENV}, the keyring, or is asked in a terminal.",
    )
    decrypt.add_argument("workspace")
    decrypt.add_argument("output", help="the new plain .cmio file (must not exist)")
    decrypt.set_defaults(run=_cmd_decrypt)
