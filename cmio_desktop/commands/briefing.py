"""``cmio briefing WS.cmio OUT.pdf [--initiative ID]``: the main charts as a PDF briefing pack."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cmio_desktop.services.errors import ServiceError


def register(sub: Any) -> None:
    from cmio_desktop.commands.export_workbook import add_initiative_options

    parser = sub.add_parser(
        "briefing",
        help="export the briefing pack: the main charts as a landscape PDF",
        description="Write a PDF of the main charts (status and key figures, readiness by "
        "department, ADKAR heat map, trend by round, attitude mix and power/interest grid, "
        "go/no-go, training). The charts show groups, never names.",
    )
    parser.add_argument("workspace", help="the .cmio workspace")
    parser.add_argument("output", help="the .pdf file to write")
    add_initiative_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmio_desktop.io.export_target import ExportError
    from cmio_desktop.services.workbook.data import export_briefing_pack
    from cmio_desktop.store.locations import open_location

    ws = open_location(args.workspace)
    try:
        pages = export_briefing_pack(ws, Path(args.output), args.initiative, today=args.today)
    except ExportError as error:
        raise ServiceError(str(error)) from None
    finally:
        ws.close()
    print(f"Wrote the briefing pack ({pages} pages) to {args.output}.")
    return 0
