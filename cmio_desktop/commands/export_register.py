"""``cmio export-register WS.cmio OUT.xlsx``: the register as a workbook that imports back."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cmio_desktop.services.errors import ServiceError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "export-register",
        help="export the stakeholder register to .xlsx (edit it and import it back)",
        description="Write every stakeholder to an .xlsx workbook whose columns `cmio import "
        "--kind stakeholders` maps back automatically: every stored field, each custom field "
        "as a “Custom: NAME” column, and the network influence (marked read-only, ignored on "
        "import). Text cells are protected against formula injection; an existing file is "
        "replaced only once the new one is complete.",
    )
    parser.add_argument("workspace", help="the .cmio workspace")
    parser.add_argument("output", help="the .xlsx file to write")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmio_desktop.io.export_target import ExportError
    from cmio_desktop.services.stakeholders.register_export import export_register
    from cmio_desktop.store.locations import open_location

    ws = open_location(args.workspace)
    try:
        count = export_register(ws, Path(args.output))
    except ExportError as error:
        raise ServiceError(str(error)) from None
    finally:
        ws.close()
    print(f"Exported {count:,} {'person' if count == 1 else 'people'} to {args.output}.")
    return 0
