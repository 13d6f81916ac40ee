"""``cmio forecast WS [--json] [--champions K] [--initiative ID] [--by GROUPING] [--today DATE]``

Prints each group's mean readiness today and forecast at go-live (Friedkin–Johnsen over the
influence network with the initiative's planned activities, parameters as stored in the
workspace) and, with ``--champions K``, the K people whose winning over lifts predicted
readiness at go-live the most, with each pick's marginal gain.

Exit codes follow ``cli.py``: 0 success, 1 a user error (no such file or initiative, no go-live
date), 2 usage (bad arguments).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..services import forecast_service as service

GROUPINGS = ("department", "group", "role", "site")


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "forecast", help="readiness today vs go-live per group, and champion picks"
    )
    parser.add_argument("workspace")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--champions", type=_count, default=0, metavar="K", help="also recommend K champions"
    )
    parser.add_argument(
        "--initiative",
        type=_count,
        default=None,
        metavar="ID",
        help="initiative id (default: the first)",
    )
    parser.add_argument(
        "--by",
        choices=GROUPINGS,
        default="department",
        help="grouping for the table (default: department)",
    )
    parser.add_argument(
        "--today",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="forecast start (default: today)",
    )
    parser.set_defaults(run=run)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def run(args: argparse.Namespace) -> int:
    from ..services import forecast_service as service
    from ..store import open_workspace

    ws = open_workspace(Path(args.workspace))
    try:
        forecast_run = service.load_forecast(ws, args.initiative, today=args.today)
    finally:
        ws.close()
    picks = service.recommend(forecast_run, args.champions) if args.champions else None
    out = summary(forecast_run, args.by, picks)
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0
    _print_text(out)
    return 0


def _print_text(s: dict[str, Any]) -> None:
    print(
        f"{s['initiative']['name']}: readiness today ({s['today']}) vs go-live "
        f"({s['go_live']}), {s['weeks']} weeks"
    )
    notes = (
        f"{s['people']:,} people, {s['activities_in_horizon']} planned activities before go-live"
    )
    if s["imputed_people"]:
        notes += f", {s['imputed_people']:,} without a round (department mean used)"
    print(f"  {notes}")
    rows = [s["overall"], *s["groups"]]
    width = max(len(r["group"]) for r in rows)
    print(
        f"  {s['grouping'].capitalize():<{width}}  {'people':>7}  {'today':>6}  "
        f"{'go-live':>7}  {'change':>7}"
    )
    for r in rows:
        print(
            f"  {r['group']:<{width}}  {r['people']:>7,}  {r['today']:>6.2f}  "
            f"{r['go_live']:>7.2f}  {r['change']:>+7.2f}"
        )
    champions = s.get("champions")
    if champions:
        print(
            f"Champion picks (predicted mean at go-live without them: {champions['baseline']:.3f})"
        )
        for p in champions["picks"]:
            print(
                f"  {p['rank']:>2}. {p['name']} ({p['department']}): "
                f"+{p['gain']:.4f} → {p['predicted_mean']:.3f}"
            )


def summary(
    run: service.ForecastRun,
    grouping: str = "department",
    picks: service.ChampionPicks | None = None,
) -> dict[str, Any]:
    """Plain JSON-able summary (what ``--json`` prints)."""
    from ..services import forecast_service as service

    def group(r: service.GroupForecastRow) -> dict[str, Any]:
        return {
            "group": r.label,
            "people": r.people,
            "today": round(r.today, 4),
            "go_live": round(r.go_live, 4),
            "change": round(r.change, 4),
        }

    out: dict[str, Any] = {
        "initiative": {"id": run.initiative_id, "name": run.initiative_name},
        "today": run.today.isoformat(),
        "go_live": run.go_live.isoformat(),
        "weeks": run.weeks,
        "people": len(run.ids),
        "imputed_people": run.imputed_people,
        "activities_in_horizon": sum(a.in_horizon for a in run.activities),
        "grouping": grouping,
        "overall": group(service.overall_row(run)),
        "groups": [group(r) for r in service.group_rows(run, run.labels[grouping])],
        "parameters": service.parameter_values(run.settings),
    }
    if picks is not None:
        out["champions"] = {
            "baseline": round(picks.baseline, 4),
            "exact_evaluations": picks.exact_evaluations,
            "picks": [
                {
                    "rank": p.rank,
                    "id": p.person_id,
                    "name": p.name,
                    "department": p.department,
                    "gain": round(p.gain, 5),
                    "predicted_mean": round(p.predicted_mean, 4),
                }
                for p in picks.picks
            ],
        }
    return out
