"""``cmio forecast WS [--json] [--win-over K] [--initiative ID] [--by GROUPING] [--today DATE]``

Prints the verdict in one sentence, each group's mean readiness today and forecast at go-live
with and without the plan (Friedkin–Johnsen over the influence network with durable activity
effects, parameters as stored in the workspace), the back-test on the last observed round
pair, and the K people to win over (default 5; 0 skips) whose winning over lifts predicted
readiness at go-live the most, with each pick's marginal gain.

JSON: ``overall`` has ``today``, ``go_live_with_plan`` and ``go_live_without_plan``;
``backtest`` is {round, mae_model, mae_no_change, mae_last_trend, …} or null with fewer than
two rounds; ``win_over`` lists {rank, id, name, department, gain, …}; ``champions`` lists the
champions (ready supporters who lead peer activities).

Exit codes follow ``cli.py``: 0 success, 1 a user error (no such file or initiative, no go-live
date), 2 usage (bad arguments).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cmio_desktop.services.readiness import forecast as service

GROUPINGS = ("department", "group", "role", "site")
WIN_OVER_DEFAULT = 5


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "forecast", help="readiness today vs go-live per group, and people to win over"
    )
    parser.add_argument("workspace")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--win-over",
        dest="win_over",
        type=_count,
        default=WIN_OVER_DEFAULT,
        metavar="K",
        help=f"rank K people to win over (default {WIN_OVER_DEFAULT}; 0 skips)",
    )
    # the old name of --win-over, kept for scripts (champions are a different list now)
    parser.add_argument("--champions", dest="win_over", type=_count, help=argparse.SUPPRESS)
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
    from cmio_desktop.services.network import analysis as network
    from cmio_desktop.services.network.key_people import champion_rows
    from cmio_desktop.services.readiness import forecast as service
    from cmio_desktop.store.locations import open_location

    ws = open_location(args.workspace)
    try:
        forecast_run = service.load_forecast(ws, args.initiative, today=args.today)
        champions = champion_rows(network.analyze(ws, forecast_run.initiative_id))
    finally:
        ws.close()
    picks = service.recommend(forecast_run, args.win_over) if args.win_over else None
    out = summary(forecast_run, args.by, picks)
    out["champions"] = [c.as_json() for c in champions]
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
    print(f"  {s['verdict']}")
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
        f"{'go-live':>7}  {'no plan':>7}  {'change':>7}"
    )
    for r in rows:
        print(
            f"  {r['group']:<{width}}  {r['people']:>7,}  {r['today']:>6.2f}  "
            f"{r['go_live_with_plan']:>7.2f}  {r['go_live_without_plan']:>7.2f}  "
            f"{r['change']:>+7.2f}"
        )
    print(f"  {s['backtest_text']}")
    picks = s.get("win_over")
    if picks:
        print(
            "People to win over (predicted mean at go-live without them: "
            f"{s['win_over_baseline']:.3f})"
        )
        for p in picks:
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
    from cmio_desktop.services.readiness import forecast as service

    def group(r: service.GroupForecastRow) -> dict[str, Any]:
        without = r.without_plan if r.without_plan is not None else r.go_live
        return {
            "group": r.label,
            "people": r.people,
            "today": round(r.today, 4),
            "go_live": round(r.go_live, 4),  # = go_live_with_plan (older scripts read this)
            "go_live_with_plan": round(r.go_live, 4),
            "go_live_without_plan": round(without, 4),
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
        "ready_threshold": run.ready_threshold,
        "verdict": service.verdict(run),
        "backtest": _backtest(run.backtest),
        "backtest_text": service.backtest_text(run),
        "win_over": [
            {
                "rank": p.rank,
                "id": p.person_id,
                "name": p.name,
                "department": p.department,
                "readiness_today": round(p.readiness_today, 4),
                "gain": round(p.gain, 5),
                "predicted_mean": round(p.predicted_mean, 4),
            }
            for p in (picks.picks if picks is not None else [])
        ],
        "win_over_baseline": round(picks.baseline, 4) if picks is not None else None,
        "champions": [],  # filled by run() from the network analysis (services.key_people)
    }
    return out


def _backtest(bt: service.BacktestErrors | None) -> dict[str, Any] | None:
    if bt is None:
        return None

    def number(value: float | None) -> float | None:
        return None if value is None or value != value else round(value, 4)  # NaN → null

    elements = ("awareness", "desire", "knowledge", "ability", "reinforcement")
    trend = bt.last_trend or (None,) * len(elements)
    return {
        "round": bt.label,
        "weeks": bt.weeks,
        "people": bt.people,
        "activities": bt.activities,
        "mae_model": number(bt.mae_model),
        "mae_no_change": number(bt.mae_no_change),
        "mae_last_trend": number(bt.mae_last_trend),
        "beats_no_change": bt.beats_no_change,
        "per_element": {
            name: {
                "model": number(m),
                "no_change": number(n),
                "last_trend": number(t),
            }
            for name, m, n, t in zip(elements, bt.model, bt.no_change, trend, strict=True)
        },
    }
