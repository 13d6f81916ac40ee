from datetime import date

import pytest

from cmio_desktop.analysis.adkar import (
    AdkarScores,
    Assessment,
    ReadinessSettings,
    barrier_point,
    group_readiness,
    influence_weighted_readiness,
    is_ready,
    latest_per_person,
    readiness,
)
from cmio_desktop.enums import AdkarElement as E


def s(*values: int) -> AdkarScores:
    return AdkarScores.of(values)


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ((5, 4, 4, 4, 4), None),  # all ≥ 4
        ((4, 2, 5, 5, 5), E.DESIRE),
        ((3, 1, 1, 1, 1), E.AWARENESS),  # first ≤ 3, not the lowest
        ((5, 5, 4, 3, 5), E.ABILITY),
    ],
)
def test_barrier_point_first_mode(scores, expected):
    assert barrier_point(s(*scores)) is expected


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ((3, 1, 1, 1, 1), E.DESIRE),  # four-way tie at 1: earliest of them
        ((3, 2, 2, 5, 5), E.DESIRE),  # desire and knowledge tie at 2
        ((5, 5, 3, 4, 3), E.KNOWLEDGE),  # knowledge and reinforcement tie at 3
        ((2, 2, 2, 2, 2), E.AWARENESS),
        ((5, 4, 4, 4, 4), None),  # still none when all ≥ 4
    ],
)
def test_barrier_point_lowest_mode(scores, expected):
    assert barrier_point(s(*scores), mode="lowest") is expected


def test_barrier_mode_rejected_when_unknown():
    with pytest.raises(ValueError):
        barrier_point(s(1, 1, 1, 1, 1), mode="worst")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        ReadinessSettings(barrier_mode="worst")  # type: ignore[arg-type]


def test_scores_validated():
    with pytest.raises(ValueError):
        s(0, 3, 3, 3, 3)


def test_readiness_and_ready():
    assert readiness(s(5, 4, 4, 4, 3)) == pytest.approx(20 / 5)
    assert is_ready(s(4, 4, 4, 4, 4))
    # mean (5+5+5+5+3)/5 = 4.6 ≥ 4, but reinforcement 3 is a barrier
    assert not is_ready(s(5, 5, 5, 5, 3))
    assert is_ready(s(5, 5, 5, 5, 3), ReadinessSettings(barrier_max=2))


def test_latest_per_person_uses_date_then_sequence():
    rounds = [
        Assessment("a", date(2026, 3, 1), s(2, 2, 2, 2, 2)),
        Assessment("a", date(2026, 1, 1), s(1, 1, 1, 1, 1)),
        Assessment("a", date(2026, 3, 1), s(4, 4, 4, 4, 4), sequence=2),
        Assessment("b", date(2026, 2, 1), s(3, 3, 3, 3, 3)),
    ]
    latest = latest_per_person(rounds)
    a = latest["a"]
    assert a.scores == s(4, 4, 4, 4, 4)
    assert a.previous is not None and a.previous.scores == s(2, 2, 2, 2, 2)
    assert a.rounds == 3
    assert a.change == pytest.approx(4.0 - 2.0)
    assert a.element_change == dict.fromkeys(E, 2)
    assert latest["b"].previous is None and latest["b"].change is None


def test_influence_weighted_readiness_by_hand():
    # (100·2 + 50·4 + 0·5) / (100 + 50 + 0) = 400 / 150
    value = influence_weighted_readiness({"x": 2.0, "y": 4.0, "z": 5.0}, {"x": 100, "y": 50})
    assert value == pytest.approx(400 / 150)
    assert influence_weighted_readiness({"x": 2.0}, {}) is None


def test_group_readiness_counts_assessed_people():
    latest = {"a": s(5, 5, 5, 5, 5), "b": s(3, 1, 3, 3, 3), "c": s(4, 4, 4, 4, 4)}
    groups = {"a": "ED", "b": "ED", "c": "ICU", "d": "ED"}  # d has no round
    result = group_readiness(latest, groups, influence={"a": 3.0, "b": 1.0})
    ed = result["ED"]
    assert (ed.members, ed.assessed, ed.ready) == (3, 2, 1)
    assert ed.element_means[E.DESIRE] == pytest.approx((5 + 1) / 2)
    assert ed.mean_readiness == pytest.approx((5.0 + 13 / 5) / 2)
    assert ed.barriers == {None: 1, E.AWARENESS: 1}
    assert ed.influence_weighted == pytest.approx((3 * 5.0 + 1 * 13 / 5) / 4)
    assert ed.share_ready == pytest.approx(1 / 2)
    assert result["ICU"].influence_weighted is None  # c has no influence given
