"""``cmio analyze``: JSON fields, the readable summary and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cmio_desktop.cli import main
from cmio_desktop.services.network import analysis as network

PERSON_FIELDS = {
    "id",
    "external_id",
    "name",
    "group",
    "department",
    "network_influence",
    "power_rated",
    "betweenness",
    "community",
    "quadrant",
    "readiness",
    "barrier_point",
    "hot_spot",
}
BARRIERS = {None, "awareness", "desire", "knowledge", "ability", "reinforcement"}


@pytest.fixture
def sample_path(sample_ws) -> Path:
    network.clear_cache()
    return sample_ws.path  # a file's path, or a team workspace's (its str is the URL)


def test_json_has_every_person_with_their_figures(sample_path: Path, capsys) -> None:
    assert main(["analyze", str(sample_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    people = out["people"]
    assert len(people) == 120 == out["network"]["people"]
    assert all(set(p) >= PERSON_FIELDS for p in people)
    assert max(p["network_influence"] for p in people) == 100.0
    assert all("influence" not in p for p in people)  # never the bare word (MODELS.md)
    assert {p["barrier_point"] for p in people} <= BARRIERS
    assert {p["quadrant"] for p in people} <= {
        "key_player",
        "keep_satisfied",
        "keep_informed",
        "monitor",
    }
    assert all(p["readiness"] is None or 1 <= p["readiness"] <= 5 for p in people)
    assert any(p["hot_spot"] for p in people)
    assert all(isinstance(p["community"], int) for p in people)
    assert out["initiative"]["name"] == "Ambulatory EHR go-live"
    assert out["betweenness"] == {
        "mode": "exact",
        "pivots": None,
        "seed": None,
        "relative_error": None,
    }
    assert out["settings"]["seed"] == 42 and out["settings"]["damping"] == 0.85
    groups = {g["group"]: g for g in out["groups"]}
    assert sum(g["size"] for g in groups.values()) == 120
    assert {"size", "assessed", "readiness", "influence_weighted_readiness"} <= set(
        groups["frontline_clinician"]
    )
    communities = out["communities"]
    assert sum(c["size"] for c in communities) == 120
    assert {c["community"] for c in communities} == {p["community"] for p in people}
    assert out["network"]["modularity"] > 0


KEY_PERSON_FIELDS = {
    "id", "name", "department", "network_influence", "power_rated", "attitude", "readiness",
    "barrier_point",
}  # fmt: skip


def test_json_lists_key_resisters_and_champions_in_the_apps_order(
    sample_path: Path, capsys
) -> None:
    from cmio_desktop.analysis.network_rankings import ranking
    from cmio_desktop.services.network.key_people import champion_ids, key_resister_ids
    from cmio_desktop.store.locations import open_location

    assert main(["analyze", str(sample_path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    ws = open_location(str(sample_path))
    try:
        a = network.analyze(ws)
    finally:
        ws.close()
    resisters, champions = out["key_resisters"], out["champions"]
    assert resisters and champions
    assert [r["id"] for r in resisters] == key_resister_ids(a)
    assert [r["id"] for r in resisters] == [r.person_id for r in ranking(a, "key_resisters", None)]
    assert [c["id"] for c in champions] == champion_ids(a)
    assert all(set(r) >= KEY_PERSON_FIELDS for r in resisters + champions)
    assert all(c["marginal_coverage"] > 0 for c in champions)
    influence = [r["network_influence"] for r in resisters]
    assert influence == sorted(influence, reverse=True)
    assert all(1 <= r["power_rated"] <= 5 for r in resisters)
    by_id = {p["id"]: p for p in out["people"]}
    assert all(by_id[r["id"]]["key_resister"] for r in resisters)
    assert not ({c["id"] for c in champions} & {r["id"] for r in resisters})
    assert out["network"]["key_resisters"] == len(resisters)


def test_sampled_betweenness_states_pivots_and_seed(sample_ws, capsys) -> None:
    from cmio_desktop import models as m

    network.clear_cache()
    with sample_ws.session() as session:
        session.add(m.WorkspaceSetting(key="network.exact_betweenness_max_nodes", value=50))
        session.add(m.WorkspaceSetting(key="network.betweenness_pivots", value=40))
    assert main(["analyze", str(sample_ws.path), "--json"]) == 0
    block = json.loads(capsys.readouterr().out)["betweenness"]
    assert block["mode"] == "sampled" and block["pivots"] == 40 and block["seed"] == 42


def test_second_initiative_has_no_readiness_yet(sample_path: Path, capsys) -> None:
    assert main(["analyze", str(sample_path), "--json", "--initiative", "2"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["initiative"]["id"] == 2
    assert all(p["readiness"] is None and p["barrier_point"] is None for p in out["people"])


def test_readable_summary(sample_path: Path, capsys) -> None:
    assert main(["analyze", str(sample_path)]) == 0
    text = capsys.readouterr().out
    assert "120 people" in text
    assert "Top 10 influencers:" in text and "  10. " in text
    assert "Brokers (" in text and "bridges" in text
    assert "Hot spots (" in text
    assert "Key resisters (" in text and "Champions (" in text
    assert "— network influence " in text
    assert "Betweenness: exact." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["analyze", "{missing}"], "no such file"),
        (["analyze", "{sample}", "--initiative", "99"], "no initiative with id 99"),
        (["analyze", "{garbage}"], "not a CMIO workspace"),
    ],
)
def test_user_errors_exit_1_with_one_line(
    sample_path: Path, tmp_path: Path, capsys, args, message
) -> None:
    garbage = tmp_path / "garbage.cmio"
    garbage.write_bytes(b"\x00garbage" * 20)
    paths = {"missing": tmp_path / "nope.cmio", "sample": sample_path, "garbage": garbage}
    argv = [a.format(**paths) for a in args]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("cmio: ")


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["analyze"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["analyze", "x.cmio", "--initiative", "first"])
    assert exit_info.value.code == 2
