from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cmio_desktop.analysis.forecast import (
    ELEMENTS,
    ForecastModel,
    ForecastSettings,
    PlannedActivity,
    forecast,
    impute_scores,
    influence_weights,
    planned_activity,
    susceptibilities,
    what_if,
    win_over,
)
from cmio_desktop.enums import ActivityType, AdkarElement, Attitude, StakeholderGroup

K = ELEMENTS.index(AdkarElement.KNOWLEDGE)


def chain_model(weeks: int, activities: tuple[PlannedActivity, ...] = ()) -> ForecastModel:
    """0 → 1 (strength 2), 1 → 2 (strength 1), self-weight 1, λ = 0.5, every element
    scored [5, 1, 3] today."""
    weights = influence_weights(3, np.array([0, 1]), np.array([1, 2]), np.array([2.0, 1.0]))
    scores = np.tile(np.array([[5.0], [1.0], [3.0]]), (1, len(ELEMENTS)))
    return ForecastModel(weights, scores, np.full(3, 0.5), weeks, activities)


def test_influence_weights_are_row_stochastic_with_self_weight():
    w = chain_model(0).weights.toarray()
    # row 0: nobody influences 0 → only the self-weight; row 1: (2 from 0, 1 self) / 3;
    # row 2: (1 from 1, 1 self) / 2
    assert w == pytest.approx(np.array([[1, 0, 0], [2 / 3, 1 / 3, 0], [0, 1 / 2, 1 / 2]]))
    no_self = influence_weights(2, np.array([0]), np.array([1]), np.array([3.0]), self_weight=0)
    assert no_self.toarray() == pytest.approx(np.array([[1, 0], [1, 0]]))


def test_two_weeks_by_hand():
    # x(t+1) = 0.5·W·x(t) + 0.5·x(0), x(0) = (5, 1, 3)
    # week 1: x0 = 0.5·5 + 2.5 = 5
    #         x1 = 0.5·(2/3·5 + 1/3·1) + 0.5·1 = 11/6 + 3/6 = 7/3
    #         x2 = 0.5·(1/2·1 + 1/2·3) + 0.5·3 = 1 + 3/2 = 5/2
    # week 2: x1 = 0.5·(2/3·5 + 1/3·7/3) + 0.5 = 37/18 + 9/18 = 23/9
    #         x2 = 0.5·(1/2·7/3 + 1/2·5/2) + 1.5 = 29/24 + 36/24 = 65/24
    one = forecast(chain_model(1))
    assert one.go_live[:, 0] == pytest.approx([5, 7 / 3, 5 / 2])
    two = forecast(chain_model(2))
    for element in range(len(ELEMENTS)):
        assert two.go_live[:, element] == pytest.approx([5, 23 / 9, 65 / 24])
    assert two.readiness_go_live == pytest.approx([5, 23 / 9, 65 / 24])
    assert two.mean_today == pytest.approx((5 + 1 + 3) / 3)


def test_activities_move_the_stance_scaled_by_the_room_left():
    # Training (+0.6 knowledge) for person 2 in week 1: u2 = 3 + 0.6·(5 − 3)/4 = 3.3, so
    # x2(2) = 0.5·(W·x(1))_2 + 0.5·3.3 = 65/24 + 0.15; person 0, already at 5, has no room.
    training = planned_activity(1, AdkarElement.KNOWLEDGE, [2, 0], ActivityType.TRAINING_SESSION)
    assert training.effect == pytest.approx(0.6)
    past = PlannedActivity(-1, AdkarElement.KNOWLEDGE, (1,), 1.0)  # before today: ignored
    after = PlannedActivity(2, AdkarElement.KNOWLEDGE, (1,), 1.0)  # at go-live: ignored
    result = forecast(chain_model(2, (training, past, after)))
    assert result.go_live[:, K] == pytest.approx([5, 23 / 9, 65 / 24 + 0.15])
    assert result.go_live[:, 0] == pytest.approx([5, 23 / 9, 65 / 24])


