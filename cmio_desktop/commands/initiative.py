"""``cmio initiative add|list WS …``: the initiatives a workspace plans for, headless.

A new workspace has none; assessments and training are filed under an initiative, so a
workspace set up from the command line needs ``cmio initiative add`` (or ``cmio new
--initiative``) before a survey can be imported.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "initiative",
        help="add or list the initiatives (go-lives) of a workspace",
        description="Add an initiative (a go-live being planned for) to a workspace, or list "
        "them. Assessments and training are filed under an initiative.",
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = sub.add_parser("add", help="add an initiative")
    add.add_argument("workspace", help="the .cmio workspace")
    add.add_argument("name", help="the initiative's name, e.g. “Ambulatory EHR go-live”")
    add.add_argument("--go-live", type=iso_date, metavar="YYYY-MM-DD", help="go-live date")
    add.add_argument("--description", default="", help="a line about the initiative")
    add.set_defaults(run=run_add)
    listing = sub.add_parser("list", help="list the initiatives")
    listing.add_argument("workspace", help="the .cmio workspace")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(run=run_list)


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date like 2025-03-31") from None


def run_add(args: argparse.Namespace) -> int:
    from cmio_desktop.store.locations import open_location

    ws = open_location(args.workspace)
    try:
        ident = add_initiative(ws, args.name, args.go_live, args.description)
    finally:
        ws.close()
    when = f", go-live {args.go_live.isoformat()}" if args.go_live else ""
    print(f"Added initiative {ident}: {args.name.strip()}{when}.")
    return 0


def add_initiative(ws: Any, name: str, go_live: date | None, description: str = "") -> int:
    """Create the initiative; a second one with the same name (any case) is refused."""
    from cmio_desktop.services.errors import ServiceError
    from cmio_desktop.services.initiatives import create_initiative, list_initiatives

    name = name.strip()
    if any(i.name.strip().casefold() == name.casefold() for i in list_initiatives(ws)):
        raise ServiceError(f"{ws.path.name} already has an initiative named “{name}”.")
    return create_initiative(ws, name, go_live, description).value


def run_list(args: argparse.Namespace) -> int:
    from cmio_desktop.services.initiatives import list_initiatives
    from cmio_desktop.store.locations import open_location, shown_location

    ws = open_location(args.workspace)
    try:
        rows = list_initiatives(ws)
    finally:
        ws.close()
    if args.json:
        data = [
            {
                "id": r.id,
                "name": r.name,
                "go_live": r.go_live.isoformat() if r.go_live else None,
                "description": r.description,
            }
            for r in rows
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        name = shown_location(args.workspace)
        print(f"{name} has no initiative yet (add one with `cmio initiative add`).")
    for r in rows:
        when = r.go_live.isoformat() if r.go_live else "no go-live date"
        print(f"{r.id:>4}  {r.name} — {when}")
    return 0
