"""Key resisters and champions as rows for every consumer (dashboard card, network rankings,
register filter, go-live criterion, plan generator, CLI JSON, workbook).

The lists themselves are computed once, by the network analysis (``analysis.key_people``);
this module only turns positions into plain rows, in the order the app shows them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from cmio_desktop.analysis.network_results import NetworkAnalysis


@dataclass(frozen=True)
class KeyPersonRow:
    id: int
    name: str
    department: str
    network_influence: float  # 0–100 (PageRank), "Network influence"
    power_rated: int  # 1–5, "Power (rated)"
    attitude: str  # Attitude value
    readiness: float | None
    barrier_point: str | None  # AdkarElement value
    marginal_coverage: int | None = None  # champions only: not-ready people newly covered

    def as_json(self) -> dict[str, Any]:
        row = asdict(self)
        row["network_influence"] = round(self.network_influence, 2)
        if self.readiness is not None:
            row["readiness"] = round(self.readiness, 2)
        if self.marginal_coverage is None:
            del row["marginal_coverage"]
        return row


def _row(a: NetworkAnalysis, pos: int, coverage: int | None = None) -> KeyPersonRow:
    return KeyPersonRow(
        id=int(a.ids[pos]),
        name=a.name[pos],
        department=a.department[pos],
        network_influence=float(a.influence[pos]),
        power_rated=int(a.power[pos]),
        attitude=a.attitude[pos],
        readiness=a.readiness_of(pos),
        barrier_point=a.barrier[pos],
        marginal_coverage=coverage,
    )


def key_resister_rows(a: NetworkAnalysis, limit: int | None = None) -> list[KeyPersonRow]:
    """Key resisters, most influential first."""
    return [_row(a, p) for p in a.key_resisters[:limit]]


def champion_rows(a: NetworkAnalysis, limit: int | None = None) -> list[KeyPersonRow]:
    """Champions in the order they were chosen, each with its marginal coverage."""
    return [_row(a, c.position, c.marginal_coverage) for c in a.champions[:limit]]


def key_resister_ids(a: NetworkAnalysis) -> list[int]:
    return [int(a.ids[p]) for p in a.key_resisters]


def champion_ids(a: NetworkAnalysis) -> list[int]:
    return [int(a.ids[c.position]) for c in a.champions]


@dataclass(frozen=True)
class ChampionCoverage:
    """How far the champion set reaches: not-ready people within two steps downstream."""

    champions: list[KeyPersonRow]
    covered: int  # not-ready people reached by at least one champion
    not_ready: int  # assessed people who are not ready

    def as_json(self) -> dict[str, Any]:
        return {
            "champions": [c.as_json() for c in self.champions],
            "covered": self.covered,
            "not_ready": self.not_ready,
        }


def champion_coverage(a: NetworkAnalysis) -> ChampionCoverage:
    assessed = ~np.isnan(a.readiness)
    covered = a.champions[-1].covered_total if a.champions else 0
    return ChampionCoverage(
        champions=champion_rows(a),
        covered=covered,
        not_ready=int((assessed & ~a.ready).sum()),
    )
