"""Rankings with their reasons: top influencers, brokers, hot spots and isolates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from cmio_desktop.analysis.grids import Quadrant
from cmio_desktop.analysis.network_results import NetworkAnalysis
from cmio_desktop.enums import Attitude

RankingKind = Literal[
    "influencers", "key_resisters", "champions", "brokers", "hot_spots", "isolates"
]
RANKING_KINDS: tuple[RankingKind, ...] = (
    "influencers",
    "key_resisters",
    "champions",
    "brokers",
    "hot_spots",
    "isolates",
)


@dataclass(frozen=True)
class RankingRow:
    person_id: int
    name: str
    department: str
    score: float
    score_text: str
    reason: str


def _readiness_text(a: NetworkAnalysis, pos: int) -> str:
    value = a.readiness_of(pos)
    return "not assessed" if value is None else f"readiness {value:.1f}"


def ranking(
    a: NetworkAnalysis,
    kind: RankingKind,
    limit: int | None = 100,
    within: np.ndarray | None = None,
) -> list[RankingRow]:
    """Top influencers, brokers, hot spots or isolates, each with the reason it is listed;
    ``within`` (a boolean mask over people) keeps only those people, e.g. a filtered view."""
    return [_ranking_row(a, kind, p) for p in ranked_positions(a, kind, within, limit)]


def ranked_positions(
    a: NetworkAnalysis,
    kind: RankingKind,
    within: np.ndarray | None = None,
    limit: int | None = None,
) -> list[int]:
    """Positions in ranking order, the first ``limit`` (all when None)."""
    if kind == "influencers":
        order = np.lexsort((np.arange(a.n), -a.influence))
        if within is not None:
            order = order[within[order]]
        return order[:limit].tolist()
    if kind == "key_resisters":
        positions = a.key_resisters
    elif kind == "champions":
        positions = [c.position for c in a.champions]
    elif kind == "brokers":
        positions = a.brokers
    elif kind == "hot_spots":
        positions = a.hot_spots
    elif kind == "isolates":
        positions = sorted(a.isolates, key=lambda p: (-a.influence[p], p))
    else:
        raise ValueError(f"unknown ranking {kind!r}")
    if within is not None:
        positions = [p for p in positions if within[p]]
    return positions[:limit]


def _ranking_row(a: NetworkAnalysis, kind: RankingKind, pos: int) -> RankingRow:
    infl = float(a.influence[pos])
    if kind == "brokers":
        score, score_text = float(a.betweenness[pos]), f"{a.betweenness[pos]:.3f}"
        reason = a.broker_reasons.get(pos, "")
    elif kind == "hot_spots":
        score, score_text = infl, f"{infl:.0f}"
        reason = _hot_spot_reason(a, pos)
    elif kind == "key_resisters":
        score, score_text = infl, f"{infl:.0f}"
        reason = key_resister_reason(a, pos)
    elif kind == "champions":
        pick = next(c for c in a.champions if c.position == pos)
        score, score_text = float(pick.marginal_coverage), f"+{pick.marginal_coverage}"
        reason = (
            f"covers {pick.marginal_coverage} more not-ready people within two steps "
            f"({pick.covered_total} so far); {_readiness_text(a, pos)}"
        )
    elif kind == "isolates":
        score, score_text = infl, f"{infl:.0f}"
        mood = _attitude_label(a.attitude[pos])
        reason = f"no influence ties recorded; {mood.lower()}, {_readiness_text(a, pos)}"
    else:
        score, score_text = infl, f"{infl:.0f}"
        reach = float(a.reach[pos])
        reason = (
            f"reaches {reach:.0%} within two steps; "
            f"{Quadrant(a.quadrant[pos]).label.lower()}; {_readiness_text(a, pos)}"
        )
    return RankingRow(int(a.ids[pos]), a.name[pos], a.department[pos], score, score_text, reason)


def key_resister_reason(a: NetworkAnalysis, pos: int) -> str:
    """Why a person is a key resister: what resists, and what makes them key."""
    resists = []
    if a.attitude[pos] in (Attitude.RESISTANT.value, Attitude.UNAWARE.value):
        resists.append(_attitude_label(a.attitude[pos]).lower())
    desire = float(a.desire[pos])
    if desire == desire and desire <= a.settings.key_resister_desire_max:
        resists.append(f"desire {desire:.0f}")
    # What makes them key (their network influence is the score column beside the reason).
    if a.quadrant[pos] == Quadrant.KEY_PLAYER.value:
        key = f"key player, power (rated) {int(a.power[pos])}"
    else:
        key = f"top {a.settings.key_people().top_influence_share:.0%} network influence"
    return f"{', '.join(resists)}; {key}; {_readiness_text(a, pos)}"


def _hot_spot_reason(a: NetworkAnalysis, pos: int) -> str:
    parts = [f"network influence {a.influence[pos]:.0f}"]
    value = a.readiness_of(pos)
    if value is not None:
        parts.append(f"readiness {value:.1f}")
    if a.barrier[pos]:
        parts.append(f"barrier at {a.barrier[pos]}")
    if a.attitude[pos] == Attitude.RESISTANT.value:
        parts.append("resistant")
    return ", ".join(parts)


def _attitude_label(value: str) -> str:
    try:
        return Attitude(value).label
    except ValueError:
        return value
