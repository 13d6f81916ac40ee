import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmio_desktop.analysis.champions import fast_gains, recommend_champions
from cmio_desktop.analysis.forecast import (
    ELEMENTS,
    ForecastModel,
    ForecastSettings,
    PlannedActivity,
    forecast,
    influence_weights,
    what_if,
)
from cmio_desktop.enums import AdkarElement

KEEP_LAMBDA = ForecastSettings(champion_susceptibility=None)


def random_model(n: int, m: int, seed: int, weeks: int = 8, activities: bool = False):
    rng = np.random.default_rng(seed)
    src, tgt = rng.integers(0, n, m), rng.integers(0, n, m)
    weights = influence_weights(n, src, tgt, rng.integers(1, 6, m).astype(float))
    scores = rng.integers(1, 6, (n, len(ELEMENTS))).astype(float)
    lam = rng.uniform(0.1, 0.9, n)
    acts: tuple[PlannedActivity, ...] = ()
    if activities:
        acts = tuple(
            PlannedActivity(int(w), ELEMENTS[int(e)], tuple(rng.integers(0, n, 3).tolist()), 0.6)
            for w, e in zip(rng.integers(0, weeks, 6), rng.integers(0, 5, 6), strict=True)
        )
    return ForecastModel(weights, scores, lam, weeks, acts)


def star_model(leaves: int = 6, weeks: int = 6) -> ForecastModel:
    """Person 0 influences every leaf; everyone scores 2 today."""
    n = leaves + 1
    weights = influence_weights(
        n, np.zeros(leaves, np.int64), np.arange(1, n), np.full(leaves, 3.0)
    )
    return ForecastModel(weights, np.full((n, len(ELEMENTS)), 2.0), np.full(n, 0.5), weeks)


def test_fast_gain_equals_brute_force_when_lambda_is_unchanged():
    # Without activities nothing is clipped (each step is a convex combination of 1–5
    # scores), and with λ unchanged x(T) is linear in x(0): the backward pass is exact.
    model = random_model(30, 90, seed=1)
    base = forecast(model).mean_go_live
    fast = fast_gains(model, settings=KEEP_LAMBDA)
    brute = [what_if(model, [j], settings=KEEP_LAMBDA).mean_go_live - base for j in range(30)]
    assert fast == pytest.approx(brute, abs=1e-12)
    some = [AdkarElement.DESIRE, AdkarElement.ABILITY]
    fast_some = fast_gains(model, some, KEEP_LAMBDA)
    brute_some = [what_if(model, [j], some, KEEP_LAMBDA).mean_go_live - base for j in range(30)]
    assert fast_some == pytest.approx(brute_some, abs=1e-12)


def test_fast_gain_is_exact_with_activities_too():
    # An activity scales its effect by the room left, so a raised stance keeps only
    # Π(1 − b/4) of the raise after it: the backward pass carries that factor per cell.
    model = random_model(30, 90, seed=6, activities=True)
    assert model.activities
    base = forecast(model).mean_go_live
    fast = fast_gains(model, settings=KEEP_LAMBDA)
    brute = [what_if(model, [j], settings=KEEP_LAMBDA).mean_go_live - base for j in range(30)]
    assert fast == pytest.approx(brute, abs=1e-12)


def test_recommender_picks_the_star_centre_first():
    recommendation = recommend_champions(star_model(), 2)
    assert recommendation.picks[0].index == 0
    assert recommendation.picks[0].gain > recommendation.picks[1].gain > 0


def test_reported_gains_are_exact_marginal_gains():
    model = random_model(40, 120, seed=2, activities=True)
    rec = recommend_champions(model, 3)
    chosen: list[int] = []
    before = rec.baseline_mean
    assert before == pytest.approx(forecast(model).mean_go_live)
    for pick in rec.picks:
        chosen.append(pick.index)
        after = what_if(model, chosen).mean_go_live
        assert pick.gain == pytest.approx(after - before, abs=1e-12)
        assert pick.predicted_mean == pytest.approx(after, abs=1e-12)
        before = after
    assert len({p.index for p in rec.picks}) == 3
    assert rec.exact_evaluations >= 3


def test_with_lambda_unchanged_greedy_follows_the_fast_ranking():
    model = random_model(40, 120, seed=3)
    rec = recommend_champions(model, 4, KEEP_LAMBDA)
    fast = fast_gains(model, settings=KEEP_LAMBDA)
    assert [p.index for p in rec.picks] == list(np.argsort(-fast, kind="stable")[:4])


def test_candidates_restrict_the_picks():
    rec = recommend_champions(star_model(), 2, candidates=[3, 4, 5])
    assert {p.index for p in rec.picks} <= {3, 4, 5}


def test_recommendations_are_deterministic():
    model = random_model(60, 200, seed=4, activities=True)
    assert recommend_champions(model, 3) == recommend_champions(model, 3)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    person=st.integers(0, 14),
    elements=st.sets(st.sampled_from(ELEMENTS), min_size=1),
    activities=st.booleans(),
)
def test_adding_a_champion_never_lowers_the_predicted_mean(seed, person, elements, activities):
    model = random_model(15, 40, seed, weeks=5, activities=activities)
    base = forecast(model)
    after = what_if(model, [person], elements)
    assert after.mean_go_live >= base.mean_go_live - 1e-12
    assert np.all(after.go_live >= base.go_live - 1e-12)


def test_progress_is_reported_and_bad_candidates_rejected():
    seen: list[tuple[int, int]] = []
    recommend_champions(star_model(), 2, progress=lambda done, k: seen.append((done, k)))
    assert seen == [(1, 2), (2, 2)]
    with pytest.raises(ValueError):
        recommend_champions(star_model(), 1, candidates=[99])
