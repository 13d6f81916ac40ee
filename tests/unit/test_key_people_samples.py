"""Over several generated samples: no champion is a key resister or not ready, and every
consumer (rankings, CLI rows, go-live criterion, workbook list) carries the one key-resister
list in its order."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from cmio_desktop.analysis.network_rankings import ranking
from cmio_desktop.sample import generate_sample
from cmio_desktop.services.governance import golive
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.network.key_people import (
    champion_ids,
    champion_rows,
    key_resister_ids,
    key_resister_rows,
)
from cmio_desktop.services.stakeholders.register_network import from_analysis
from cmio_desktop.store import create_workspace

TODAY = date(2026, 11, 2)


@pytest.mark.parametrize(("seed", "people"), [(1, 60), (5, 90), (11, 150), (23, 200), (42, 120)])
def test_champions_are_ready_supporters_never_key_resisters(tmp_path, seed, people) -> None:
    ws = create_workspace(tmp_path / f"s{seed}.cmio", organisation="Riverside Health")
    try:
        generate_sample(ws, people=people, seed=seed, today=TODAY)
        network.clear_cache()
        a = network.analyze(ws, 1)
        threshold = 4.0
        assert a.champions and a.key_resisters  # every sample has both: the checks bite
        for pick in a.champions:
            p = pick.position
            assert not a.key_resister[p], (seed, a.name[p])
            assert a.ready[p] and a.readiness[p] >= threshold and a.barrier[p] is None
            assert a.attitude[p] in ("supportive", "leading")
            assert pick.marginal_coverage > 0
        gains = [c.marginal_coverage for c in a.champions]
        assert gains == sorted(gains, reverse=True)  # greedy coverage is submodular
        assert len(set(champion_ids(a))) == len(a.champions)
        # The one key-resister list, in one order, wherever it appears.
        ids = key_resister_ids(a)
        assert [r.id for r in key_resister_rows(a)] == ids
        assert [r.person_id for r in ranking(a, "key_resisters", None)] == ids
        assert from_analysis(a).key_resisters == ids
        influence = [float(a.influence[a.position_of(i)]) for i in ids]
        assert influence == sorted(influence, reverse=True)
        assert not set(ids) & {r.id for r in champion_rows(a)}
        card = golive.evaluate(ws, 1, TODAY)
        keys = [r for r in card.results if r.spec.metric == "resistant_key_players"]
        for result in keys:
            assert result.value == len(ids)
        # Nobody unassessed is counted as not ready for coverage.
        assert not np.any(a.ready & np.isnan(a.readiness))
    finally:
        ws.close()
