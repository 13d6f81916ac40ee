"""The register's network columns: each person's network influence and whether they are a key
resister, a champion or in the top share of network influence — taken from the one network
analysis (``services.network``, cached by revision), never recomputed here.

The register itself reads no graph (it opens fast at 100,000 people); the page asks for these
columns off the UI thread once the register is up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cmio_desktop.analysis.key_people import top_influence_mask
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.network.key_people import champion_ids, key_resister_ids
from cmio_desktop.store import Workspace

#: Filter values: the register's "network" filter keeps people carrying the tag.
KEY_RESISTER, CHAMPION, TOP_INFLUENCE = "key_resister", "champion", "top_influence"
READY = "ready"  # ready for go-live: readiness ≥ threshold and no barrier (the dashboard card)


@dataclass(frozen=True)
class RegisterNetwork:
    initiative_id: int | None
    influence: dict[int, float] = field(default_factory=dict)  # id → network influence 0–100
    key_resisters: list[int] = field(default_factory=list)  # ids, most influential first
    champions: list[int] = field(default_factory=list)  # ids, in the order chosen
    top_influence: frozenset[int] = frozenset()  # ids in the top share of network influence
    top_share: float = 0.10
    ready: frozenset[int] = frozenset()  # ids ready for go-live

    def tags(self) -> dict[int, frozenset[str]]:
        """Person id → the network tags they carry (only people with at least one)."""
        tags: dict[int, set[str]] = {}
        for tag, ids in (
            (KEY_RESISTER, self.key_resisters),
            (CHAMPION, self.champions),
            (TOP_INFLUENCE, self.top_influence),
            (READY, self.ready),
        ):
            for i in ids:
                tags.setdefault(i, set()).add(tag)
        return {i: frozenset(t) for i, t in tags.items()}


def from_analysis(a: network.NetworkAnalysis) -> RegisterNetwork:
    share = a.settings.key_people().top_influence_share
    top = top_influence_mask(a.influence, share)
    ids = a.ids.tolist()
    return RegisterNetwork(
        initiative_id=a.initiative_id,
        influence=dict(zip(ids, a.influence.tolist(), strict=True)),
        key_resisters=key_resister_ids(a),
        champions=champion_ids(a),
        top_influence=frozenset(int(ids[p]) for p in top.nonzero()[0].tolist()),
        top_share=share,
        ready=frozenset(int(ids[p]) for p in a.ready.nonzero()[0].tolist()),
    )


def register_network(
    ws: Workspace,
    initiative_id: int | None = None,
    *,
    progress: network.Progress | None = None,
    metrics_runner: network.MetricsRunner | None = None,
) -> RegisterNetwork:
    analysis = network.analyze(ws, initiative_id, progress=progress, metrics_runner=metrics_runner)
    return from_analysis(analysis)
