"""``cmio history WS [--person ID] [--since DATE] …``: who changed what, when (the audit trail)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cmio_desktop.commands.initiative import iso_date


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "history",
        help="who changed what and when (the audit trail), newest first",
        description="The changes recorded in a workspace, newest first: who, when, which "
        "record, which field, old → new. Changes an undo or a redo made are marked.",
    )
    parser.add_argument("workspace", help="the .cmio workspace")
    parser.add_argument("--person", metavar="ID", help="one person (their ID or external ID)")
    parser.add_argument("--since", type=iso_date, metavar="YYYY-MM-DD", help="from this day")
    parser.add_argument("--until", type=iso_date, metavar="YYYY-MM-DD", help="to this day")
    parser.add_argument("--user", help="changes made by this user only")
    parser.add_argument(
        "--limit", type=int, default=200, help="at most this many changes (default 200)"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmio_desktop.services.errors import ServiceError
    from cmio_desktop.services.history import HistoryFilter, history
    from cmio_desktop.store.locations import open_location

    if args.since and args.until and args.since > args.until:
        raise ServiceError("--since is after --until: no day is in between.")
    if args.limit < 1:
        raise ServiceError("--limit must be 1 or more.")
    ws = open_location(args.workspace)
    try:
        person = _person_id(ws, args.person) if args.person else None
        where = HistoryFilter(person, args.user, args.since, args.until, limit=args.limit)
        rows = history(ws, where)
    finally:
        ws.close()
    if args.json:
        print(json.dumps([r.as_json() for r in rows], indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No changes recorded for that choice.")
    for r in rows:
        print(f"{r.at:%Y-%m-%d %H:%M}  {r.user:<12}  {r.record} — {r.what}")
    return 0


def _person_id(ws: Any, text: str) -> int:
    """The person named by an external ID ("RH100007") or, failing that, an internal id."""
    from sqlalchemy import func, select

    from cmio_desktop import models as m
    from cmio_desktop.services.errors import ServiceError

    wanted = text.strip()
    with ws.read_session() as session:
        found = session.execute(
            select(m.Stakeholder.id).where(
                func.lower(m.Stakeholder.external_id) == wanted.casefold()
            )
        ).scalar()
        if found is None and wanted.isdigit():
            found = session.get(m.Stakeholder, int(wanted)) and int(wanted)
        if found is None:
            # A deleted person keeps their history: an id the audit trail knows is fine.
            known = (
                wanted.isdigit()
                and session.execute(
                    select(m.AuditEvent.id).where(
                        m.AuditEvent.entity == "stakeholder", m.AuditEvent.entity_id == int(wanted)
                    )
                ).first()
            )
            if not known:
                raise ServiceError(f"{ws.path.name} has no person with the ID “{wanted}”.")
            found = int(wanted)
    return int(found)
