"""``cmio plan WS [--generate [--dry-run]] [--blackout PERIODS] [--json] [--initiative ID]
[--today DATE]``

Without ``--generate``: the engagement plan (activities with status, due date and an overdue
flag). With ``--generate``: the plan generator's proposals with their reasons, audiences and
leaders, written to the workspace as planned activities in one transaction — unless
``--dry-run`` is given; ``created_ids`` lists what was written (none on a second run over an
unchanged workspace). ``--blackout`` first stores the yearly blackout periods with the
workspace (e.g. ``"12-24..01-01"`` or ``"24 Dec – 1 Jan"``; ``""`` for none).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from cmio_desktop.commands.golive import iso_date
from cmio_desktop.services.errors import ServiceError


def register(sub: Any) -> None:
    parser = sub.add_parser("plan", help="the engagement plan; --generate proposes activities")
    parser.add_argument("workspace")
    parser.add_argument(
        "--generate",
        action="store_true",
        help="propose activities from barriers, quadrants and training gaps",
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="with --generate: show the proposals without writing them",
    )
    parser.add_argument(
        "--blackout",
        default=None,
        metavar="PERIODS",
        help='store the yearly blackout periods first, e.g. "12-24..01-01" ("" for none)',
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--initiative",
        type=int,
        default=None,
        metavar="ID",
        help="initiative id (default: the first)",
    )
    parser.add_argument(
        "--today",
        type=iso_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="plan as of this date (default: today)",
    )
    parser.set_defaults(run=run)  # fmt: skip


def run(args: argparse.Namespace) -> int:
    from cmio_desktop.store.locations import open_location

    if args.dry_run and not args.generate:
        raise ServiceError("--dry-run only makes sense with --generate.")
    ws = open_location(args.workspace)
    try:
        if args.blackout is not None:
            from cmio_desktop.services.plan.settings import save_blackout

            save_blackout(ws, args.blackout)
        return _generate(ws, args) if args.generate else _list(ws, args)
    finally:
        ws.close()


def _generate(ws: Any, args: argparse.Namespace) -> int:
    from cmio_desktop.analysis.plan_calendar import blackout_text
    from cmio_desktop.commands.backup_first import backup_before_write
    from cmio_desktop.services.plan import generation as plan_generation

    result = plan_generation.generate(ws, args.initiative, args.today)
    proposals = result.plan.proposals
    created: list[int] = []
    if not args.dry_run and proposals:
        backup_before_write(ws)
        created = plan_generation.accept(ws, result.initiative_id, proposals).value
    if args.json:
        out = {
            "initiative_id": result.initiative_id,
            "today": result.today.isoformat(),
            "go_live": result.go_live.isoformat(),
            "dry_run": bool(args.dry_run),
            "blackout": blackout_text(result.settings.blackout),
            "created_ids": created,
            "notes": list(result.plan.notes),
            "proposals": [plan_generation.proposal_json(p, result.names) for p in proposals],
        }
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    verb = "Would create" if args.dry_run else "Created"
    print(f"{verb} {len(proposals)} activities (go-live {result.go_live:%d %b %Y}):")
    for p in proposals:
        size = "1 person" if len(p.people) == 1 else f"{len(p.people)} people"
        print(f"  {p.start:%d %b}–{p.due:%d %b}  {p.title} [{size}, {p.owner}]")
        print(f"      why: {p.reason}")
    for note in result.plan.notes:
        print(f"Note: {note}")
    return 0


def _list(ws: Any, args: argparse.Namespace) -> int:
    from datetime import date

    from cmio_desktop.services.plan import activities as plan
    from cmio_desktop.services.plan.facts import initiative_in

    with ws.read_session() as session:
        initiative = initiative_in(session, args.initiative)
    if initiative is None:
        raise ServiceError("The workspace has no initiative.")
    rows = plan.list_activities(ws, initiative.id, args.today or date.today())
    if args.json:
        out = [
            {
                "id": r.id, "title": r.title, "type": r.type, "element": r.element,
                "owner": r.owner, "start": r.start.isoformat() if r.start else None,
                "due": r.due.isoformat() if r.due else None, "status": r.status,
                "audience": r.audience_text, "audience_size": r.audience_size,
                "overdue": r.overdue,
            }
            for r in rows
        ]  # fmt: skip
        print(json.dumps({"initiative_id": initiative.id, "activities": out}, indent=2))
        return 0
    print(f"{initiative.name}: {len(rows)} activities, {sum(r.overdue for r in rows)} overdue")
    for r in rows:
        flag = "OVERDUE " if r.overdue else ""
        due = f"{r.due:%d %b %Y}" if r.due else "no date"
        print(f"  {flag}{due}  {r.title} — {r.status_label} ({r.audience_text})")
    return 0
