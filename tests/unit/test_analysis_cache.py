"""Network metrics kept on disk between runs: reused when valid, never trusted otherwise."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from cmio_desktop.analysis.network import analyze_network_arrays
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.network import cache as analysis_cache
from cmio_desktop.services.network.ties import add_tie


class CountingRunner:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, *args: Any) -> Any:
        self.calls += 1
        return analyze_network_arrays(*args)


def fresh_run(ws: Any, runner: CountingRunner) -> network.NetworkAnalysis:
    network.clear_cache()  # as if the app had been restarted: only the disk remains
    return network.analyze(ws, metrics_runner=runner)


def test_a_reopened_workspace_reuses_its_analysis(sample_ws) -> None:
    runner = CountingRunner()
    first = fresh_run(sample_ws, runner)
    second = fresh_run(sample_ws, runner)
    assert runner.calls == 1
    for name in ("influence", "betweenness", "reach", "community", "ready", "hot_spot"):
        assert np.array_equal(getattr(first, name), getattr(second, name)), name
    assert first.brokers == second.brokers and first.broker_reasons == second.broker_reasons
    assert first.community_names == second.community_names
    assert first.key_resisters == second.key_resisters and first.champions == second.champions
    assert first.betweenness_info == second.betweenness_info
    path = analysis_cache.cache_file(str(sample_ws.path.resolve()))
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_changed_graph_is_recomputed(sample_ws) -> None:
    runner = CountingRunner()
    before = fresh_run(sample_ws, runner)
    existing = set(zip(before.tie_source.tolist(), before.tie_target.tolist(), strict=True))
    n = before.ids.size
    i, j = next((i, j) for i in range(n) for j in range(n) if i != j and (i, j) not in existing)
    add_tie(sample_ws, int(before.ids[i]), int(before.ids[j]), strength=5)
    fresh_run(sample_ws, runner)
    assert runner.calls == 2


@pytest.mark.parametrize("damage", [b"", b"not a numpy file", None])
def test_a_damaged_or_foreign_file_is_ignored_and_replaced(sample_ws, damage) -> None:
    runner = CountingRunner()
    expected = fresh_run(sample_ws, runner)
    path = analysis_cache.cache_file(str(sample_ws.path.resolve()))
    if damage is None:  # a valid file, but for another graph
        data = dict(np.load(path, allow_pickle=False))
        data["meta"] = np.array(str(data["meta"]).replace('"key": "', '"key": "x'))
        with path.open("wb") as out:
            np.savez(out, **data)
    else:
        path.write_bytes(damage)
    again = fresh_run(sample_ws, runner)
    assert runner.calls == 2
    assert np.array_equal(again.influence, expected.influence)
    fresh_run(sample_ws, runner)  # the replacement is good
    assert runner.calls == 2


def test_results_of_other_code_are_not_reused(sample_ws, monkeypatch) -> None:
    runner = CountingRunner()
    fresh_run(sample_ws, runner)
    monkeypatch.setattr(analysis_cache, "code_fingerprint", lambda: "another version")
    fresh_run(sample_ws, runner)
    assert runner.calls == 2


def test_deleting_the_cache_is_safe(sample_ws) -> None:
    runner = CountingRunner()
    fresh_run(sample_ws, runner)
    analysis_cache.cache_file(str(sample_ws.path.resolve())).unlink()
    fresh_run(sample_ws, runner)
    assert runner.calls == 2
