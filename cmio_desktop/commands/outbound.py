"""``cmio calendar WS OUT.ics`` and ``cmio drafts WS FOLDER``: the plan out to the calendar and
the mail client (nothing is sent)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    calendar = subparsers.add_parser(
        "calendar",
        help="export activities, communication sends and course deadlines as an .ics file",
        description="Write the initiative's dated activities, every send of its communications "
        "and its course deadlines as all-day events in an iCalendar file. A later export "
        "updates the same events in the calendar instead of adding them again.",
    )
    calendar.add_argument("workspace", help="the .cmio workspace")
    calendar.add_argument("output", help="the .ics file to write")
    _initiative_option(calendar)
    calendar.set_defaults(run=run_calendar)
    drafts = subparsers.add_parser(
        "drafts",
        help="draft each communication as an .eml file addressed to its audience",
        description="Write one .eml draft per communication, addressed to the people its "
        "audience names, for your mail client to send. People without an email address and "
        "audience words that name nobody are listed.",
    )
    drafts.add_argument("workspace", help="the .cmio workspace")
    drafts.add_argument("folder", help="an existing folder for the .eml files")
    _initiative_option(drafts)
    drafts.set_defaults(run=run_drafts)


def _initiative_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--initiative", type=int, metavar="ID", help="default: the first")
    parser.add_argument("--json", action="store_true", help="machine-readable output")


def run_calendar(args: argparse.Namespace) -> int:
    from cmio_desktop.io.calendar_file import write_calendar
    from cmio_desktop.io.export_target import ExportError, refuse_workspace
    from cmio_desktop.services.errors import ServiceError
    from cmio_desktop.services.plan.outbound import calendar_events
    from cmio_desktop.store.locations import open_location

    target = Path(args.output)
    ws = open_location(args.workspace)
    try:
        export = calendar_events(ws, args.initiative)
    finally:
        ws.close()
    try:
        refuse_workspace(target, Path(args.workspace))
        count = write_calendar(export, target)
    except ExportError as error:
        raise ServiceError(str(error)) from None
    if args.json:
        print(json.dumps({"file": str(target), "events": count, "skipped": export.skipped}))
        return 0
    print(f"Wrote {count:,} events of {export.name} to {target}.")
    if export.skipped:
        print(f"  not in the calendar: {', '.join(export.skipped)}")
    return 0


def run_drafts(args: argparse.Namespace) -> int:
    from cmio_desktop.io.export_target import ExportError
    from cmio_desktop.io.mail_drafts import write_drafts
    from cmio_desktop.services.errors import ServiceError
    from cmio_desktop.services.plan.outbound import mail_drafts
    from cmio_desktop.store.locations import open_location

    ws = open_location(args.workspace)
    try:
        found = mail_drafts(ws, args.initiative)
    finally:
        ws.close()
    try:
        written = write_drafts(found.drafts, Path(args.folder))
    except ExportError as error:
        raise ServiceError(str(error)) from None
    if args.json:
        report = {
            "files": [str(p) for p in written],
            "drafts": [
                {"audience": d.audience, "recipients": len(d.recipients),
                 "without_email": d.without_email, "unmatched": list(d.unmatched),
                 "read_as": list(d.read_as)}
                for d in found.drafts
            ],
            "problems": found.problems,
        }  # fmt: skip
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(f"Wrote {len(written):,} drafts to {args.folder} (nothing was sent).")
    for d in found.drafts:
        print(f"  {d.audience}: {len(d.recipients):,} recipients ({'; '.join(d.read_as) or '—'})")
    for problem in found.problems:
        print(f"  ! {problem}")
    return 0
