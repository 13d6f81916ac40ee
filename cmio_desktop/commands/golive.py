"""``cmio golive WS [--json] [--initiative ID] [--today DATE]``

Prints the go/no-go scorecard: each criterion's status (red/amber/green, or not assessed when
there is no data), value, threshold, evidence and the planned activities that address it (or
"no action planned"), the overall recommendation (go / conditional / no-go / not assessed) and
the days to go-live.
Exits 0 whatever the status (the scorecard is information, not a failure); 1 for a user error.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

MARK = {"green": "GREEN", "amber": "AMBER", "red": "RED  ", "not_assessed": "NOT ASSESSED"}


def register(sub: Any) -> None:
    parser = sub.add_parser("golive", help="the go/no-go scorecard, evaluated from live data")
    parser.add_argument("workspace")
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
        help="evaluate as of this date (default: today)",
    )
    parser.set_defaults(run=run)  # fmt: skip


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def run(args: argparse.Namespace) -> int:
    from cmio_desktop.services.governance import golive
    from cmio_desktop.store.locations import open_location

    ws = open_location(args.workspace)
    try:
        card = golive.evaluate(ws, args.initiative, args.today)
    finally:
        ws.close()
    data = golive.scorecard_json(card)
    if args.json:
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    days = data["days_to_go_live"]
    when = "no go-live date" if days is None else f"{days} days to go-live"
    print(f"Recommendation: {card.overall.label.upper()} ({when})")
    for reason in data["reasons"]:
        print(f"  {reason}")
    for criterion, result in zip(data["criteria"], card.results, strict=True):
        print(
            f"{MARK[criterion['status']]} {criterion['name']}: {result.value_text} "
            f"(needs {result.threshold_text}; {criterion['criticality']})"
        )
        for line in criterion["evidence"]:
            print(f"        {line}")
        if criterion["no_action_planned"]:
            print("        No action planned.")
        elif criterion["addressed_by"]:
            titles = "; ".join(result.addressed_titles[:5])
            more = len(result.addressed_titles) - 5
            print(f"        Addressed by: {titles}" + (f" and {more} more" if more > 0 else ""))
    if not card.results:
        print("No go-live criteria yet: add criteria (templates in the app's Go-live page).")
    return 0
