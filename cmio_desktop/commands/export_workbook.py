"""``cmio export WS.cmio OUT.xlsx [--initiative ID] [--anonymise] [--sheets KEYS] [--history]``:
the executive workbook. Also registers ``cmio briefing`` (see :mod:`.briefing`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cmio_desktop.commands import briefing
from cmio_desktop.commands.golive import iso_date
from cmio_desktop.services.errors import ServiceError

SHEET_KEYS = (
    "summary",
    "heatmap",
    "red_zone",
    "influence",
    "plan",
    "saturation",
    "go_no_go",
    "risks",
    "grid",
    "communications",
    "training",
    "register",
    "history",
)  # fmt: skip  (the keys of io.workbook.writer.SHEETS, kept here so --help costs no openpyxl)
APPENDICES = ("register", "history")  # left out of the board pack unless asked for
HISTORY_WITH_ANONYMISE = (
    "The History sheet cannot go into an anonymised workbook: it names who changed what, with "
    "old and new values as typed. Leave out --history (or 'history' in --sheets), or "
    "--anonymise."
)


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "export",
        help="export the executive workbook (.xlsx) with charts, heat map and go/no-go",
        description="Write the executive workbook: Summary with native charts, stakeholder "
        "register, power/interest grid, influence, ADKAR heat map, red zone, engagement plan, "
        "saturation across initiatives, communications, training, risks, go/no-go, the "
        "optional history and Notes. Text cells are never formulas; an existing file is "
        "replaced only once the new one is complete.",
    )
    parser.add_argument("workspace", help="the .cmio workspace")
    parser.add_argument("output", help="the .xlsx file to write")
    add_initiative_options(parser)
    parser.add_argument(
        "--anonymise",
        "--anonymize",
        action="store_true",
        help='name people by role and number ("Physician 12"), the same on every sheet; '
        "numbers are random per export, breakdowns of fewer than 5 people show <5",
    )
    parser.add_argument(
        "--pseudonym-key",
        metavar="KEY",
        default=None,
        help="with --anonymise: a secret you keep, for pseudonyms that stay the same in every "
        "export made with it (without it, two exports cannot be linked)",
    )
    parser.add_argument(
        "--sheets",
        type=_sheet_list,
        default=None,
        metavar="KEYS",
        help="comma-separated sheets to include (default: all but the register and the "
        "history): " + ", ".join(SHEET_KEYS),
    )
    parser.add_argument(
        "--appendix-register",
        action="store_true",
        help="add the full stakeholder register as an appendix (left out of the board pack "
        "by default)",
    )
    parser.add_argument(
        "--history",
        action="store_true",
        help="add the History sheet: the audit trail, who changed what and when, newest first "
        "(off by default; never with --anonymise)",
    )
    parser.set_defaults(run=run)
    briefing.register(sub)


def add_initiative_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--initiative", type=int, default=None, metavar="ID",
        help="initiative id (default: the first)",
    )  # fmt: skip
    parser.add_argument(
        "--today", type=iso_date, default=None, metavar="YYYY-MM-DD",
        help="prepare as of this date (default: today)",
    )  # fmt: skip


def _sheet_list(text: str) -> list[str]:
    keys = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in keys if k not in SHEET_KEYS]
    if unknown or not keys:
        raise argparse.ArgumentTypeError(
            f"unknown sheet {', '.join(unknown) or '(none)'}; choose from {', '.join(SHEET_KEYS)}"
        )
    return keys


def chosen_sheets(
    sheets: list[str] | None, appendix_register: bool, history: bool = False
) -> list[str]:
    """The board pack (every sheet but the register and the history) unless ``--sheets`` says
    otherwise; the register and the history appendices are added on request."""
    chosen = list(sheets) if sheets is not None else [k for k in SHEET_KEYS if k not in APPENDICES]
    for wanted, key in ((appendix_register, "register"), (history, "history")):
        if wanted and key not in chosen:
            chosen.append(key)
    return chosen


def run(args: argparse.Namespace) -> int:
    from cmio_desktop.io.export_target import ExportError
    from cmio_desktop.services.workbook.data import export_workbook
    from cmio_desktop.store.locations import open_location

    if args.pseudonym_key is not None and not args.anonymise:
        raise ServiceError("--pseudonym-key goes with --anonymise.")
    if args.pseudonym_key is not None and not args.pseudonym_key.strip():
        raise ServiceError("--pseudonym-key needs a key (any secret text you keep).")
    sheets = chosen_sheets(args.sheets, args.appendix_register, args.history)
    if args.anonymise and "history" in sheets:
        raise ServiceError(HISTORY_WITH_ANONYMISE)
    ws = open_location(args.workspace)
    try:
        result = export_workbook(
            ws,
            Path(args.output),
            args.initiative,
            sheets=sheets,
            anonymised=args.anonymise,
            pseudonym_key=args.pseudonym_key,
            today=args.today,
        )
    except ExportError as error:
        raise ServiceError(str(error)) from None
    finally:
        ws.close()
    extras = []
    if result.anonymised:
        extras.append("anonymised")
    if result.adjusted_cells:
        extras.append(f"{result.adjusted_cells:,} cells adjusted to fit (see Notes)")
    tail = f" ({'; '.join(extras)})" if extras else ""
    print(
        f"Exported {len(result.sheets)} sheets, {result.people:,} people, to {args.output}{tail}."
    )
    return 0
