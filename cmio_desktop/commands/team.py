"""``cmio publish LOCAL TARGET``, ``cmio checkout TARGET LOCAL`` and ``cmio sync LOCAL``.

A TARGET is a team workspace: a ``postgresql://`` URL (or, standing in for one, a ``.cmio``
path). Exit codes of ``sync``: 0 synced (or nothing to send), 1 refused with a sentence (server
unreachable, not an offline copy, a change the server rejects: nothing was written), 2 usage,
3 conflicts wait for a choice (listed; nothing was written; run again with ``--take``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

EXIT_CONFLICTS = 3


def register(sub: Any) -> None:
    publish = sub.add_parser(
        "publish",
        help="copy a local workspace to an empty team workspace",
        description="Copy every record of a local workspace (its history included) into an "
        "empty team workspace, in one transaction: all of it or nothing. A team workspace "
        "that already holds data is refused.",
    )
    publish.add_argument("workspace", help="the local .cmio workspace")
    publish.add_argument("target", help="the team workspace (postgresql://… or a .cmio path)")
    publish.set_defaults(run=run_publish)

    checkout = sub.add_parser(
        "checkout",
        help="make an offline copy of a team workspace",
        description="Copy a team workspace into a new local .cmio file that remembers where it "
        "came from (never the password), to work on without the server and send back with "
        "`cmio sync`.",
    )
    checkout.add_argument("target", help="the team workspace (postgresql://… or a .cmio path)")
    checkout.add_argument("workspace", help="the new local .cmio file (must not exist)")
    checkout.set_defaults(run=run_checkout)

    sync = sub.add_parser(
        "sync",
        help="send an offline copy's edits back to its team workspace",
        description="Send the edits made in an offline copy to the team workspace it came from, "
        "then refresh the copy from the server. A field changed on both sides is a conflict: "
        "without --take, conflicts are listed with both values and nothing is written. All or "
        "nothing per run; running it again sends nothing twice. Exit codes: 0 synced, "
        "1 refused (a sentence says why; nothing written), 2 usage, 3 conflicts to choose.",
    )
    sync.add_argument("workspace", help="the offline copy (.cmio)")
    sync.add_argument(
        "--take",
        choices=("mine", "theirs"),
        help="settle every conflict with this copy's value (mine) or the server's (theirs)",
    )
    sync.add_argument("--json", action="store_true", help="machine-readable output")
    sync.set_defaults(run=run_sync)


def run_publish(args: argparse.Namespace) -> int:
    from cmio_desktop.services.team import open_publish_target, publish
    from cmio_desktop.services.team.publishing import shown
    from cmio_desktop.store.locations import open_location

    local = open_location(args.workspace)
    target = open_publish_target(args.target, local)
    copied = publish(local, target)
    print(f"Published {args.workspace} to {shown(args.target)} ({copied.rows:,} records).")
    return 0


def run_checkout(args: argparse.Namespace) -> int:
    from cmio_desktop.services.team import checkout
    from cmio_desktop.services.team.publishing import shown
    from cmio_desktop.store.locations import open_location

    server = open_location(args.target)
    copied = checkout(server, Path(args.workspace), origin=args.target)
    print(
        f"Checked out {shown(args.target)} as {args.workspace} ({copied.rows:,} records); "
        f"send your edits back with `cmio sync {args.workspace}`."
    )
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from cmio_desktop.commands.backup_first import backup_before_write
    from cmio_desktop.services.team import sync_with_origin
    from cmio_desktop.store import open_workspace

    local = open_workspace(Path(args.workspace))
    backup_before_write(local)  # the refresh rewrites the copy: yesterday's state is kept
    report = sync_with_origin(local, args.take)
    if args.json:
        out = {
            "applied": report.applied,
            "pending": len(report.pending),
            "ready": report.ready,
            "refreshed": report.refreshed,
            "created": [
                {"table": table, "local_id": local_id, "server_id": server_id}
                for (table, local_id), server_id in report.created.items()
            ],
            "conflicts": [c.as_dict() for c in report.conflicts],
            "skipped": report.skipped,
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
    else:
        for conflict in report.conflicts:
            print(_conflict_line(conflict))
        for sentence in report.skipped:
            print(f"not sent: {sentence}")
        print(report.summary())
    return EXIT_CONFLICTS if report.pending else 0


def _conflict_line(conflict: Any) -> str:
    who = ""
    if conflict.changed_by:
        when = f" on {conflict.changed_at:%Y-%m-%d %H:%M}" if conflict.changed_at else ""
        who = f" (server: {conflict.changed_by}{when})"
    chosen = f" → {conflict.choice}" if conflict.choice else ""
    return (
        f"conflict: {conflict.record} · {conflict.field}: mine {_value(conflict.mine)}, "
        f"theirs {_value(conflict.theirs)}, was {_value(conflict.base)}{who}{chosen}"
    )


def _value(text: str | None) -> str:
    return "(empty)" if text in (None, "") else f"“{text}”"
