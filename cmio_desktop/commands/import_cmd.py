"""``cmio import WS.cmio FILE --kind …``: the import wizard's steps, headless."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from cmio_desktop.enums import Role, StakeholderGroup
from cmio_desktop.io.mapping import KINDS
from cmio_desktop.services.errors import ServiceError
from cmio_desktop.services.importing.plan import missing_label

EXIT_OK, EXIT_REJECTED = 0, 1
ATTEMPTS = 5  # plan-and-commit tries while other programs write to the same workspace
SHOWN_PROBLEMS = 20

DESCRIPTION = """\
Import stakeholders, relationships (influence ties), assessments (ADKAR rounds) or training
completions from an Excel workbook (.xlsx) or a CSV file. The header row is found and the
columns are matched to fields by their headers, as the import wizard does.

Stakeholders are matched to the register by External ID, else by email; relationships,
assessments and training rows name people by ID, email or exact name, and unknown people are
reported, never created. A person's role and group come from the file, else are inferred from
their job title (and department), else are "unclassified" (a new person is never rejected for
it; the report counts them). A new row with no ID or email whose name (and department) matches
someone in the register is a possible duplicate: skipped and listed unless --duplicates create.
Headings are matched to fields automatically (the report says why); --map FIELD=HEADER
overrides one (FIELD= ignores it), e.g. --map email="Work E-mail" --map title=D.
A stakeholder column headed "Custom: NAME" fills the custom field
NAME. The report lists the people in the register the file leaves out (kept, unless
--delete-missing), the columns it did not use, and read-only columns it ignored.

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
        help="initiative for assessments / training courses (default: the first; "
        "`cmio initiative list` shows them)",
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
        help="role for new people with none in the file or inferable (default: unclassified)",
    )
    parser.add_argument(
        "--default-group",
        type=_enum(StakeholderGroup),
        metavar="GROUP",
        help="group for new people with none in the file or inferable (default: unclassified)",
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=HEADER",
        help="use the column headed HEADER (or letter) for FIELD; FIELD= ignores it (repeatable)",
    )
    parser.add_argument(
        "--duplicates",
        choices=("skip", "create"),
        default="skip",
        help="new rows that may be someone already in the register (default: skip, listed)",
    )
    parser.add_argument(
        "--delete-missing",
        action="store_true",
        help="stakeholders: remove the people the file does not list (with their ties and "
        "assessments), in the same transaction; refused while any row is rejected",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmio_desktop.services.importing.run import ImportOptions, StalePlanError
    from cmio_desktop.store import WorkspaceBusyError
    from cmio_desktop.store.locations import open_location

    options = ImportOptions(
        valid_rows_only=args.valid_rows_only,
        blank_keeps=args.blank_keeps,
        default_role=args.default_role,
        default_group=args.default_group,
        initiative_id=args.initiative,
        duplicates=args.duplicates,
        delete_missing=args.delete_missing,
    )
    if args.delete_missing and args.kind != "stakeholders":
        raise ServiceError("--delete-missing applies to --kind stakeholders only.")
    ws = open_location(args.workspace)
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
        first_fix = plan.first_fix()
        message = (
            f"{first_fix} Nothing was imported."
            if first_fix
            else f"{rows:,} row{'s' if rows != 1 else ''} rejected; nothing was imported "
            "(fix the file, or use --valid-rows-only to skip them)."
        )
        print(f"cmio: {message}", file=sys.stderr)
        return EXIT_REJECTED
    return EXIT_OK


def _name_the_initiative(ws: Any, plan: Any) -> None:
    """With several initiatives, say which one the survey was filed under by default."""
    from cmio_desktop.services.initiatives import list_initiatives

    others = [i for i in list_initiatives(ws) if i.id != plan.initiative_id]
    if others:
        choices = ", ".join(f"{i.id} “{i.name}”" for i in others)
        plan.notes.append(
            f"Filed under the first initiative, {plan.initiative_id} “{plan.initiative_name}”; "
            f"choose another with --initiative ID ({choices})."
        )


def _plan_and_commit(ws: Any, args: argparse.Namespace, options: Any) -> tuple[Any, Any, bool]:
    from cmio_desktop.commands.backup_first import backup_before_write
    from cmio_desktop.io.tabular import ImportFileError
    from cmio_desktop.services.importing.pipeline import prepare_import
    from cmio_desktop.services.importing.run import check_deletes, commit_import

    try:
        source, _validation, plan = prepare_import(
            ws,
            args.file,
            args.kind,
            sheet=args.sheet,
            options=options,
            default_date=args.date,
            column_map=args.map,
        )
    except ImportFileError as error:
        raise ServiceError(str(error)) from None
    except ServiceError as error:
        if args.kind == "assessments" and "Date" in str(error) and args.date is None:
            raise ServiceError(f"{error} Give one with --date YYYY-MM-DD.") from None
        raise
    if args.kind == "assessments" and args.initiative is None:
        _name_the_initiative(ws, plan)
    blocked = bool(plan.rejected) and not args.valid_rows_only
    if not args.dry_run and not blocked:
        check_deletes(plan)  # refuses with one line, before anything is written
    if args.dry_run or blocked or not plan.has_changes:
        return source, plan, False
    backup_before_write(ws)
    commit_import(ws, plan)
    return source, plan, True


def _report(source: Any, plan: Any, dry_run: bool, committed: bool) -> dict[str, Any]:
    from cmio_desktop.services.importing.plan import show_value

    LABELS = {"role": "role", "stakeholder_group": "group"}  # noqa: N806
    return {
        "file": str(source.path),
        "sheet": source.table.sheet,
        "kind": plan.kind,
        "header_row": source.header_row_number,
        "mapping": {f: source.headers[c] for f, c in source.mapping.items()},
        "mapping_reasons": {f: source.reasons.get(f, "") for f in source.mapping},
        "initiative": plan.initiative_id,
        "dry_run": dry_run,
        "delete_missing": plan.options.delete_missing,
        "committed": committed,
        "data_rows": plan.data_rows,
        "created": len(plan.new),
        "updated": len(plan.updated),
        "unchanged": len(plan.unchanged),
        "rejected_rows": len(plan.rejected_rows),
        "needs_classification": plan.unclassified_rows,
        "first_fix": plan.first_fix(),
        "rejected": [
            {
                "row": i.row,
                "column": i.column,
                "letter": i.letter,
                "value": i.value,
                "reason": i.reason,
            }
            for i in plan.rejected
        ],
        "inferred": [
            {
                "row": p.row,
                "who": p.label,
                **{
                    LABELS.get(column, column): {
                        "value": show_value((p.values or {}).get(column)),
                        "why": why,
                    }
                    for column, why in p.inferred
                },
            }
            for p in (*plan.new, *plan.updated)
            if p.inferred
        ],
        "possible_duplicates": [
            {
                "row": d.row,
                "who": d.label,
                "matches": d.match_label,
                "match_id": d.match_id,
                "created": d.created,
            }
            for d in plan.duplicates
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
        "missing": {
            "count": len(plan.missing),
            "people": [label for _, label in plan.missing],
            "removed": bool(plan.deletes) and committed,
        },
        "unused_columns": plan.unused_columns,
        "read_only_columns": plan.read_only_columns,
    }


def _text(report: dict[str, Any]) -> str:
    where = Path(report["file"]).name
    if report["sheet"]:
        where += f", sheet “{report['sheet']}”"
    lines = [
        f"{report['kind'].capitalize()} from {where} (header on row {report['header_row']}): "
        f"{report['created']:,} new, {report['updated']:,} updated, "
        f"{report['unchanged']:,} unchanged, {report['rejected_rows']:,} rejected rows"
        + (f", {report['missing']['count']:,} removed." if report["delete_missing"] else ".")
    ]
    for name, heading in report["mapping"].items():
        why = report["mapping_reasons"].get(name)
        lines.append(f"  column “{heading}” → {name}" + (f" ({why})" if why else ""))
    if report["needs_classification"]:
        n = report["needs_classification"]
        lines.append(
            f"  {n:,} new {'person needs' if n == 1 else 'people need'} classification "
            "(role or group unclassified: no value in the file, none inferable from the title)."
        )
    for item in report["inferred"][:SHOWN_PROBLEMS]:
        bits = "; ".join(
            f"{k} {v['value']} ({v['why']})" for k, v in item.items() if k not in ("row", "who")
        )
        lines.append(f"  row {item['row']}: {item['who']} — {bits}")
    if len(report["inferred"]) > SHOWN_PROBLEMS:
        lines.append(f"  … and {len(report['inferred']) - SHOWN_PROBLEMS:,} more inferred rows")
    for dup in report["possible_duplicates"]:
        what = "created anyway" if dup["created"] else "skipped (--duplicates create adds it)"
        lines.append(
            f"  possible duplicate, row {dup['row']}: {dup['who']} may be {dup['matches']}, "
            f"already in the register — {what}"
        )
    for update in report["updates"][:SHOWN_PROBLEMS]:
        changes = "; ".join(f"{k}: {v['old']} → {v['new']}" for k, v in update["changes"].items())
        lines.append(f"  row {update['row']}: {update['who']} — {changes}")
    if len(report["updates"]) > SHOWN_PROBLEMS:
        lines.append(f"  … and {len(report['updates']) - SHOWN_PROBLEMS:,} more updates")
    for issue in report["rejected"][:SHOWN_PROBLEMS]:
        value = f" “{issue['value']}”" if issue["value"] else ""
        column = issue["column"]
        if issue["letter"]:
            column = f"column {issue['letter']} ({column})"
        lines.append(f"  rejected row {issue['row']}, {column}{value}: {issue['reason']}")
    if len(report["rejected"]) > SHOWN_PROBLEMS:
        lines.append(f"  … and {len(report['rejected']) - SHOWN_PROBLEMS:,} more problems")
    lines.extend(f"  note: {note}" for note in report["notes"])
    if report["first_fix"]:
        lines.append(report["first_fix"])
    lines.extend(_round_trip_lines(report))
    if report["dry_run"]:
        lines.append("Dry run: nothing was written.")
    elif report["committed"]:
        lines.append("Imported.")
    elif not report["rejected_rows"]:
        lines.append("Nothing to change.")
    return "\n".join(lines)


def _round_trip_lines(report: dict[str, Any]) -> list[str]:
    lines = []
    missing = report["missing"]
    if missing["count"]:
        noun = "person" if missing["count"] == 1 else "people"
        names = ", ".join(missing["people"][:5]) + (", …" if missing["count"] > 5 else "")
        if missing["removed"]:
            fate = "removed"
        elif report["delete_missing"]:
            fate = "they would be removed (--delete-missing)"
        else:
            fate = "they are kept; use --delete-missing to remove them"
        where = missing_label(report["rejected_rows"])
        lines.append(f"  {where}: {missing['count']:,} {noun} ({names}) — {fate}")
    if report["unused_columns"]:
        lines.append(f"  columns not used: {', '.join(report['unused_columns'])}")
    if report["read_only_columns"]:
        lines.append(f"  read-only columns ignored: {', '.join(report['read_only_columns'])}")
    return lines


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
