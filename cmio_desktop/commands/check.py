"""``cmio check WS [--json]``: check a workspace without changing it.

Integrity, broken references, the schema stamp, orphaned journal files beside it, and its
automatic backups. Exit code 1 when a problem is found (notes, such as "no backup yet", are
not problems).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "check",
        help="check a workspace: integrity, references, schema, stray files, backups",
        description="Check a workspace without changing it: SQLite's integrity check, broken "
        "references, the schema version stamp, orphaned -wal/-shm/-journal files beside it, "
        "and whether its automatic backups exist and can be read. Exits with 1 when a "
        "problem is found.",
    )
    parser.add_argument("workspace", help="the .cmio workspace")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmio_desktop.paths import backups_dir
    from cmio_desktop.store.check import check_workspace

    report = check_workspace(Path(args.workspace), backups_dir())
    if args.json:
        print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
    else:
        print(f"Checking {report.path}")
        width = max(len(f.check) for f in report.findings)
        for finding in report.findings:
            print(f"  {finding.status:<8} {finding.check:<{width}}  {finding.detail}")
        print(report.summary())
    return 0 if report.ok else 1