def test_an_activity_effect_is_durable():
    # The retired model added b to x for one week and the anchor pulled it back. Now the
    # stance stays moved: person 2's lift after week-0 training obeys
    # d(t) = 0.5·W_22·d(t − 1) + 0.5·0.3 → 0.15, 0.1875, 0.196875 … → 0.2, never back to 0.
    training = planned_activity(0, AdkarElement.KNOWLEDGE, [2], ActivityType.TRAINING_SESSION)
    lifts = [
        forecast(chain_model(t, (training,))).go_live[2, K] - forecast(chain_model(t)).go_live[2, K]
        for t in (1, 2, 3, 40)
    ]
    assert lifts == pytest.approx([0.15, 0.1875, 0.196875, 0.2])


def test_training_for_everyone_lifts_go_live_knowledge_substantially():
    rng = np.random.default_rng(5)
    n = 200
    src, tgt = rng.integers(0, n, 800), rng.integers(0, n, 800)
    weights = influence_weights(n, src, tgt, rng.integers(1, 6, 800).astype(float))
    scores = rng.integers(1, 5, (n, len(ELEMENTS))).astype(float)
    base = ForecastModel(weights, scores, np.full(n, 0.5), 13)
    everyone = planned_activity(0, AdkarElement.KNOWLEDGE, range(n), ActivityType.TRAINING_SESSION)
    trained = forecast(replace(base, activities=(everyone,))).go_live[:, K].mean()
    untrained = forecast(base).go_live[:, K].mean()
    # every stance gains 0.6·(5 − u)/4 for good; x nearly converges to it in 13 weeks (the
    # network reweights who counts, so not exactly)
    expected = float((0.6 * (5 - scores[:, K]) / 4).mean())
    assert trained - untrained == pytest.approx(expected, rel=0.05)
    assert trained - untrained > 0.1


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    early=st.integers(0, 7),
    delay=st.integers(0, 7),
    effect=st.floats(0.0, 2.0),
    others=st.booleans(),
)
def test_early_training_counts_at_least_as_much_as_late(seed, early, delay, effect, others):
    rng = np.random.default_rng(seed)
    n, weeks = 12, 10
    src, tgt = rng.integers(0, n, 30), rng.integers(0, n, 30)
    weights = influence_weights(n, src, tgt, rng.integers(1, 6, 30).astype(float))
    scores = rng.integers(1, 6, (n, len(ELEMENTS))).astype(float)
    lam = rng.uniform(0.0, 1.0, n)
    audience = tuple(rng.choice(n, 4, replace=False).tolist())
    background = ()
    if others:  # other (non-negative) activities on the same people and elements
        background = tuple(
            PlannedActivity(int(w), AdkarElement.KNOWLEDGE, audience, float(e))
            for w, e in zip(rng.integers(0, weeks, 3), rng.uniform(0, 1, 3), strict=True)
        )
    late = min(weeks - 1, early + delay)

    def go_live(week: int) -> np.ndarray:
        act = PlannedActivity(week, AdkarElement.KNOWLEDGE, audience, effect)
        model = ForecastModel(weights, scores, lam, weeks, (*background, act))
        return forecast(model).go_live

    assert np.all(go_live(early) >= go_live(late) - 1e-12)


def test_activity_in_week_zero_spreads_downstream():
    # +0.5 ability to person 1 in week 0: u1 = 1 + 0.5·(5 − 1)/4 = 1.5, so x1(1) rises by
    # 0.5·0.5 = 1/4; in week 2 x1 rises by 0.5·(1/3)·(1/4) + 1/4 and person 2 hears of it:
    # x2(2) rises by 0.5 · W_21 · 1/4 = 1/16
    act = PlannedActivity(0, AdkarElement.ABILITY, (1,), 0.5)
    col = ELEMENTS.index(AdkarElement.ABILITY)
    result = forecast(chain_model(2, (act,)))
    assert result.go_live[1, col] == pytest.approx(23 / 9 + 1 / 24 + 1 / 4)
    assert result.go_live[2, col] == pytest.approx(65 / 24 + 1 / 16)


def test_a_negative_effect_shrinks_near_the_bottom():
    act = PlannedActivity(0, AdkarElement.ABILITY, (0, 1), -1.0)
    col = ELEMENTS.index(AdkarElement.ABILITY)
    model = chain_model(1, (act,))
    result = forecast(model)
    # person 0: u = 5 − 1·(5 − 1)/4 = 4 → x0(1) = 0.5·5 + 0.5·4; person 1 at 1 has no room
    assert result.go_live[0, col] == pytest.approx(4.5)
    assert result.go_live[1, col] == pytest.approx(7 / 3)


