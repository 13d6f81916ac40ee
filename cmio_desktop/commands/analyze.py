"""``cmio analyze WS.cmio [--json] [--initiative ID]``: the influence network, headless.

JSON carries every person's figures, summaries per stakeholder group and per community, and
how betweenness was computed (exact, or sampled with its pivots and seed), so every figure can
be reproduced from the workspace alone. Without ``--json``: a readable summary.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path
from typing import Any

TOP = 10


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "analyze",
        help="influence, brokers, communities, readiness and hot spots of the network",
        description="Analyse the influence network of a workspace: influence (PageRank), "
        "betweenness, communities (Louvain), reach, readiness of the current initiative, "
        "barrier points and hot spots.",
    )
    parser.add_argument("workspace", help="the .cmio workspace")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument(
        "--initiative",
        type=int,
        metavar="ID",
        help="initiative whose readiness is used (default: the first)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmio_desktop.services.network import analysis as network
    from cmio_desktop.store.locations import open_location

    ws = open_location(args.workspace)  # a missing or foreign file: WorkspaceError
    try:
        analysis = network.analyze(ws, initiative_id=args.initiative)
    finally:
        ws.close()
    if args.json:
        print(json.dumps(to_json(analysis), indent=2, ensure_ascii=False))
    else:
        print(summary_text(analysis))
    return 0


def _number(value: float | None, digits: int = 4) -> float | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(float(value), digits)


def to_json(a: Any) -> dict[str, Any]:
    """The analysis as plain JSON-ready data. ``key_resisters`` and ``champions`` are the
    lists the app shows (same people, same order: ``services.key_people``)."""
    from dataclasses import asdict

    from cmio_desktop.services.network.key_people import champion_rows, key_resister_rows

    info = a.betweenness_info
    settings = asdict(a.settings)
    settings["hot_spot_barriers"] = [e.value for e in a.settings.hot_spot_barriers]
    settings["hot_spot_attitudes"] = [e.value for e in a.settings.hot_spot_attitudes]
    people = [
        {
            "id": p.id,
            "external_id": p.external_id or None,
            "name": p.name,
            "group": p.group,
            "department": p.department,
            "attitude": p.attitude,
            "network_influence": _number(p.influence, 2),
            "power_rated": p.power_rated,
            "betweenness": _number(p.betweenness, 6),
            "in_strength": _number(p.in_strength, 2),
            "out_strength": _number(p.out_strength, 2),
            "reach": _number(p.reach, 4),
            "community": p.community,
            "community_name": p.community_name,
            "quadrant": p.quadrant,
            "readiness": _number(p.readiness, 2),
            "barrier_point": p.barrier_point,
            "hot_spot": p.hot_spot,
            "hot_spot_reasons": list(p.hot_spot_reasons),
            "key_resister": p.key_resister,
            "champion": p.champion,
            "broker": p.broker_reason is not None,
            "broker_reason": p.broker_reason,
        }
        for p in a.rows()
    ]

    def summary(g: Any, id_key: str, id_value: Any) -> dict[str, Any]:
        return {
            id_key: id_value,
            "name": g.label,
            "size": g.size,
            "assessed": g.assessed,
            "readiness": _number(g.readiness, 3),
            "influence_weighted_readiness": _number(g.influence_weighted, 3),
            "mean_network_influence": _number(g.mean_influence, 3),
            "hot_spots": g.hot_spots,
        }

    return {
        "workspace": a.path,
        "revision": a.revision,
        "initiative": None
        if a.initiative_id is None
        else {
            "id": a.initiative_id,
            "name": a.initiative_name,
        },
        "network": {
            "people": a.n,
            "ties": a.tie_count,
            "communities": len(a.community_names),
            "modularity": _number(a.modularity, 4),
            "brokers": len(a.brokers),
            "hot_spots": len(a.hot_spots),
            "isolates": len(a.isolates),
            "key_resisters": len(a.key_resisters),
            "champions": len(a.champions),
        },
        "settings": settings,
        "betweenness": {
            "mode": info.mode,
            "pivots": info.pivots,
            "seed": info.seed,
            "relative_error": _number(info.relative_error, 4),
        },
        "key_resisters": [r.as_json() for r in key_resister_rows(a)],
        "champions": [r.as_json() for r in champion_rows(a)],
        "people": people,
        "groups": [summary(g, "group", g.key) for g in a.groups],
        "communities": [summary(c, "community", int(c.key)) for c in a.communities],
    }


def summary_text(a: Any) -> str:
    from cmio_desktop.services.network.analysis import ranking

    info = a.betweenness_info
    method = (
        "exact"
        if info.mode == "exact"
        else (
            f"sampled with {info.pivots:,} pivots (seed {info.seed}"
            + (f", relative error ≈ {info.relative_error:.0%})" if info.relative_error else ")")
        )
    )
    lines = [
        f"{Path(a.path).name}: {a.n:,} people, {a.tie_count:,} ties, "
        f"{len(a.community_names):,} communities (modularity {a.modularity:.2f}).",
        f"Readiness: {a.initiative_name or 'no initiative'}. Betweenness: {method}.",
        "",
        f"Top {TOP} influencers:",
    ]
    for i, r in enumerate(ranking(a, "influencers", TOP), 1):
        lines.append(
            f"  {i:>2}. {r.name} ({r.department}) — network influence {r.score_text}; {r.reason}"
        )
    totals = {
        "key_resisters": len(a.key_resisters),
        "champions": len(a.champions),
        "brokers": len(a.brokers),
        "hot_spots": len(a.hot_spots),
    }
    titles = {"key_resisters": "Key resisters", "champions": "Champions",
              "brokers": "Brokers", "hot_spots": "Hot spots"}  # fmt: skip
    for kind, title in titles.items():
        rows = ranking(a, kind, TOP)
        total = totals[kind]
        lines += [
            "",
            f"{title} ({total:,}; top {min(TOP, total)} shown):" if total else f"{title}: none.",
        ]
        lines += [f"  - {r.name} ({r.department}): {r.reason}" for r in rows]
    if a.isolates:
        lines += ["", f"Isolates: {len(a.isolates):,} people with no recorded ties."]
    return "\n".join(lines)
