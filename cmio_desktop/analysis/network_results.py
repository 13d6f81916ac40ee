"""The plain results of the network analysis (no database, no Qt): one
:class:`NetworkAnalysis` holding every figure as columns indexed by position (people in id
order), with per-group and per-community summaries."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from cmio_desktop.analysis.graph_engine import BetweennessInfo
from cmio_desktop.analysis.key_people import ChampionPick
from cmio_desktop.analysis.network import NetworkSettings


class NotInNetworkError(LookupError):
    """A person id that is not among the analysed people (deleted since, or never there)."""


@dataclass(frozen=True)
class GroupSummary:
    """One stakeholder group or community: headcount and both readiness figures."""

    key: str
    label: str
    size: int
    assessed: int  # people with at least one round for the initiative
    readiness: float | None  # headcount mean over the assessed
    influence_weighted: float | None  # Σ influence·readiness / Σ influence over the assessed
    mean_influence: float
    hot_spots: int


@dataclass(frozen=True)
class PersonNetwork:
    """One person's figures (built on demand from the columns)."""

    id: int
    external_id: str
    name: str
    group: str
    department: str
    attitude: str
    influence: float
    betweenness: float
    in_strength: float
    out_strength: float
    reach: float
    community: int
    community_name: str
    quadrant: str
    readiness: float | None
    barrier_point: str | None
    power_rated: int
    key_resister: bool
    champion: bool
    hot_spot: bool
    hot_spot_reasons: tuple[str, ...]
    broker_reason: str | None


@dataclass(eq=False)
class NetworkAnalysis:
    """The whole analysis as columns indexed by position (people in id order)."""

    path: str
    revision: int
    initiative_id: int | None
    initiative_name: str
    settings: NetworkSettings
    ids: np.ndarray
    external_id: list[str]
    name: list[str]
    group: list[str]  # StakeholderGroup values
    department: list[str]
    attitude: list[str]  # Attitude values
    quadrant: list[str]  # Quadrant values
    power: np.ndarray  # rated power 1–5 ("Power (rated)")
    interest: np.ndarray
    influence: np.ndarray  # network influence 0–100 ("Network influence")
    betweenness: np.ndarray
    in_strength: np.ndarray
    out_strength: np.ndarray
    reach: np.ndarray
    community: np.ndarray
    community_names: list[str]
    readiness: np.ndarray  # NaN = no assessment for the initiative
    barrier: list[str | None]  # AdkarElement values
    desire: np.ndarray  # latest Desire score, NaN = not assessed
    ready: np.ndarray  # bool: readiness ≥ threshold and no barrier
    key_resister: np.ndarray  # bool
    key_resisters: list[int]  # positions, most influential first (analysis.key_people)
    champions: list[ChampionPick]  # chosen in order, each with its marginal coverage
    hot_spot: np.ndarray  # bool
    hot_spot_reasons: dict[int, tuple[str, ...]]  # position → reasons
    hot_spots: list[int]  # positions, most influential first
    brokers: list[int]  # positions, highest betweenness first
    broker_reasons: dict[int, str]
    isolates: list[int]  # positions
    modularity: float
    betweenness_info: BetweennessInfo
    tie_source: np.ndarray  # positions; distinct directed ties (self-ties dropped)
    tie_target: np.ndarray
    tie_strength: np.ndarray
    groups: list[GroupSummary]
    communities: list[GroupSummary]
    timings: dict[str, float] = field(default_factory=dict)
    _positions: dict[int, int] | None = field(default=None, init=False, repr=False)

    @property
    def n(self) -> int:
        return int(self.ids.size)

    @property
    def tie_count(self) -> int:
        return int(self.tie_source.size)

    def position_of(self, person_id: int) -> int | None:
        if self._positions is None:
            self._positions = {int(p): i for i, p in enumerate(self.ids.tolist())}
        return self._positions.get(int(person_id))

    def person(self, person_id: int) -> PersonNetwork:
        pos = self.position_of(person_id)
        if pos is None:
            raise NotInNetworkError(f"Person {person_id} is not in this network.")
        return self._row(pos)

    def rows(self) -> Iterator[PersonNetwork]:
        return (self._row(i) for i in range(self.n))

    def readiness_of(self, pos: int) -> float | None:
        value = float(self.readiness[pos])
        return None if math.isnan(value) else value

    @property
    def champion_positions(self) -> frozenset[int]:
        return frozenset(c.position for c in self.champions)

    def top_influencers(self, k: int) -> list[int]:
        """Positions of the ``k`` most influential people (ties broken by id)."""
        order = np.lexsort((np.arange(self.n), -self.influence))
        return order[:k].tolist()

    def _row(self, i: int) -> PersonNetwork:
        c = int(self.community[i])
        return PersonNetwork(
            id=int(self.ids[i]),
            external_id=self.external_id[i],
            name=self.name[i],
            group=self.group[i],
            department=self.department[i],
            attitude=self.attitude[i],
            influence=float(self.influence[i]),
            betweenness=float(self.betweenness[i]),
            in_strength=float(self.in_strength[i]),
            out_strength=float(self.out_strength[i]),
            reach=float(self.reach[i]),
            community=c,
            community_name=self.community_names[c] if self.community_names else "",
            quadrant=self.quadrant[i],
            readiness=self.readiness_of(i),
            barrier_point=self.barrier[i],
            power_rated=int(self.power[i]),
            key_resister=bool(self.key_resister[i]),
            champion=i in self.champion_positions,
            hot_spot=bool(self.hot_spot[i]),
            hot_spot_reasons=self.hot_spot_reasons.get(i, ()),
            broker_reason=self.broker_reasons.get(i),
        )
