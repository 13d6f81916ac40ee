"""How much people without ties cost the Network page (issue 19, item 12).

Builds a sample workspace, times the page's two background steps (``network.analyze`` and
``build_view``) on it, adds people without ties, times them again and prints the ratios.
With isolates costing linear work the "with isolates / plain" ratio stays near the ratio of
the head counts; before the fix the clusters view alone took minutes (3,000 clusters).

    python -m benchmarks.network_isolates [--people 5000] [--isolates 3000] [--all-people]

Measured 2026-12-05 on the shared 2-core machine (load ~8), view time with isolates ÷ without:

* 5,000 + 3,000, clusters: before 2,347× (0.25 s → 596 s, 3,013 clusters); after 1.57×
  (0.09 s → 0.14 s, 14 clusters). Head-count ratio 1.6.
* 500 + 2,000, clusters: before 403× (0.41 s → 166 s, 2,011 clusters); after 0.42×.
* 500 + 2,000, every person drawn (``--all-people``): before 53× (0.38 s → 20.4 s); after
  1.14× (0.42 s → 0.47 s): the force layout sees the 500 tied people only.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from cmio_desktop.analysis.network_layout import clear_layout_cache
from cmio_desktop.sample import generate_sample
from cmio_desktop.services.bulk import bulk_insert
from cmio_desktop.services.network import analysis as network
from cmio_desktop.store import Workspace, create_workspace
from cmio_desktop.ui.network.view_data import NetworkIndex, ViewFilters, build_view


def add_people_without_ties(ws: Workspace, count: int) -> None:
    from sqlalchemy import select

    from cmio_desktop import models as m

    with ws.session() as session:
        org = session.scalar(select(m.Organisation.id))
        rows = [
            {
                "organisation_id": org,
                "name": f"Imported Person {i}",
                "role": "nurse",
                "stakeholder_group": "frontline_clinician",
                "department": f"Imported ward {i % 7}",
            }
            for i in range(count)
        ]
        bulk_insert(session, "stakeholder", rows)


def time_page(ws: Workspace, threshold: int, repeats: int = 3) -> tuple[float, float, str]:
    """Best of ``repeats`` (the machine is shared): analysis seconds, view seconds, shape."""
    best = (float("inf"), float("inf"), "")
    for _ in range(repeats):
        network.clear_cache()
        clear_layout_cache()
        started = time.perf_counter()
        analysis = network.analyze(ws)
        analysed = time.perf_counter()
        graph = build_view(NetworkIndex(analysis), ViewFilters(threshold=threshold))
        viewed = time.perf_counter()
        shape = f"{graph.mode}: {len(graph.clusters) or graph.people.size:,}"
        best = (min(best[0], analysed - started), min(best[1], viewed - analysed), shape)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--isolates", type=int, default=3000)
    parser.add_argument(
        "--all-people",
        action="store_true",
        help="draw every person (no clusters): the people view's layout instead",
    )
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    total = args.people + args.isolates
    threshold = total if args.all_people else 600
    with tempfile.TemporaryDirectory() as folder:
        ws = create_workspace(Path(folder) / "w.cmio", organisation="Riverside Health")
        generate_sample(ws, people=args.people, seed=7)
        time_page(ws, threshold, 1)  # warm up imports and the engines
        plain = time_page(ws, threshold, args.repeats)
        add_people_without_ties(ws, args.isolates)
        lonely = time_page(ws, threshold, args.repeats)
        ws.close()
    print(f"people           {args.people:>10,} {total:>14,}")
    for name, index in (("analyze (s)", 0), ("view (s)", 1)):
        ratio = lonely[index] / plain[index] if plain[index] else float("nan")
        print(f"{name:<16} {plain[index]:10.3f} {lonely[index]:14.3f}   ratio {ratio:6.2f}")
    print(f"shown            {plain[2]:>10} {lonely[2]:>14}")
    print(f"head-count ratio {total / args.people:.2f}")


if __name__ == "__main__":
    main()
