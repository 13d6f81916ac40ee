"""The network service: metrics on crafted workspaces, readiness and hot spots, the cache,
and audited, undoable tie edits."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from cmio_desktop import models as m
from cmio_desktop.analysis.network import analyze_network_arrays
from cmio_desktop.enums import TieKind
from cmio_desktop.services import crud
from cmio_desktop.services.errors import NotFoundError, ServiceError
from cmio_desktop.services.network import analysis as network
from cmio_desktop.services.network import ties
from tests.raw_rows import raw_rows


@pytest.fixture(autouse=True)
def _fresh_cache():
    network.clear_cache()
    yield
    network.clear_cache()


def person(ws, name: str, department: str = "", **extra) -> int:
    values = dict(
        organisation_id=1,
        name=name,
        role="nurse",
        group="frontline clinician",
        department=department,
    )
    values.update(extra)
    return crud.create(ws, m.Stakeholder, **values).id


def initiative(ws, name: str = "EHR go-live") -> int:
    return crud.create(ws, m.Initiative, organisation_id=1, name=name).id


def assess(
    ws, person_id: int, initiative_id: int, scores: tuple[int, ...], day: date = date(2026, 10, 1)
) -> None:
    a, d, k, ab, r = scores
    crud.create(
        ws,
        m.Assessment,
        stakeholder_id=person_id,
        initiative_id=initiative_id,
        assessed_on=day,
        awareness=a,
        desire=d,
        knowledge=k,
        ability=ab,
        reinforcement=r,
    )


@pytest.fixture
def star(empty_ws):
    """The centre influences five leaves."""
    centre = person(empty_ws, "Dr. Centre", "ED", power=5, interest=5)
    leaves = [person(empty_ws, f"Leaf {i}", "ED") for i in range(5)]
    for leaf in leaves:
        ties.add_tie(empty_ws, centre, leaf, strength=4)
    return empty_ws, centre, leaves


@pytest.fixture
def cliques(empty_ws):
    """Two cliques of five (Pharmacy, ED) joined by one tie between p0 and e0."""
    pharmacy = [person(empty_ws, f"Pharmacist {i}", "Pharmacy") for i in range(5)]
    ed = [person(empty_ws, f"ED nurse {i}", "ED") for i in range(5)]
    for group in (pharmacy, ed):
        for a, b in itertools.combinations(group, 2):
            ties.add_tie(empty_ws, a, b, strength=4)
    ties.add_tie(empty_ws, pharmacy[0], ed[0], strength=1)
    return empty_ws, pharmacy, ed


def test_star_centre_is_the_top_influencer(star) -> None:
    ws, centre, leaves = star
    a = network.analyze(ws)
    assert a.n == 6 and a.tie_count == 5
    top = a.person(int(a.ids[a.top_influencers(1)[0]]))
    assert top.id == centre
    assert top.influence == pytest.approx(100.0)
    assert top.quadrant == "key_player"
    assert top.out_strength == 20 and top.in_strength == 0
    assert top.reach == pytest.approx(1.0)
    assert all(a.person(leaf).influence < 100 for leaf in leaves)
    assert a.betweenness_info.mode == "exact"
    rows = network.ranking(a, "influencers", 3)
    assert rows[0].person_id == centre
    assert rows[0].score_text == "100"
    assert "reaches 100% within two steps" in rows[0].reason


def test_two_cliques_joined_by_one_tie_have_the_bridge_ends_as_brokers(cliques) -> None:
    ws, pharmacy, ed = cliques
    a = network.analyze(ws)
    assert sorted(a.community_names) == ["ED", "Pharmacy"]
    assert a.modularity > 0.3
    broker_ids = {int(a.ids[p]) for p in a.brokers}
    assert broker_ids == {pharmacy[0], ed[0]}
    reason = a.person(pharmacy[0]).broker_reason
    assert reason is not None and "Pharmacy" in reason and "ED" in reason
    assert reason.startswith("bridges Pharmacy")
    assert {c.label: c.size for c in a.communities} == {"Pharmacy": 5, "ED": 5}
    assert network.ranking(a, "brokers")[0].reason.startswith("bridges")
    assert a.isolates == []


def test_readiness_barrier_and_hot_spots_come_from_the_latest_round(star) -> None:
    ws, centre, leaves = star
    init = initiative(ws)
    assess(ws, centre, init, (5, 5, 5, 5, 5), day=date(2026, 9, 1))
    assess(ws, centre, init, (4, 2, 3, 3, 3), day=date(2026, 10, 1))  # latest: barrier desire
    assess(ws, leaves[0], init, (5, 5, 4, 4, 4))
    crud.update(ws, m.Stakeholder, leaves[1], attitude="resistant")
    a = network.analyze(ws)
    centre_row = a.person(centre)
    assert centre_row.readiness == pytest.approx(3.0)
    assert centre_row.barrier_point == "desire"
    assert centre_row.hot_spot
    assert "barrier at desire" in centre_row.hot_spot_reasons
    assert a.person(leaves[0]).barrier_point is None
    assert a.person(leaves[2]).readiness is None
    reason = network.ranking(a, "hot_spots")[0].reason
    assert reason == "network influence 100, readiness 3.0, barrier at desire"
    (group,) = a.groups
    assert group.size == 6 and group.assessed == 2
    assert group.readiness == pytest.approx((3.0 + 4.4) / 2)
    # influence-weighted: the centre's influence dominates the leaf's
    assert group.influence_weighted is not None and group.influence_weighted < group.readiness


def test_second_initiative_and_unknown_initiative(star) -> None:
    ws, centre, _ = star
    first = initiative(ws, "First")
    second = initiative(ws, "Second")
    assess(ws, centre, first, (2, 2, 2, 2, 2))
    assert network.analyze(ws).initiative_id == first
    other = network.analyze(ws, initiative_id=second)
    assert other.initiative_name == "Second"
    assert other.person(centre).readiness is None
    with pytest.raises(NotFoundError, match="no initiative with id 99"):
        network.analyze(ws, initiative_id=99)


def test_cache_is_invalidated_by_an_edit_and_metrics_reused_for_readiness(star) -> None:
    ws, centre, leaves = star
    calls = []

    def runner(*args):
        calls.append(1)
        return analyze_network_arrays(*args)

    first = network.analyze(ws, metrics_runner=runner)
    assert network.analyze(ws, metrics_runner=runner) is first
    assert len(calls) == 1
    init = initiative(ws)
    assess(ws, leaves[0], init, (1, 1, 1, 1, 1))  # readiness only: the graph is unchanged
    again = network.analyze(ws, metrics_runner=runner)
    assert again is not first and again.revision > first.revision
    assert len(calls) == 1  # graph metrics reused
    assert again.person(leaves[0]).readiness == 1.0
    ties.add_tie(ws, leaves[0], leaves[1], strength=2)
    changed = network.analyze(ws, metrics_runner=runner)
    assert changed.tie_count == first.tie_count + 1
    assert len(calls) == 2


def test_progress_is_reported_and_can_cancel(star) -> None:
    ws, *_ = star
    seen: list[tuple[int, str]] = []
    network.analyze(ws, progress=lambda p, t: seen.append((p, t)))
    assert seen[0][0] < seen[-1][0] == 100

    def stop(percent: int, _text: str) -> None:
        if percent >= 20:
            raise KeyboardInterrupt

    network.clear_cache()
    with pytest.raises(KeyboardInterrupt):
        network.analyze(ws, progress=stop)


def test_settings_stored_with_the_workspace_are_used(cliques) -> None:
    ws, *_ = cliques
    with ws.session() as session:
        session.add(m.WorkspaceSetting(key="network.seed", value=7))
        session.add(m.WorkspaceSetting(key="network.damping", value="0.9"))
        session.add(m.WorkspaceSetting(key="network.resolution", value="not a number"))
    a = network.analyze(ws)
    assert a.settings.seed == 7 and a.settings.damping == 0.9
    assert a.settings.resolution == 1.0  # a bad stored value falls back to the default
    assert network.network_settings(ws) == a.settings


def test_empty_workspace(empty_ws) -> None:
    a = network.analyze(empty_ws)
    assert a.n == 0 and a.tie_count == 0 and a.groups == [] and a.communities == []
    assert network.ranking(a, "influencers") == []


def audit(ws) -> list[tuple]:
    return raw_rows(
        ws,
        "SELECT action, entity, entity_id, field, old_value, new_value FROM audit_event "
        "WHERE entity = 'relationship' ORDER BY id",
    )


def test_tie_add_update_delete_and_undo_are_audited(cliques) -> None:
    ws, pharmacy, ed = cliques
    row = ties.add_tie(ws, ed[1], pharmacy[1], strength=5, kind="Mentor", note=" weekly ")
    assert (row.source_name, row.target_name, row.strength, row.kind, row.note) == (
        "ED nurse 1",
        "Pharmacist 1",
        5,
        "mentor",
        "weekly",
    )
    assert row.describe() == "ED nurse 1 → Pharmacist 1"
    old, updated = ties.update_tie(ws, row.id, strength=2, kind="peer").value
    assert old == {"strength": 5, "kind": TieKind.MENTOR}
    assert (updated.strength, updated.kind) == (2, "peer")
    ties.update_tie(ws, row.id, **old)  # undo of the edit
    assert ties.get_tie(ws, row.id).strength == 5
    snapshot = ties.delete_tie(ws, row.id)
    assert ties.find_tie(ws, ed[1], pharmacy[1]) is None
    ties.restore_tie(ws, snapshot)  # undo of the delete
    assert ties.get_tie(ws, row.id).kind == "mentor"
    ties.delete_tie(ws, row.id)
    again = ties.add_tie(ws, ed[1], pharmacy[1], strength=5, tie_id=row.id)  # redo of the add
    assert again.id == row.id
    actions = [r[0] for r in audit(ws) if r[2] == row.id]
    assert actions == [
        "create",
        "update",
        "update",
        "update",
        "update",
        "delete",
        "restore",
        "delete",
        "create",
    ]


@pytest.mark.parametrize(
    ("source", "target", "changes", "message"),
    [
        ("p0", "p0", {}, "cannot influence themselves"),
        ("p0", "e1", {"strength": 6}, "from 1 to 5"),
        ("p0", "e1", {"strength": "strong"}, "from 1 to 5"),
        ("p0", "e1", {"kind": "gossip"}, "Kind: 'gossip' is not one of"),
        ("p0", "gone", {}, "no longer exists"),
        ("p0", "p1", {}, "already exists"),
    ],
)
def test_bad_ties_are_refused_with_a_sentence(cliques, source, target, changes, message) -> None:
    ws, pharmacy, ed = cliques
    ids = {"p0": pharmacy[0], "p1": pharmacy[1], "e1": ed[1], "gone": 10_000}
    before = len(ties.relationship_rows(ws))
    with pytest.raises(ServiceError, match=message):
        ties.add_tie(ws, ids[source], ids[target], **changes)
    assert len(ties.relationship_rows(ws)) == before


def test_relationship_rows_and_person_ties(cliques) -> None:
    ws, pharmacy, ed = cliques
    rows = ties.relationship_rows(ws)
    assert len(rows) == 21
    bridge = next(i for i in range(len(rows)) if rows.strength[i] == 1)
    assert (rows.source_name(bridge), rows.target_name(bridge)) == ("Pharmacist 0", "ED nurse 0")
    assert rows.row(bridge).kind_label == "Peer"
    p0 = ties.person_ties(ws, pharmacy[0])
    assert [t.target_name for t in p0.influences][-1] == "ED nurse 0"  # weakest last
    assert p0.influenced_by == []
    e0 = ties.person_ties(ws, ed[0])
    assert [t.source_name for t in e0.influenced_by] == ["Pharmacist 0"]
    with pytest.raises(NotFoundError):
        ties.person_ties(ws, 10_000)
    choices = ties.person_choices(ws)
    assert [c.name for c in choices][:2] == ["ED nurse 0", "ED nurse 1"]


def test_delete_many_ties_in_one_step_and_restore(cliques) -> None:
    ws, pharmacy, _ed = cliques
    out = ties.person_ties(ws, pharmacy[0]).influences
    snapshot = ties.delete_ties(ws, [t.id for t in out])
    assert ties.person_ties(ws, pharmacy[0]).influences == []
    ties.restore_tie(ws, snapshot)
    assert len(ties.person_ties(ws, pharmacy[0]).influences) == len(out)
    with pytest.raises(ServiceError, match="at least one"):
        ties.delete_ties(ws, [])
