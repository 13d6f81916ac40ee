"""Rankings with their reasons: top influencers, brokers, hot spots and isolates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..analysis.grids import Quadrant
from ..models.enums import Attitude
from .network_results import NetworkAnalysis

RankingKind = Literal["influencers", "brokers", "hot_spots", "isolates"]
RANKING_KINDS: tuple[RankingKind, ...] = ("influencers", "brokers", "hot_spots", "isolates")


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


def ranking(a: NetworkAnalysis, kind: RankingKind, limit: int | None = 100) -> list[RankingRow]:
    """Top influencers, brokers, hot spots or isolates, each with the reason it is listed."""
    if kind == "influencers":
        positions = a.top_influencers(a.n if limit is None else limit)
    elif kind == "brokers":
        positions = a.brokers[:limit]
    elif kind == "hot_spots":
        positions = a.hot_spots[:limit]
    elif kind == "isolates":
        positions = sorted(a.isolates, key=lambda p: (-a.influence[p], p))[:limit]
    else:
        raise ValueError(f"unknown ranking {kind!r}")
    return [_ranking_row(a, kind, p) for p in positions]


def _ranking_row(a: NetworkAnalysis, kind: RankingKind, pos: int) -> RankingRow:
    infl = float(a.influence[pos])
    if kind == "brokers":
        score, score_text = float(a.betweenness[pos]), f"{a.betweenness[pos]:.3f}"
        reason = a.broker_reasons.get(pos, "")
    elif kind == "hot_spots":
        score, score_text = infl, f"{infl:.0f}"
        reason = _hot_spot_reason(a, pos)
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


def _hot_spot_reason(a: NetworkAnalysis, pos: int) -> str:
    parts = [f"influence {a.influence[pos]:.0f}"]
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
