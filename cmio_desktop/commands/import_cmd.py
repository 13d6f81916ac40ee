"""``cmio import WS.cmio FILE --kind …``: the import wizard's steps, headless."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from ..io.mapping import KINDS
from ..models.enums import Role, StakeholderGroup
from ..services.errors import ServiceError

EXIT_OK, EXIT_REJECTED = 0, 1
ATTEMPTS = 5  # plan-and-commit tries while other programs write to the same workspace
SHOWN_PROBLEMS = 20

DESCRIPTION = """\
Import stakeholders, relationships (influence ties), assessments (ADKAR rounds) or training
completions from an Excel workbook (.xlsx) or a CSV file. The header row is found and the
columns are matched to fields by their headers, as the import wizard does.

Stakeholders are matched to the register by External ID, else by email; relationships,
assessments and training rows name people by ID, email or exact name, and unknown people are
reported, never created.

All or nothing: if any row is rejected, nothing is written and the exit code is 1 (the report
still lists every problem, by the spreadsheet's own row number). Use --dry-run to see what
would change without writing (exit code 0 even with rejected rows), or --valid-rows-only to
write the good rows and skip the rejected ones. A file that cannot be read gives one line on
stderr and exit code 1."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import people, ties, assessments or training from .xlsx/.csv",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("workspace", help="the .cmio workspace to import into")
    parser.add_argument("file", help="the .xlsx/.xlsm or .csv/.txt/.tsv file")
    parser.add_argument("--kind", required=True, choices=KINDS, help="what the file holds")
    parser.add_argument("--sheet", metavar="NAME", help="worksheet (default: the active one)")
    parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--initiative",
        type=int,
        metavar="ID",
        help="initiative for assessments / training courses (default: the first)",
    )
    parser.add_argument(
        "--date",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="assessment date for rows without one (assessments)",
    )
    parser.add_argument(
        "--valid-rows-only",
        action="store_true",
        help="write the valid rows even if some are rejected",
    )
    parser.add_argument(
        "--blank-keeps",
        action="store_true",
        help="blank cells keep stored values (default: blank clears optional text)",
    )
    parser.add_argument(
        "--default-role",
        type=_enum(Role),
        metavar="ROLE",
        help="role for new people whose Role cell is blank (else they are rejected)",
    )
    parser.add_argument(
        "--default-group",
        type=_enum(StakeholderGroup),
        metavar="GROUP",
        help="group for new people whose Group cell is blank (else they are rejected)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..services.importing import ImportOptions, StalePlanError
    from ..store import WorkspaceBusyError, open_workspace

    options = ImportOptions(
        valid_rows_only=args.valid_rows_only,
        blank_keeps=args.blank_keeps,
        default_role=args.default_role,
        default_group=args.default_group,
        initiative_id=args.initiative,
    )
    ws = open_workspace(Path(args.workspace))
    try:
        # Another program may write between this preview and the commit (the commit then
        # refuses the stale plan) or hold the write lock past the busy timeout: with no one
        # to show the preview to, simply plan again, a few times.
        for attempt in range(1, ATTEMPTS + 1):
            try:
                source, plan, committed = _plan_and_commit(ws, args, options)
                break
            except (StalePlanError, WorkspaceBusyError):
                if attempt == ATTEMPTS:
                    raise
                time.sleep(0.2 * attempt)
    finally:
        ws.close()
    blocked = bool(plan.rejected) and not args.valid_rows_only
    report = _report(source, plan, args.dry_run, committed)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else _text(report))
    if blocked and not args.dry_run:
        rows = len(plan.rejected_rows)
        print(
            f"cmio: {rows:,} row{'s' if rows != 1 else ''} rejected; nothing was imported "
            "(fix the file, or use --valid-rows-only to skip them).",
            file=sys.stderr,
        )
        return EXIT_REJECTED
    return EXIT_OK


def _plan_and_commit(ws: Any, args: argparse.Namespace, options: Any) -> tuple[Any, Any, bool]:
    from ..io.tabular import ImportFileError
    from ..services.import_pipeline import prepare_import
    from ..services.importing import commit_import

    try:
        source, _validation, plan = prepare_import(
            ws, args.file, args.kind, sheet=args.sheet, options=options, default_date=args.date
        )
    except ImportFileError as error:
        raise ServiceError(str(error)) from None
    except ServiceError as error:
        if args.kind == "assessments" and "Date" in str(error) and args.date is None:
            raise ServiceError(f"{error} Give one with --date YYYY-MM-DD.") from None
        raise
    blocked = bool(plan.rejected) and not args.valid_rows_only
    if args.dry_run or blocked or not plan.has_changes:
        return source, plan, False
    commit_import(ws, plan)
    return source, plan, True


def _report(source: Any, plan: Any, dry_run: bool, committed: bool) -> dict[str, Any]:
    from ..services.import_plan import show_value

    return {
        "file": str(source.path),
        "sheet": source.table.sheet,
        "kind": plan.kind,
        "header_row": source.header_row_number,
        "mapping": {f: source.headers[c] for f, c in source.mapping.items()},
        "initiative": plan.initiative_id,
        "dry_run": dry_run,
        "committed": committed,
        "data_rows": plan.data_rows,
        "created": len(plan.new),
        "updated": len(plan.updated),
        "unchanged": len(plan.unchanged),
        "rejected_rows": len(plan.rejected_rows),
        "rejected": [
            {"row": i.row, "column": i.column, "value": i.value, "reason": i.reason}
            for i in plan.rejected
        ],
        "updates": [
            {
                "row": p.row,
                "who": p.label,
                "changes": {
                    c.label: {"old": show_value(c.old), "new": show_value(c.new)} for c in p.changes
                },
            }
            for p in plan.updated
        ],
        "notes": plan.notes,
    }


def _text(report: dict[str, Any]) -> str:
    where = Path(report["file"]).name
    if report["sheet"]:
        where += f", sheet “{report['sheet']}”"
    lines = [
        f"{report['kind'].capitalize()} from {where} (header on row {report['header_row']}): "
        f"{report['created']:,} new, {report['updated']:,} updated, "
        f"{report['unchanged']:,} unchanged, {report['rejected_rows']:,} rejected rows."
    ]
    for update in report["updates"][:SHOWN_PROBLEMS]:
        changes = "; ".join(f"{k}: {v['old']} → {v['new']}" for k, v in update["changes"].items())
        lines.append(f"  row {update['row']}: {update['who']} — {changes}")
    if len(report["updates"]) > SHOWN_PROBLEMS:
        lines.append(f"  … and {len(report['updates']) - SHOWN_PROBLEMS:,} more updates")
    for issue in report["rejected"][:SHOWN_PROBLEMS]:
        value = f" “{issue['value']}”" if issue["value"] else ""
        lines.append(f"  rejected row {issue['row']}, {issue['column']}{value}: {issue['reason']}")
    if len(report["rejected"]) > SHOWN_PROBLEMS:
        lines.append(f"  … and {len(report['rejected']) - SHOWN_PROBLEMS:,} more problems")
    lines.extend(f"  note: {note}" for note in report["notes"])
    if report["dry_run"]:
        lines.append("Dry run: nothing was written.")
    elif report["committed"]:
        lines.append("Imported.")
    elif not report["rejected_rows"]:
        lines.append("Nothing to change.")
    return "\n".join(lines)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date like 2025-03-31") from None


def _enum(enum: Any) -> Any:
    def parse(text: str) -> Any:
        try:
            return enum.from_text(text)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return parse
