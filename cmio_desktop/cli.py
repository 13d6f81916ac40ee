"""The ``cmio`` command: headless use of the same services as the app.

Exit codes: 0 success, 1 a user error (one clear line on stderr), 2 usage, 130 interrupted
(Ctrl+C). Every exit path closes the workspaces the command opened, so no ``-wal``/``-shm``
side files are left beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from cmio_desktop.commands import (
    analyze,
    encryption_cmd,
    export_register,
    export_workbook,
    forecast,
    import_cmd,
)
from cmio_desktop.commands import check as check_cmd
from cmio_desktop.commands import copies as copies_cmd
from cmio_desktop.commands import golive as golive_cmd
from cmio_desktop.commands import history as history_cmd
from cmio_desktop.commands import initiative as initiative_cmd
from cmio_desktop.commands import outbound as outbound_cmd
from cmio_desktop.commands import plan as plan_cmd
from cmio_desktop.commands import server as server_cmd
from cmio_desktop.commands import team as team_cmd
from cmio_desktop.commands.backup_first import backup_before_write
from cmio_desktop.sample import DEFAULT_PEOPLE, DEFAULT_SEED, generate_sample
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.workspace_info import workspace_info
from cmio_desktop.store import WorkspaceError, create_workspace, open_workspace
from cmio_desktop.store.creation import is_unfinished_workspace
from cmio_desktop.store.errors import is_storage_failure, storage_sentence
from cmio_desktop.store.locations import (
    create_location,
    is_team_location,
    open_location,
    shown_location,
)

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
# Commands about the workspace *file* (its copies, backups, check, encryption); a team
# workspace's equivalents are the server's (pg_dump, TLS, roles).
FILE_ONLY_COMMANDS = frozenset({"check", "copy", "backups", "encrypt", "decrypt"})


class UserError(Exception):
    """Reported as one line on stderr with exit code 1."""


def _cmd_new(args: argparse.Namespace) -> int:
    if args.go_live is not None and not args.initiative:
        raise UserError("--go-live needs --initiative NAME (the initiative going live).")
    if args.initiative is not None and not args.initiative.strip():
        raise UserError("--initiative needs a name.")
    if args.encrypt and is_team_location(args.workspace):
        raise UserError("--encrypt is for workspace files; a team server protects its data itself.")
    passphrase = encryption_cmd.new_passphrase(Path(args.workspace)) if args.encrypt else None
    ws = create_location(args.workspace, organisation=args.org, passphrase=passphrase)
    try:
        if args.initiative:
            initiative_cmd.add_initiative(ws, args.initiative, args.go_live)
    finally:
        ws.close()
    extra = f" with the initiative “{args.initiative.strip()}”" if args.initiative else ""
    extra += ", encrypted" if args.encrypt else ""
    print(f"Created {shown_location(args.workspace)} for {args.org}{extra}.")
    return EXIT_OK


def _cmd_sample(args: argparse.Namespace) -> int:
    summaries: list[Any] = []
    if is_team_location(args.workspace):
        return _sample_on_server(args, summaries)
    path = Path(args.workspace)

    def fill(ws: Any) -> None:
        summaries.append(
            generate_sample(
                ws, people=args.people, seed=args.seed, ties_per_person=args.ties_per_person
            )
        )

    try:
        if os.path.lexists(path) and not is_unfinished_workspace(path):
            ws = open_workspace(path)  # fill an existing empty workspace, backed up first
            try:
                backup_before_write(ws)
                fill(ws)
            finally:
                ws.close()
        else:  # built under a temporary name: a kill never leaves a half-made file
            create_workspace(path, fill=fill).close()
    except ValueError as exc:
        raise UserError(f"{path.name}: {exc}") from None
    summary = summaries[0]
    print(
        f"Sample written to {path}: {summary.people:,} people, {summary.ties:,} ties, "
        f"{summary.assessments:,} assessments."
    )
    return EXIT_OK


def _sample_on_server(args: argparse.Namespace, summaries: list[Any]) -> int:
    """The sample into a team workspace: a new one in an empty database, or an empty one."""
    from cmio_desktop.store.postgres import team_workspace_exists

    def fill(ws: Any) -> None:
        summaries.append(
            generate_sample(
                ws, people=args.people, seed=args.seed, ties_per_person=args.ties_per_person
            )
        )

    shown = shown_location(args.workspace)
    try:
        if team_workspace_exists(args.workspace):
            ws = open_location(args.workspace)
            try:
                fill(ws)
            finally:
                ws.close()
        else:
            create_location(args.workspace, fill=fill).close()
    except ValueError as exc:
        raise UserError(f"{shown}: {exc}") from None
    summary = summaries[0]
    print(
        f"Sample written to {shown}: {summary.people:,} people, {summary.ties:,} ties, "
        f"{summary.assessments:,} assessments."
    )
    return EXIT_OK


def _cmd_info(args: argparse.Namespace) -> int:
    ws = open_location(args.workspace)
    try:
        info = workspace_info(ws)
    finally:
        ws.close()
    if args.json:
        print(json.dumps(asdict(info), default=str, indent=2))
        return EXIT_OK
    print(f"{info.organisation} — {info.path} (schema {info.schema_version})")
    for initiative in info.initiatives:
        print(f"  initiative {initiative.id}: {initiative.name}, go-live {initiative.go_live}")
    for name, count in info.counts.items():
        print(f"  {name.replace('_', ' '):<22}{count:>10,}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cmio", description="CMIO Desktop from the command line.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    new = sub.add_parser("new", help="create an empty workspace")
    new.add_argument("workspace", help="path of the new .cmio file")
    new.add_argument("--org", required=True, help="organisation name")
    new.add_argument("--initiative", metavar="NAME", help="also add this initiative")
    new.add_argument(
        "--go-live", type=initiative_cmd.iso_date, metavar="YYYY-MM-DD", help="its go-live date"
    )
    new.add_argument(
        "--encrypt",
        action="store_true",
        help=f"encrypt the file (passphrase from {encryption_cmd.PASSPHRASE_ENV} or asked twice)",
    )
    new.set_defaults(run=_cmd_new)

    sample = sub.add_parser("sample", help="create (or fill an empty) workspace with the sample")
    sample.add_argument("workspace")
    sample.add_argument("--people", type=_positive_int, default=DEFAULT_PEOPLE)
    sample.add_argument("--seed", type=int, default=DEFAULT_SEED)
    sample.add_argument("--ties-per-person", type=float, default=6.0)
    sample.set_defaults(run=_cmd_sample)

    info = sub.add_parser("info", help="schema version, organisation, initiatives and counts")
    info.add_argument("workspace")
    info.add_argument("--json", action="store_true", help="machine-readable output")
    info.set_defaults(run=_cmd_info)
    for register in _EXTENSIONS:
        register(sub)
    return parser


# Later features add their subcommands here: callables taking the subparsers object.
_EXTENSIONS: list[Callable[[Any], None]] = [
    import_cmd.register,
    export_register.register,
    analyze.register,
    forecast.register,
    plan_cmd.register,
    golive_cmd.register,
    export_workbook.register,  # `export` (workbook) and `briefing` (PDF)
    check_cmd.register,
    initiative_cmd.register,
    history_cmd.register,
    outbound_cmd.register,  # `calendar` and `drafts`
    copies_cmd.register,  # `copy`, `backups`, `restore`
    server_cmd.register,  # `server init`: a team workspace's schema and roles
    encryption_cmd.register,  # `encrypt` and `decrypt`
    team_cmd.register,  # `publish`, `checkout` and `sync`
]


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be a positive whole number")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # exits with 2 on usage errors
    from cmio_desktop.store.encryption import set_passphrase_source
    from cmio_desktop.store.workspace import close_open_workspaces, open_workspaces

    # An encrypted file opened without a passphrase: CMIO_PASSPHRASE, the keyring, or a prompt.
    set_passphrase_source(encryption_cmd.existing_passphrase)
    already_open = open_workspaces()  # a caller's own (tests call main() in-process)
    try:
        return _run(args)
    finally:  # whatever path got here: what the command opened is closed, no side files left
        close_open_workspaces(keep=already_open)
        set_passphrase_source(None)


def _run(args: argparse.Namespace) -> int:
    from cmio_desktop.store.errors import EncryptedWorkspaceError

    try:
        if args.command in FILE_ONLY_COMMANDS and is_team_location(getattr(args, "workspace", "")):
            raise UserError(
                f"`cmio {args.command}` works on workspace files; on a team workspace the "
                "server's own tools do this (pg_dump for backups, see the README)."
            )
        return int(args.run(args))
    except KeyboardInterrupt:  # the open transaction was rolled back on the way out
        print("cmio: interrupted; the workspace holds every change saved before.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except EncryptedWorkspaceError as exc:
        print(f"cmio: {exc} {encryption_cmd.how_to_give_passphrase()}", file=sys.stderr)
        return EXIT_USER_ERROR
    except (UserError, WorkspaceError, ServiceError, encryption_cmd.PassphraseUnavailable) as exc:
        print(f"cmio: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except OSError as exc:
        if is_storage_failure(exc):
            print(f"cmio: {_not_saved(exc, args)}", file=sys.stderr)
            return EXIT_USER_ERROR
        print(f"cmio: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
        return EXIT_USER_ERROR
    except Exception as exc:  # a full or read-only disk reported by SQLite: a sentence
        if not is_storage_failure(exc):
            raise
        print(f"cmio: {_not_saved(exc, args)}", file=sys.stderr)
        return EXIT_USER_ERROR


def _not_saved(exc: BaseException, args: argparse.Namespace) -> str:
    workspace = getattr(args, "workspace", None)
    team = workspace and is_team_location(workspace)
    folder = Path(workspace).resolve().parent if workspace and not team else None
    return storage_sentence(exc, folder) or str(exc)


if __name__ == "__main__":
    sys.exit(main())