def test_impute_by_department_mean_and_flag():
    nan = np.nan
    scores = np.array(
        [
            [4, 2, 2, 2, 2],
            [2, nan, 2, 2, 2],
            [nan, nan, nan, nan, nan],  # ED: awareness (4 + 2) / 2 = 3, desire 2
            [5, 5, 5, 5, 5],
            [nan, 1, 1, 1, 1],  # no department: overall awareness mean (4 + 2 + 5) / 3
        ]
    )
    filled, imputed = impute_scores(scores, ["ED", "ED", "ED", "ICU", None])
    assert filled[2] == pytest.approx([3, 2, 2, 2, 2])
    assert filled[1, 1] == pytest.approx(2)
    assert filled[4, 0] == pytest.approx(11 / 3)
    assert imputed.sum() == 1 + 5 + 1
    assert imputed[2].all() and not imputed[3].any()
    nobody, _ = impute_scores(np.full((2, 5), nan), ["ED", "ED"], fallback=3.0)
    assert nobody == pytest.approx(np.full((2, 5), 3.0))


def test_susceptibilities_lower_for_executives_and_resisters():
    s = ForecastSettings()
    lam = susceptibilities(
        [StakeholderGroup.FRONTLINE_CLINICIAN, StakeholderGroup.EXECUTIVE, None],
        [Attitude.NEUTRAL, Attitude.SUPPORTIVE, Attitude.RESISTANT],
        s,
    )
    assert lam == pytest.approx([0.5, 0.3, 0.3])
    both = susceptibilities(
        [StakeholderGroup.EXECUTIVE],
        [Attitude.RESISTANT],
        ForecastSettings(attitude_susceptibility={Attitude.RESISTANT: 0.1}),
    )
    assert both == pytest.approx([0.1])  # the lower override wins


def test_ready_unsusceptible_champion_pulls_followers_up():
    # 0 influences 1 and 2 strongly; 0 is fully ready and unmovable (λ = 0)
    weights = influence_weights(3, np.array([0, 0]), np.array([1, 2]), np.array([5.0, 5.0]))
    scores = np.array([[5.0] * 5, [2.0] * 5, [2.0] * 5])
    lam = np.array([0.0, 0.5, 0.5])
    means = [forecast(ForecastModel(weights, scores, lam, t)).go_live for t in (0, 4, 12)]
    assert means[0][1:] == pytest.approx(2.0)
    assert np.all(means[1][1:] > 2.0) and np.all(means[2][1:] > means[1][1:])
    assert means[2][0] == pytest.approx(5.0)
    # fixed point with x0 = 5: x = 0.5·(5/6·5 + 1/6·x) + 0.5·2 → x = (25/12 + 1)/(1 − 1/12)
    assert means[2][1] == pytest.approx((25 / 12 + 1) / (11 / 12), abs=1e-3)


def test_win_over_sets_the_stance_of_chosen_elements_and_lowers_their_lambda():
    model = chain_model(3)
    won = win_over(model, [1], [AdkarElement.DESIRE])
    d = ELEMENTS.index(AdkarElement.DESIRE)
    assert won.stance()[1, d] == 5 and won.stance()[1, 0] == 1
    assert won.scores[1, d] == 1  # today's score is what it is
    assert won.lam()[1, d] == pytest.approx(0.2) and won.lam()[1, 0] == pytest.approx(0.5)
    assert model.scores[1, d] == 1  # the original model is untouched
    base = forecast(model)
    after = what_if(model, [1], [AdkarElement.DESIRE])
    assert after.go_live[:, d].mean() > base.go_live[:, d].mean()
    assert after.go_live[:, 0] == pytest.approx(base.go_live[:, 0])


def test_group_summary():
    result = forecast(chain_model(2))
    groups = result.by_group(["a", "a", "b"])
    assert groups["a"].people == 2
    assert groups["a"].readiness_today == pytest.approx((5 + 1) / 2)
    assert groups["a"].readiness_go_live == pytest.approx((5 + 23 / 9) / 2)
    assert groups["b"].readiness_go_live == pytest.approx(65 / 24)
